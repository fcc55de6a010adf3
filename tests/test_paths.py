"""Where the service keeps its files, whatever folder a command is run from; and links that
work on a newcomer's own machine."""

from __future__ import annotations

import email
import os
import re
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from alerts.models import Subscriber
from config.cli import app
from config.settings import DEFAULT_SETTINGS_FILE, SettingsError, load_settings
from config.web import start_in_thread
from config.wiring import Service
from tests.smtpserver import free_port

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean(monkeypatch, tmp_path) -> Path:
    """No CSWATCH_* variables, and a current folder that is not the home."""
    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def test_relative_paths_are_under_cswatch_home(clean, monkeypatch):
    monkeypatch.setenv("CSWATCH_HOME", str(clean / "home"))
    settings = load_settings()
    assert settings.home == clean / "home"
    assert settings.var_dir == clean / "home" / "var"
    assert settings.database_url == f"sqlite:///{clean}/home/var/cswatch.db"
    assert settings.sqlite_path() == clean / "home" / "var" / "cswatch.db"

    monkeypatch.setenv("CSWATCH_DATABASE_URL", "sqlite:///data/other.db")
    assert load_settings().database_url == f"sqlite:///{clean}/home/data/other.db"


def test_a_settings_file_makes_its_folder_the_home(clean, monkeypatch):
    site = clean / "site"
    site.mkdir()
    (site / "cswatch.toml").write_text(DEFAULT_SETTINGS_FILE.read_text(encoding="utf-8"))
    monkeypatch.setenv("CSWATCH_SETTINGS_FILE", str(site / "cswatch.toml"))
    settings = load_settings()
    assert settings.var_dir == site / "var"
    assert settings.sqlite_path() == site / "var" / "cswatch.db"


def test_without_either_the_home_is_the_checkout(clean):
    settings = load_settings()
    assert settings.home == REPO and settings.var_dir == REPO / "var"
    assert settings.sqlite_path() == REPO / "var" / "cswatch.db"


def test_absolute_and_server_urls_are_left_alone(clean, monkeypatch):
    monkeypatch.setenv("CSWATCH_HOME", str(clean / "home"))
    for url in (
        f"sqlite:///{clean}/abs.db",
        "sqlite://",
        "postgresql+psycopg://user:p%40ss@db.example.org:5432/cswatch",
    ):
        monkeypatch.setenv("CSWATCH_DATABASE_URL", url)
        assert load_settings().database_url == url
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(clean / "state"))
    assert load_settings().var_dir == clean / "state"


def test_subscribers_list_from_another_folder_uses_the_same_database(clean, monkeypatch):
    """The bug this replaces: run from elsewhere, a command made a new, empty database."""
    home = clean / "home"
    home.mkdir()
    monkeypatch.setenv("CSWATCH_HOME", str(home))
    runner = CliRunner()
    monkeypatch.chdir(home)
    added = runner.invoke(app, ["subscribers", "add", "reader@example.org", "--confirmed"])
    assert added.exit_code == 0, added.output

    monkeypatch.chdir(clean / "elsewhere")
    listed = runner.invoke(app, ["subscribers", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "reader@example.org" in listed.stdout
    assert list((clean / "elsewhere").iterdir()) == []  # nothing made in the current folder
    assert (home / "var" / "cswatch.db").is_file()


def test_public_base_url_defaults_to_the_local_web_address(clean, monkeypatch):
    assert load_settings().mail.public_base_url == "http://127.0.0.1:8080"
    monkeypatch.setenv("CSWATCH_WEB__HOST", "0.0.0.0")
    monkeypatch.setenv("CSWATCH_WEB__PORT", "9000")
    assert load_settings().mail.public_base_url == "http://localhost:9000"

    monkeypatch.setenv("CSWATCH_MAIL__PUBLIC_BASE_URL", "https://watch.example.org/")
    assert load_settings().mail.public_base_url == "https://watch.example.org"
    monkeypatch.setenv("CSWATCH_MAIL__PUBLIC_BASE_URL", "http://localhost:8000")
    assert load_settings().mail.public_base_url == "http://localhost:8000"
    monkeypatch.setenv("CSWATCH_MAIL__PUBLIC_BASE_URL", "http://watch.example.org")
    with pytest.raises(SettingsError, match=r"mail\.public_base_url"):
        load_settings()


def test_double_opt_in_works_locally_with_the_defaults(clean, monkeypatch):
    """Sign up on the local web app, open the link from the mail, confirm: no setting needed
    but a free port."""
    port = free_port()
    monkeypatch.setenv("CSWATCH_HOME", str(clean / "home"))
    monkeypatch.setenv("CSWATCH_WEB__PORT", str(port))
    service = Service(load_settings())
    web = start_in_thread(service, "127.0.0.1", port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            form = client.get("/subscribe").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token
            answer = client.post(
                "/subscribe",
                data={
                    "csrf_token": token.group(1),
                    "email": "local@example.org",
                    "frequency": "daily",
                    "regions": ["London"],
                },
            )
            assert answer.status_code == 200, answer.text
            deadline = time.monotonic() + 10
            while not list(service.outbox_dir.glob("*.eml")) and time.monotonic() < deadline:
                time.sleep(0.05)
            (sent,) = service.outbox_dir.glob("*.eml")
            message = email.message_from_bytes(sent.read_bytes())
            text = "".join(
                part.get_payload(decode=True).decode()
                for part in message.walk()
                if part.get_content_type() == "text/plain"
            )
            link = re.search(rf"http://127\.0\.0\.1:{port}/confirm/\S+", text)
            assert link, text
            page = httpx.get(link.group(0), cookies=client.cookies, timeout=10)
            assert page.status_code == 200
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            client.post(link.group(0), data={"csrf_token": token.group(1)})
    finally:
        web.stop()
    with Session(service.engine) as session:
        row = session.exec(select(Subscriber).where(Subscriber.email == "local@example.org")).one()
        assert row.confirmed
