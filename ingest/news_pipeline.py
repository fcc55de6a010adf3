"""Runs of the news sources: RSS/Atom feeds (`NewsRun`) and GOV.UK's search API (`GovukRun`).

Both run on the shared lifecycle of `ingest.runs.SourceRun` (as `ingest.pipeline.OfstedRun`
does): a Run row, named counts, and every item failing alone with a clear recorded reason (on
the article row, the URL's source state and the run). Each article is written in its own
transaction together with its feed link, relevance, events and the URL state that marks it
read. A feed's validators are recorded only after all its items were handled, so a run stopped
half-way re-reads the feed next time instead of getting a 304 for items never stored.

Articles already stored (by URL, canonical URL or a listed item URL) are not fetched again;
failed ones are retried after `retry_failed_after`. Relevance and events come from an injected
`EventExtractor` (ingest/extract/events/); without one, articles are stored unjudged
(`relevant` NULL) for a later extraction pass.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any, Protocol
from urllib.parse import urlsplit

from lxml import html as lxml_html
from sqlalchemy import Engine
from sqlmodel import Session, select

from ingest import news_store, store
from ingest.http import Fetched, FetchError
from ingest.models import Article, Authority, ExtractionStatus
from ingest.runs import Fetcher, HostBlocked, Progress, RunSummary, SourceRun
from ingest.sources import govuk
from ingest.sources.articles import ArticleError, content_hash, extract_article, is_html
from ingest.sources.feeds import FeedError, FeedItem, parse_feed
from ingest.sources.html import LayoutChanged, Selector
from ingest.sources.html import href as html_href
from ingest.sources.html import soup as html_soup

log = logging.getLogger(__name__)

FEED = "news:feed"
ARTICLE = "news:article"
SEARCH = "govuk:search"
CONTENT = "govuk:content"
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


# -- the extractor's interface (implemented in ingest/extract/events/) ----------------------


class RelevanceLike(Protocol):
    @property
    def relevant(self) -> bool: ...
    @property
    def reason(self) -> str: ...


class ExtractedEventLike(Protocol):
    @property
    def authority(self) -> str | None: ...  # a gazetteer slug
    @property
    def kind(self) -> str: ...
    @property
    def grade(self) -> str | None: ...
    @property
    def previous_grade(self) -> str | None: ...
    @property
    def model(self) -> str | None: ...
    @property
    def stage(self) -> str | None: ...
    @property
    def provider(self) -> str | None: ...
    @property
    def action(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def evidence(self) -> str | None: ...
    @property
    def confidence(self) -> float | None: ...


class EventExtractor(Protocol):
    def relevance(self, title: str, text: str) -> RelevanceLike: ...
    def extract(
        self, text: str, *, published: date | None = None, title: str | None = None
    ) -> Sequence[ExtractedEventLike]: ...


# -- options and summary ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    name: str
    url: str
    official: bool = False  # events stated by an official publisher are stored as confirmed
    # GOV.UK's feeds start every title with its display type ('Decision: ...'): strip it.
    titles_have_type: bool = False
    # A partly paywalled site: where the page yields less than the feed item says, keep the
    # feed item's summary as the text.
    keep_summary: bool = False


PAGES = "pages"  # the 'feed' name of article pages given by URL
LISTING = "news:listing"


@dataclass(frozen=True)
class ListingSpec:
    """An HTML page listing articles: each entry matched by `items` (the page must have
    `min_items` to `max_items` of them, else LayoutChanged), its article link by `link`."""

    name: str
    url: str
    items: str
    link: str = "a[href]"
    min_items: int = 1
    max_items: int | None = None
    official: bool = False


@dataclass(frozen=True)
class NewsOptions:
    feeds: tuple[FeedSpec, ...]
    pages: tuple[str, ...] = ()  # article URLs to read once (sites with no feed)
    listings: tuple[ListingSpec, ...] = ()
    max_items_per_feed: int = 50
    article_max_bytes: int = 2 * 2**20
    retry_failed_after: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class GovukOptions:
    search_url: str
    queries: tuple[str, ...]
    organisations: tuple[str, ...] = ("department-for-education",)
    # Searches by GOV.UK content type alone: 'decision' is how statutory directions are typed.
    document_types: tuple[str, ...] = ()
    count: int = 50
    max_pages: int = 3
    article_max_bytes: int = 2 * 2**20
    retry_failed_after: timedelta = timedelta(hours=24)


@dataclass
class NewsRunSummary(RunSummary):
    source: str = ""
    listings: int = 0  # feeds read, or search pages read
    listings_failed: int = 0
    items_seen: int = 0
    already_stored: int = 0
    articles_fetched: int = 0
    articles_new: int = 0
    duplicates: int = 0
    article_errors: int = 0
    relevant: int = 0
    events_added: int = 0
    events_removed: int = 0

    def reached_source(self) -> bool:
        return self.listings > 0


@dataclass(frozen=True)
class Listed:
    """One item as a feed or search lists it: where it came from and what it says of itself."""

    feed: str
    url: str
    title: str | None
    published: datetime | None
    summary: str | None = None
    doc_type: str | None = None
    updated: datetime | None = None  # the publisher's last-update time, when it lists one


@dataclass(frozen=True)
class Page:
    """What one fetched item yielded: main text and metadata, ready to store."""

    text: str
    title: str | None
    canonical_url: str | None
    published: datetime | None
    fetched: Fetched | None = None  # what was fetched for it, marked read when it is stored
    fetched_url: str | None = None
    kind: str = ""
    doc_type: str | None = None
    updated: datetime | None = None


class SkipItem(Exception):
    """One item cannot be read; the message is the reason recorded on its article row."""


# -- analysis: relevance and events -----------------------------------------------------------


def authority_ids_by_slug(session: Session) -> dict[str, int]:
    return {a.slug: a.id for a in session.exec(select(Authority)) if a.id is not None}


@dataclass
class Analysis:
    """What the extractor made of one article (computed before any row is written)."""

    relevant: bool
    reason: str
    events: list[ExtractedEventLike]


def judge(extractor: EventExtractor, article: Article) -> Analysis:
    """Relevance, and events for a relevant article; pure, so a failure loses no stored row."""
    verdict = extractor.relevance(article.title or "", article.text or "")
    events: list[ExtractedEventLike] = []
    if verdict.relevant:
        published = article.published.date() if article.published else None
        events = list(
            extractor.extract(article.text or "", published=published, title=article.title)
        )
    return Analysis(bool(verdict.relevant), verdict.reason, events)


def record_analysis(
    session: Session,
    article: Article,
    analysis: Analysis,
    authority_ids: dict[str, int],
    *,
    confirmed: bool,
) -> tuple[news_store.EventChanges, list[str]]:
    """Store relevance and events; returns the event changes and problems worth recording
    (an authority the gazetteer does not know: that event is not stored)."""
    assert article.id is not None
    news_store.set_relevance(session, article, analysis.relevant, analysis.reason)
    problems: list[str] = []
    events: list[news_store.EventValues] = []
    for event in analysis.events:
        authority_id = None
        if event.authority:
            authority_id = authority_ids.get(event.authority)
            if authority_id is None:
                problems.append(
                    f"event names authority {event.authority!r}, unknown to the gazetteer;"
                    " event not stored"
                )
                continue
        events.append(
            news_store.EventValues(
                authority_id=authority_id,
                kind=event.kind,
                grade=event.grade,
                previous_grade=event.previous_grade,
                model=event.model,
                stage=event.stage,
                provider=event.provider,
                action=event.action,
                date=event.date,
                evidence=event.evidence,
                confidence=event.confidence,
            )
        )
    changes = news_store.sync_events(session, article.id, events, confirmed=confirmed)
    return changes, problems


def analyse(
    session: Session,
    article: Article,
    extractor: EventExtractor,
    authority_ids: dict[str, int],
    *,
    confirmed: bool,
) -> tuple[news_store.EventChanges, list[str]]:
    """Judge and store in one go: for a later extraction pass over stored articles."""
    return record_analysis(
        session, article, judge(extractor, article), authority_ids, confirmed=confirmed
    )


# -- the shared run ---------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _ArticleRun(SourceRun[NewsRunSummary]):
    """What both news runs share: the lifecycle, and storing one listed item."""

    def __init__(
        self,
        engine: Engine,
        client: Fetcher,
        options: NewsOptions | GovukOptions,
        *,
        extractor: EventExtractor | None = None,
        progress: Progress | None = None,
    ) -> None:
        super().__init__(engine, client, NewsRunSummary(source=self.source), progress)
        self.options = options
        self.extractor = extractor
        self.retry_failed_after = options.retry_failed_after
        self.article_max_bytes = options.article_max_bytes

    @cached_property
    def _authority_ids(self) -> dict[str, int]:
        with Session(self.engine) as session:
            return authority_ids_by_slug(session)

    def _due(self, article: Article) -> bool:
        """A stored article is fetched again only if it failed long enough ago."""
        if article.extraction_status != ExtractionStatus.ERROR:
            return False
        return _aware(article.fetched_at) <= store.utcnow() - self.retry_failed_after

    @staticmethod
    def _edited(article: Article, listed: Listed) -> bool:
        """The listing says the page changed since we read it (GOV.UK edits pages in place)."""
        if listed.updated is None or article.extraction_status != ExtractionStatus.OK:
            return False
        # A row without a stamp (stored before stamps were kept, or as a twin of a feed item)
        # is not taken as edited: that would fetch it again on every run.
        return article.updated_at is not None and _aware(article.updated_at) < listed.updated

    def _item(self, listed: Listed, *, official: bool) -> None:
        """One listed item: skip it if stored, else fetch, extract, store and analyse it."""
        self.summary.items_seen += 1
        with Session(self.engine) as session:
            known = news_store.find_article(session, listed.url)
            if known is not None and not self._due(known) and not self._edited(known, listed):
                assert known.id is not None
                if news_store.link_feed(session, known.id, listed.feed, listed.url):
                    session.commit()
                self.summary.already_stored += 1
                return
        try:
            page = self._read(listed)
        except HostBlocked:
            raise
        except (FetchError, SkipItem) as exc:
            reason = exc.reason if isinstance(exc, FetchError) else str(exc)
            self._store_error(listed, reason)
            return
        try:
            self._store(listed, page, official=official)
        except Exception as exc:  # storing one article must not stop the run
            log.exception("%s: storing %s failed", self.source, listed.url)
            self._fail(listed.url, f"the article could not be stored: {exc}")
            self.summary.article_errors += 1

    def _read(self, listed: Listed) -> Page:
        raise NotImplementedError

    def _store_error(self, listed: Listed, reason: str) -> None:
        self._fail(listed.url, reason)
        self.summary.article_errors += 1
        with Session(self.engine) as session:
            news_store.store_article_error(
                session,
                url=listed.url,
                source=self.source_of(listed),
                title=listed.title,
                published=listed.published,
                error=reason,
                feed=listed.feed,
                item_url=listed.url,
            )
            session.commit()

    def source_of(self, listed: Listed) -> str:
        return self.source

    def _store(self, listed: Listed, page: Page, *, official: bool) -> None:
        with Session(self.engine) as session:
            if page.fetched is not None:
                self.mark_read(
                    session,
                    page.fetched_url or listed.url,
                    page.kind,
                    page.fetched,
                    keep_validators=False,
                )
            article, outcome = news_store.store_article(
                session,
                url=listed.url,
                canonical_url=page.canonical_url,
                source=self.source_of(listed),
                title=listed.title or page.title,
                published=listed.published or page.published,
                text=page.text,
                digest=content_hash(page.text),
                feed=listed.feed,
                item_url=listed.url,
                doc_type=listed.doc_type or page.doc_type,
                updated_at=listed.updated or page.updated,
            )
            if outcome == "duplicate":
                self.summary.duplicates += 1
                session.commit()
                return
            self.summary.articles_new += int(outcome == "new")
            problems: list[str] = []
            analysis = None
            if self.extractor is not None:
                try:
                    analysis = judge(self.extractor, article)
                except Exception as exc:  # the article is kept, unjudged, for a later pass
                    log.exception("%s: extracting events from %s failed", self.source, listed.url)
                    problems.append(f"event extraction failed: {type(exc).__name__}: {exc}")
            if analysis is not None:
                changes, problems = record_analysis(
                    session, article, analysis, self._authority_ids, confirmed=official
                )
                self.summary.relevant += int(analysis.relevant)
                self.summary.events_added += changes.added
                self.summary.events_removed += changes.removed
            session.commit()
        for problem in problems:
            self._fail(listed.url, problem)


# -- feeds ------------------------------------------------------------------------------------


class NewsRun(_ArticleRun):
    """Reads every configured feed once: new items' pages are fetched, read and stored."""

    source = "news"

    options: NewsOptions

    def source_of(self, listed: Listed) -> str:
        if listed.feed == PAGES:
            return urlsplit(listed.url).netloc.removeprefix("www.").split(".")[0]
        return listed.feed

    def _run(self) -> None:
        for done, feed in enumerate(self.options.feeds, 1):
            self._site_alone(self._feed, feed)
            self.progress("feeds", done, len(self.options.feeds))
        for listing in self.options.listings:
            self._site_alone(self._listing, listing)
        for url in self.options.pages:  # sites we follow only where a page is given (CYP Now)
            listed = Listed(feed=PAGES, url=url, title=None, published=None)
            self._site_alone(lambda item: self._item(item, official=False), listed)

    def _site_alone(self, read: Callable[[Any], None], what: Any) -> None:
        """One site that blocks us (403) stops its own feed, not the other sites'."""
        try:
            read(what)
        except HostBlocked as exc:
            self._fail(exc.url, exc.reason)

    def _feed(self, feed: FeedSpec) -> None:
        try:
            fetched = self.fetch(feed.url, FEED, accept=FEED_ACCEPT)
        except HostBlocked:
            raise
        except FetchError as exc:
            self.summary.listings_failed += 1
            self._fail(feed.url, f"feed {feed.name}: {exc.reason}")
            return
        self.summary.listings += 1
        if fetched.not_modified:
            self._mark_feed_read(feed, fetched)
            return
        try:
            parsed = parse_feed(
                fetched.content,
                fetched.url,
                max_items=self.options.max_items_per_feed,
                content_type=fetched.headers.get("content-type"),
                titles_have_type=feed.titles_have_type,
            )
        except FeedError as exc:
            self.mark_unreadable(feed.url, FEED, str(exc))
            return
        for done, item in enumerate(parsed.items, 1):
            self._item(self._listed(feed, item), official=feed.official)
            self.progress(f"{feed.name} items", done, len(parsed.items))
        if parsed.warning:
            # Not 'not modified' next time: a fixed feed with the same validators is re-read.
            self.mark_unreadable(feed.url, FEED, parsed.warning)
        else:
            self._mark_feed_read(feed, fetched)

    def _listing(self, spec: ListingSpec) -> None:
        """An HTML listing page: its entries' links are read like a feed's items."""
        try:
            fetched = self.fetch(spec.url, LISTING, accept="text/html")
        except HostBlocked:
            raise
        except FetchError as exc:
            self.summary.listings_failed += 1
            self._fail(spec.url, f"listing {spec.name}: {exc.reason}")
            return
        self.summary.listings += 1
        if not fetched.not_modified:
            items = Selector(spec.items, min=spec.min_items, max=spec.max_items)
            link = Selector(spec.link, min=0)
            try:
                root = html_soup(fetched.text())
                urls = [
                    html_href(anchor, fetched.url)
                    for entry in items.select(root, spec.url)
                    for anchor in link.select(entry, spec.url)[:1]
                    if anchor.get("href")
                ]
            except LayoutChanged as exc:
                self.mark_unreadable(spec.url, LISTING, f"listing {spec.name}: {exc}")
                return
            for url in dict.fromkeys(urls):
                listed = Listed(feed=spec.name, url=url, title=None, published=None)
                self._item(listed, official=spec.official)
        with Session(self.engine) as session:
            self.mark_read(session, spec.url, LISTING, fetched)
            session.commit()

    def _mark_feed_read(self, feed: FeedSpec, fetched: Fetched) -> None:
        """Only now, every item handled, may the next run be told 'not modified'."""
        with Session(self.engine) as session:
            self.mark_read(session, feed.url, FEED, fetched)
            session.commit()

    @cached_property
    def _specs(self) -> dict[str, FeedSpec]:
        return {feed.name: feed for feed in self.options.feeds}

    @staticmethod
    def _listed(feed: FeedSpec, item: FeedItem) -> Listed:
        return Listed(
            feed=feed.name,
            url=item.url,
            title=item.title,
            published=item.published,
            summary=item.summary,
            doc_type=item.display_type,
            updated=item.updated if feed.titles_have_type else None,
        )

    def _read(self, listed: Listed) -> Page:
        spec = self._specs.get(listed.feed)
        keep_summary = spec is not None and spec.keep_summary
        summary_text = _summary_text(listed.summary) if keep_summary else ""
        try:
            return self._read_page(listed, summary_text)
        except SkipItem:
            if len(summary_text) >= MIN_SUMMARY_CHARS:  # paywalled: the feed's words are kept
                return Page(
                    text=summary_text, title=listed.title, canonical_url=None, published=None
                )
            raise

    def _read_page(self, listed: Listed, summary_text: str) -> Page:
        fetched = self.fetch(
            listed.url,
            ARTICLE,
            conditional=False,
            accept="text/html,application/xhtml+xml;q=0.9",
            max_bytes=self.article_max_bytes,
        )
        self.summary.articles_fetched += 1
        if not is_html(fetched.content, fetched.content_type):
            raise SkipItem(f"not an HTML page ({fetched.content_type or 'no Content-Type'})")
        try:
            article = extract_article(fetched.text(), fetched.url)
        except ArticleError as exc:
            raise SkipItem(exc.reason) from exc
        text = article.text
        if summary_text and len(text) < len(summary_text):
            # The page shows less than the feed item says (a registration wall): keep both.
            text = f"{summary_text}\n{text}" if text not in summary_text else summary_text
        return Page(
            text=text,
            title=article.title,
            canonical_url=article.canonical_url or fetched.url,
            published=article.published,
            fetched=fetched,
            fetched_url=listed.url,
            kind=ARTICLE,
        )

    def _store_error(self, listed: Listed, reason: str) -> None:
        if reason.startswith("body larger than"):
            reason = f"article larger than the {self.article_max_bytes}-byte cap ({reason})"
        super()._store_error(listed, reason)


MIN_SUMMARY_CHARS = 40


def _summary_text(summary: str | None) -> str:
    """A feed item's summary as plain text (feeds carry HTML in it)."""
    if not summary or not summary.strip():
        return ""
    root = lxml_html.fragment_fromstring(summary, create_parent="div")
    return " ".join(root.text_content().split())


# -- GOV.UK search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Search:
    """One GOV.UK search: free text, or every item of one content type."""

    label: str
    query: str = ""
    document_type: str | None = None


class GovukRun(_ArticleRun):
    """Searches GOV.UK (each query, and each document type such as `decision`, newest first, a
    few pages) and stores new or edited results with their type and dates.

    GOV.UK is an official source: every event its pages state is stored as confirmed.
    """

    source = govuk.SOURCE

    options: GovukOptions

    def _searches(self) -> list[Search]:
        searches = [Search(label=q, query=q) for q in self.options.queries]
        searches += [
            Search(label=f"type:{t}", document_type=t) for t in self.options.document_types
        ]
        return searches

    def _run(self) -> None:
        searches = self._searches()
        for done, search in enumerate(searches, 1):
            self._search(search)
            self.progress("queries", done, len(searches))

    def _search(self, search: Search) -> None:
        start = 0
        for _page in range(self.options.max_pages):
            url = govuk.search_url(
                self.options.search_url,
                search.query,
                start=start,
                count=self.options.count,
                organisations=self.options.organisations,
                document_type=search.document_type,
            )
            try:
                fetched = self.fetch(url, SEARCH, conditional=False, accept="application/json")
                page = govuk.parse_search(fetched.content, url)
            except HostBlocked:
                raise
            except FetchError as exc:
                self.summary.listings_failed += 1
                reason = exc.reason
                if exc.status == 422:
                    reason = (
                        f"GOV.UK search rejected the query {search.label!r} ({exc.reason}): an"
                        " unknown parameter or a bad value; check govuk.search_url and the queries"
                    )
                self._fail(url, reason)
                return
            except govuk.GovukError as exc:
                self.summary.listings_failed += 1
                self.mark_unreadable(url, SEARCH, exc.reason)
                return
            self.summary.listings += 1
            for problem in page.rejected:
                self._fail(url, problem)
            for result in page.results:
                listed = Listed(
                    feed=f"govuk:{search.label}",
                    url=result.link,
                    title=result.title,
                    published=result.published,
                    doc_type=result.document_type or result.format,
                    updated=result.published,
                )
                try:
                    self._item(listed, official=True)
                except HostBlocked:
                    raise
                except Exception as exc:  # one bad result must not stop the search
                    log.exception("govuk: result %s failed", result.link)
                    self._fail(result.link, f"{type(exc).__name__}: {exc}")
            with Session(self.engine) as session:  # the page's results are all handled
                self.mark_read(session, url, SEARCH, fetched, keep_validators=False)
                session.commit()
            start = page.start + len(page.results) + len(page.rejected)
            if not (page.results or page.rejected) or start >= page.total:
                return

    def _read(self, listed: Listed) -> Page:
        api_url = govuk.content_api_url(listed.url)
        fetched = self.fetch(
            api_url,
            CONTENT,
            conditional=False,
            accept="application/json",
            max_bytes=self.article_max_bytes,
        )
        self.summary.articles_fetched += 1
        try:
            content = govuk.parse_content(fetched.content, api_url)
        except govuk.GovukError as exc:
            raise SkipItem(exc.reason) from exc
        return Page(
            text=content.text,
            title=content.title,
            canonical_url=listed.url,
            published=content.published,
            fetched=fetched,
            fetched_url=api_url,
            kind=CONTENT,
            doc_type=content.document_type,
            updated=content.updated,
        )

    def _store_error(self, listed: Listed, reason: str) -> None:
        if reason.startswith("body larger than"):
            reason = f"page larger than the {self.article_max_bytes}-byte cap ({reason})"
        super()._store_error(listed, reason)
