"""Provenance and review, end to end: news is 'reported' until an official source confirms it
(upgraded and mailed once), and doubtful news waits for an operator.

The articles are our own words, run through the real extractor and stored as the news and GOV.UK
runs store them; the digests go through the real planner and SMTP sender to a real SMTP server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from alerts.changes import detect
from alerts.delivery import SmtpBackend, SmtpOptions, deliver
from alerts.digest import Renderer, plan
from alerts.models import Change, ChangeKind
from config.wiring import (
    AUTHORITIES_CSV,
    PROVIDERS_CSV,
    load_arrangement_rows,
    load_decision_rules,
)
from ingest.decisions import read_decisions
from ingest.delivery import delivery_statuses, sync_arrangements
from ingest.extract.events import EventExtractor, ProviderRegistry
from ingest.gazetteer import Gazetteer, load_authorities
from ingest.models import Article, ExtractionStatus, ReviewItem, ReviewState
from ingest.news_pipeline import analyse, authority_ids_by_slug
from ingest.news_store import EventValues, sync_events
from ingest.provenance import is_primary_url
from ingest.review import ReviewError, decide, items, screen_events
from tests.alerts_factories import delivery_options, digest_options, subscriber
from tests.smtpserver import SmtpServer

GAZETTEER = Gazetteer(load_authorities(AUTHORITIES_CSV))
EXTRACTOR = EventExtractor(GAZETTEER, ProviderRegistry.from_csv(PROVIDERS_CSV))
THRESHOLD = 0.7
T0 = datetime(2026, 10, 22, 9, 0, tzinfo=UTC)

NEWS = (
    "Norfolk to move children's services into a trust",
    "Councillors in Norfolk have voted to transfer the county's children's social care services "
    "to an independent trust, following a commissioner's review.",
)
GOVUK = (
    "Direction issued to Norfolk County Council",
    "The Secretary of State has issued a statutory direction to Norfolk County Council about "
    "its children's services. The direction requires the council to transfer its children's "
    "social care services to an independent children's services trust, as the commissioner "
    "recommended.",
)
UNSURE = (
    "Norfolk children's services",
    "Norfolk County Council's children's services will move to an independent trust, after the "
    "education secretary decided the council could not improve them quickly enough on its own.",
)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def _store(engine: Engine, url: str, source: str, text: tuple[str, str], day: datetime) -> None:
    """Store an article and its extracted events as the news (or GOV.UK) run does."""
    with Session(engine) as session:
        article = Article(
            url=url,
            canonical_url=url,
            source=source,
            title=text[0],
            text=text[1],
            published=day,
            fetched_at=day,
            extraction_status=ExtractionStatus.OK,
        )
        session.add(article)
        session.flush()
        analyse(
            session,
            article,
            EXTRACTOR,
            authority_ids_by_slug(session),
            confirmed=source == "govuk",
        )
        session.commit()


def _settle_and_detect(engine: Engine, now: datetime) -> list[Change]:
    """What the service does after every ingest: decisions, screening, then change detection."""
    ids = None
    with Session(engine) as session:
        ids = authority_ids_by_slug(session)
        read_decisions(
            session,
            load_decision_rules(),
            lambda name, on: ids.get(GAZETTEER.resolve(name, on=on).slug),
        )
        screen_events(session, threshold=THRESHOLD, now=now)
        session.commit()
        return detect(session, now=now).changes


def _mail(engine: Engine, smtp: SmtpServer, now: datetime) -> int:
    with Session(engine) as session:
        plan(session, Renderer(digest_options()), now=now)
    backend = SmtpBackend(SmtpOptions(host=smtp.host, port=smtp.port, security="none", timeout=5))
    return deliver(engine, backend, delivery_options(), now=lambda: now).sent


def _inboxes(smtp: SmtpServer) -> dict[str, list[str]]:
    boxes: dict[str, list[str]] = {}
    for received in smtp.handler.received:
        for rcpt in received.rcpt_tos:
            boxes.setdefault(rcpt, []).append(str(received.message()["Subject"]))
    return boxes


@pytest.fixture
def watched(engine: Engine) -> Engine:
    """The reference data loaded, its quiet start recorded, two followers of Norfolk."""
    with Session(engine) as session:
        sync_arrangements(session, load_arrangement_rows())
        session.commit()
        assert detect(session, now=T0 - timedelta(days=1)).quiet_start
        subscriber(session, "reader@example.org", authorities=("norfolk",), include_reported=True)
        subscriber(
            session, "official@example.org", authorities=("norfolk",), include_reported=False
        )
    return engine


def test_a_reported_event_is_upgraded_by_a_govuk_decision_and_mailed_once(watched, smtp):
    engine = watched
    _store(engine, "https://www.communitycare.co.uk/norfolk-trust", "communitycare", NEWS, T0)
    (reported,) = _settle_and_detect(engine, T0)
    assert reported.kind == ChangeKind.DELIVERY_MODEL_CHANGED and not reported.confirmed
    assert json.loads(reported.new_value or "{}")["stage"] == "decided"
    assert _mail(engine, smtp, T0) == 1
    assert _inboxes(smtp) == {"reader@example.org": ["Norfolk: trust decided"]}

    later = T0 + timedelta(days=5)
    url = "https://www.gov.uk/government/publications/direction-issued-to-norfolk-county-council"
    _store(engine, url, "govuk", GOVUK, later)
    changes = _settle_and_detect(engine, later)
    upgrades = [c for c in changes if c.kind == ChangeKind.DELIVERY_MODEL_CHANGED]
    assert len(upgrades) == 1 and upgrades[0].confirmed
    assert json.loads(upgrades[0].new_value or "{}")["upgraded"] is True
    with Session(engine) as session:
        plan_ = delivery_statuses(session)["norfolk"].planned
        assert plan_ is not None and plan_.confirmed
        assert {e.url for e in plan_.evidence} >= {url}
    assert _mail(engine, smtp, later) == 2

    # Detecting and mailing again sends nothing more: the upgrade went out once.
    again = later + timedelta(hours=1)
    assert [c for c in _settle_and_detect(engine, again) if c.kind != "intervention_changed"] == []
    assert _mail(engine, smtp, again) == 0
    assert _inboxes(smtp) == {
        # The decision page also states the direction and (as background) the commissioner:
        # reported interventions, which only the subscriber who asked for reported news gets.
        "reader@example.org": [
            "Norfolk: trust decided",
            "Norfolk: trust decided now confirmed, DfE commissioner, statutory direction",
        ],
        "official@example.org": ["Norfolk: trust decided now confirmed"],
    }


def test_a_low_confidence_event_is_held_in_review_and_released_by_accept(watched, smtp):
    engine = watched
    _store(engine, "https://www.cypnow.co.uk/norfolk", "cypnow", UNSURE, T0)
    assert _settle_and_detect(engine, T0) == []  # held: no status change, no digest
    assert _mail(engine, smtp, T0) == 0
    with Session(engine) as session:
        assert "norfolk" not in delivery_statuses(session)
        (held,) = items(session)
        assert "below the review threshold 0.70" in held.reason
        assert held.source_url == "https://www.cypnow.co.uk/norfolk"
        assert held.summary.startswith("Norfolk: delivery model trust proposed")
        assert held.id is not None
        decide(session, held.id, ReviewState.ACCEPTED, who="Sam Operator", note="checked", now=T0)
        session.commit()
        with pytest.raises(ReviewError, match="already accepted by Sam Operator"):
            decide(session, held.id, ReviewState.REJECTED, who="Someone Else")
        row = session.get(ReviewItem, held.id)
        assert row is not None
        assert (row.decided_by, row.note, row.state) == ("Sam Operator", "checked", "accepted")

    later = T0 + timedelta(hours=1)
    (released,) = _settle_and_detect(engine, later)
    assert not released.confirmed  # accepted events stay 'reported'
    with Session(engine) as session:
        status = delivery_statuses(session)["norfolk"]
        assert status.planned is not None and status.planned.confirmed is False
        assert items(session) == []  # not screened twice
    assert _mail(engine, smtp, later) == 1
    assert _inboxes(smtp) == {"reader@example.org": ["Norfolk: trust proposed"]}


def test_news_contradicting_a_confirmed_fact_waits_and_a_rejection_drops_it(watched):
    """Bradford's trust has run its services since 2023 (reference data); a news line that
    says they run in house now waits for an operator."""
    engine = watched
    with Session(engine) as session:
        before = delivery_statuses(session)["bradford"]
    with Session(engine) as session:  # as a news run stores what its extractor read
        article = Article(
            url="https://news.example/bradford",
            canonical_url="https://news.example/bradford",
            source="communitycare",
            title="Bradford children's services",
            text="Bradford's children's services returned to council control in October 2026.",
            published=T0,
            fetched_at=T0,
            extraction_status=ExtractionStatus.OK,
        )
        session.add(article)
        session.flush()
        assert article.id is not None
        event = EventValues(
            authority_id=authority_ids_by_slug(session)["bradford"],
            kind="delivery_model",
            model="in_house",
            stage="operational",
            date="2026-10",
            evidence=article.text,
            confidence=0.9,
        )
        sync_events(session, article.id, [event], confirmed=False)
        session.commit()
    assert _settle_and_detect(engine, T0) == []
    with Session(engine) as session:
        (held,) = items(session)
        assert held.reason.startswith("contradicts a confirmed fact")
        assert delivery_statuses(session)["bradford"] == before
        assert held.id is not None
        decide(session, held.id, ReviewState.REJECTED, who="Sam", note="the trust still runs")
        session.commit()
    assert _settle_and_detect(engine, T0 + timedelta(hours=1)) == []


@pytest.mark.parametrize(
    ("url", "primary"),
    [
        ("https://www.gov.uk/government/publications/x", True),
        ("https://reports.ofsted.gov.uk/provider/44/80462", True),
        ("https://www.bradford.gov.uk/children", True),
        ("http://www.gov.uk/x", False),
        ("https://www.communitycare.co.uk/x", False),
        ("https://gov.uk.example.com/x", False),
        ("https://notgov.uk/x", False),
        (None, False),
    ],
)
def test_primary_sources(url, primary):
    assert is_primary_url(url) is primary
