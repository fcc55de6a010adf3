"""A broken environment, as a user meets it: the real `cswatch` process, one or two lines naming
the setting or resource and the fix, exit status 2 for a bad setting and 1 for an unreachable
resource; `--json` gives the same as one JSON object. Never a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import OFSTED_PDFS
from tests.smtpserver import free_port

REPO = Path(__file__).resolve().parents[1]
# PostgreSQL's real server, asked on a port nothing listens on.
UNREACHABLE_URL = "postgresql+psycopg://cswatch:secret-pw@127.0.0.1:{port}/cswatch"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """A clean environment of a user's shell, with its own home and SQLite database."""
    values = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
    values.update(
        {
            "CSWATCH_HOME": str(tmp_path / "home"),
            "CSWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'errors.db'}",
            "CSWATCH_DAEMON__HEALTH_PORT": "0",
            "CSWATCH_SCHEDULE__JOBS__OFSTED__ENABLED": "false",
            "CSWATCH_SCHEDULE__JOBS__NEWS__ENABLED": "false",
            "CSWATCH_SCHEDULE__JOBS__GOVUK__ENABLED": "false",
            "CSWATCH_SCHEDULE__JOBS__STATISTICS__ENABLED": "false",
        }
    )
    return values


def cswatch(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "config.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_short(result: subprocess.CompletedProcess, code: int, *named: str) -> str:
    """Exit status `code`; stderr is at most two lines, without a traceback, naming each of
    `named`."""
    text = result.stderr.strip()
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in text and "Error:" not in text, text
    assert 1 <= len(text.splitlines()) <= 2, text
    for name in named:
        assert name in text, f"{name!r} not in {text!r}"
    return text


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


COMMANDS = [["status"], ["changes"], ["init"], ["run"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_unreachable_database(env, command):
    env["CSWATCH_DATABASE_URL"] = UNREACHABLE_URL.format(port=closed_port())
    result = cswatch(env, *command)
    text = assert_short(result, 1, "cannot reach the database", "CSWATCH_DATABASE_URL")
    assert "secret-pw" not in text + result.stdout  # the password is never printed
    if command == ["run"]:  # the daemon's log is JSON lines: the same problem as one of them
        line = json.loads(result.stdout.strip().splitlines()[-1])
        assert line["level"] == "ERROR" and line["event"] == "startup_failed"
        assert line["setting"] == "database_url"


@pytest.mark.parametrize(
    ("command", "url"),
    [
        (["status"], "not a url"),
        (["changes"], "mongodb://db/cswatch"),
        (["init"], "not a url"),
        (["run"], "mongodb://db/cswatch"),
    ],
    ids=lambda c: c[0] if isinstance(c, list) else c,
)
def test_wrong_database_url(env, command, url):
    env["CSWATCH_DATABASE_URL"] = url
    assert_short(cswatch(env, *command), 2, "database_url", "CSWATCH_DATABASE_URL")


@pytest.mark.postgres
def test_missing_postgres_database_is_unreachable(env):
    env["CSWATCH_DATABASE_URL"] = "postgresql+psycopg://postgres@127.0.0.1:5432/no_such_db_here"
    assert_short(cswatch(env, "status"), 1, "no_such_db_here", "database_url")


def test_unwritable_database_folder(env):
    env["CSWATCH_DATABASE_URL"] = "sqlite:////proc/no-such-folder/cswatch.db"
    assert_short(cswatch(env, "init"), 1, "/proc/no-such-folder")


@pytest.mark.parametrize("command", [["status", "--json"], ["changes", "--json"]])
def test_json_commands_say_it_in_json(env, command):
    env["CSWATCH_DATABASE_URL"] = UNREACHABLE_URL.format(port=closed_port())
    result = cswatch(env, *command)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problem = json.loads(result.stdout)
    assert problem["setting"] == "database_url" and problem["exit_code"] == 1
    assert "cannot reach the database" in problem["error"] and problem["fix"]

    env["CSWATCH_DATABASE_URL"] = "not a url"
    result = cswatch(env, *command)
    assert result.returncode == 2 and json.loads(result.stdout)["exit_code"] == 2


def test_list_setting_given_as_plain_text(env):
    env["CSWATCH_HTTP__ALLOWED_HOSTS"] = "foo"
    text = assert_short(
        cswatch(env, "status"), 2, "http.allowed_hosts", "CSWATCH_HTTP__ALLOWED_HOSTS", "JSON"
    )
    assert "'foo'" in text
    result = cswatch(env, "subscribers", "list", "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["setting"] == "http.allowed_hosts"


def run_daemon(env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """`cswatch run`, which must stop by itself; a daemon still up after `timeout` fails."""
    try:
        return cswatch(env, "run", timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the daemon ran on:\n{exc.stdout}\n{exc.stderr}") from exc


def test_health_port_in_use_stops_the_daemon(env, taken_port):
    env["CSWATCH_DAEMON__HEALTH_PORT"] = str(taken_port)
    result = run_daemon(env)
    assert_short(result, 1, f"port {taken_port}", "daemon.health_port", "in use")
    assert "leading" not in result.stdout


def test_web_port_in_use_stops_the_daemon(env, taken_port):
    env["CSWATCH_WEB__SERVE_IN_DAEMON"] = "true"
    env["CSWATCH_WEB__PORT"] = str(taken_port)
    env["CSWATCH_DAEMON__HEALTH_PORT"] = str(free_port())
    result = run_daemon(env)
    assert_short(result, 1, f"port {taken_port}", "web.port", "CSWATCH_WEB__PORT")
    assert "web on" not in result.stdout and "leading" not in result.stdout


def test_serve_on_a_port_in_use(env, taken_port):
    result = cswatch(env, "serve", "--port", str(taken_port), timeout=60)
    assert_short(result, 1, f"port {taken_port}", "web.port")


def test_web_host_that_is_not_ours_is_a_bad_setting(env):
    env["CSWATCH_WEB__HOST"] = "192.0.2.1"  # TEST-NET-1: never an address of this machine
    assert_short(cswatch(env, "serve", timeout=60), 2, "web.host", "192.0.2.1")


def test_serve_prints_its_address(env):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "config.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_pdf_given_to_extract_events(env):
    pdf = next(OFSTED_PDFS.rglob("*.pdf"))
    text = assert_short(cswatch(env, "extract-events", str(pdf)), 2, "is a PDF", "parse-report")
    assert str(pdf) in text
    result = cswatch(env, "extract-events", str(pdf), "--json")
    assert result.returncode == 2
    assert "is a PDF" in json.loads(result.stdout)["error"]


def test_daemon_first_screen_says_where_to_look(env):
    """The daemon tells a person where the board and health are, and that no data is in yet."""
    web, health = free_port(), free_port()
    env.update(
        CSWATCH_WEB__SERVE_IN_DAEMON="true",
        CSWATCH_WEB__PORT=str(web),
        CSWATCH_DAEMON__HEALTH_PORT=str(health),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "config.cli", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = [process.stderr.readline() for _ in range(5)]
        screen = "".join(lines)
        assert f"board:    http://127.0.0.1:{web}/" in screen, screen
        assert f"health:   http://127.0.0.1:{health}/healthz" in screen
        assert "errors.db" in screen and "no source has been fetched yet" in screen
    finally:
        process.terminate()
        deadline = time.monotonic() + 20
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if process.poll() is None:
            process.kill()
        process.wait()


def test_health_says_it_in_one_line(env):
    env["CSWATCH_DATABASE_URL"] = UNREACHABLE_URL.format(port=closed_port())
    env["COLUMNS"] = "200"
    result = cswatch(env, "health")
    assert result.returncode == 1
    assert "unhealthy" in result.stdout and "cannot reach the database" in result.stdout
    assert len(result.stdout.strip().splitlines()) == 2, result.stdout
    report = json.loads(cswatch(env, "health", "--json").stdout)
    assert len(report["reasons"]) == 1 and "\n" not in report["reasons"][0]
    assert "secret-pw" not in report["reasons"][0]


def test_a_query_bug_is_not_called_an_unreachable_database():
    """Only the database being unavailable is explained away; a wrong query keeps its
    traceback."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from config.errors import explain

    with (
        create_engine("sqlite://").connect() as connection,
        pytest.raises(OperationalError) as caught,
    ):
        connection.execute(text("SELECT * FROM no_such_table"))
    assert explain(caught.value, "sqlite://") is None
