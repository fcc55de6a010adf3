"""Scheduler wiring: which source runs when, change detection after each Ofsted run, and the
digest job. (Issue 5 hardens this into the full daemon.)"""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlmodel import Session

from alerts.delivery import deliver
from alerts.digest import plan
from config.wiring import Service

log = logging.getLogger("cswatch.schedule")

OFSTED_INTERVAL_MINUTES = 60
DIGEST_INTERVAL_MINUTES = 5  # immediate digests within minutes; daily and weekly when due


def ofsted_job(service: Service) -> None:
    """One Ofsted run; a failure is logged and the scheduler keeps going."""
    try:
        with service.client() as client:
            summary = service.ofsted_run(client)()
    except Exception:
        log.exception("ofsted: run failed")
        return
    log.info("ofsted: run %s finished %s: %s", summary.run_id, summary.status, summary.counts())
    for error in summary.errors[:10]:
        log.warning("ofsted: %s: %s", error.url, error.reason)
    try:
        service.detect_changes()
    except Exception:
        log.exception("alerts: change detection failed")


def digest_job(service: Service) -> None:
    """Queue the digests that are due and send what is pending; failures are logged."""
    try:
        with Session(service.engine) as session:
            plan(session, service.renderer(), now=datetime.now(UTC))
        summary = deliver(service.engine, service.mail_backend(), service.delivery_options())
    except Exception:
        log.exception("alerts: digest run failed")
        return
    if summary.sent or summary.failed or summary.retrying:
        log.info(
            "alerts: %d sent, %d to retry, %d failed",
            summary.sent,
            summary.retrying,
            len(summary.failed),
        )


def run_daemon(service: Service) -> None:
    """Migrate, run every source now, then on its schedule until SIGINT or SIGTERM."""
    service.engine  # noqa: B018  (migrate and load the gazetteer before the first job)
    scheduler = BlockingScheduler(timezone="Europe/London")
    scheduler.add_job(
        ofsted_job,
        "interval",
        minutes=OFSTED_INTERVAL_MINUTES,
        jitter=60,
        args=[service],
        id="ofsted",
        next_run_time=datetime.now(UTC),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=600,
    )

    scheduler.add_job(
        digest_job,
        "interval",
        minutes=DIGEST_INTERVAL_MINUTES,
        args=[service],
        id="digests",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=600,
    )

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("received signal %d: stopping", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("cswatch running on %s; Ctrl-C to stop", service.settings.database_url)
    scheduler.start()
