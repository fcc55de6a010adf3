"""Faults at start-up and at a leader's death: real processes, real PostgreSQL and SQLite.

- Any number of replicas may start together: the schema is migrated (and the reference data
  synced) under a lock, a PostgreSQL advisory lock or a file lock beside the SQLite file.
  (Before: UniqueViolation on alembic_version, or on the authorities.)
- A leader killed with SIGKILL: the next leader closes its unfinished runs as 'abandoned', and
  `cswatch health` says at once that no daemon leads. (Before: 'running' for ever, and healthy
  until the heartbeat went stale, 90 s.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from config.database import make_engine, newest_revision
from config.ops import JobRun
from tests.conftest import POSTGRES_URL
from tests.localserver import LocalServer
from tests.replica import OfstedReplica
from tests.test_daemon import DaemonProcess, _point_at, _slowed

REPO = Path(__file__).resolve().parents[1]
REPLICAS = 6


def _env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
    env.update({"CSWATCH_DATABASE_URL": database_url, "CSWATCH_VAR_DIR": str(var_dir)})
    return env


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """An empty schema (no tables at all): what a first deployment starts from."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _init_together(database_url: str, var_dir: Path) -> list[subprocess.CompletedProcess[str]]:
    """`cswatch init` in REPLICAS processes started at the same moment."""
    env = _env(database_url, var_dir)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "config.cli", "init"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(REPLICAS)
    ]
    results = []
    for process in processes:
        output, _ = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, output))
    return results


def _check_one_schema(database_url: str, results: list[subprocess.CompletedProcess[str]]) -> None:
    failed = [r.stdout for r in results if r.returncode != 0]
    assert not failed, f"{len(failed)} of {REPLICAS} replicas failed to start:\n{failed[0]}"
    engine = create_engine(database_url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        authorities = connection.execute(text("SELECT count(*) FROM authority")).scalar()
        slugs = connection.execute(text("SELECT count(DISTINCT slug) FROM authority")).scalar()
    engine.dispose()
    assert versions == [(newest_revision(),)]
    assert authorities and authorities == slugs  # seeded once, no duplicates


@pytest.mark.postgres
def test_replicas_starting_together_on_postgres_migrate_once(postgres_schema_url, tmp_path):
    results = _init_together(postgres_schema_url, tmp_path / "var")
    _check_one_schema(postgres_schema_url, results)


def test_replicas_starting_together_on_sqlite_migrate_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    results = _init_together(url, tmp_path / "var")
    _check_one_schema(url, results)


# -- dead leaders -------------------------------------------------------------------------


@pytest.fixture
def daemon_env(tmp_path) -> dict[str, str]:
    env = _env(f"sqlite:///{tmp_path / 'daemon.db'}", tmp_path / "var")
    env.update(
        {
            "CSWATCH_HTTP__MIN_INTERVAL_SECONDS": "0",
            "CSWATCH_HTTP__MAX_RETRIES": "1",
            "CSWATCH_NEWS__ENABLED": "false",
            "CSWATCH_GOVUK__ENABLED": "false",
            "CSWATCH_STATISTICS__ENABLED": "false",
            "CSWATCH_DAEMON__HEALTH_PORT": "0",
            "CSWATCH_DAEMON__HEARTBEAT_SECONDS": "0.5",
            "CSWATCH_DAEMON__LEADER_RETRY_SECONDS": "1",
            "CSWATCH_DAEMON__SHUTDOWN_GRACE_SECONDS": "3",
            "CSWATCH_SCHEDULE__JOBS__OFSTED__JITTER_SECONDS": "0",
            "CSWATCH_SCHEDULE__JOBS__DIGESTS__ENABLED": "false",
        }
    )
    return env


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.kill()


@pytest.fixture
def slow_replica() -> Iterator[tuple[LocalServer, OfstedReplica]]:
    """The Ofsted replica with slow provider pages: a run is surely mid-way when killed."""
    with LocalServer() as server:
        replica = OfstedReplica(server)
        for urn in replica.providers:
            handler = server.routes[f"/provider/44/{urn}"]
            server.route(
                f"/provider/44/{urn}",
                lambda request, handler=handler: _slowed(handler(request), 0.2),
            )
        yield server, replica


def _health(env: dict[str, str]) -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "config.cli", "health", "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, json.loads(done.stdout)


def _kill_mid_job(daemon: DaemonProcess, server: LocalServer, env: dict[str, str]) -> int:
    """SIGKILL the leader while its ofsted run is under way; the id of that run's record."""
    deadline = time.monotonic() + 60
    while server.hits("/search") == 0:
        assert time.monotonic() < deadline, daemon.text()
        time.sleep(0.05)
    time.sleep(0.5)
    daemon.process.send_signal(signal.SIGKILL)
    daemon.process.wait(timeout=10)
    engine = make_engine(env["CSWATCH_DATABASE_URL"])
    with Session(engine) as session:
        (run,) = session.exec(select(JobRun).where(JobRun.job == "ofsted")).all()
    engine.dispose()
    assert run.status == "running" and run.finished_at is None  # the dead leader's
    assert run.id is not None
    return run.id


def _closed_as_abandoned(env: dict[str, str], run_id: int, dead_pid: int) -> None:
    engine = make_engine(env["CSWATCH_DATABASE_URL"])
    with Session(engine) as session:
        run = session.get(JobRun, run_id)
    engine.dispose()
    assert run is not None
    assert run.status == "abandoned" and run.finished_at is not None
    assert f"pid {dead_pid}" in (run.error or "")


def test_a_killed_leader_is_noticed_at_once_and_its_run_closed_by_the_next(
    daemon_env, daemons, tmp_path, slow_replica
):
    server, replica = slow_replica
    _point_at(daemon_env, server, replica)
    first = DaemonProcess(daemon_env, tmp_path / "first.log")
    daemons.append(first)
    first.wait_for("leading")
    code, report = _health(daemon_env)
    assert code == 0 and report["leader"], report
    run_id = _kill_mid_job(first, server, daemon_env)

    code, report = _health(daemon_env)  # within a heartbeat, not when it goes stale
    assert code == 1, report
    assert report["leader"] is None
    assert any(
        "the leader" in r and f"pid {first.process.pid}) is gone: its process has ended" in r
        for r in report["reasons"]
    ), report["reasons"]

    second = DaemonProcess(daemon_env, tmp_path / "second.log")
    daemons.append(second)
    second.wait_for('"event": "job_abandoned"')
    _closed_as_abandoned(daemon_env, run_id, first.process.pid)
    assert second.stop()[0] == 0, second.text()


@pytest.mark.postgres
def test_postgres_a_killed_leader_is_noticed_at_once_and_the_follower_closes_its_run(
    daemon_env, daemons, tmp_path, slow_replica, postgres_schema_url
):
    server, replica = slow_replica
    env = {**daemon_env, "CSWATCH_DATABASE_URL": postgres_schema_url}
    _point_at(env, server, replica)
    first = DaemonProcess(env, tmp_path / "first.log")
    daemons.append(first)
    first.wait_for("leading")
    run_id = _kill_mid_job(first, server, env)

    # Seen from another machine, whose health check cannot look the process up: the leader
    # lock, which PostgreSQL freed when the killed leader's connection closed, tells.
    engine = create_engine(postgres_schema_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE daemon_instance SET host = 'another-machine'"))
    engine.dispose()
    code, report = _health(env)
    assert code == 1, report
    assert any(
        "the leader (another-machine" in r and "is gone: the leader lock is free" in r
        for r in report["reasons"]
    ), report

    second = DaemonProcess(env, tmp_path / "second.log")
    daemons.append(second)
    second.wait_for('"event": "job_abandoned"', timeout=60)
    _closed_as_abandoned(env, run_id, first.process.pid)
    code, report = _health(env)
    assert code == 0 and report["leader"].endswith(f"pid {second.process.pid}"), report
    assert second.stop()[0] == 0, second.text()


# -- hung leaders -------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_a_hung_leader_is_replaced_and_stands_down_when_it_wakes(
    daemon_env, daemons, tmp_path, postgres_schema_url
):
    """SIGSTOP the leader: its process lives and its session holds the leader lock, so only its
    silence tells. Before: the replicas stood by for ever and no job ran again. Now the one
    standing by ends the hung leader's session after `hung_leader_takeover_seconds` and leads;
    the old leader, woken, finds its session gone and stands by."""
    env = {
        **daemon_env,
        "CSWATCH_DATABASE_URL": postgres_schema_url,
        "CSWATCH_DAEMON__HEARTBEAT_SECONDS": "0.5",
        "CSWATCH_DAEMON__LEADER_STALE_AFTER_SECONDS": "2",
        "CSWATCH_DAEMON__HUNG_LEADER_TAKEOVER_SECONDS": "4",
        "CSWATCH_SCHEDULE__JOBS__OFSTED__ENABLED": "false",
    }
    first = DaemonProcess(env, tmp_path / "first.log")
    daemons.append(first)
    first.wait_for("leading")
    second = DaemonProcess(env, tmp_path / "second.log")
    daemons.append(second)
    second.wait_for("standing by")
    time.sleep(6)  # longer than the takeover limit: a leader that beats is never replaced
    assert "leading" not in second.text() and "hung" not in second.text()

    first.process.send_signal(signal.SIGSTOP)
    try:
        second.wait_for("leading", timeout=30)
        assert f"pid {first.process.pid}) has not beaten for" in second.text()
        code, report = _health(env)
        assert code == 0 and report["leader"].endswith(f"pid {second.process.pid}"), report
    finally:
        first.process.send_signal(signal.SIGCONT)
    first.wait_for("lost the leader lock", timeout=30)
    first.wait_for("standing by", timeout=30)
    time.sleep(2)  # the woken leader does not take the lock back
    code, report = _health(env)
    assert code == 0 and report["leader"].endswith(f"pid {second.process.pid}"), report
    assert first.stop()[0] == 0, first.text()
    assert second.stop()[0] == 0, second.text()


def test_a_takeover_limit_shorter_than_three_heartbeats_is_refused(monkeypatch):
    from config.settings import SettingsError, load_settings

    monkeypatch.setenv("CSWATCH_DAEMON__HEARTBEAT_SECONDS", "10")
    monkeypatch.setenv("CSWATCH_DAEMON__HUNG_LEADER_TAKEOVER_SECONDS", "20")
    with pytest.raises(SettingsError, match=r"hung_leader_takeover_seconds .* 3 x heartbeat"):
        load_settings()
