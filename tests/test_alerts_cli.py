"""The alerts commands and settings, run as a user would (typer's runner, real settings files)."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from alerts.models import Outbox, Subscriber
from config.cli import app
from config.database import make_engine
from config.demo import ilacs_report
from config.settings import DEFAULT_SETTINGS_FILE, SettingsError, load_settings
from tests.alerts_factories import add_change, delivery_change
from tests.localserver import LocalServer
from tests.replica import OfstedReplica

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("CSWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CSWATCH_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("CSWATCH_NEWS__ENABLED", "false")
    monkeypatch.setenv("CSWATCH_GOVUK__ENABLED", "false")
    monkeypatch.setenv("CSWATCH_STATISTICS__ENABLED", "false")
    return tmp_path


def _run(*args: str):
    result = runner.invoke(app, list(args))
    return result


def _engine(tmp_path: Path):
    return make_engine(f"sqlite:///{tmp_path / 'cli.db'}")


def test_subscribers_add_list_edit_remove(env):
    assert _run("subscribers", "add", "Ada@Example.org", "--name", "Ada").exit_code == 0
    added = _run(
        "subscribers",
        "add",
        "bob@example.org",
        "--frequency",
        "weekly",
        "--authority",
        "Kingston",
        "--region",
        "North East",
        "--kind",
        "rating_changed",
        "--reported",
        "--confirmed",
    )
    assert added.exit_code == 0, added.output
    listed = _run("subscribers", "list", "--json")
    rows = {r["email"]: r for r in map(json.loads, listed.output.splitlines())}
    assert rows["bob@example.org"] == {
        "email": "bob@example.org",
        "name": None,
        "confirmed": True,
        "frequency": "weekly",
        "authorities": ["kingston-upon-thames"],
        "regions": ["North East"],
        "kinds": ["rating_changed"],
        "include_reported": True,
        "last_digest_at": None,
    }
    assert "token" not in listed.output and rows["Ada@example.org"]["confirmed"] is False
    assert _run("subscribers", "edit", "ada@example.org", "--confirmed").exit_code == 0
    assert _run("subscribers", "edit", "Ada@example.org", "--frequency", "daily").exit_code == 0
    rows = {
        r["email"]: r
        for r in map(json.loads, _run("subscribers", "list", "--json").output.splitlines())
    }
    assert rows["Ada@example.org"]["confirmed"] is True
    assert _run("subscribers", "remove", "bob@example.org").exit_code == 0
    assert "bob@" not in _run("subscribers", "list").output
    duplicate = _run("subscribers", "add", "ADA@example.org")
    assert duplicate.exit_code == 2 and "already subscribed" in duplicate.output


def test_subscribers_add_rejects_injection_and_unknown_names(env):
    bad = _run("subscribers", "add", "eve@example.org", "--name", "Eve\r\nBcc: x@example.org")
    assert bad.exit_code == 2 and "line breaks" in bad.output
    bad = _run("subscribers", "add", "eve@example.org\nBcc: x@example.org")
    assert bad.exit_code == 2
    bad = _run("subscribers", "add", "eve@example.org", "--authority", "Atlantis")
    assert bad.exit_code == 2
    assert _run("subscribers", "unsubscribe", "no-such-token").exit_code == 2


def test_subscribers_import_is_all_or_nothing(env):
    good = env / "good.csv"
    good.write_text(
        "email,name,frequency,authorities,regions,kinds,include_reported,confirmed\n"
        "one@example.org,One,immediate,Sunderland;Hull,,,yes,yes\n"
        "two@example.org,,weekly,,London,rating_changed;visit_published,,1\n",
        encoding="utf-8",
    )
    result = _run("subscribers", "import", str(good))
    assert result.exit_code == 0, result.output
    assert "2 added, 0 updated" in result.output
    bad = env / "bad.csv"
    bad.write_text(
        "email,frequency\nthree@example.org,daily\nnot-an-address,daily\nfour@example.org,hourly\n",
        encoding="utf-8",
    )
    result = _run("subscribers", "import", str(bad))
    assert result.exit_code == 2
    assert "line 3" in result.output and "line 4" in result.output
    with Session(_engine(env)) as session:
        emails = sorted(s.email for s in session.exec(select(Subscriber)))
        one = session.exec(select(Subscriber).where(Subscriber.email == "one@example.org")).one()
    assert emails == ["one@example.org", "two@example.org"]
    assert json.loads(one.authorities) == ["kingston-upon-hull", "sunderland"]
    again = _run("subscribers", "import", str(good))
    assert "0 added, 2 updated" in again.output


def test_changes_preview_and_send_to_the_file_outbox(env):
    assert _run("init").exit_code == 0
    with Session(_engine(env)) as session:
        add_change(session, "sunderland", title="<script>alert(1)</script>")
        delivery_change(session, "west-sussex")
    changes = _run("changes", "--json")
    rows = [json.loads(line) for line in changes.output.splitlines()]
    assert [r["kind"] for r in rows] == ["rating_changed", "delivery_model_changed"]
    assert rows[0]["authority"] == "sunderland" and rows[0]["old"] == "inadequate"
    assert _run("changes", "--json", "--since", "2030-01-01").output == ""
    assert _run("changes", "--since", "yesterday").exit_code == 2
    assert "Sunderland" in _run("changes").output

    _run("subscribers", "add", "reader@example.org", "--frequency", "immediate", "--confirmed")
    with Session(_engine(env)) as session:  # the changes above predate the subscriber
        reader = session.exec(select(Subscriber)).one()
        reader.last_change_id = 0
        reader.include_reported = True
        session.add(reader)
        session.commit()
    html_file = env / "preview.html"
    shown = _run("digest", "preview", "reader@example.org", "--html", str(html_file))
    assert shown.exit_code == 0, shown.output
    assert (
        "Subject: Sunderland now requires improvement; West Sussex: trust decided" in shown.output
    )
    assert "<script>" not in html_file.read_text()

    dry = _run("digest", "send", "--dry-run")
    assert "Dry run: 1 digests would be queued" in dry.output
    with Session(_engine(env)) as session:
        assert session.exec(select(Outbox)).all() == []
    sent = _run("digest", "send", "--frequency", "immediate")
    assert sent.exit_code == 0, sent.output
    assert "1 sent" in sent.output
    (eml,) = (env / "var" / "outbox").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=default)
    assert message["To"] == "reader@example.org"
    again = _run("digest", "send")
    assert "0 digests queued; 0 sent" in again.output
    assert "Nothing new" in _run("digest", "preview", "reader@example.org").output


def test_fetch_ofsted_runs_change_detection_after_the_run(env, monkeypatch):
    with LocalServer() as server:
        replica = OfstedReplica(server)
        monkeypatch.setenv("CSWATCH_OFSTED__SEARCH_URL", replica.search_url)
        monkeypatch.setenv("CSWATCH_HTTP__ALLOWED_HOSTS", json.dumps([server.host]))
        monkeypatch.setenv("CSWATCH_HTTP__MIN_INTERVAL_SECONDS", "0")
        first = _run("fetch", "ofsted", "--authority", "Doncaster")
        assert first.exit_code == 0, first.output
        assert "baseline" in first.output
        replica.add_publication(
            "80462",
            "Children's services inspection",
            date(2026, 6, 1),
            body=ilacs_report(
                "Doncaster",
                date(2026, 4, 1),
                date(2026, 4, 10),
                {
                    "leaders": "inadequate",
                    "help_and_protection": "inadequate",
                    "in_care_and_care_leavers": "inadequate",
                    "overall": "inadequate",
                },
            ),
        )
        second = _run("fetch", "ofsted", "--authority", "Doncaster")
        assert "1 new changes" in second.output, second.output
    rows = [json.loads(line) for line in _run("changes", "--json").output.splitlines()]
    assert [(r["authority"], r["kind"], r["new"]) for r in rows] == [
        ("doncaster", "rating_changed", "inadequate")
    ]


def test_demo_runs_offline_in_seconds_and_writes_the_digest(env):
    started = time.monotonic()
    result = _run("demo", "--folder", str(env / "demo"))
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 60
    (eml,) = (env / "demo" / "outbox").glob("*.eml")
    assert str(eml.name) in result.output.replace("\n", "")
    message = message_from_bytes(eml.read_bytes(), policy=default)
    assert message["Subject"] == "Sunderland now requires improvement; West Sussex: trust decided"
    assert "0 changes announced" in result.output
    # A second demo starts afresh and gives the same digest.
    assert _run("demo", "--folder", str(env / "demo")).exit_code == 0
    assert len(list((env / "demo" / "outbox").glob("*.eml"))) == 1


# -- settings -----------------------------------------------------------------------------


def _settings_file(tmp_path: Path, monkeypatch, old: str, new: str) -> None:
    text = DEFAULT_SETTINGS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "settings.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("CSWATCH_SETTINGS_FILE", str(path))


def test_a_password_in_the_settings_file_is_refused(tmp_path, monkeypatch):
    _settings_file(tmp_path, monkeypatch, 'username = ""', 'username = "me"\npassword = "hunter2"')
    with pytest.raises(SettingsError, match="CSWATCH_MAIL__PASSWORD"):
        load_settings()


def test_the_password_comes_from_the_environment_and_stays_secret(monkeypatch):
    monkeypatch.setenv("CSWATCH_MAIL__HOST", "smtp.example.org")
    monkeypatch.setenv("CSWATCH_MAIL__USERNAME", "me")
    monkeypatch.setenv("CSWATCH_MAIL__PASSWORD", "hunter2")
    settings = load_settings()
    assert settings.mail.effective_backend == "smtp"
    assert settings.mail.password is not None
    assert settings.mail.password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(settings)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("CSWATCH_MAIL__BACKEND", "smtp", "needs mail.host"),
        ("CSWATCH_MAIL__USERNAME", "me", "CSWATCH_MAIL__PASSWORD is not"),
        ("CSWATCH_MAIL__PUBLIC_BASE_URL", "http://cswatch.example.org", "https://"),
        ("CSWATCH_MAIL__FROM_ADDRESS", "alerts@example.org\r\nBcc: x@y.org", "line breaks"),
        ("CSWATCH_MAIL__LIST_ID", "not a list id", "dotted name"),
        ("CSWATCH_MAIL__SECURITY", "ssl", "mail.security"),
        ("CSWATCH_DIGESTS__TIMEZONE", "Europe/Atlantis", "unknown time zone"),
        ("CSWATCH_DIGESTS__WEEKLY_DAY", "funday", "digests.weekly_day"),
        ("CSWATCH_DIGESTS__DAILY_TIME", "25:00", "digests.daily_time"),
    ],
)
def test_bad_mail_and_digest_settings_fail_at_start(monkeypatch, key, value, message):
    monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError, match=message.replace(".", r"\.")):
        load_settings()


def test_default_settings_use_the_file_outbox():
    settings = load_settings()
    assert settings.mail.effective_backend == "file"
    assert settings.digests.timezone == "Europe/London"
    assert str(settings.digests.daily_time) == "07:00:00"
    assert settings.digests.weekly_weekday == 0
    assert timedelta(seconds=settings.mail.sending_lease_seconds) >= timedelta(minutes=1)


def test_the_scheduled_digest_job_queues_and_sends(env):
    from config.jobs import digests_job
    from config.wiring import Service

    service = Service(load_settings())
    with Session(service.engine) as session:
        add_change(session, "sunderland")
    assert (
        _run(
            "subscribers", "add", "reader@example.org", "--frequency", "immediate", "--confirmed"
        ).exit_code
        == 0
    )
    with Session(service.engine) as session:
        reader = session.exec(select(Subscriber)).one()
        reader.last_change_id = 0
        session.add(reader)
        session.commit()
    assert digests_job(service).counts["digests_sent"] == 1
    assert digests_job(service).counts["digests_sent"] == 0  # nothing new: nothing more
    assert len(list((env / "var" / "outbox").glob("*.eml"))) == 1
    with Session(service.engine) as session:
        assert [r.state for r in session.exec(select(Outbox))] == ["sent"]
