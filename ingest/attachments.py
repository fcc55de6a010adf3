"""The 'GOV.UK content item -> attachment file, downloaded once' format base.

For publications whose file URL cannot be predicted (Ofsted's yearly statistics): read the
newest statistics page that exists through the content API, take its spreadsheet attachments,
and download each file once, ever. What a file says is handed to an `EditionHandler`, which
writes its rows in the same transaction that marks the file's URL read: a crash or a parse
error leaves the file to be fetched again, a success never fetches it again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from ingest import store
from ingest.http import FetchError
from ingest.runs import Fetcher, HostBlocked, Progress, RunSummary, SourceRun
from ingest.sources import govuk, ofsted_statistics
from ingest.sources.ofsted_statistics import Edition

log = logging.getLogger(__name__)

PAGE = "statistics:page"
FILE = "statistics:file"

EditionHandler = Callable[[Session, bytes, Edition], str]
"""Reads one downloaded file and stores what it says in the given session (never commits);
returns a short outcome for the run's record. Raise ValueError with a clear reason for a file
it cannot read: the file is then recorded as failed and tried again on a later run."""


@dataclass(frozen=True)
class StatisticsOptions:
    content_api_url: str  # https://www.gov.uk/api/content
    oldest_year: int = 2024
    newest_year: int | None = None  # None: this calendar year
    max_file_bytes: int = 20 * 2**20


@dataclass
class StatisticsRunSummary(RunSummary):
    pages_tried: int = 0
    pages_found: int = 0
    files_seen: int = 0
    files_already_stored: int = 0
    files_downloaded: int = 0
    files_stored: int = 0

    def reached_source(self) -> bool:
        return self.pages_found > 0


class StatisticsRun(SourceRun[StatisticsRunSummary]):
    """Finds the newest edition's spreadsheet and stores it once, through the handler."""

    source = ofsted_statistics.SOURCE

    def __init__(
        self,
        engine: Engine,
        client: Fetcher,
        options: StatisticsOptions,
        handler: EditionHandler,
        progress: Progress | None = None,
    ) -> None:
        super().__init__(engine, client, StatisticsRunSummary(), progress)
        self.options = options
        self.handler = handler

    def _run(self) -> None:
        newest = self.options.newest_year or datetime.now(UTC).year
        for year, path in ofsted_statistics.page_paths(newest, self.options.oldest_year):
            found = self._edition_page(year, self.options.content_api_url.rstrip("/") + path)
            if found is not None:
                for edition in found:
                    self._file(edition)
                return
        self._fail(
            self.options.content_api_url,
            f"no statistics page found for {newest} back to {self.options.oldest_year}",
        )

    def _edition_page(self, year: int, api_url: str) -> list[Edition] | None:
        """The page's editions, or None when the page does not exist (yet)."""
        self.summary.pages_tried += 1
        try:
            fetched = self.fetch(api_url, PAGE, conditional=False, accept="application/json")
        except HostBlocked:
            raise
        except FetchError as exc:
            if exc.status in {404, 410}:
                return None  # not published yet: the year before is the newest
            self._fail(api_url, exc.reason)
            return []
        try:
            page = govuk.parse_content(fetched.content, api_url)
        except govuk.GovukError as exc:
            self.mark_unreadable(api_url, PAGE, exc.reason)
            return []
        self.summary.pages_found += 1
        page_url = api_url.replace("/api/content", "", 1)
        found = ofsted_statistics.editions(year, page_url, page)
        if not found:
            self.mark_unreadable(api_url, PAGE, f"the {year} statistics page has no .ods file")
        return found

    def _file(self, edition: Edition) -> None:
        self.summary.files_seen += 1
        with Session(self.engine) as session:
            state = store.get_state(session, edition.file_url)
            if state is not None and state.last_success_at is not None and state.content_hash:
                self.summary.files_already_stored += 1
                return
        try:
            fetched = self.fetch(
                edition.file_url, FILE, conditional=False, max_bytes=self.options.max_file_bytes
            )
        except HostBlocked:
            raise
        except FetchError as exc:
            self._fail(edition.file_url, exc.reason)
            return
        self.summary.files_downloaded += 1
        digest = hashlib.sha256(fetched.content).hexdigest()
        try:
            with Session(self.engine) as session:
                outcome = self.handler(session, fetched.content, edition)
                store.record_success(
                    session,
                    url=edition.file_url,
                    source=FILE,
                    status=fetched.status,
                    etag=None,
                    last_modified=None,
                    content_hash=digest,
                )
                session.commit()
        except Exception as exc:  # the file fails alone and is fetched again next run
            log.exception("statistics: %s could not be stored", edition.file_url)
            self.mark_unreadable(
                edition.file_url, FILE, f"{edition.filename} could not be read or stored: {exc}"
            )
            return
        self.summary.files_stored += 1
        log.info("statistics: %s stored (%s)", edition.filename, outcome)
