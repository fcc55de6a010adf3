"""Builds the service's parts from settings: engine, gazetteer, polite client, source runs,
change detection after each run, and the digest renderer and mail backend.

The composition root: the only place that knows the settings and both the ingest and alerts
packages; everything it builds receives plain values. Ingest never calls alerts: after a run,
`Service.detect_changes` does.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from alerts.changes import DetectResult, detect
from alerts.delivery import Backend, DeliveryOptions, FileBackend, SmtpBackend, SmtpOptions
from alerts.digest import DigestOptions, Renderer
from config.arrangements import ARRANGEMENTS_CSV, load_arrangements
from config.database import make_engine, migrate, schema_lock
from config.settings import Settings
from ingest import store
from ingest.attachments import EditionHandler, StatisticsOptions, StatisticsRun
from ingest.decisions import DecisionRule, read_decisions
from ingest.delivery import ArrangementRow, sync_arrangements
from ingest.extract.events import EventExtractor, ProviderRegistry
from ingest.extract.statistics import parse_outcomes
from ingest.gazetteer import AmbiguousName, Gazetteer, UnknownName, load_authorities
from ingest.http import HttpPolicy, PoliteClient
from ingest.models import Authority
from ingest.news_pipeline import (
    FeedSpec,
    GovukOptions,
    GovukRun,
    ListingSpec,
    NewsOptions,
    NewsRun,
)
from ingest.pipeline import OfstedOptions, OfstedRun, Progress
from ingest.review import screen_events
from ingest.sources.ofsted_statistics import Edition
from ingest.statistics import reconcile, store_edition

AUTHORITIES_CSV = Path(__file__).with_name("authorities.csv")
PROVIDERS_CSV = Path(__file__).with_name("providers.csv")
GOVUK_DECISIONS_CSV = Path(__file__).with_name("govuk_decisions.csv")


def load_arrangement_rows(path: Path = ARRANGEMENTS_CSV) -> list[ArrangementRow]:
    """The reviewed delivery arrangements as database rows, read by config/arrangements.py
    under the research checker's rules: a file that breaks one raises ArrangementError naming
    the file, each bad line and its reason, before anything is stored."""
    return [
        ArrangementRow(**arrangement.cells())  # type: ignore[arg-type]  # checked: no None
        for arrangement in load_arrangements(path, AUTHORITIES_CSV)
    ]


def load_decision_rules(path: Path = GOVUK_DECISIONS_CSV) -> list[DecisionRule]:
    """The phrasings of GOV.UK decision pages (each checked against its own example)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rules = []
    for number, row in enumerate(rows, start=2):
        try:
            rules.append(
                DecisionRule.build(
                    row["where"], row["pattern"], row["action"], row["step"], row["example"]
                )
            )
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{path.name} line {number}: {exc}") from exc
    return rules


def seed_reference_data(engine: Engine, gazetteer: Gazetteer) -> int:
    """Make the database's authorities and delivery baseline match the reference files."""
    with Session(engine) as session:
        changed = store.sync_authorities(session, gazetteer.records)
        session.flush()
        changed += sync_arrangements(session, load_arrangement_rows())
        session.commit()
    return changed


log = logging.getLogger("cswatch")


def http_policy(settings: Settings, *, min_interval: float | None = None) -> HttpPolicy:
    http = settings.http
    return HttpPolicy(
        user_agent=http.user_agent_header,
        allowed_hosts=frozenset(http.allowed_hosts),
        min_interval_seconds=http.min_interval_seconds if min_interval is None else min_interval,
        connect_timeout_seconds=http.connect_timeout_seconds,
        read_timeout_seconds=http.read_timeout_seconds,
        request_deadline_seconds=http.request_deadline_seconds,
        max_retries=http.max_retries,
        backoff_seconds=http.backoff_seconds,
        max_retry_after_seconds=http.max_retry_after_seconds,
        max_body_bytes=http.max_body_bytes,
        respect_robots_txt=http.respect_robots_txt,
    )


@dataclass
class Service:
    """What every command needs: settings, a migrated database and the gazetteer in it."""

    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.database_url)
        with schema_lock(engine):  # replicas starting together take turns
            migrate(engine)
            changed = seed_reference_data(engine, self.gazetteer)
        if changed:
            log.info("reference data: %d rows added or updated", changed)
        return engine

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return Gazetteer(load_authorities(AUTHORITIES_CSV))

    def client(self) -> PoliteClient:
        return PoliteClient(http_policy(self.settings))

    def ofsted_run(
        self,
        client: PoliteClient,
        *,
        only_urns: frozenset[str] | None = None,
        limit: int | None = None,
        progress: Progress | None = None,
    ) -> OfstedRun:
        ofsted = self.settings.ofsted
        options = OfstedOptions(
            search_url=ofsted.search_url,
            max_listing_pages=ofsted.max_listing_pages,
            max_provider_pages=ofsted.max_provider_pages,
            retry_failed_after=timedelta(hours=ofsted.retry_failed_after_hours),
            forbidden_backoff=timedelta(hours=ofsted.forbidden_backoff_hours),
            only_urns=only_urns,
            limit=limit,
        )
        return OfstedRun(self.engine, client, options, progress)

    @cached_property
    def extractor(self) -> EventExtractor:
        """Relevance and events for news articles (ingest/extract/events/)."""
        return EventExtractor(self.gazetteer, ProviderRegistry.from_csv(PROVIDERS_CSV))

    def news_run(
        self,
        client: PoliteClient,
        *,
        progress: Progress | None = None,
        pages: tuple[str, ...] = (),
        feeds: bool = True,
    ) -> NewsRun:
        """The news run; `pages` adds article URLs to read, `feeds=False` reads only those."""
        news = self.settings.news
        options = NewsOptions(
            feeds=tuple(
                FeedSpec(f.name, f.url, f.official, f.titles_have_type, f.keep_summary)
                for f in news.feeds
            )
            if feeds
            else (),
            listings=tuple(
                ListingSpec(x.name, x.url, x.items, x.link, x.min_items, x.max_items, x.official)
                for x in news.listings
            )
            if feeds
            else (),
            pages=pages,
            max_items_per_feed=news.max_items_per_feed,
            article_max_bytes=news.article_max_bytes,
            retry_failed_after=timedelta(hours=news.retry_failed_after_hours),
        )
        return NewsRun(self.engine, client, options, extractor=self.extractor, progress=progress)

    def govuk_run(self, client: PoliteClient, *, progress: Progress | None = None) -> GovukRun:
        govuk = self.settings.govuk
        options = GovukOptions(
            search_url=govuk.search_url,
            queries=tuple(govuk.queries),
            document_types=tuple(govuk.document_types),
            organisations=tuple(govuk.filter_organisations),
            count=govuk.count,
            max_pages=govuk.max_pages,
            article_max_bytes=govuk.article_max_bytes,
            retry_failed_after=timedelta(hours=govuk.retry_failed_after_hours),
        )
        return GovukRun(self.engine, client, options, extractor=self.extractor, progress=progress)

    def statistics_run(
        self, client: PoliteClient, *, progress: Progress | None = None
    ) -> StatisticsRun:
        statistics = self.settings.statistics
        options = StatisticsOptions(
            content_api_url=statistics.content_api_url,
            oldest_year=statistics.oldest_year,
            max_file_bytes=statistics.max_file_bytes,
        )
        return StatisticsRun(self.engine, client, options, self.statistics_handler(), progress)

    def statistics_handler(self) -> EditionHandler:
        """Reads a downloaded statistics spreadsheet, stores it (one edition per call) and
        reconciles it with the reports already read, in the run's transaction."""
        gazetteer = self.gazetteer

        def handle(session: Session, data: bytes, edition: Edition) -> str:
            parsed = parse_outcomes(data, filename=edition.filename)
            now = datetime.now(UTC)
            stored = store_edition(
                session, parsed, url=edition.file_url, content=data, gazetteer=gazetteer, now=now
            )
            differences = reconcile(session, now=now)
            unresolved = (
                f", unmatched names: {', '.join(stored.unresolved)}" if stored.unresolved else ""
            )
            return (
                f"{parsed.title}: {stored.latest} councils, {stored.history} past inspections, "
                f"{len(differences)} open discrepancies{unresolved}"
            )

        return handle

    def reconcile_statistics(self) -> int:
        """Compare the newest official statistics with the reports read (after Ofsted runs)."""
        with Session(self.engine) as session:
            found = reconcile(session, now=datetime.now(UTC))
            session.commit()
        return len(found)

    # -- alerts ---------------------------------------------------------------------------

    @cached_property
    def decision_rules(self) -> list[DecisionRule]:
        return load_decision_rules()

    def settle_facts(self) -> None:
        """After an ingest, before anything reads the statuses for alerts: read GOV.UK
        decision pages into intervention steps, and hold doubtful news for review."""
        with Session(self.engine) as session:
            ids = {a.slug: a.id for a in session.exec(select(Authority))}

            def resolve(name: str, on: date | None) -> int | None:
                try:
                    return ids.get(self.gazetteer.resolve(name, on=on).slug)
                except (UnknownName, AmbiguousName):
                    return None

            added = read_decisions(session, self.decision_rules, resolve)
            held = screen_events(session, threshold=self.settings.review.confidence_threshold)
            session.commit()
        if added:
            log.info("govuk decisions: %d intervention steps added", added)
        if held:
            log.info("review: %d news events held for an operator", len(held))

    def detect_changes(self) -> DetectResult:
        """Compare statuses with what was last recorded (after every ingest run)."""
        self.settle_facts()
        with Session(self.engine) as session:
            result = detect(session)
        if result.changes:
            log.info("alerts: %d new changes", len(result.changes))
        elif result.baselined:
            log.info("alerts: baseline recorded for %d items (quiet start)", len(result.baselined))
        return result

    def digest_options(self) -> DigestOptions:
        mail, digests = self.settings.mail, self.settings.digests
        return DigestOptions(
            from_address=mail.from_address,
            list_id=mail.list_id,
            unsubscribe_mailto=mail.unsubscribe_mailto,
            public_base_url=mail.public_base_url,
            max_changes=mail.max_changes_per_digest,
            timezone=digests.timezone,
            daily_time=digests.daily_time,
            weekly_day=digests.weekly_weekday,
            weekly_time=digests.weekly_time,
        )

    def renderer(self) -> Renderer:
        return Renderer(self.digest_options())

    def delivery_options(self) -> DeliveryOptions:
        mail = self.settings.mail
        return DeliveryOptions(
            sender=mail.from_address,
            backoff_seconds=mail.retry_backoff_seconds,
            max_backoff_seconds=mail.max_retry_backoff_seconds,
            retry_window_seconds=mail.retry_window_hours * 3600,
            breaker_failures=mail.breaker_failures,
            lease_seconds=mail.sending_lease_seconds,
        )

    @property
    def outbox_dir(self) -> Path:
        return Path(self.settings.var_dir) / self.settings.mail.outbox_dir

    def mail_backend(self) -> Backend:
        mail = self.settings.mail
        if mail.effective_backend == "file":
            return FileBackend(self.outbox_dir)
        assert mail.host is not None
        return SmtpBackend(
            SmtpOptions(
                host=mail.host,
                port=mail.port,
                security=mail.security,
                username=mail.username,
                password=mail.password.get_secret_value() if mail.password else None,
                timeout=mail.timeout_seconds,
                ca_file=mail.ca_file,
            )
        )
