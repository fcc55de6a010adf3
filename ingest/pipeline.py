"""One run of the Ofsted source: listing -> provider pages -> publications -> reports -> judgements.

Each step has a named outcome and every item fails alone: a broken page or report is recorded
with its reason (on the publication row, the URL's source state and the run) and the run goes on.
Each page and report is stored in one transaction with the URL state that marks it read, so a
failure or a kill never leaves half-written rows or a 304 for a page that was never stored.

The listing is a chain of pages: a pass that missed one (a 503 on page two) is recorded as
incomplete, and the next run re-reads the whole chain without conditional requests until one
pass reads every page; otherwise a 304 on page one would hide page two for good.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from sqlalchemy import Engine
from sqlmodel import Session, select

from ingest import store
from ingest.extract.reports import ParsedReport, ReportError, parse_report
from ingest.http import Fetched, FetchError
from ingest.models import PARSED_KINDS, ItemStatus, Publication
from ingest.runs import Fetcher, HostBlocked, Progress, RunSummary, SourceRun
from ingest.signal_store import store_signal
from ingest.sources import ofsted
from ingest.sources.ofsted import LayoutChanged, ProviderLink

log = logging.getLogger(__name__)

LISTING = "ofsted:listing"
PROVIDER = "ofsted:provider"
PROVIDER_MORE = "ofsted:provider-page"  # second and later pages of a provider's publications
REPORT = "ofsted:report"


__all__ = ["OfstedOptions", "OfstedRun", "OfstedRunSummary", "Progress"]


@dataclass
class OfstedRunSummary(RunSummary):
    listing_pages: int = 0
    providers: int = 0
    provider_pages: int = 0
    publications_seen: int = 0
    publications_new: int = 0
    reports_downloaded: int = 0
    inspections_parsed: int = 0

    def reached_source(self) -> bool:
        return self.listing_pages > 0


@dataclass(frozen=True)
class OfstedOptions:
    search_url: str
    max_listing_pages: int = 10
    max_provider_pages: int = 20
    retry_failed_after: timedelta = timedelta(hours=24)
    forbidden_backoff: timedelta = timedelta(hours=12)  # after a 403 from an Ofsted host
    only_urns: frozenset[str] | None = None  # --authority
    limit: int | None = None  # at most this many providers


class OfstedRun(SourceRun[OfstedRunSummary]):
    """Runs the Ofsted source once against a database and a polite client."""

    source = ofsted.SOURCE

    def __init__(
        self,
        engine: Engine,
        client: Fetcher,
        options: OfstedOptions,
        progress: Progress | None = None,
    ) -> None:
        super().__init__(engine, client, OfstedRunSummary(), progress)  # type: ignore[arg-type]
        self.options = options
        self.forbidden_backoff = options.forbidden_backoff

    # -- the run -------------------------------------------------------------------------

    def _run(self) -> None:
        providers = self._providers()
        self.summary.providers = len(providers)
        for done, provider in enumerate(providers, 1):
            self._provider(provider)
            self.progress("providers", done, len(providers))
        self._reports({p.urn for p in providers})

    def _get(self, url: str, kind: str, *, conditional: bool = True) -> Fetched | None:
        """`fetch`, with a failure reported and turned into None (a blocked host stops the run)."""
        try:
            return self.fetch(url, kind, conditional=conditional)
        except HostBlocked:
            raise
        except FetchError as exc:
            self._fail(url, str(exc))
            return None

    # -- listing -------------------------------------------------------------------------

    def _providers(self) -> list[ProviderLink]:
        """Every provider on the listing (following pagination), filtered and limited."""
        search_url = self.options.search_url
        rows = ofsted.listing_rows(search_url)
        # After an incomplete pass, read every page afresh: a 304 must not stand for a chain
        # whose later pages were never read.
        conditional = self.chain_complete(LISTING)
        providers: dict[str, ProviderLink] = {}
        seen_pages: set[str] = set()
        url: str | None = ofsted.listing_page_url(search_url, 0)
        complete = False
        while url and url not in seen_pages and len(seen_pages) < self.options.max_listing_pages:
            seen_pages.add(url)
            page = self._listing_page(url, conditional=conditional)
            if page is None:
                break
            self.summary.listing_pages += 1
            page_providers, full = page
            providers.update((p.urn, p) for p in page_providers if p.urn not in providers)
            if not full:
                complete = True  # a short page (or one without a next link) is the last
                break
            url = ofsted.listing_page_url(search_url, ofsted.listing_start(url) + rows)
        detail = None if complete else f"the listing pass stopped at {url}"
        self.record_chain(LISTING, complete=complete, detail=detail)
        selected = [
            p
            for p in providers.values()
            if self.options.only_urns is None or p.urn in self.options.only_urns
        ]
        return selected[: self.options.limit] if self.options.limit else selected

    def _listing_page(
        self, url: str, *, conditional: bool
    ) -> tuple[list[ProviderLink], bool] | None:
        """One listing page's providers and whether a further page follows; None if it failed."""
        rows = ofsted.listing_rows(self.options.search_url)
        fetched = self._get(url, LISTING, conditional=conditional)
        if fetched is None:
            return None
        if fetched.not_modified:
            remembered = self._remembered_providers(url)
            if remembered:
                with Session(self.engine) as session:
                    self.mark_read(session, url, LISTING, fetched)
                    session.commit()
                return remembered, len(remembered) >= rows
            # Nothing remembered for this page (an older database): read it afresh.
            fetched = self._get(url, LISTING, conditional=False)
            if fetched is None:
                return None
        try:
            page = ofsted.parse_listing(fetched.text(), url)
        except LayoutChanged as exc:
            self.mark_unreadable(url, LISTING, str(exc))
            return None
        with Session(self.engine) as session:
            store.upsert_providers(
                session, ((p.urn, p.name, p.url) for p in page.providers), listing_url=url
            )
            self.mark_read(session, url, LISTING, fetched)
            session.commit()
        return page.providers, page.items >= rows and page.next_url is not None

    def _remembered_providers(self, listing_url: str) -> list[ProviderLink]:
        """The providers an earlier run read on this listing page (it answered 'not modified')."""
        with Session(self.engine) as session:
            return [
                ProviderLink(urn=p.urn, name=p.name, url=p.url)
                for p in store.known_providers(session, listing_url=listing_url)
            ]

    # -- provider pages ------------------------------------------------------------------

    @cached_property
    def _authority_ids(self) -> dict[str, int]:
        with Session(self.engine) as session:
            return store.authority_ids_by_urn(session)

    def _provider(self, provider: ProviderLink) -> None:
        authority_id = self._authority_ids.get(provider.urn)
        if authority_id is None:
            self._fail(
                provider.url,
                f"{provider.url}: provider URN {provider.urn} ({provider.name}) is not in the "
                "gazetteer; its publications are stored without an authority",
            )
        chain = f"{PROVIDER}:{provider.urn}"
        conditional = self.chain_complete(chain)
        url: str | None = provider.url
        pages = 0
        complete = False
        while url and pages < self.options.max_provider_pages:
            pages += 1
            kind = PROVIDER if pages == 1 else PROVIDER_MORE
            fetched = self._get(url, kind, conditional=conditional)
            if fetched is None:
                break
            if fetched.not_modified:
                with Session(self.engine) as session:
                    self.mark_read(session, url, kind, fetched)
                    session.commit()
                complete = pages == 1  # the live site has one page per provider
                break
            self.summary.provider_pages += 1
            try:
                page = ofsted.parse_provider_page(fetched.text(), url)
            except LayoutChanged as exc:
                self.mark_unreadable(url, kind, str(exc))
                break
            self._store_publications(
                provider.urn, authority_id, page.publications, url, kind, fetched
            )
            url = page.next_url
            complete = url is None
        self.record_chain(chain, complete=complete)

    def _store_publications(
        self,
        urn: str,
        authority_id: int | None,
        links: Iterable[ofsted.PublicationLink],
        url: str,
        kind: str,
        fetched: Fetched,
    ) -> None:
        with Session(self.engine) as session:
            for link in links:
                _row, new = store.upsert_publication(
                    session,
                    url=link.url,
                    provider_urn=urn,
                    authority_id=authority_id,
                    title=link.title,
                    kind=link.kind,
                    published=link.published,
                )
                self.summary.publications_seen += 1
                self.summary.publications_new += int(new)
            self.mark_read(session, url, kind, fetched)
            session.commit()

    # -- report files --------------------------------------------------------------------

    def _due_reports(self, urns: set[str]) -> list[tuple[int, str]]:
        """Reports (PARSED_KINDS) not yet parsed, and failed ones whose retry time has come."""
        retry_before = store.utcnow() - self.options.retry_failed_after
        query = select(Publication).where(
            Publication.kind.in_(PARSED_KINDS),  # type: ignore[attr-defined]
            Publication.parse_status != ItemStatus.OK,
            Publication.provider_urn.in_(urns),  # type: ignore[attr-defined]
        )
        with Session(self.engine) as session:
            rows = session.exec(query.order_by(Publication.id)).all()
        return [
            (row.id, row.url)
            for row in rows
            if row.id is not None
            and (
                row.error is None
                or row.fetched_at is None
                or _aware(row.fetched_at) <= retry_before
            )
        ]

    def _reports(self, urns: set[str]) -> None:
        due = self._due_reports(urns)
        for done, (publication_id, url) in enumerate(due, 1):
            self._report(publication_id, url)
            self.progress("reports", done, len(due))

    def _report(self, publication_id: int, url: str) -> None:
        fetched = self._get(url, REPORT, conditional=False)
        if fetched is None:
            with Session(self.engine) as session:
                reason = self.summary.errors[-1].reason
                store.mark_publication_failed(
                    session, publication_id, fetch_failed=True, error=reason, content_hash=None
                )
                session.commit()
            return
        self.summary.reports_downloaded += 1
        digest = hashlib.sha256(fetched.content).hexdigest()
        try:
            parsed = parse_report(fetched.content, name=f"the report at {url}")
        except ReportError as exc:
            self._record_parse_error(publication_id, url, str(exc), digest)
            return
        try:
            self._store_report(publication_id, parsed, digest, url, fetched)
        except Exception as exc:  # a storage failure of one report must not stop the run
            log.exception("ofsted: storing %s failed", url)
            reason = f"the report at {url} could not be stored: {exc}"
            self._record_parse_error(publication_id, url, reason, digest)
            return
        self.summary.inspections_parsed += 1

    def _store_report(
        self, publication_id: int, parsed: ParsedReport, digest: str, url: str, fetched: Fetched
    ) -> None:
        with Session(self.engine) as session:
            publication = session.get(Publication, publication_id)
            assert publication is not None
            inspection = store.store_inspection(
                session,
                publication=publication,
                content_hash=digest,
                framework=parsed.framework,
                authority_name_in_report=parsed.authority,
                inspection_start=parsed.inspection_start,
                inspection_end=parsed.inspection_end,
                published=parsed.published or publication.published,
                lead_inspector=parsed.lead_inspector,
                overall=parsed.overall,
                judgements=dict(parsed.judgements),
            )
            store_signal(session, inspection, parsed.signal)
            self.mark_read(session, url, REPORT, fetched, keep_validators=False)
            session.commit()

    def _record_parse_error(self, publication_id: int, url: str, reason: str, digest: str) -> None:
        self._fail(url, reason)
        with Session(self.engine) as session:
            store.record_failure(session, url=url, source=REPORT, error=reason, status=None)
            store.mark_publication_failed(
                session, publication_id, fetch_failed=False, error=reason, content_hash=digest
            )
            session.commit()


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
