"""Runs of the news sources: RSS/Atom feeds (`NewsRun`) and GOV.UK's search API (`GovukRun`).

Modelled on `ingest.pipeline.OfstedRun`: a Run row, named counts, and every item failing alone
with a clear recorded reason (on the article row, the URL's source state and the run). Each
article is written in its own transaction together with its feed link, relevance and events.

Articles already stored (by URL, canonical URL or a listed item URL) are not fetched again;
failed ones are retried after `retry_failed_after`. Relevance and events come from an injected
`EventExtractor` (ingest/extract/events.py); without one, articles are stored unjudged
(`relevant` NULL) for a later extraction pass.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session, select

from ingest import news_store, store
from ingest.http import Fetched, FetchError
from ingest.models import Article, Authority, ExtractionStatus
from ingest.runs import ItemError, RunSummary, recorded_run
from ingest.sources import govuk
from ingest.sources.articles import ArticleError, content_hash, extract_article, is_html
from ingest.sources.feeds import FeedError, FeedItem, parse_feed

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

FEED = "news:feed"
ARTICLE = "news:article"
SEARCH = "govuk:search"
CONTENT = "govuk:content"
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


# -- the extractor's interface (implemented in ingest/extract/events.py) ---------------------


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


class Fetcher(Protocol):
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched: ...


# -- options and summary ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    name: str
    url: str
    official: bool = False  # events stated by an official publisher are stored as confirmed


@dataclass(frozen=True)
class NewsOptions:
    feeds: tuple[FeedSpec, ...]
    max_items_per_feed: int = 50
    article_max_bytes: int = 2 * 2**20
    retry_failed_after: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class GovukOptions:
    search_url: str
    queries: tuple[str, ...]
    organisations: tuple[str, ...] = ("department-for-education",)
    count: int = 50
    max_pages: int = 3
    article_max_bytes: int = 2 * 2**20
    retry_failed_after: timedelta = timedelta(hours=24)


@dataclass
class NewsRunSummary(RunSummary):
    source: str = ""
    listings: int = 0  # feeds read, or search pages read
    listings_failed: int = 0
    not_modified: int = 0
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


@dataclass(frozen=True)
class Page:
    """What one fetched item yielded: main text and metadata, ready to store."""

    text: str
    title: str | None
    canonical_url: str | None
    published: datetime | None


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


class _ArticleRun:
    """What both news runs share: the Run row, fetching with state, and storing one item."""

    source: str

    def __init__(
        self,
        engine: Engine,
        client: Fetcher,
        options: NewsOptions | GovukOptions,
        *,
        extractor: EventExtractor | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.engine = engine
        self.client = client
        self.options = options
        self.extractor = extractor
        self.retry_failed_after = options.retry_failed_after
        self.article_max_bytes = options.article_max_bytes
        self.progress = progress or (lambda _stage, _done, _total: None)
        self.summary = NewsRunSummary(source=self.source)

    def __call__(self) -> NewsRunSummary:
        with recorded_run(self.engine, self.source, self.summary):
            self._run()
        return self.summary

    def _run(self) -> None:
        raise NotImplementedError

    def _fail(self, url: str, reason: str) -> None:
        log.warning("%s: %s: %s", self.source, url, reason)
        self.summary.errors.append(ItemError(url, reason))

    @cached_property
    def _authority_ids(self) -> dict[str, int]:
        with Session(self.engine) as session:
            return authority_ids_by_slug(session)

    def _fetch(
        self,
        url: str,
        kind: str,
        *,
        conditional: bool = True,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET through the polite client, recording the URL's state; raises FetchError."""
        with Session(self.engine) as session:
            state = store.get_state(session, url) if conditional else None
            try:
                fetched = self.client.get(
                    url,
                    etag=state.etag if state else None,
                    last_modified=state.last_modified if state else None,
                    accept=accept,
                    max_bytes=max_bytes,
                )
            except FetchError as exc:
                store.record_failure(
                    session, url=url, source=kind, error=str(exc), status=exc.status
                )
                session.commit()
                raise
            store.record_success(
                session,
                url=url,
                source=kind,
                status=fetched.status,
                etag=fetched.etag if conditional else None,
                last_modified=fetched.last_modified if conditional else None,
            )
            session.commit()
        if fetched.not_modified:
            self.summary.not_modified += 1
        return fetched

    def _due(self, article: Article) -> bool:
        """A stored article is fetched again only if it failed long enough ago."""
        if article.extraction_status != ExtractionStatus.ERROR:
            return False
        return _aware(article.fetched_at) <= store.utcnow() - self.retry_failed_after

    def _changed(self, article: Article, listed: Listed) -> bool:
        """Whether the listing says a stored page changed since we read it (see GovukRun)."""
        return False

    def _item(self, listed: Listed, *, official: bool) -> None:
        """One listed item: skip it if stored, else fetch, extract, store and analyse it."""
        self.summary.items_seen += 1
        with Session(self.engine) as session:
            known = news_store.find_article(session, listed.url)
            if known is not None and not self._due(known) and not self._changed(known, listed):
                assert known.id is not None
                if news_store.link_feed(session, known.id, listed.feed, listed.url):
                    session.commit()
                self.summary.already_stored += 1
                return
        try:
            page = self._read(listed)
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
        return listed.feed

    def _run(self) -> None:
        for done, feed in enumerate(self.options.feeds, 1):
            self._feed(feed)
            self.progress("feeds", done, len(self.options.feeds))

    def _feed(self, feed: FeedSpec) -> None:
        try:
            fetched = self._fetch(
                feed.url,
                FEED,
                accept=FEED_ACCEPT,
            )
        except FetchError as exc:
            self.summary.listings_failed += 1
            self._fail(feed.url, f"feed {feed.name}: {exc.reason}")
            return
        self.summary.listings += 1
        if fetched.not_modified:
            return
        try:
            parsed = parse_feed(
                fetched.content,
                fetched.url,
                max_items=self.options.max_items_per_feed,
                content_type=fetched.headers.get("content-type"),
            )
        except FeedError as exc:
            self._feed_problem(feed, str(exc))
            return
        if parsed.warning:
            self._feed_problem(feed, parsed.warning)
        for done, item in enumerate(parsed.items, 1):
            self._item(self._listed(feed, item), official=feed.official)
            self.progress(f"{feed.name} items", done, len(parsed.items))

    def _feed_problem(self, feed: FeedSpec, reason: str) -> None:
        """A broken feed is the run's error and the feed URL's recorded state."""
        self._fail(feed.url, reason)
        with Session(self.engine) as session:
            state = store.get_state(session, feed.url)
            if state is not None:
                state.last_error = reason
                # Not 'not modified' next time: a fixed feed with the same validators is re-read.
                state.etag = state.last_modified = None
                session.add(state)
                session.commit()

    @staticmethod
    def _listed(feed: FeedSpec, item: FeedItem) -> Listed:
        return Listed(feed=feed.name, url=item.url, title=item.title, published=item.published)

    def _read(self, listed: Listed) -> Page:
        fetched = self._fetch(
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
        return Page(
            text=article.text,
            title=article.title,
            canonical_url=article.canonical_url or fetched.url,
            published=article.published,
        )

    def _store_error(self, listed: Listed, reason: str) -> None:
        if reason.startswith("body larger than"):
            reason = f"article larger than the {self.article_max_bytes}-byte cap ({reason})"
        super()._store_error(listed, reason)


# -- GOV.UK search ----------------------------------------------------------------------------


class GovukRun(_ArticleRun):
    """Searches GOV.UK for each query (newest first, a few pages) and stores new results.

    GOV.UK is an official source: every event its pages state is stored as confirmed.
    """

    source = govuk.SOURCE

    options: GovukOptions

    def _run(self) -> None:
        for done, query in enumerate(self.options.queries, 1):
            self._query(query)
            self.progress("queries", done, len(self.options.queries))

    def _query(self, query: str) -> None:
        start = 0
        for _page in range(self.options.max_pages):
            url = govuk.search_url(
                self.options.search_url,
                query,
                start=start,
                count=self.options.count,
                organisations=self.options.organisations,
            )
            try:
                fetched = self._fetch(url, SEARCH, conditional=False, accept="application/json")
                page = govuk.parse_search(fetched.content, url)
            except FetchError as exc:
                self.summary.listings_failed += 1
                reason = exc.reason
                if exc.status == 422:
                    reason = (
                        f"GOV.UK search rejected the query {query!r} ({exc.reason}): an unknown"
                        " parameter or a bad value; check govuk.search_url and the queries"
                    )
                self._fail(url, reason)
                return
            except govuk.GovukError as exc:
                self.summary.listings_failed += 1
                self._fail(url, exc.reason)
                return
            self.summary.listings += 1
            for result in page.results:
                listed = Listed(
                    feed=f"govuk:{query}",
                    url=result.link,
                    title=result.title,
                    published=result.published,
                )
                self._item(listed, official=True)
            start = page.start + len(page.results)
            if not page.results or start >= page.total:
                return

    def _changed(self, article: Article, listed: Listed) -> bool:
        """GOV.UK lists a page with its last public update: a direction page updated to say
        the direction has closed is read again (ingest/decisions.py then sees the closure)."""
        return listed.published is not None and listed.published > _aware(article.fetched_at)

    def _read(self, listed: Listed) -> Page:
        api_url = govuk.content_api_url(listed.url)
        fetched = self._fetch(
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
        )

    def _store_error(self, listed: Listed, reason: str) -> None:
        if reason.startswith("body larger than"):
            reason = f"page larger than the {self.article_max_bytes}-byte cap ({reason})"
        super()._store_error(listed, reason)
