"""The jobs the scheduler runs, each one a plain function of the Service.

A job runs under its source's lock, so a manual `cswatch fetch` and the daemon never run the same
source at once, and returns named counts. The daemon runs every job in a child process
(`cswatch job NAME`): a job past its timeout is killed without stalling the scheduler, and
whatever memory a job used goes back to the system when it ends.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from sqlmodel import Session

from alerts.changes import DetectResult, detect
from alerts.delivery import deliver
from alerts.digest import plan
from config.locks import Busy, make_lock, waiting_for
from config.settings import JobSchedule, Settings
from config.sources import SOURCES
from config.wiring import Service
from ingest.models import ReviewItem, ReviewState
from ingest.review import decide
from ingest.runs import RunSummary

log = logging.getLogger("cswatch.jobs")

RESULT_PREFIX = "CSWATCH-JOB-RESULT "


@dataclass
class JobResult:
    job: str
    status: str  # ok, partial, failed, busy, timeout, interrupted
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    duration_seconds: float = 0.0

    def to_line(self) -> str:
        return RESULT_PREFIX + json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_output(cls, job: str, output: str) -> JobResult | None:
        for line in reversed(output.splitlines()):
            if line.startswith(RESULT_PREFIX):
                return cls(**json.loads(line.removeprefix(RESULT_PREFIX)))
        return None


def _errors(summary: RunSummary) -> str | None:
    return "; ".join(e.reason for e in summary.errors[:5]) or None


def _ingest(service: Service, name: str) -> JobResult:
    """One source's run (built from the registry), then change detection and due digests."""
    entry = SOURCES[name]
    with service.client() as client:
        summary = entry.build(service, client, None)()
    result = JobResult(name, summary.status, summary.counts(), _errors(summary))
    if entry.after is not None and summary.status != "interrupted":
        result.counts.update(entry.after(service))
    if summary.status != "interrupted":
        result.counts.update(alerts_after_ingest(service))
    return result


ALERTS_LOCK_WAIT_SECONDS = 600.0


@contextmanager
def alerts_turn(service: Service, seconds: float = ALERTS_LOCK_WAIT_SECONDS) -> Iterator[None]:
    """One change detector or digest planner at a time across the deployment: two jobs that
    finish together (or a manual command) take turns instead of racing on the same rows.
    Busy if the turn cannot be had within `seconds`."""
    lock = make_lock(service.engine, service.settings.var_dir, "alerts")
    with waiting_for(lock, seconds=seconds, what="change detection and digests"):
        yield


def review_decision(
    service: Service,
    item_id: int,
    state: ReviewState,
    *,
    who: str,
    note: str | None = None,
    wait_seconds: float = ALERTS_LOCK_WAIT_SECONDS,
) -> tuple[ReviewItem, DetectResult]:
    """An operator's decision on a held event, recorded in one transaction with the changes
    it makes, in the alerts' turn: the status, board and API move with it, and the next digest
    planned (which takes the same turn) plans from the decided state. Detected once, so mailed
    once. ReviewError for a request that cannot be done, Busy when the turn cannot be had in
    `wait_seconds`; either way nothing is written."""
    with alerts_turn(service, wait_seconds):
        service.settle_facts()  # as before any detection: screen what the last runs brought
        with Session(service.engine) as session:
            item = decide(session, item_id, state, who=who, note=note)
            detected = detect(session)  # commits the decision together with its changes
            session.refresh(item)
            session.expunge(item)
    log.info("review: item %d %s by %s; %d new changes", item_id, state, who, len(detected.changes))
    return item, detected


def alerts_after_ingest(service: Service) -> dict[str, int]:
    """Changes detected, then immediate digests (and any due) planned and delivered."""
    with alerts_turn(service):
        detected = service.detect_changes()
    counts = digests(service)
    counts["changes"] = len(detected.changes)
    return counts


def digests(service: Service) -> dict[str, int]:
    """Queue every digest that is due (immediate, daily, weekly) and send what is pending.

    Safe to run as often as wanted: a digest is queued once per subscriber and slot, and only
    pending outbox rows are sent, so retries of failed sends happen here too.
    """
    with alerts_turn(service), Session(service.engine) as session:
        planned = plan(session, service.renderer(), now=datetime.now(UTC))
    summary = deliver(service.engine, service.mail_backend(), service.delivery_options())
    return {
        "digests_planned": sum(1 for p in planned if p.subject is not None),
        "digests_sent": summary.sent,
        "digests_retrying": summary.retrying,
        "digests_failed": len(summary.failed),
        "digests_overdue": summary.overdue,
        "digests_postponed": summary.postponed,
        "digests_taken_over": summary.taken_over,
        "digests_withdrawn": summary.withdrawn,  # held or dropped by an operator meanwhile
    }


def digests_job(service: Service) -> JobResult:
    counts = digests(service)
    status = "partial" if counts["digests_failed"] or counts["digests_retrying"] else "ok"
    return JobResult("digests", status, counts)


def _source_job(name: str) -> Callable[[Service], JobResult]:
    return lambda service: _ingest(service, name)


JOBS: dict[str, Callable[[Service], JobResult]] = {
    **{name: _source_job(name) for name in SOURCES},
    "digests": digests_job,
    "digest_daily": digests_job,
    "digest_weekly": digests_job,
}
"""Job name -> function. Sources and `digests` have a `[schedule.jobs.NAME]` entry; the daily
and weekly digest runs take their times from `[digests]` (one place for those times)."""

SOURCE_OF_JOB = {name: name for name in SOURCES}
"""Jobs that ingest a source, and the source name their Run rows carry (the registry's names)."""


def job_schedule(settings: Settings, name: str) -> JobSchedule:
    """When a job runs: from `[schedule.jobs]`, or for the daily and weekly digests from
    `[digests]` (cron lines in the digests' time zone)."""
    digests = settings.digests
    if name == "digest_daily":
        at = digests.daily_time
        return JobSchedule(cron=f"{at.minute} {at.hour} * * *", timeout_seconds=1800)
    if name == "digest_weekly":
        at, day = digests.weekly_time, digests.weekly_day[:3]
        return JobSchedule(cron=f"{at.minute} {at.hour} * * {day}", timeout_seconds=1800)
    return getattr(settings.schedule.jobs, name)


def job_timezone(settings: Settings, name: str) -> str:
    return settings.digests.timezone if name.startswith("digest_") else settings.schedule.timezone


def job_enabled(settings: Settings, name: str) -> bool:
    """On in its schedule, and its source's own section (if any) not switched off."""
    if name.startswith("digest_"):
        return settings.schedule.jobs.digests.enabled
    entry = SOURCES.get(name)
    return job_schedule(settings, name).enabled and (entry is None or entry.enabled(settings))


def enabled_sources(settings: Settings) -> list[str]:
    """The sources the daemon runs, which health and metrics watch."""
    return sorted({s for job, s in SOURCE_OF_JOB.items() if job_enabled(settings, job)})


@contextmanager
def source_lock(service: Service, name: str) -> Iterator[None]:
    """Hold the per-source lock, or raise Busy naming who holds it."""
    lock = make_lock(service.engine, service.settings.var_dir, f"source-{name}")
    if not lock.try_acquire():
        raise Busy(f"{name} is already running in {lock.describe_holder()}")
    try:
        yield
    finally:
        lock.release()


def run_job(service: Service, name: str) -> JobResult:
    """Run one job now under its lock; never raises for the job's own failures."""
    started = time.monotonic()
    try:
        with source_lock(service, name):
            result = JOBS[name](service)
    except Busy as exc:
        result = JobResult(name, "busy", error=str(exc))
    except KeyboardInterrupt:
        result = JobResult(name, "interrupted", error="stopped by a signal")
    except Exception as exc:
        log.exception("job %s failed", name)
        result = JobResult(name, "failed", error=f"{type(exc).__name__}: {exc}")
    result.duration_seconds = round(time.monotonic() - started, 3)
    return result


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_job_as_child(service: Service, name: str) -> int:
    """The child side of the daemon: run, print the result line, exit 0 unless it failed.

    SIGTERM becomes KeyboardInterrupt, so the item in flight rolls back its transaction and
    the run record is closed before the process ends.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    result = run_job(service, name)
    sys.stdout.write(result.to_line() + "\n")
    sys.stdout.flush()
    return 0 if result.status in {"ok", "partial", "busy"} else 1


def result_summary(result: JobResult) -> dict[str, Any]:
    return {"job": result.job, "status": result.status, **result.counts}
