"""The `cswatch` command as a user runs it: settings from the environment, real files, a real
local replica of the Ofsted site."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from config.cli import app
from tests.localserver import LocalServer
from tests.paths import NEWS, OFSTED_PDFS, REPORT_NOT_FOUND_HTML
from tests.replica import OfstedReplica

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict[str, str]:
    """A clean CSWATCH_* environment with its own SQLite database."""
    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    values = {
        "CSWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "CSWATCH_VAR_DIR": str(tmp_path / "var"),
        "CSWATCH_HTTP__MIN_INTERVAL_SECONDS": "0",
        "CSWATCH_HTTP__BACKOFF_SECONDS": "0.01",
        "CSWATCH_HTTP__MAX_RETRIES": "1",
        "CSWATCH_NEWS__ENABLED": "false",
        "CSWATCH_GOVUK__ENABLED": "false",
        "CSWATCH_STATISTICS__ENABLED": "false",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_parse_report_contract(tmp_path):
    kingston = sorted((OFSTED_PDFS / "80545_kingston upon thames").glob("*inspection*.pdf"))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    files = [str(p) for p in kingston] + [str(REPORT_NOT_FOUND_HTML), str(empty)]

    result = _invoke("parse-report", *files, "--json")

    assert result.exit_code == 2  # some files were not readable reports
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == files  # one line per file, in order, path as given
    keys = {
        "file",
        "framework",
        "authority",
        "inspection_start",
        "inspection_end",
        "published",
        "lead_inspector",
        "overall",
        "judgements",
    }
    for line in lines[: len(kingston)]:
        assert set(line) == keys
    by_name = {Path(line["file"]).name: line for line in lines}
    latest = by_name["children's services inspection - 29 january 2025.pdf"]
    assert latest["framework"] == "ilacs_2023"
    assert latest["overall"] == "outstanding"
    assert latest["published"] is None  # ILACS reports print no publication date
    assert latest["inspection_start"] == "2024-12-02"
    for bad in lines[len(kingston) :]:
        assert set(bad) == {"file", "error"}
        assert bad["error"].endswith(".") or bad["error"]


def test_parse_report_all_readable_exits_zero():
    files = [str(p) for p in sorted((OFSTED_PDFS / "80462_doncaster").glob("*inspection*.pdf"))]
    result = _invoke("parse-report", *files, "--json")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(files)


def test_fetch_then_status(env, monkeypatch):
    with LocalServer() as server:
        replica = OfstedReplica(server)
        monkeypatch.setenv("CSWATCH_OFSTED__SEARCH_URL", replica.search_url)
        monkeypatch.setenv("CSWATCH_HTTP__ALLOWED_HOSTS", json.dumps([server.host]))

        fetched = _invoke("fetch", "ofsted", "--authority", "Royal Borough of Kingston upon Thames")
        assert fetched.exit_code == 0, fetched.output
        assert "inspections parsed" in fetched.stdout

    status = _invoke("status", "Kingston", "--json")
    assert status.exit_code == 0
    (line,) = [json.loads(s) for s in status.stdout.splitlines()]
    assert line["slug"] == "kingston-upon-thames"
    assert line["overall"] == "outstanding"
    assert line["inspection_end"] == "2024-12-06"
    assert line["judgements"]["care_leavers"]
    assert line["report_url"].startswith(server.base_url)
    assert line["delivery_model"]["model"] == "cic"
    assert line["delivery_model"]["provider"] == "Achieving for Children"
    assert line["delivery_model"]["status"] == "confirmed"
    assert line["intervention"] is None

    detail = _invoke("status", "Kingston")
    assert detail.exit_code == 0
    assert "Overall effectiveness: Outstanding" in detail.stdout
    assert "care leavers" in detail.stdout
    assert "Delivery model: community interest company (Achieving for Children)" in detail.stdout

    table = _invoke("status")
    assert table.exit_code == 0
    # At 80 columns long names wrap onto a second line (never cut): read the column whole.
    names = [line.split("│")[1].strip() for line in table.stdout.splitlines() if "│" in line]
    assert "Kingston upon Thames" in " ".join(names)
    assert "Outstanding" in table.stdout


def test_unknown_authority_is_a_clear_error(env):
    result = _invoke("status", "Atlantis")
    assert result.exit_code == 2
    assert "Atlantis" in result.output


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("CSWATCH_HTTP__BOGUS", "1", "CSWATCH_HTTP__BOGUS"),
        ("CSWATCH_NO_SUCH_SETTING", "1", "CSWATCH_NO_SUCH_SETTING"),
        ("CSWATCH_HTTP__MIN_INTERVAL_SECONDS", "-1", "http.min_interval_seconds"),
        ("CSWATCH_HTTP__CONTACT", "nobody", "http.contact"),
        ("CSWATCH_HTTP__ALLOWED_HOSTS", '["https://example.org/x"]', "http.allowed_hosts"),
        ("CSWATCH_LOG_LEVEL", "LOUD", "log_level"),
    ],
)
def test_bad_settings_fail_at_start_naming_the_key(env, monkeypatch, key, value, named):
    monkeypatch.setenv(key, value)
    result = _invoke("init")
    assert result.exit_code == 2
    assert named in result.output


def test_settings_file_with_unknown_key_or_bad_toml(env, monkeypatch, tmp_path):
    from config.settings import DEFAULT_SETTINGS_FILE

    extra = tmp_path / "extra.toml"
    extra.write_text(DEFAULT_SETTINGS_FILE.read_text() + "\nsurprise = 1\n")
    monkeypatch.setenv("CSWATCH_SETTINGS_FILE", str(extra))
    result = _invoke("init")
    assert result.exit_code == 2
    assert "surprise" in result.output

    broken = tmp_path / "broken.toml"
    broken.write_text("database_url = \n")
    monkeypatch.setenv("CSWATCH_SETTINGS_FILE", str(broken))
    result = _invoke("init")
    assert result.exit_code == 2
    assert "not valid TOML" in result.output


def test_init_migrates_and_is_repeatable(env):
    from sqlalchemy import create_engine, inspect

    for _ in range(2):
        result = _invoke("init")
        assert result.exit_code == 0, result.output
    tables = set(inspect(create_engine(env["CSWATCH_DATABASE_URL"])).get_table_names())
    assert {"authority", "publication", "inspection", "judgement", "source_state"} <= tables
    assert "alembic_version" in tables


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_run_reports_a_failed_fetch_and_keeps_running(env, tmp_path):
    """What `make run` does on a machine without network: say so clearly and stay up."""
    port = _closed_port()
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
    child_env.update(env)
    child_env["CSWATCH_OFSTED__SEARCH_URL"] = f"http://127.0.0.1:{port}/search?q="
    child_env["CSWATCH_HTTP__ALLOWED_HOSTS"] = json.dumps([f"127.0.0.1:{port}"])
    child_env["CSWATCH_DAEMON__HEALTH_PORT"] = "0"
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.cli", "run"],
            env=child_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            done = '"event": "job", "job": "ofsted", "status": "failed"'
            while time.monotonic() < deadline and done not in log.read_text():
                time.sleep(0.2)
            text = log.read_text()
            assert done in text, text
            assert f"127.0.0.1:{port}" in text and "failed" in text
            time.sleep(1)
            assert process.poll() is None, "the daemon exited after a failed fetch"
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=15)
    assert code == 0


def test_extract_events_from_a_real_article_text(env):
    article = NEWS / "001_e9db62ab4904246d.txt"
    result = _invoke("extract-events", str(article), "--published", "2017-01-18", "--json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    keys = {"authority", "kind", "grade", "model", "action", "stage", "provider", "date"}
    assert all(keys | {"evidence", "confidence"} <= set(e) for e in events)
    found = {(e["authority"], e["kind"], e["model"] or e["grade"]) for e in events}
    assert ("Birmingham", "delivery_model", "trust") in found
    assert ("Windsor and Maidenhead", "delivery_model", "cic") in found
    sunderland = [e for e in events if e["authority"] == "Sunderland" and e["provider"]]
    assert sunderland and sunderland[0]["provider"].startswith("Together for Children")


def test_extract_events_from_an_html_page_ignores_comments(env, tmp_path):
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Council votes for trust</title>"
        "<meta property='article:published_time' content='2024-03-05T09:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Council votes for trust</h1>"
        "<p>Councillors in Bromley voted last night to move the borough's children's services "
        "into an independent trust from April next year, after an inadequate Ofsted rating.</p>"
        "<p>The council said the trust would be operational by 2025.</p></article>"
        "<section id='comments'><h3>2 Responses to Council votes for trust</h3>"
        "<p>Reader: Croydon should do the same and set up a trust.</p></section>"
        "</body></html>"
    )
    result = _invoke("extract-events", str(page), "--json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    assert {e["authority"] for e in events} == {"Bromley"}
    assert any(e["kind"] == "delivery_model" and e["model"] == "trust" for e in events)


def test_extract_events_bad_date_is_an_error(env):
    result = _invoke(
        "extract-events", str(NEWS / "001_e9db62ab4904246d.txt"), "--published", "soon"
    )
    assert result.exit_code == 2
    assert "--published" in result.output
