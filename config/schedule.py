"""`cswatch run`: the daemon. Elects one leader, schedules the jobs, keeps itself observable.

- One leader per database (config/locks.py): a second daemon on a SQLite file refuses to start;
  PostgreSQL replicas wait and take over within `leader_retry_seconds` when the leader dies.
- APScheduler 3 with its job store in our database: a restart keeps each job's next run time,
  so it neither repeats nor skips a run; missed runs are coalesced within the grace time.
- Each job runs as a child process with a timeout (config/jobs.py), so a hung request cannot
  stall the scheduler and memory does not creep.
- SIGTERM/SIGINT: no new work, the running job gets `shutdown_grace_seconds` to finish, then is
  stopped (its item in flight rolls back); the daemon exits 0 within 10 s.
- One JSON log line per job on stdout; a source failing for longer than allowed is logged loudly
  once, and its recovery once.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from config.errors import listening
from config.health import Metrics, aware, check_health, serve_health, source_health
from config.jobs import (
    JOBS,
    SOURCE_OF_JOB,
    JobResult,
    enabled_sources,
    job_enabled,
    job_schedule,
    job_timezone,
)
from config.locks import AdvisoryLock, make_lock
from config.logs import announce_daemon
from config.ops import DaemonInstance, JobRun
from config.settings import JobSchedule
from config.wiring import Service

log = logging.getLogger("cswatch.daemon")

_current: Daemon | None = None


def scheduled_job(name: str) -> None:
    """What the job store calls (by this module path, so stored jobs survive restarts)."""
    if _current is not None:
        _current.execute(name, _current.slots.pop(name, None))


class SlotRecordingExecutor(ThreadPoolExecutor):
    """Remembers the scheduled time of each submitted run, so the run can be recorded by slot."""

    def __init__(self, slots: dict[str, datetime], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.slots = slots

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        self.slots[job.id] = run_times[-1].astimezone(UTC)  # coalesced: the latest slot
        super()._do_submit_job(job, run_times)


def build_trigger(schedule: JobSchedule, timezone: str) -> BaseTrigger:
    jitter = schedule.jitter_seconds or None
    if schedule.cron:
        return CronTrigger(**_cron_fields(schedule.cron), timezone=timezone, jitter=jitter)
    assert schedule.interval_seconds is not None
    return IntervalTrigger(seconds=schedule.interval_seconds, timezone=timezone, jitter=jitter)


def _cron_fields(line: str) -> dict[str, str]:
    minute, hour, day, month, day_of_week = line.split()
    return {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": day_of_week}


def backoff_delay(interval: float, failures: int, ceiling: float) -> float:
    """How long after a failed run a failing source is tried again: its interval, doubled for
    each further failure in a row, never more than the ceiling."""
    if failures <= 0:
        return interval
    return min(interval * 2 ** min(failures - 1, 30), max(ceiling, interval))


def _die_with_parent() -> None:
    """In the job's child process: get SIGTERM if the daemon dies (even by SIGKILL), so no
    orphaned job outlives its leader (Linux prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def _now() -> datetime:
    return datetime.now(UTC)


LEADER_LABEL = "cswatch leader "  # + the instance id: the leader lock session's application_name


class Daemon:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.settings = service.settings
        self.instance = uuid.uuid4().hex
        self.stopping = threading.Event()
        self.scheduler: BackgroundScheduler | None = None
        self.children: dict[str, subprocess.Popen[str]] = {}
        self.children_lock = threading.Lock()
        self.sources = enabled_sources(self.settings)
        self.metrics = Metrics.create(service, self.sources)
        self.unhealthy: set[str] = set()
        self.slots: dict[str, datetime] = {}

    # -- lifecycle -----------------------------------------------------------------------

    def run(self) -> int:
        global _current
        _current = self
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        engine = self.service.engine  # migrates and loads the gazetteer
        lock = make_lock(engine, self.settings.var_dir, "leader", f"{LEADER_LABEL}{self.instance}")
        # A port that cannot be had stops the daemon (config/errors.py says which and why):
        # it never runs on without what it was asked to serve.
        server = None
        daemon = self.settings.daemon
        if daemon.health_port:
            with listening("daemon.health_port", daemon.health_host, daemon.health_port):
                server = serve_health(
                    self.service, self.metrics, self.sources, daemon.health_host, daemon.health_port
                )
            log.info("health on http://%s:%d/healthz", *server.server_address[:2])
        web = None
        if self.settings.web.serve_in_daemon:
            from config.web import start_in_thread

            try:
                web = start_in_thread(self.service, self.settings.web.host, self.settings.web.port)
            except BaseException:
                if server is not None:
                    server.shutdown()
                    server.server_close()
                raise
            log.info("web on %s", web.url)
        self._register()
        announce_daemon(self.service, server, web.url if web else None)
        try:
            return self._elect_and_lead(lock)
        finally:
            lock.release()
            self._mark_stopped()
            if server is not None:
                server.shutdown()
            if web is not None:
                web.stop()
            _current = None

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("received %s: stopping", signal.Signals(signum).name)
        self.stopping.set()

    def _elect_and_lead(self, lock) -> int:  # type: ignore[no-untyped-def]
        waiting_logged = False
        while not self.stopping.is_set():
            if lock.try_acquire():
                self._lead(lock)
                continue
            if self.service.engine.dialect.name != "postgresql":
                log.error(
                    "another cswatch daemon (%s) is already running on %s: refusing to start a "
                    "second one",
                    lock.describe_holder(),
                    self.settings.database_url,
                )
                return 1
            if not waiting_logged:
                log.info(
                    "standing by: %s leads; will take over if it stops", lock.describe_holder()
                )
                waiting_logged = True
            self._beat("follower")
            if isinstance(lock, AdvisoryLock) and self._replace_hung_leader(lock):
                continue  # its session is ended, so the lock is free: take it at once
            self.stopping.wait(self.settings.daemon.leader_retry_seconds)
        return 0

    def _replace_hung_leader(self, lock: AdvisoryLock) -> bool:
        """End the leader's database session if its process has stopped beating (SIGSTOP, a
        deadlock): a dead leader frees the lock by itself, a hung one would hold it for ever.

        The holder is known by its session's application_name (the lock's label), so a leader
        that has just taken over, whose row still beats as a follower, is never mistaken for it.
        """
        holder = lock.holder()
        if holder is None or not holder[1].startswith(LEADER_LABEL):
            return False
        backend, label = holder
        instance = label.removeprefix(LEADER_LABEL)
        with Session(self.service.engine) as session:
            row = session.exec(
                select(DaemonInstance).where(DaemonInstance.instance == instance)
            ).first()
        if row is None or instance == self.instance:
            return False
        silent = (_now() - (aware(row.beat_at) or _now())).total_seconds()
        limit = self.settings.daemon.hung_leader_takeover_seconds
        if silent < limit:
            return False
        log.error(
            "the leader (%s pid %d) has not beaten for %.0f s (limit %g s): it is hung; ending "
            "its database session (backend %d) to take over",
            row.host,
            row.pid,
            silent,
            limit,
            backend,
        )
        try:
            return lock.end_holder(backend)
        except Exception as exc:  # e.g. not allowed to signal that session
            log.error("could not end the hung leader's session (backend %d): %s", backend, exc)
            return False

    def _lead(self, lock) -> None:  # type: ignore[no-untyped-def]
        log.info("leading: scheduling jobs on %s", self.settings.database_url)
        self._beat("leader")
        self._close_abandoned_runs()
        scheduler = self._start_scheduler()
        try:
            while not self.stopping.wait(self.settings.daemon.heartbeat_seconds):
                if not lock.still_held():
                    log.error("lost the leader lock (database connection dropped): standing down")
                    break
                self._beat("leader")
        finally:
            scheduler.shutdown(wait=False)
            self.scheduler = None
            self._finish_children()
            self._beat("follower")

    # -- scheduling ----------------------------------------------------------------------

    def _start_scheduler(self) -> BackgroundScheduler:
        schedule = self.settings.schedule
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.service.engine)},
            executors={"default": SlotRecordingExecutor(self.slots, max_workers=max(2, len(JOBS)))},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": schedule.misfire_grace_seconds,
            },
            timezone=schedule.timezone,
        )
        scheduler.start(paused=True)
        configured = {
            name: job_schedule(self.settings, name)
            for name in JOBS
            if job_enabled(self.settings, name)
        }
        for job in scheduler.get_jobs():
            if job.id not in configured:
                job.remove()
        for name, when in configured.items():
            trigger = build_trigger(when, job_timezone(self.settings, name))
            existing = scheduler.get_job(name)
            if existing is None:
                # Interval jobs run at once on a first start; cron jobs wait for their time.
                # (next_run_time=None would add the job paused: leave it out for cron jobs.)
                first = {"next_run_time": _now()} if when.interval_seconds else {}
                scheduler.add_job(scheduled_job, trigger, args=[name], id=name, name=name, **first)
            elif str(existing.trigger) != str(trigger):
                existing.reschedule(trigger)  # the schedule changed in the settings
        scheduler.resume()
        self.scheduler = scheduler
        return scheduler

    def execute(self, name: str, slot: datetime | None = None) -> None:
        """Run one job in a child process with its timeout; record and log the outcome."""
        if self.stopping.is_set():
            return
        when = job_schedule(self.settings, name)
        if name in SOURCE_OF_JOB and self._backing_off(name, SOURCE_OF_JOB[name], when):
            return
        record_id = self._start_record(name, slot)
        if record_id is None:
            log.warning(
                "job %s: the run scheduled for %s already ran (another leader): skipped", name, slot
            )
            return
        started = time.monotonic()
        command = [sys.executable, "-m", "config.cli", "job", name]
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent
        )
        with self.children_lock:
            self.children[name] = child
        try:
            output, _ = child.communicate(timeout=when.timeout_seconds)
            result = JobResult.from_output(name, output) or self._no_result(name, child.returncode)
        except subprocess.TimeoutExpired:
            self._stop_child(child)
            result = JobResult(
                name,
                "timeout",
                error=f"stopped after its {when.timeout_seconds:.0f} s timeout",
            )
        finally:
            with self.children_lock:
                self.children.pop(name, None)
        result.duration_seconds = round(time.monotonic() - started, 3)
        self._finish_record(record_id, result)
        self._observe(result)

    def _no_result(self, name: str, returncode: int) -> JobResult:
        """A child that printed no result line: stopped by our own shutdown (a signal that came
        before its handler was installed, while it was still starting) is 'interrupted', not a
        failure of its source; anything else failed."""
        if self.stopping.is_set() and returncode < 0:
            return JobResult(name, "interrupted", error="stopped by the daemon's shutdown")
        return JobResult(
            name, "failed", error=f"the job process exited {returncode} without a result"
        )

    def _stop_child(self, child: subprocess.Popen[str]) -> None:
        child.terminate()
        try:
            child.communicate(timeout=2)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()

    def _finish_children(self) -> None:
        """Let a running job finish within the grace time, then stop it."""
        deadline = time.monotonic() + self.settings.daemon.shutdown_grace_seconds
        while time.monotonic() < deadline:
            with self.children_lock:
                running = list(self.children.values())
            if not running:
                return
            time.sleep(0.1)
        with self.children_lock:
            running = list(self.children.values())
        for child in running:
            log.warning("stopping job process %d: shutdown grace time is over", child.pid)
            child.terminate()
        for child in running:
            try:
                child.wait(timeout=1.5)
            except subprocess.TimeoutExpired:
                child.kill()

    # -- records, logs and metrics -------------------------------------------------------

    def _register(self) -> None:
        with Session(self.service.engine) as session:
            now = _now()
            session.add(
                DaemonInstance(
                    instance=self.instance,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    role="follower",
                    started_at=now,
                    beat_at=now,
                )
            )
            session.commit()

    def _instance_row(self, session: Session) -> DaemonInstance:
        return session.exec(
            select(DaemonInstance).where(DaemonInstance.instance == self.instance)
        ).one()

    def _beat(self, role: str) -> None:
        try:
            with Session(self.service.engine) as session:
                row = self._instance_row(session)
                row.role = role
                row.beat_at = _now()
                session.add(row)
                session.commit()
        except Exception:
            log.exception("heartbeat failed")

    def _mark_stopped(self) -> None:
        with Session(self.service.engine) as session:
            row = self._instance_row(session)
            row.stopped_at = _now()
            row.role = "stopped"
            session.add(row)
            session.commit()

    def _close_abandoned_runs(self) -> None:
        """Runs another daemon started and never finished: it died (only the leader runs jobs,
        and this one now holds the leader lock, so their leader is gone). Closed as 'abandoned'
        so no run stays 'running' for ever."""
        now = _now()
        with Session(self.service.engine) as session:
            runs = session.exec(
                select(JobRun).where(
                    JobRun.status == "running",
                    JobRun.finished_at.is_(None),  # type: ignore[union-attr]
                    JobRun.instance != self.instance,
                )
            ).all()
            owners = {
                i.instance: f"{i.host} pid {i.pid}"
                for i in session.exec(
                    select(DaemonInstance).where(
                        DaemonInstance.instance.in_({r.instance for r in runs})  # type: ignore[attr-defined]
                    )
                )
            }
            closed = [(run.id, run.job, run.started_at) for run in runs]
            for run in runs:
                run.status = "abandoned"
                run.finished_at = now
                run.error = (
                    f"its leader ({owners.get(run.instance, run.instance)}) stopped without "
                    "finishing it; closed by the next leader"
                )
                session.add(run)
            session.commit()
        for run_id, job, started_at in closed:
            log.warning(
                "job %s: the run started at %s was abandoned by a dead leader: closed",
                job,
                started_at,
                extra={"event": "job_abandoned", "job": job, "run_id": run_id},
            )

    def _start_record(self, name: str, slot: datetime | None) -> int | None:
        """The run's record, or None if this slot of this job was already taken."""
        with Session(self.service.engine) as session:
            row = JobRun(job=name, instance=self.instance, scheduled_for=slot, started_at=_now())
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                return None
            assert row.id is not None
            return row.id

    def _backing_off(self, name: str, source: str, when: JobSchedule) -> bool:
        """A failing source is tried less and less often (doubling, up to a ceiling)."""
        with Session(self.service.engine) as session:
            health = source_health(
                session, source, unhealthy_after=timedelta.max, now=_now(), since=_now()
            )
            last_attempt = session.exec(
                select(JobRun.started_at)
                .where(JobRun.job == name, JobRun.status.in_(["failed", "timeout"]))  # type: ignore[attr-defined]
                .order_by(JobRun.started_at.desc())  # type: ignore[attr-defined]
                .limit(1)
            ).first()
        if not health.consecutive_failures or last_attempt is None or not when.interval_seconds:
            return False
        wait = backoff_delay(
            when.interval_seconds,
            health.consecutive_failures,
            self.settings.daemon.failure_backoff_max_minutes * 60,
        )
        due = aware(last_attempt) + timedelta(seconds=wait)
        if _now() < due:
            log.debug("job %s: source failing, backing off until %s", source, due)
            return True
        return False

    def _finish_record(self, record_id: int, result: JobResult) -> None:
        with Session(self.service.engine) as session:
            row = session.get(JobRun, record_id)
            assert row is not None
            row.finished_at = _now()
            row.status = result.status
            row.duration_seconds = result.duration_seconds
            row.counts = json.dumps(result.counts, sort_keys=True)
            row.error = result.error
            session.add(row)
            session.commit()

    def _observe(self, result: JobResult) -> None:
        self.metrics.job_runs.labels(result.job, result.status).inc()
        self.metrics.job_duration.labels(result.job).observe(result.duration_seconds)
        self.metrics.changes.inc(result.counts.get("changes", 0))
        self.metrics.digests_sent.inc(result.counts.get("digests_sent", 0))
        self.metrics.digests_failed.inc(result.counts.get("digests_failed", 0))
        level = logging.INFO if result.status in {"ok", "partial", "busy"} else logging.WARNING
        log.log(
            level,
            "job %s %s in %.1f s",
            result.job,
            result.status,
            result.duration_seconds,
            extra={
                "event": "job",
                "job": result.job,
                "status": result.status,
                "duration_seconds": result.duration_seconds,
                "counts": result.counts,
                "error": result.error,
            },
        )
        source = SOURCE_OF_JOB.get(result.job)
        if source:
            self._check_source(source)

    def _check_source(self, source: str) -> None:
        """Log loudly once when a source turns unhealthy, and once when it recovers."""
        report = check_health(self.service, [source], require_daemon=False)
        health = report.sources[0]
        if not health.healthy and source not in self.unhealthy:
            self.unhealthy.add(source)
            log.error(
                "SOURCE UNHEALTHY: %s",
                health.reason,
                extra={"event": "source_unhealthy", "source": source},
            )
        elif health.healthy and source in self.unhealthy:
            self.unhealthy.discard(source)
            log.warning(
                "source recovered: %s",
                source,
                extra={"event": "source_recovered", "source": source},
            )


def run_daemon(service: Service) -> int:
    return Daemon(service).run()


def next_fire_times(
    schedule: JobSchedule, timezone: str, start: datetime, count: int
) -> list[datetime]:
    """The next `count` fire times of a schedule (without jitter): for tests and `--dry-run`."""
    trigger = build_trigger(schedule.model_copy(update={"jitter_seconds": 0}), timezone)
    times: list[datetime] = []
    previous = None
    now = start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None:
            break
        times.append(fire)
        previous, now = fire, fire + timedelta(microseconds=1)
    return times
