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
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from config.locks import Busy, make_lock
from config.settings import Settings
from config.wiring import Service

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


def ofsted_job(service: Service) -> JobResult:
    with service.client() as client:
        summary = service.ofsted_run(client)()
    errors = "; ".join(e.reason for e in summary.errors[:5]) or None
    return JobResult("ofsted", summary.status, summary.counts(), errors)


def news_job(service: Service) -> JobResult:
    with service.client() as client:
        summary = service.news_run(client)()
    errors = "; ".join(e.reason for e in summary.errors[:5]) or None
    return JobResult("news", summary.status, summary.counts(), errors)


def govuk_job(service: Service) -> JobResult:
    with service.client() as client:
        summary = service.govuk_run(client)()
    errors = "; ".join(e.reason for e in summary.errors[:5]) or None
    return JobResult("govuk", summary.status, summary.counts(), errors)


JOBS: dict[str, Callable[[Service], JobResult]] = {
    "ofsted": ofsted_job,
    "news": news_job,
    "govuk": govuk_job,
}
"""Job name -> function; each name has a `[schedule.jobs.NAME]` entry in the settings."""

SOURCE_OF_JOB = {"ofsted": "ofsted", "news": "news", "govuk": "govuk"}
"""Jobs that ingest a source, and the source name their Run rows carry."""


def job_enabled(settings: Settings, name: str) -> bool:
    """On in `[schedule.jobs.NAME]`, and its source's own section (if any) not switched off."""
    source_section = getattr(settings, SOURCE_OF_JOB.get(name, name), None)
    return getattr(settings.schedule.jobs, name).enabled and bool(
        getattr(source_section, "enabled", True)
    )


def enabled_sources(settings: Settings) -> list[str]:
    """The sources the daemon runs, which health and metrics watch."""
    return sorted({s for job, s in SOURCE_OF_JOB.items() if job_enabled(settings, job)})


class source_lock:
    """Context manager: the per-source lock, or Busy naming who holds it."""

    def __init__(self, service: Service, name: str) -> None:
        self.lock = make_lock(service.engine, service.settings.var_dir, f"source-{name}")
        self.name = name

    def __enter__(self) -> None:
        if not self.lock.try_acquire():
            raise Busy(f"{self.name} is already running in {self.lock.describe_holder()}")

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


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
