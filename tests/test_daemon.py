"""`cswatch run` as an operator meets it: real processes, real signals, real databases."""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from config.database import make_engine
from config.ops import DaemonInstance, JobRun
from config.schedule import backoff_delay, next_fire_times
from config.settings import JobSchedule
from ingest.models import Inspection, ItemStatus, Judgement, Publication, Run
from tests.conftest import POSTGRES_URL
from tests.localserver import LocalServer, Reply
from tests.replica import OfstedReplica

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DaemonProcess:
    """One `cswatch run` child with its own log file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "config.cli", "run"],
            env=env,
            cwd=REPO,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def text(self) -> str:
        return self.log.read_text()

    def wait_for(self, needle: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} not seen in {timeout} s:\n{self.text()}")

    def lines(self) -> list[dict]:
        out = []
        for line in self.text().splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10) -> tuple[int, float]:
        started = time.monotonic()
        self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        self.handle.close()
        return code, time.monotonic() - started

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.handle.close()


@pytest.fixture
def daemon_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
    env.update(
        {
            "CSWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'daemon.db'}",
            "CSWATCH_VAR_DIR": str(tmp_path / "var"),
            "CSWATCH_HTTP__MIN_INTERVAL_SECONDS": "0",
            "CSWATCH_HTTP__BACKOFF_SECONDS": "0.01",
            "CSWATCH_HTTP__MAX_RETRIES": "1",
            "CSWATCH_NEWS__ENABLED": "false",
            "CSWATCH_GOVUK__ENABLED": "false",
            "CSWATCH_STATISTICS__ENABLED": "false",
            "CSWATCH_DAEMON__HEALTH_PORT": "0",
            "CSWATCH_DAEMON__HEARTBEAT_SECONDS": "0.5",
            "CSWATCH_DAEMON__LEADER_RETRY_SECONDS": "1",
            "CSWATCH_DAEMON__SHUTDOWN_GRACE_SECONDS": "3",
            "CSWATCH_SCHEDULE__JOBS__OFSTED__JITTER_SECONDS": "0",
        }
    )
    return env


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.kill()


def _point_at(env: dict[str, str], server: LocalServer, replica: OfstedReplica) -> None:
    env["CSWATCH_OFSTED__SEARCH_URL"] = replica.search_url
    env["CSWATCH_HTTP__ALLOWED_HOSTS"] = json.dumps([server.host])


def _closed_port_source(env: dict[str, str]) -> None:
    port = _free_port()
    env["CSWATCH_OFSTED__SEARCH_URL"] = f"http://127.0.0.1:{port}/search?q="
    env["CSWATCH_HTTP__ALLOWED_HOSTS"] = json.dumps([f"127.0.0.1:{port}"])


def test_second_daemon_on_one_sqlite_file_refuses(daemon_env, daemons, tmp_path):
    _closed_port_source(daemon_env)
    daemon_env["CSWATCH_SCHEDULE__JOBS__OFSTED__ENABLED"] = "false"
    first = DaemonProcess(daemon_env, tmp_path / "first.log")
    daemons.append(first)
    first.wait_for("leading")

    second = subprocess.run(
        [sys.executable, "-m", "config.cli", "run"],
        env=daemon_env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 1
    assert "another cswatch daemon" in second.stdout + second.stderr
    assert f"process {first.process.pid}" in second.stdout + second.stderr

    code, took = first.stop()
    assert code == 0 and took < 10


def test_sigterm_during_a_job_exits_0_within_10_s_without_partial_rows(
    daemon_env, daemons, tmp_path
):
    with LocalServer() as server:
        replica = OfstedReplica(server)
        for urn in replica.providers:  # slow provider pages: the job is surely mid-way
            handler = server.routes[f"/provider/44/{urn}"]
            server.route(
                f"/provider/44/{urn}",
                lambda request, handler=handler: _slowed(handler(request), 0.05),
            )
        _point_at(daemon_env, server, replica)
        daemon = DaemonProcess(daemon_env, tmp_path / "daemon.log")
        daemons.append(daemon)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.hits("/search") == 0:
            time.sleep(0.05)
        time.sleep(1.5)  # some provider pages and reports are in
        code, took = daemon.stop()

    assert code == 0
    assert took < 10
    engine = make_engine(daemon_env["CSWATCH_DATABASE_URL"])
    with Session(engine) as session:
        runs = session.exec(select(Run)).all()
        assert [r.status for r in runs] == ["interrupted"]
        assert runs[0].finished_at is not None
        job = session.exec(select(JobRun).where(JobRun.job == "ofsted")).one()
        assert job.status == "interrupted"
        # Every stored inspection is whole: parsed publication, judgements present.
        for inspection in session.exec(select(Inspection)):
            publication = session.get(Publication, inspection.publication_id)
            assert publication is not None and publication.parse_status == ItemStatus.OK
            if inspection.overall:
                assert session.exec(
                    select(Judgement).where(Judgement.inspection_id == inspection.id)
                ).first()
    engine.dispose()


def _slowed(reply: Reply, seconds: float) -> Reply:
    reply.delay = seconds
    return reply


def test_failing_source_backs_off_and_is_logged_loudly_once(daemon_env, daemons, tmp_path, news):
    _closed_port_source(daemon_env)
    ofsted_host = json.loads(daemon_env["CSWATCH_HTTP__ALLOWED_HOSTS"])
    feeds = [{"name": "communitycare", "url": news.cc_feed_url}]
    daemon_env.update(
        {
            "CSWATCH_SCHEDULE__JOBS__OFSTED__INTERVAL_SECONDS": "0.5",
            # 30 s: far longer than a news run takes even on a loaded machine, so only the
            # source that never succeeds turns unhealthy.
            "CSWATCH_DAEMON__SOURCE_UNHEALTHY_AFTER_MINUTES": "0.5",
            "CSWATCH_DAEMON__FAILURE_BACKOFF_MAX_MINUTES": "0.05",  # 3 s
            # A healthy source beside the broken one: news from the replica, every second.
            "CSWATCH_NEWS__ENABLED": "true",
            "CSWATCH_NEWS__FEEDS": json.dumps(feeds),
            "CSWATCH_HTTP__ALLOWED_HOSTS": json.dumps([*ofsted_host, *sorted(news.hosts)]),
            "CSWATCH_SCHEDULE__JOBS__NEWS__INTERVAL_SECONDS": "0.5",
            "CSWATCH_SCHEDULE__JOBS__NEWS__JITTER_SECONDS": "0",
        }
    )
    daemon = DaemonProcess(daemon_env, tmp_path / "daemon.log")
    daemons.append(daemon)
    daemon.wait_for('"event": "source_unhealthy"', timeout=120)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        jobs = [line for line in daemon.lines() if line.get("event") == "job"]
        if len([j for j in jobs if j["job"] == "news"]) >= 2 and len(jobs) >= 5:
            break
        time.sleep(0.2)
    time.sleep(2)  # more failures: still one loud line
    code, _ = daemon.stop()
    assert code == 0

    lines = daemon.lines()
    loud = [line for line in lines if line.get("event") == "source_unhealthy"]
    assert len(loud) == 1, loud
    assert loud[0]["level"] == "ERROR"
    assert "ofsted: no successful run yet" in loud[0]["message"]
    runs = [line for line in lines if line.get("event") == "job" and line["job"] == "ofsted"]
    assert len([r for r in runs if r["status"] == "failed"]) >= 2
    assert {r["status"] for r in runs} <= {"failed", "interrupted"}
    assert all("duration_seconds" in r for r in runs)
    # The other source is unaffected: it ran on its own schedule and stayed healthy.
    news_runs = [line for line in lines if line.get("event") == "job" and line["job"] == "news"]
    assert len([r for r in news_runs if r["status"] in {"ok", "partial"}]) >= 2
    assert {r["status"] for r in news_runs} <= {"ok", "partial", "interrupted"}  # by the stop


def test_backoff_doubles_per_failure_up_to_the_ceiling():
    delays = [backoff_delay(900, failures, 4 * 3600) for failures in range(7)]
    assert delays == [900, 900, 1800, 3600, 7200, 14400, 14400]


def test_health_command_endpoint_and_metrics(daemon_env, daemons, tmp_path):
    env = {**daemon_env, "CSWATCH_DAEMON__HEALTH_PORT": str(_free_port())}

    def health() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "config.cli", "health", "--json"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )

    with LocalServer() as server:
        replica = OfstedReplica(server)
        _point_at(env, server, replica)
        down = health()
        assert down.returncode == 1
        assert "no daemon is leading" in json.loads(down.stdout)["reasons"][0]

        daemon = DaemonProcess(env, tmp_path / "daemon.log")
        daemons.append(daemon)
        daemon.wait_for('"job": "ofsted", "status": "partial"', timeout=60)
        up = health()
        assert up.returncode == 0, up.stdout
        report = json.loads(up.stdout)
        assert report["healthy"] and report["leader"]
        assert report["sources"][0]["source"] == "ofsted"

        port = env["CSWATCH_DAEMON__HEALTH_PORT"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200
            assert json.loads(response.read())["healthy"] is True
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as response:
            metrics = response.read().decode()
        assert 'cswatch_source_last_success_timestamp_seconds{source="ofsted"}' in metrics
        assert 'cswatch_job_runs_total{job="ofsted",status="partial"} 1.0' in metrics
        assert "cswatch_job_duration_seconds_bucket" in metrics
        assert daemon.stop()[0] == 0


def test_manual_fetch_while_the_source_runs_says_busy(daemon_env, tmp_path):
    from config.jobs import source_lock
    from config.settings import load_settings
    from config.wiring import Service

    _closed_port_source(daemon_env)
    old = dict(os.environ)
    try:
        os.environ.update(daemon_env)
        service = Service(load_settings())
        with source_lock(service, "ofsted"):
            result = subprocess.run(
                [sys.executable, "-m", "config.cli", "fetch", "ofsted"],
                env=daemon_env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=60,
            )
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert result.returncode == 3
    assert "busy" in result.stderr and f"process {os.getpid()}" in result.stderr


@pytest.mark.postgres
def test_postgres_leader_killed_other_takes_over_without_running_a_job_twice(
    daemon_env, daemons, tmp_path
):
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        with LocalServer() as server:
            replica = OfstedReplica(server)
            env = {**daemon_env, "CSWATCH_DATABASE_URL": url}
            env["CSWATCH_SCHEDULE__JOBS__OFSTED__INTERVAL_SECONDS"] = "2"
            _point_at(env, server, replica)
            first = DaemonProcess(env, tmp_path / "first.log")
            daemons.append(first)
            first.wait_for("leading")
            second = DaemonProcess(env, tmp_path / "second.log")
            daemons.append(second)
            second.wait_for("standing by")
            first.wait_for('"event": "job"', timeout=60)

            first.process.kill()  # SIGKILL: no goodbye, the lock goes with its connection
            killed_at = time.monotonic()
            second.wait_for("leading", timeout=30)
            assert time.monotonic() - killed_at < 30
            second.wait_for('"event": "job"', timeout=30)
            time.sleep(3)
            assert second.stop()[0] == 0

        engine = create_engine(url)
        with Session(engine) as session:
            runs = session.exec(select(JobRun).order_by(JobRun.started_at)).all()
            leaders = session.exec(select(DaemonInstance).order_by(DaemonInstance.id)).all()
        engine.dispose()
        assert {r.instance for r in runs} == {leaders[0].instance, leaders[1].instance}
        slots = [(r.job, r.scheduled_for) for r in runs]
        assert len(slots) == len(set(slots))  # no scheduled run executed twice
        # The killed leader's unfinished run was closed by the new one as 'abandoned' (its
        # finish time is when it was closed, not when it stopped).
        assert {r.instance for r in runs if r.status == "abandoned"} <= {leaders[0].instance}
        assert not [r for r in runs if r.status == "running"]
        for job in {r.job for r in runs}:
            finished = [
                r for r in runs if r.job == job and r.finished_at and r.status != "abandoned"
            ]
            for before, after in itertools.pairwise(finished):
                assert after.started_at >= before.finished_at  # never two of a job at once
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_daily_digest_time_across_the_london_clock_change():
    """07:00 Europe/London every day, once, on both sides of the October 2026 change."""
    schedule = JobSchedule(cron="0 7 * * *")
    start = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)
    fires = next_fire_times(schedule, "Europe/London", start, 5)
    local = [f.astimezone(ZoneInfo("Europe/London")) for f in fires]
    assert [f.date() for f in local] == [date(2026, 10, 24) + timedelta(days=i) for i in range(5)]
    assert {(f.hour, f.minute) for f in local} == {(7, 0)}
    utc_hours = [f.astimezone(UTC).hour for f in fires]
    assert utc_hours == [6, 7, 7, 7, 7]  # BST until the 25th, GMT after


def test_smtp_down_at_digest_time_the_digest_goes_when_it_is_back(daemon_env, daemons, tmp_path):
    from alerts.models import Outbox
    from tests.alerts_factories import add_change, subscriber
    from tests.conftest import _seed
    from tests.smtpserver import SmtpServer

    engine = _seed(make_engine(daemon_env["CSWATCH_DATABASE_URL"]))
    with Session(engine) as session:
        add_change(session, "sunderland")
        subscriber(session, "reader@example.org")
        session.commit()
    smtp = SmtpServer()  # its port is chosen, nothing listens there yet
    env = {
        **daemon_env,
        "CSWATCH_SCHEDULE__JOBS__OFSTED__ENABLED": "false",
        "CSWATCH_SCHEDULE__JOBS__DIGESTS__INTERVAL_SECONDS": "1",
        "CSWATCH_MAIL__HOST": smtp.host,
        "CSWATCH_MAIL__PORT": str(smtp.port),
        "CSWATCH_MAIL__SECURITY": "none",
        "CSWATCH_MAIL__RETRY_BACKOFF_SECONDS": "1",
        "CSWATCH_MAIL__MAX_RETRY_BACKOFF_SECONDS": "2",
    }
    daemon = DaemonProcess(env, tmp_path / "daemon.log")
    daemons.append(daemon)
    daemon.wait_for('"digests_retrying": 1', timeout=60)  # the server is down: kept pending
    with Session(engine) as session:
        (row,) = session.exec(select(Outbox)).all()
        assert row.state == "pending" and row.attempts >= 1 and row.last_error

    with smtp:  # the mail server is back
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not smtp.handler.received:
            time.sleep(0.2)
        time.sleep(3)  # a few more digest runs: nothing more is sent
        assert len(smtp.handler.received) == 1
        assert smtp.handler.received[0].rcpt_tos == ["reader@example.org"]
    assert daemon.stop()[0] == 0
    with Session(engine) as session:
        (row,) = session.exec(select(Outbox)).all()
        assert row.state == "sent"
    engine.dispose()


def test_a_restart_keeps_each_jobs_next_run_time(tmp_path, monkeypatch):
    """The job store is in the database: a restarted leader neither re-runs nor skips."""
    from config.schedule import Daemon
    from config.settings import load_settings
    from config.wiring import Service

    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("CSWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CSWATCH_DAEMON__HEALTH_PORT", "0")
    service = Service(load_settings())

    def next_runs() -> dict[str, datetime]:
        scheduler = Daemon(service)._start_scheduler()  # no daemon: the jobs it fires do nothing
        time.sleep(0.5)
        runs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        scheduler.shutdown()
        return runs

    first = next_runs()
    assert all(first.values()), first  # every job is scheduled, none is paused
    assert set(first) == {
        "statistics",
        "ofsted",
        "news",
        "govuk",
        "digests",
        "digest_daily",
        "digest_weekly",
    }
    local = first["digest_daily"].astimezone(ZoneInfo("Europe/London"))
    assert (local.hour, local.minute) == (7, 0)
    assert first["digest_weekly"].astimezone(ZoneInfo("Europe/London")).weekday() == 0
    time.sleep(1.5)
    again = next_runs()
    assert again == first  # not recomputed from 'now': nothing repeated, nothing skipped
