"""What the listing commands print: proper JSON with --json, and tables that wrap at 80
columns instead of cutting emails and links."""

from __future__ import annotations

import json
import os

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from config.cli import app
from config.database import make_engine
from tests.alerts_factories import add_change, delivery_change

# A CliRunner is not a terminal: Rich draws tables 80 columns wide, as in a pipe.
runner = CliRunner()
LONG_EMAIL = "a-rather-long-address.for-the-team@childrens-services.example.org"
LONG_URL = "https://www.communitycare.co.uk/2026/10/21/a-long-article-address-about-a-trust/"


@pytest.fixture
def env(tmp_path, monkeypatch):
    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("CSWATCH_HOME", str(tmp_path))
    monkeypatch.setenv("CSWATCH_LOG_LEVEL", "WARNING")
    assert runner.invoke(app, ["init"]).exit_code == 0
    engine = make_engine(f"sqlite:///{tmp_path}/var/cswatch.db")
    with Session(engine) as session:
        add_change(session, "sunderland", url=LONG_URL)
        delivery_change(session, "west-sussex")
    return tmp_path


def column(output: str, index: int) -> str:
    """The text of one table column, its wrapped lines joined."""
    cells = [line.split("│")[index].strip() for line in output.splitlines() if "│" in line]
    return "".join(cells)


def test_changes_json_values_are_json_not_strings(env):
    result = runner.invoke(app, ["changes", "--json"])
    assert result.exit_code == 0, result.output
    rating, delivery = (json.loads(line) for line in result.stdout.splitlines())
    assert rating["old"] == "inadequate" and rating["new"] == "requires_improvement"
    assert delivery["new"] == {
        "model": "trust",
        "provider": None,
        "stage": "decided",
        "since": None,
    }
    assert delivery["old"]["model"] == "in_house"
    assert isinstance(delivery["evidence"], list) and delivery["evidence"][0]["url"]


def test_tables_wrap_emails_and_links_instead_of_cutting_them(env):
    added = runner.invoke(app, ["subscribers", "add", LONG_EMAIL, "--region", "North East"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["subscribers", "list"])
    assert "…" not in listed.stdout
    assert all(len(line) <= 80 for line in listed.stdout.splitlines())
    assert LONG_EMAIL in column(listed.stdout, 1)

    changes = runner.invoke(app, ["changes"])
    assert "…" not in changes.stdout
    assert LONG_URL in column(changes.stdout, 5)


def test_status_table_says_when_nothing_was_fetched(env):
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert "No source has been fetched yet" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["changes"],
        ["subscribers", "list"],
        ["outbox", "list"],
        ["health"],
        ["parse-report"],
        ["extract-events"],
        ["digest", "send"],
    ],
)
def test_every_listing_command_has_json(command):
    assert "--json" in runner.invoke(app, [*command, "--help"]).stdout


def test_digest_send_json(env):
    added = runner.invoke(
        app, ["subscribers", "add", "reader@example.org", "--frequency", "immediate", "--confirmed"]
    )
    assert added.exit_code == 0
    result = runner.invoke(app, ["digest", "send", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["queued"] == 0 and isinstance(data["digests"], list)
    result = runner.invoke(app, ["digest", "send", "--json"])
    data = json.loads(result.stdout)
    assert data["backend"] == "file" and data["sent"] == data["queued"]
    assert data["outbox_dir"].endswith("outbox")
