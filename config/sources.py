"""The registry of sources: the one place a source is named.

Each entry gives the source's name (its job, its `cswatch fetch NAME` command, its
`[schedule.jobs.NAME]` table and the `source` of its Run rows), the format base that reads it,
whether settings switch it on, and how to build one run. Settings (the job table), the daemon's
jobs and the CLI are all made from this list, so adding a source is one entry here plus its
settings; a plain feed or an HTML listing is only a settings entry under `[news]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.settings import Settings
    from config.wiring import Service
    from ingest.http import PoliteClient
    from ingest.runs import Progress, RunSummary


@dataclass(frozen=True)
class SourceEntry:
    name: str
    title: str  # how the CLI heads its summary
    help: str  # `cswatch fetch NAME --help`
    format: str  # the format base that reads it (README 'Sources')
    section: str  # the settings section holding its options (its `enabled`, if any)
    build: Callable[[Service, PoliteClient, Progress | None], Callable[[], RunSummary]]
    # What to do after each run, with named counts (the Ofsted crawl reconciles the official
    # statistics with the reports it read).
    after: Callable[[Service], dict[str, int]] | None = None

    def enabled(self, settings: Settings) -> bool:
        return bool(getattr(getattr(settings, self.section, None), "enabled", True))


def _ofsted(service: Service, client: PoliteClient, progress: Progress | None) -> Any:
    return service.ofsted_run(client, progress=progress)


def _reconcile(service: Service) -> dict[str, int]:
    return {"official_discrepancies": service.reconcile_statistics()}


def _news(service: Service, client: PoliteClient, progress: Progress | None) -> Any:
    return service.news_run(client, progress=progress)


def _govuk(service: Service, client: PoliteClient, progress: Progress | None) -> Any:
    return service.govuk_run(client, progress=progress)


def _statistics(service: Service, client: PoliteClient, progress: Progress | None) -> Any:
    return service.statistics_run(client, progress=progress)


SOURCES: dict[str, SourceEntry] = {
    entry.name: entry
    for entry in (
        SourceEntry(
            name="statistics",
            title="Ofsted statistics fetch",
            help="Find the newest 'inspection outcomes as at 31 March' spreadsheet; store it once.",
            format="GOV.UK content item -> attachment file, downloaded once",
            section="statistics",
            build=_statistics,
        ),
        SourceEntry(
            name="ofsted",
            title="Ofsted fetch",
            help="Fetch the Ofsted listing, provider pages and new reports once.",
            format="Ofsted listing and provider pages (HTML listing) -> report PDFs",
            section="ofsted",
            build=_ofsted,
            after=_reconcile,
        ),
        SourceEntry(
            name="news",
            title="News fetch",
            help="Fetch the configured news feeds once, and every new article in them.",
            format="RSS/Atom feeds -> article pages",
            section="news",
            build=_news,
        ),
        SourceEntry(
            name="govuk",
            title="GOV.UK fetch",
            help="Search GOV.UK once (queries, document types); fetch new or edited results.",
            format="GOV.UK search -> GOV.UK content items",
            section="govuk",
            build=_govuk,
        ),
    )
}
"""Every source, in the order `cswatch fetch all` runs them: the official statistics first, so
a fresh install has every council's grade after one download, before the report crawl."""
