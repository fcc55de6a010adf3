"""A database filled with real data for the web tests, the screenshots and the bench.

The Ofsted replica (real PDFs) is ingested with `OfstedRun`, the reviewed delivery arrangements are
synced, change detection records its quiet start; then a few rows play scraped text written by
an attacker (XSS payloads in titles, provider names, evidence sentences and a `javascript:`
link), and some changes, so every page has something to show and to escape.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from alerts.changes import detect
from alerts.models import Change, ChangeKind
from config.wiring import load_arrangement_rows
from ingest.delivery import sync_arrangements
from ingest.http import HttpPolicy, PoliteClient
from ingest.models import Article, Authority, Event, ExtractionStatus, Publication
from ingest.pipeline import OfstedOptions, OfstedRun
from tests.localserver import LocalServer
from tests.replica import OfstedReplica

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
XSS_SLUG = "west-sussex"  # where the hostile rows are
NEWS_SLUG = "kirklees"  # a reported (news-only) delivery model


def ingest_replica(engine: Engine) -> None:
    with LocalServer() as server:
        replica = OfstedReplica(server)
        policy = HttpPolicy(
            user_agent="cswatch-tests (tests@example.org)",
            allowed_hosts=frozenset({server.host}),
            min_interval_seconds=0.0,
            max_retries=1,
            backoff_seconds=0.01,
        )
        with PoliteClient(policy) as client:
            OfstedRun(engine, client, OfstedOptions(search_url=replica.search_url))()


def _id(session: Session, slug: str) -> int:
    authority = session.exec(select(Authority).where(Authority.slug == slug)).one()
    assert authority.id is not None
    return authority.id


def fill(engine: Engine) -> None:
    """The replica's reports, the baseline, a quiet start, then hostile rows and changes."""
    ingest_replica(engine)
    now = datetime.now(UTC)
    with Session(engine) as session:
        sync_arrangements(session, load_arrangement_rows())
        session.commit()
        detect(session)
    with Session(engine) as session:
        hostile = _id(session, XSS_SLUG)
        news = _id(session, NEWS_SLUG)
        session.add(
            Publication(
                url="https://files.ofsted.gov.uk/v1/file/99999001",
                authority_id=hostile,
                provider_urn="80000",
                title=f"Focused visit {XSS}",
                kind="focused_visit",
                published=date(2025, 3, 1),
                first_seen_at=now,
            )
        )
        article = Article(
            url="https://www.communitycare.co.uk/2025/05/01/hostile/",
            canonical_url="https://www.communitycare.co.uk/2025/05/01/hostile/",
            source="communitycare",
            title=f"Council to explore trust {XSS}",
            published=now - timedelta(days=3),
            fetched_at=now,
            extraction_status=ExtractionStatus.OK,
            relevant=True,
        )
        session.add(article)
        session.flush()
        assert article.id is not None
        for authority_id, provider in ((hostile, f"Trust {XSS}"), (news, "Kirklees Trust")):
            session.add(
                Event(
                    article_id=article.id,
                    authority_id=authority_id,
                    kind="delivery_model",
                    model="trust",
                    stage="proposed",
                    provider=provider,
                    evidence=f"The council said {XSS}.",
                    confidence=0.9,
                    confirmed=False,
                    created_at=now,
                )
            )
        session.add(
            Change(
                authority_id=hostile,
                kind=ChangeKind.VISIT_PUBLISHED,
                key="https://files.ofsted.gov.uk/v1/file/99999001",
                new_value="focused_visit",
                title=f"Focused visit {XSS}",
                evidence=json.dumps(
                    [
                        {"url": "javascript:alert(1)", "title": XSS, "sentence": None},
                        {
                            "url": "https://files.ofsted.gov.uk/v1/file/99999001",
                            "title": f"Report {XSS}",
                            "sentence": None,
                        },
                    ]
                ),
                confirmed=True,
                occurred_on=date(2025, 3, 1),
                detected_at=now - timedelta(days=2),
            )
        )
        session.add(
            Change(
                authority_id=news,
                kind=ChangeKind.DELIVERY_MODEL_CHANGED,
                key="trust:proposed",
                old_value=json.dumps({"model": "in_house", "stage": "operational"}),
                new_value=json.dumps(
                    {"model": "trust", "stage": "proposed", "provider": "Kirklees Trust"}
                ),
                title="Council to explore trust",
                evidence=json.dumps(
                    [{"url": article.canonical_url, "title": "Community Care", "sentence": None}]
                ),
                confirmed=False,
                occurred_on=None,
                detected_at=now - timedelta(days=1),
            )
        )
        session.commit()
