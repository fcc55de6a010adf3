"""Is the service healthy, and why not: for `cswatch health`, /healthz and /metrics.

Everything is read from the database, so any replica (or a one-shot `cswatch health` in the
container) gives the same answer about the whole deployment.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, Counter, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlmodel import Session, col, select

from alerts.delivery import outbox_counts, overdue_digests
from alerts.outbox import held_count
from config.database import schema_is_current
from config.errors import explain
from config.locks import LEADER, lock_is_held, process_is_alive
from config.ops import DaemonInstance
from config.wiring import Service
from ingest.models import Run
from ingest.statistics import open_discrepancies

SUCCESS = ("ok", "partial")


def aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class SourceHealth:
    source: str
    last_success: datetime | None
    last_status: str | None
    consecutive_failures: int
    last_error: str | None
    healthy: bool
    reason: str | None


@dataclass
class HealthReport:
    healthy: bool
    reasons: list[str] = field(default_factory=list)
    sources: list[SourceHealth] = field(default_factory=list)
    leader: str | None = None
    undelivered_digests: int = 0  # failing for longer than mail.retry_window_hours
    held_digests: int = 0  # held by an operator (`cswatch outbox`): reported, not a fault
    # Councils whose grade we hold differently from Ofsted's official statistics: for review,
    # not a fault of the service (it stays healthy), and never settled silently.
    discrepancies: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "reasons": self.reasons,
            "leader": self.leader,
            "undelivered_digests": self.undelivered_digests,
            "held_digests": self.held_digests,
            "official_discrepancies": self.discrepancies,
            "sources": [
                {
                    "source": s.source,
                    "healthy": s.healthy,
                    "last_success": s.last_success.isoformat() if s.last_success else None,
                    "last_status": s.last_status,
                    "consecutive_failures": s.consecutive_failures,
                    "last_error": s.last_error,
                }
                for s in self.sources
            ],
        }


def source_health(
    session: Session, source: str, *, unhealthy_after: timedelta, now: datetime, since: datetime
) -> SourceHealth:
    """A source is unhealthy when it has not succeeded for `unhealthy_after`.

    `since` is when monitoring began (the daemon's start): a source that has never run is not
    blamed before it had the chance.
    """
    runs = session.exec(
        select(Run)
        .where(Run.source == source, col(Run.finished_at).is_not(None))
        .order_by(col(Run.started_at).desc())
        .limit(200)
    ).all()
    failures = 0
    last_success = None
    for run in runs:
        if run.status in SUCCESS:
            last_success = aware(run.finished_at)
            break
        failures += 1
    last = runs[0] if runs else None
    reference = last_success or since
    healthy = now - reference <= unhealthy_after
    reason = None
    if not healthy:
        what = (
            f"no successful run since {last_success:%Y-%m-%d %H:%M} UTC"
            if last_success
            else "no successful run yet"
        )
        last_error = last.errors if last else "none"
        reason = f"{source}: {what} ({failures} failed in a row; last error: {last_error})"
    return SourceHealth(
        source=source,
        last_success=last_success,
        last_status=last.status if last else None,
        consecutive_failures=failures,
        last_error=(last.errors if last and last.status not in SUCCESS else None),
        healthy=healthy,
        reason=reason,
    )


def _gone(engine: Any, instances: list[DaemonInstance]) -> dict[str, str]:
    """Instances whose heartbeat is still fresh but which are dead, and how we know: their
    process no longer exists (same machine), or, on PostgreSQL, nobody holds the leader lock
    (the server frees it the moment the leader's connection ends). Noticed at once, not after
    the heartbeat goes stale."""
    gone = {}
    leader_lock = None
    for instance in instances:
        if process_is_alive(instance.host, instance.pid) is False:
            gone[instance.instance] = "its process has ended"
        elif instance.role == "leader":
            if leader_lock is None:
                leader_lock = lock_is_held(engine, LEADER)
            if leader_lock is False:
                gone[instance.instance] = "the leader lock is free"
    return gone


def check_health(
    service: Service, sources: Iterable[str], *, require_daemon: bool = True
) -> HealthReport:
    settings = service.settings.daemon
    now = datetime.now(UTC)
    report = HealthReport(healthy=True)
    try:
        engine = service.engine
        if not schema_is_current(engine):
            report.reasons.append("database schema is not at the newest migration")
    except Exception as exc:
        problem = explain(exc, service.settings.database_url)  # one line, password hidden
        return HealthReport(
            healthy=False, reasons=[problem.what if problem else f"database unreachable: {exc}"]
        )
    with Session(engine) as session:
        stale = now - timedelta(seconds=settings.leader_stale_after_seconds)
        instances = session.exec(
            select(DaemonInstance).where(col(DaemonInstance.stopped_at).is_(None))
        ).all()
        beating = [i for i in instances if (aware(i.beat_at) or now) >= stale]
        gone = _gone(engine, beating)
        alive = [i for i in beating if i.instance not in gone]
        leaders = sorted(
            (i for i in alive if i.role == "leader"),
            key=lambda i: aware(i.beat_at) or now,
            reverse=True,  # after a takeover, the dead leader's last beat is the older one
        )
        if leaders:
            report.leader = f"{leaders[0].host} pid {leaders[0].pid}"
        elif require_daemon:
            dead = [i for i in beating if i.role == "leader" and i.instance in gone]
            if dead:
                ago = (now - (aware(dead[0].beat_at) or now)).total_seconds()
                report.reasons.append(
                    f"no daemon is leading: the leader ({dead[0].host} pid {dead[0].pid}) is "
                    f"gone: {gone[dead[0].instance]} (its last heartbeat was {ago:.0f} s ago)"
                )
            else:
                report.reasons.append(
                    f"no daemon is leading: no leader heartbeat in the last "
                    f"{settings.leader_stale_after_seconds:.0f} s"
                )
        since = min((aware(i.started_at) or now for i in alive), default=now)
        for source in sources:
            health = source_health(
                session,
                source,
                unhealthy_after=timedelta(minutes=settings.source_unhealthy_after_minutes),
                now=now,
                since=since,
            )
            report.sources.append(health)
            if health.reason:
                report.reasons.append(health.reason)
        window = service.settings.mail.retry_window_hours * 3600
        overdue = overdue_digests(session, now=now, window_seconds=window)
        report.undelivered_digests = overdue.count
        if overdue.count:
            report.reasons.append(f"mail: {overdue.describe(window)}")
        report.held_digests = held_count(session)
        report.discrepancies = [
            f"{name}: official statistics say {row.official}; we hold {row.ours}"
            for name, row in open_discrepancies(session)
        ]
    report.healthy = not report.reasons
    return report


class SourceCollector(Collector):
    """Per-source gauges read from the database at scrape time (right across replicas)."""

    def __init__(self, service: Service, sources: Iterable[str]) -> None:
        self.service = service
        self.sources = list(sources)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        last = GaugeMetricFamily(
            "cswatch_source_last_success_timestamp_seconds",
            "When the source last ran successfully (Unix time).",
            labels=["source"],
        )
        failures = GaugeMetricFamily(
            "cswatch_source_consecutive_failures",
            "Failed runs of the source since its last success.",
            labels=["source"],
        )
        now = datetime.now(UTC)
        with Session(self.service.engine) as session:
            for source in self.sources:
                health = source_health(
                    session, source, unhealthy_after=timedelta.max, now=now, since=now
                )
                last.add_metric(
                    [source], health.last_success.timestamp() if health.last_success else 0.0
                )
                failures.add_metric([source], health.consecutive_failures)
        yield last
        yield failures


class OutboxCollector(Collector):
    """The outbox by state, and the digests failing for longer than the retry window, read
    from the database at scrape time (the same figures on every replica)."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def collect(self) -> Iterator[GaugeMetricFamily]:
        states = GaugeMetricFamily(
            "cswatch_outbox_digests", "Digests in the outbox, by state.", labels=["state"]
        )
        overdue = GaugeMetricFamily(
            "cswatch_digests_overdue",
            "Digests still undelivered after failing for longer than mail.retry_window_hours.",
        )
        window = self.service.settings.mail.retry_window_hours * 3600
        with Session(self.service.engine) as session:
            for state, count in outbox_counts(session).items():
                states.add_metric([state], count)
            report = overdue_digests(session, now=datetime.now(UTC), window_seconds=window)
        overdue.add_metric([], report.count)
        yield states
        yield overdue


@dataclass
class Metrics:
    """The daemon's own counters, on a registry of their own."""

    registry: CollectorRegistry
    job_runs: Counter
    job_duration: Histogram
    changes: Counter
    digests_sent: Counter
    digests_failed: Counter

    @classmethod
    def create(cls, service: Service, sources: Iterable[str]) -> Metrics:
        registry = CollectorRegistry()
        registry.register(SourceCollector(service, sources))
        registry.register(OutboxCollector(service))
        return cls(
            registry=registry,
            job_runs=Counter(
                "cswatch_job_runs", "Job runs by outcome.", ["job", "status"], registry=registry
            ),
            job_duration=Histogram(
                "cswatch_job_duration_seconds",
                "How long each job took.",
                ["job"],
                buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800),
                registry=registry,
            ),
            changes=Counter("cswatch_changes_detected", "Changes recorded.", registry=registry),
            digests_sent=Counter("cswatch_digests_sent", "Digests delivered.", registry=registry),
            digests_failed=Counter(
                "cswatch_digests_failed", "Digests that failed for good.", registry=registry
            ),
        )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_health(
    service: Service, metrics: Metrics, sources: list[str], host: str, port: int
) -> WSGIServer:
    """/healthz (200 or 503 with the reasons as JSON) and /metrics, on a daemon thread."""
    metrics_app = make_wsgi_app(metrics.registry)

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return metrics_app(environ, start_response)
        if path == "/healthz":
            report = check_health(service, sources)
            body = json.dumps(report.to_json()).encode()
            status = "200 OK" if report.healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found: try /healthz or /metrics\n"]

    server = make_server(host, port, app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True, name="health").start()
    return server
