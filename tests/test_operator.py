"""The operator's review page: behind the secret, escaped, CSRF-safe, decisions recorded."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from config.settings import load_settings
from config.web import operator_decide
from config.wiring import Service
from ingest.delivery import delivery_statuses
from ingest.models import Article, ExtractionStatus, ReviewItem
from ingest.news_pipeline import authority_ids_by_slug
from ingest.news_store import EventValues, sync_events
from ingest.review import items, screen_events
from tests.test_web import KEY, make_client
from web.app import WebOptions, create_app
from web.operator import include_operator

SECRET = "operator-Zq8XkP2mW4vR7tY1uN6bC3dF9gH0jL5s"
XSS = "<script>alert(1)</script>"


def _held(engine) -> int:
    now = datetime.now(UTC)
    with Session(engine) as session:
        article = Article(
            url="https://news.example/x",
            canonical_url="https://news.example/x",
            source="communitycare",
            title="x",
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
            evidence=f"The council said {XSS}.",
            confidence=0.6,
        )
        sync_events(session, article.id, [event], confirmed=False)
        (item,) = screen_events(session, threshold=0.7)
        session.commit()
        assert item.id is not None
        return item.id


def _service(engine, var_dir: Path) -> Service:
    """The composition root's service on the test's database (on PostgreSQL, its schema)."""
    service = Service(load_settings(var_dir=str(var_dir)))
    service.__dict__["engine"] = engine  # the cached engine: already migrated and seeded
    return service


def _client(engine, secret: str | None, var_dir: Path) -> TestClient:
    app = create_app(
        engine,
        WebOptions(secret_key=KEY, public_base_url="https://cswatch.test", from_address="a@b.c"),
        lambda *args: None,
    )
    include_operator(app, engine, secret, operator_decide(_service(engine, var_dir)))
    return TestClient(app)


def test_without_a_secret_there_is_no_page(engine, tmp_path):
    client, _ = make_client(engine)
    assert client.get("/operator/review").status_code == 404
    page = _client(engine, None, tmp_path).get("/operator/review", auth=("sam", ""))
    assert page.status_code == 404


def test_review_page_decides_with_name_time_and_note(engine, tmp_path):
    item_id = _held(engine)
    client = _client(engine, SECRET, tmp_path)
    assert client.get("/operator/review").status_code == 401
    assert client.get("/operator/review", auth=("Sam", "wrong")).status_code == 401

    page = client.get("/operator/review", auth=("Sam", SECRET))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert "below the review threshold" in page.text
    token = re.search(r'name="token" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]

    # A form posted from elsewhere (no token, or another operator's token) is refused.
    url = f"/operator/review/{item_id}"
    forged = client.post(url, data={"decision": "accept"}, auth=("Sam", SECRET))
    assert forged.status_code == 403
    other = client.post(url, data={"decision": "accept", "token": token}, auth=("Kim", SECRET))
    assert other.status_code == 403
    with Session(engine) as session:
        assert "norfolk" not in delivery_statuses(session)  # still held

    done = client.post(
        url,
        data={"decision": "accept", "token": token, "note": "confirmed by the council's papers"},
        auth=("Sam", SECRET),
        follow_redirects=False,
    )
    assert done.status_code == 303
    again = client.post(url, data={"decision": "reject", "token": token}, auth=("Sam", SECRET))
    assert again.status_code == 409
    with Session(engine) as session:
        row = session.get(ReviewItem, item_id)
        assert row is not None
        assert (row.state, row.decided_by, row.note) == (
            "accepted",
            "Sam",
            "confirmed by the council's papers",
        )
        assert row.decided_at is not None
        assert items(session) == []
        plan = delivery_statuses(session)["norfolk"].planned
        assert plan is not None and plan.confirmed is False  # accepted: counts, still reported
    listing = client.get("/operator/review", auth=("Sam", SECRET)).text
    assert "Accepted by Sam" in listing and "Nothing waits for review." in listing
