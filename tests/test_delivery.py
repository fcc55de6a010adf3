"""Delivery-model and intervention status derived from events and the curated baseline."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from config.wiring import load_delivery_baseline
from ingest.delivery import (
    BaselineRow,
    delivery_statuses,
    intervention_statuses,
    parse_partial_date,
    sync_baseline,
)
from ingest.models import Article, Authority, Event
from ingest.news_store import EventValues, sync_events

_counter = iter(range(10_000))


@pytest.fixture
def engine(engine):
    """The migrated database with the curated baseline in it, as the service seeds it."""
    with Session(engine) as session:
        sync_baseline(session, load_delivery_baseline())
        session.commit()
    return engine


def _article(session: Session, published: str, *, source: str = "communitycare") -> int:
    n = next(_counter)
    article = Article(
        url=f"https://news.example/{n}",
        canonical_url=f"https://news.example/{n}",
        source=source,
        title=f"Article {n}",
        published=datetime.fromisoformat(published).replace(tzinfo=UTC),
        fetched_at=datetime.now(UTC),
        relevant=True,
    )
    session.add(article)
    session.flush()
    assert article.id is not None
    return article.id


def _authority_id(session: Session, slug: str) -> int:
    row = session.exec(select(Authority).where(Authority.slug == slug)).one()
    assert row.id is not None
    return row.id


def _say(
    session: Session,
    published: str,
    slug: str,
    *,
    confirmed: bool = False,
    confidence: float = 0.9,
    **values: str,
) -> None:
    kind = "intervention" if "action" in values else "delivery_model"
    article_id = _article(session, published, source="govuk" if confirmed else "communitycare")
    event = EventValues(
        authority_id=_authority_id(session, slug),
        kind=kind,
        evidence=f"{slug} {values}",
        confidence=confidence,
        **values,  # type: ignore[arg-type]
    )
    sync_events(session, article_id, [event], confirmed=confirmed)
    session.commit()


def test_baseline_rows_are_confirmed_statuses(engine):
    baseline = load_delivery_baseline()
    assert all(row.source_url.startswith("https://") for row in baseline)
    with Session(engine) as session:
        statuses = delivery_statuses(session)
    assert {row.authority for row in baseline} == set(statuses)
    doncaster = statuses["doncaster"]
    assert (doncaster.model, doncaster.stage, doncaster.confirmed) == (
        "in_house",
        "operational",
        True,
    )
    assert doncaster.since == date(2022, 1, 1)
    slough = statuses["slough"]
    assert (slough.model, slough.provider, slough.since) == (
        "company",
        "Slough Children First",
        date(2021, 4, 1),
    )
    kingston = statuses["kingston-upon-thames"]
    assert kingston.provider == "Achieving for Children"
    assert kingston.evidence[0].url == "https://www.achievingforchildren.org.uk/"


def test_baseline_sync_is_idempotent_and_rejects_unknown_authorities(engine):
    with Session(engine) as session:
        before = len(session.exec(select(Event)).all())
        assert sync_baseline(session, load_delivery_baseline()) == 0
        session.commit()
        assert len(session.exec(select(Event)).all()) == before
        with pytest.raises(ValueError, match="atlantis"):
            sync_baseline(
                session,
                [BaselineRow("atlantis", "trust", None, "decided", None, "https://x.example/")],
            )


def test_news_moves_a_stage_on_and_stays_reported(engine):
    with Session(engine) as session:
        _say(session, "2024-01-10", "west-sussex", model="trust", stage="proposed")
        assert delivery_statuses(session)["west-sussex"].stage == "proposed"
        _say(session, "2024-06-01", "west-sussex", model="trust", stage="decided", date="2025-04")
        status = delivery_statuses(session)["west-sussex"]
        assert (status.model, status.stage, status.confirmed) == ("trust", "decided", False)
        assert status.since == date(2025, 4, 1)
        # An older article recalling the proposal changes nothing.
        _say(session, "2024-07-01", "west-sussex", model="trust", stage="proposed")
        assert delivery_statuses(session)["west-sussex"].stage == "decided"
        # GOV.UK confirms the same stage: now confirmed, with both pieces of evidence.
        _say(session, "2024-08-01", "west-sussex", model="trust", stage="decided", confirmed=True)
        status = delivery_statuses(session)["west-sussex"]
        assert status.confirmed and len(status.evidence) >= 2


def test_a_proposal_never_overrides_a_running_arrangement_but_an_end_does(engine):
    with Session(engine) as session:
        _say(session, "2025-01-01", "sunderland", model="in_house", stage="proposed")
        assert delivery_statuses(session)["sunderland"].model == "company"
        _say(
            session,
            "2025-03-01",
            "sunderland",
            model="company",
            stage="ended",
            provider="Together for Children",
        )
        status = delivery_statuses(session)["sunderland"]
        assert (status.model, status.stage, status.provider) == (
            "company",
            "ended",
            "Together for Children",
        )
        _say(session, "2025-04-01", "sunderland", model="in_house", stage="operational")
        assert delivery_statuses(session)["sunderland"].model == "in_house"


def test_a_past_operational_date_places_the_event_in_the_past(engine):
    """A 2017 article saying 'in 2014 X became...' is history before a 2016 decision."""
    with Session(engine) as session:
        _say(session, "2016-05-01", "bromley", model="trust", stage="decided")
        _say(
            session, "2017-01-18", "bromley", model="partnership", stage="operational", date="2014"
        )
        status = delivery_statuses(session)["bromley"]
        assert (status.model, status.stage) == ("trust", "decided")


def test_unsure_events_are_ignored(engine):
    with Session(engine) as session:
        _say(session, "2024-01-01", "hackney", model="trust", stage="decided", confidence=0.3)
        assert "hackney" not in delivery_statuses(session)


def test_interventions_accumulate_and_lapse(engine):
    with Session(engine) as session:
        _say(session, "2012-01-01", "surrey", action="improvement_notice")
        _say(session, "2016-01-01", "surrey", action="direction", confirmed=True)
        _say(session, "2016-06-01", "surrey", action="commissioner")
        status = intervention_statuses(session)["surrey"]
        assert status.actions == ("commissioner", "direction")  # the 2012 notice lapsed
        assert status.since == date(2016, 1, 1)
        assert status.confirmed


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2017", date(2017, 1, 1)), ("2017-04", date(2017, 4, 1)), ("2017-04-03", date(2017, 4, 3))],
)
def test_partial_dates(text, expected):
    assert parse_partial_date(text) == expected
    assert parse_partial_date("soon") is None
