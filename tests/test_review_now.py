"""An operator's decision takes effect at once: the status, the board, the API and the change
record move with the decision (one transaction, in the alerts' turn), so the next digest plans
from the decided state; and nothing is mailed twice.

Through the real composition root (config/web.py's app, `cswatch review`), a SQLite database,
the real planner and SMTP sender and a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from alerts.models import Change
from config import web as config_web
from config.cli import app as cli
from config.jobs import alerts_after_ingest, alerts_turn, digests_job
from config.locks import make_lock
from config.settings import load_settings
from config.wiring import Service
from ingest.delivery import delivery_statuses
from ingest.models import Article, ExtractionStatus, ReviewItem
from ingest.news_pipeline import authority_ids_by_slug
from ingest.news_store import EventValues, sync_events
from ingest.review import items
from tests.alerts_factories import subscriber
from tests.smtpserver import SmtpServer

SECRET = "operator-Zq8XkP2mW4vR7tY1uN6bC3dF9gH0jL5s"
runner = CliRunner()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def service(tmp_path, monkeypatch, smtp) -> Service:
    """A service on its own SQLite database, mailing the SMTP server; the quiet start recorded
    and one immediate subscriber following Norfolk, reported news included."""
    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    env = {
        "CSWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'review.db'}",
        "CSWATCH_VAR_DIR": str(tmp_path / "var"),
        "CSWATCH_MAIL__BACKEND": "smtp",
        "CSWATCH_MAIL__HOST": smtp.host,
        "CSWATCH_MAIL__PORT": str(smtp.port),
        "CSWATCH_MAIL__SECURITY": "none",
        "CSWATCH_MAIL__PUBLIC_BASE_URL": "https://cswatch.test",
        "CSWATCH_REVIEW__OPERATOR_SECRET": SECRET,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    service = Service(load_settings())
    assert alerts_after_ingest(service)["changes"] == 0  # the quiet start: a baseline
    with Session(service.engine) as session:
        subscriber(session, "reader@example.org", authorities=("norfolk",), include_reported=True)
    return service


def _held(service: Service) -> int:
    """A news article saying Norfolk decided on a trust, below the review threshold; stored,
    then the after-ingest turn (screening, change detection, digests) holds it."""
    now = datetime.now(UTC)
    with Session(service.engine) as session:
        article = Article(
            url="https://news.example/norfolk",
            canonical_url="https://news.example/norfolk",
            source="communitycare",
            title="Norfolk to move children's services into a trust",
            published=now,
            fetched_at=now,
            extraction_status=ExtractionStatus.OK,
        )
        session.add(article)
        session.flush()
        assert article.id is not None
        event = EventValues(
            authority_id=authority_ids_by_slug(session)["norfolk"],
            kind="delivery_model",
            model="trust",
            stage="decided",
            evidence="Councillors voted to move the county's children's services into a trust.",
            confidence=0.6,
        )
        sync_events(session, article.id, [event], confirmed=False)
        session.commit()
    counts = alerts_after_ingest(service)
    assert (counts["changes"], counts["digests_sent"]) == (0, 0)  # held: nothing moves
    with Session(service.engine) as session:
        (item,) = items(session)
        assert item.id is not None
        return item.id


def _client(service: Service) -> TestClient:
    return TestClient(config_web.build_app(service))


def _token(client: TestClient) -> str:
    page = client.get("/operator/review", auth=("Sam", SECRET))
    assert page.status_code == 200
    return re.search(r'name="token" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]


def _norfolk(client: TestClient) -> dict:
    rows = client.get("/api/authorities", params={"region": "East of England"}).json()
    (row,) = [r for r in rows["authorities"] if r["slug"] == "norfolk"]
    return row


def _csv_row(client: TestClient, slug: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(client.get("/board.csv").text))
    (row,) = [r for r in rows if r["slug"] == slug]
    return row


def _inbox(smtp: SmtpServer) -> list[str]:
    return [str(r.message()["Subject"]) for r in smtp.handler.received]


def test_an_accept_on_the_page_moves_status_board_api_and_the_next_digest_at_once(service, smtp):
    item_id = _held(service)
    client = _client(service)
    before = _norfolk(client)  # read (and cached) before the decision
    assert before["delivery"]["planned"] is None and before["last_change"] is None
    assert _csv_row(client, "norfolk")["last_change"] == ""
    assert _csv_row(client, "norfolk")["planned_stage"] == ""

    done = client.post(
        f"/operator/review/{item_id}",
        data={"decision": "accept", "token": _token(client), "note": "council minutes agree"},
        auth=("Sam", SECRET),
        follow_redirects=False,
    )
    assert done.status_code == 303

    # At once, with no ingest or change detection in between: the status, the API's row and
    # its last change, and the board's CSV.
    with Session(service.engine) as session:
        plan = delivery_statuses(session)["norfolk"].planned
        assert plan is not None and (plan.model, plan.stage, plan.confirmed) == (
            "trust",
            "decided",
            False,
        )
        (change,) = session.exec(select(Change)).all()
        assert change.kind == "delivery_model_changed" and not change.confirmed
    row = _norfolk(client)
    assert row["delivery"]["planned"]["stage"] == "decided"
    assert row["last_change"] is not None
    csv_row = _csv_row(client, "norfolk")
    assert csv_row["last_change"] and csv_row["planned_stage"] == "decided"

    # The next digest (the scheduled digest job alone, which detects nothing) carries it ...
    assert digests_job(service).counts["digests_sent"] == 1
    assert _inbox(smtp) == ["Norfolk: trust decided"]
    # ... and the next ingest's detection and digests send nothing more.
    counts = alerts_after_ingest(service)
    assert (counts["changes"], counts["digests_sent"]) == (0, 0)
    assert digests_job(service).counts["digests_sent"] == 0
    assert _inbox(smtp) == ["Norfolk: trust decided"]


def test_a_reject_on_the_page_changes_nothing_and_mails_nothing(service, smtp):
    item_id = _held(service)
    client = _client(service)
    done = client.post(
        f"/operator/review/{item_id}",
        data={"decision": "reject", "token": _token(client), "note": "misread"},
        auth=("Sam", SECRET),
        follow_redirects=False,
    )
    assert done.status_code == 303
    with Session(service.engine) as session:
        row = session.get(ReviewItem, item_id)
        assert row is not None and (row.state, row.decided_by) == ("rejected", "Sam")
        assert "norfolk" not in delivery_statuses(session)
        assert session.exec(select(Change)).all() == []
    assert _norfolk(client)["last_change"] is None
    assert digests_job(service).counts["digests_sent"] == 0
    assert alerts_after_ingest(service)["digests_sent"] == 0
    assert _inbox(smtp) == []


def test_an_accept_from_the_command_line_is_mailed_by_the_next_digest_once(service, smtp):
    item_id = _held(service)
    result = runner.invoke(
        cli, ["review", "accept", str(item_id), "--by", "Kim"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "1 new change" in result.stdout
    assert digests_job(service).counts["digests_sent"] == 1
    assert alerts_after_ingest(service)["digests_sent"] == 0
    assert digests_job(service).counts["digests_sent"] == 0
    assert _inbox(smtp) == ["Norfolk: trust decided"]


def test_while_change_detection_is_busy_the_page_decides_nothing_and_says_so(
    service, smtp, monkeypatch
):
    """A decision is recorded only together with the changes it makes: when the alerts' turn
    cannot be had soon, the page answers 503 and the item stays pending (never a decision
    that the next digest would not see)."""
    item_id = _held(service)
    monkeypatch.setattr(config_web, "OPERATOR_WAIT_SECONDS", 0.3)
    client = _client(service)
    token = _token(client)
    lock = make_lock(service.engine, service.settings.var_dir, "alerts")
    assert lock.try_acquire()
    try:
        busy = client.post(
            f"/operator/review/{item_id}",
            data={"decision": "accept", "token": token},
            auth=("Sam", SECRET),
            follow_redirects=False,
        )
    finally:
        lock.release()
    assert busy.status_code == 503 and busy.headers["retry-after"]
    assert "change detection" in busy.json()["detail"]
    with Session(service.engine) as session:
        assert [i.id for i in items(session)] == [item_id]  # still pending
        assert "norfolk" not in delivery_statuses(session)

    again = client.post(
        f"/operator/review/{item_id}",
        data={"decision": "accept", "token": token},
        auth=("Sam", SECRET),
        follow_redirects=False,
    )
    assert again.status_code == 303
    with alerts_turn(service):  # the turn is free again afterwards
        pass
    assert digests_job(service).counts["digests_sent"] == 1
    assert _inbox(smtp) == ["Norfolk: trust decided"]
