"""One run of the Ofsted source: listing -> provider pages -> publications -> reports -> judgements.

Each step has a named outcome and every item fails alone: a broken page or report is recorded
with its reason (on the publication row, the URL's source state and the run) and the run goes on.
Each report is stored in its own transaction, so a failure never leaves half-written rows.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session, select

from ingest import store
from ingest.extract.reports import ParsedReport, ReportError, parse_report
from ingest.http import Fetched, FetchError
from ingest.models import PARSED_KINDS, ItemStatus, Publication
from ingest.runs import ItemError, RunSummary, recorded_run
from ingest.signal_store import store_signal
from ingest.sources import ofsted
from ingest.sources.ofsted import LayoutChanged, ProviderLink

log = logging.getLogger(__name__)

LISTING = "ofsted:listing"
PROVIDER = "ofsted:provider"
PROVIDER_MORE = "ofsted:provider-page"  # second and later pages of a provider's publications
REPORT = "ofsted:report"


class Fetcher(Protocol):
    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched: ...


Progress = Callable[[str, int, int], None]


@dataclass
class OfstedRunSummary(RunSummary):
    listing_pages: int = 0
    providers: int = 0
    provider_pages: int = 0
    not_modified: int = 0
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
    only_urns: frozenset[str] | None = None  # --authority
    limit: int | None = None  # at most this many providers


class OfstedRun:
    """Runs the Ofsted source once against a database and a polite client."""

    def __init__(
        self,
        engine: Engine,
        client: Fetcher,
        options: OfstedOptions,
        progress: Progress | None = None,
    ) -> None:
        self.engine = engine
        self.client = client
        self.options = options
        self.progress = progress or (lambda _stage, _done, _total: None)
        self.summary = OfstedRunSummary()

    # -- the run -------------------------------------------------------------------------

    def __call__(self) -> OfstedRunSummary:
        with recorded_run(self.engine, ofsted.SOURCE, self.summary):
            providers = self._providers()
            self.summary.providers = len(providers)
            for done, provider in enumerate(providers, 1):
                self._provider(provider)
                self.progress("providers", done, len(providers))
            self._reports({p.urn for p in providers})
        return self.summary

    def _fail(self, url: str, reason: str) -> None:
        log.warning("ofsted: %s: %s", url, reason)
        self.summary.errors.append(ItemError(url, reason))

    # -- fetching with stored validators -------------------------------------------------

    def _fetch(self, url: str, source: str, *, conditional: bool = True) -> Fetched | None:
        """GET through the polite client, recording the URL's state; None when it failed."""
        with Session(self.engine) as session:
            state = store.get_state(session, url) if conditional else None
            try:
                fetched = self.client.get(
                    url,
                    etag=state.etag if state else None,
                    last_modified=state.last_modified if state else None,
                )
            except FetchError as exc:
                store.record_failure(
                    session, url=url, source=source, error=str(exc), status=exc.status
                )
                session.commit()
                self._fail(url, str(exc))
                return None
            store.record_success(
                session,
                url=url,
                source=source,
                status=fetched.status,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
            )
            session.commit()
        if fetched.not_modified:
            self.summary.not_modified += 1
        return fetched

    # -- listing -------------------------------------------------------------------------

    def _providers(self) -> list[ProviderLink]:
        """Every provider on the listing (following pagination), filtered and limited."""
        providers: dict[str, ProviderLink] = {}
        seen_pages: set[str] = set()
        url: str | None = ofsted.listing_page_url(self.options.search_url, 0)
        start = 0
        while url and url not in seen_pages and len(seen_pages) < self.options.max_listing_pages:
            seen_pages.add(url)
            fetched = self._fetch(url, LISTING)
            if fetched is None:
                break
            self.summary.listing_pages += 1
            if fetched.not_modified:
                page_providers = self._remembered_providers()
                next_url = None  # the remembered directory already covers every page
            else:
                try:
                    page = ofsted.parse_listing(fetched.text(), url)
                except LayoutChanged as exc:
                    self._fail(url, str(exc))
                    break
                page_providers, next_url = page.providers, page.next_url
                with Session(self.engine) as session:
                    store.upsert_providers(
                        session, ((p.urn, p.name, p.url) for p in page_providers)
                    )
                    session.commit()
                if next_url is None and page_providers:
                    start += len(page_providers)
                    next_url = ofsted.listing_page_url(self.options.search_url, start)
            new = [p for p in page_providers if p.urn not in providers]
            if not new:
                break
            providers.update((p.urn, p) for p in new)
            url = next_url
        selected = [
            p
            for p in providers.values()
            if self.options.only_urns is None or p.urn in self.options.only_urns
        ]
        return selected[: self.options.limit] if self.options.limit else selected

    def _remembered_providers(self) -> list[ProviderLink]:
        """The provider directory from earlier runs: the listing answered 'not modified'."""
        with Session(self.engine) as session:
            return [
                ProviderLink(urn=p.urn, name=p.name, url=p.url)
                for p in store.known_providers(session)
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
        url: str | None = provider.url
        pages = 0
        while url and pages < self.options.max_provider_pages:
            pages += 1
            fetched = self._fetch(url, PROVIDER if pages == 1 else PROVIDER_MORE)
            if fetched is None or fetched.not_modified:
                return
            self.summary.provider_pages += 1
            try:
                page = ofsted.parse_provider_page(fetched.text(), url)
            except LayoutChanged as exc:
                self._fail(url, str(exc))
                return
            self._store_publications(provider.urn, authority_id, page.publications)
            url = page.next_url

    def _store_publications(
        self, urn: str, authority_id: int | None, links: Iterable[ofsted.PublicationLink]
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
        fetched = self._fetch(url, REPORT, conditional=False)
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
            self._store_report(publication_id, parsed, digest)
        except Exception as exc:  # a storage failure of one report must not stop the run
            log.exception("ofsted: storing %s failed", url)
            reason = f"the report at {url} could not be stored: {exc}"
            self._record_parse_error(publication_id, url, reason, digest)
            return
        self.summary.inspections_parsed += 1

    def _store_report(self, publication_id: int, parsed: ParsedReport, digest: str) -> None:
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
            session.commit()

    def _record_parse_error(self, publication_id: int, url: str, reason: str, digest: str) -> None:
        self._fail(url, reason)
        with Session(self.engine) as session:
            store.mark_publication_failed(
                session, publication_id, fetch_failed=False, error=reason, content_hash=digest
            )
            session.commit()


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
