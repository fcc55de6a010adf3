"""`cswatch status --json` straight after `init`, and `cswatch review list|accept|reject`."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from config.cli import app
from config.database import make_engine
from ingest.models import Article, ExtractionStatus
from ingest.news_pipeline import authority_ids_by_slug
from ingest.news_store import EventValues, sync_events

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch) -> str:
    """A clean CSWATCH_* environment with its own SQLite database; returns its URL."""
    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CSWATCH_DATABASE_URL", url)
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(tmp_path / "var"))
    return url


def _invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_status_json_straight_after_init_reads_the_reference_data(env):
    assert _invoke("init").exit_code == 0
    result = _invoke("status", "--json")
    assert result.exit_code == 0, result.output
    lines = {line["slug"]: line for line in map(json.loads, result.stdout.splitlines())}
    assert len(lines) == 153  # every current council has a delivery model, in house by default
    assert all(line["delivery_model"]["model"] for line in lines.values())
    worcestershire = lines["worcestershire"]["delivery_model"]
    assert (worcestershire["model"], worcestershire["status"]) == ("in_house", "confirmed")
    assert worcestershire["since"].startswith("2024-10")
    reading = lines["reading"]["delivery_model"]
    assert (reading["model"], reading["status"]) == ("in_house", "confirmed")
    assert reading["since"].startswith("2025-10")
    bradford = lines["bradford"]["delivery_model"]
    assert (bradford["model"], bradford["status"]) == ("trust", "confirmed")
    assert bradford["since"].startswith("2023-04") and bradford["provider"]
    for successor in ("north-northamptonshire", "west-northamptonshire"):
        assert lines[successor]["delivery_model"]["model"] == "trust"
        assert lines[successor]["delivery_model"]["since"] == "2021-04-01"


def test_review_list_accept_and_reject(env):
    assert _invoke("init").exit_code == 0
    engine = make_engine(env)
    now = datetime.now(UTC)
    with Session(engine) as session:
        ids = authority_ids_by_slug(session)
        for n, (slug, confidence) in enumerate((("norfolk", 0.55), ("suffolk", 0.6))):
            article = Article(
                url=f"https://news.example/{n}",
                canonical_url=f"https://news.example/{n}",
                source="communitycare",
                title=f"Story {n}",
                published=now,
                fetched_at=now,
                extraction_status=ExtractionStatus.OK,
            )
            session.add(article)
            session.flush()
            assert article.id is not None
            event = EventValues(
                authority_id=ids[slug],
                kind="delivery_model",
                model="trust",
                stage="proposed",
                evidence="The council may move its services into a trust.",
                confidence=confidence,
            )
            sync_events(session, article.id, [event], confirmed=False)
        session.commit()
    engine.dispose()

    listed = _invoke("review", "list", "--json")
    assert listed.exit_code == 0, listed.output
    held = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [h["summary"].split(":")[0] for h in held] == ["Norfolk", "Suffolk"]
    assert all("below the review threshold" in h["reason"] for h in held)
    norfolk, suffolk = held[0]["id"], held[1]["id"]

    accepted = _invoke(
        "review", "accept", str(norfolk), "--note", "council papers agree", "--by", "Sam"
    )
    assert accepted.exit_code == 0, accepted.output
    assert "Accepted by Sam" in accepted.stdout
    rejected = _invoke("review", "reject", str(suffolk), "--note", "misread")
    assert rejected.exit_code == 0, rejected.output
    again = _invoke("review", "reject", str(norfolk), "--by", "Kim")
    assert again.exit_code == 2 and "already accepted by Sam" in again.stderr
    assert _invoke("review", "accept", "99999", "--by", "Kim").exit_code == 2

    assert _invoke("review", "list", "--json").stdout == ""
    decided = [
        json.loads(line)
        for line in _invoke("review", "list", "--all", "--json").stdout.splitlines()
    ]
    first = decided[0]
    assert (first["state"], first["decided_by"], first["note"]) == (
        "accepted",
        "Sam",
        "council papers agree",
    )
    assert decided[1]["state"] == "rejected" and decided[1]["decided_at"]

    statuses = {
        line["slug"]: line["delivery_model"]
        for line in map(json.loads, _invoke("status", "--json").stdout.splitlines())
    }
    assert statuses["norfolk"]["planned"]["status"] == "reported"  # accepted, still reported
    assert statuses["suffolk"]["planned"] is None  # rejected: never counts
