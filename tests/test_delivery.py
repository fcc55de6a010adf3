"""The delivery-model history: reference arrangements, events on top, successors, 'since'."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from config.wiring import load_arrangement_rows
from ingest.delivery import (
    ArrangementRow,
    delivery_histories,
    delivery_statuses,
    parse_partial_date,
    sync_arrangements,
)
from ingest.models import Article, Authority, DeliveryArrangement
from ingest.news_store import EventValues, sync_events

DATA = Path(__file__).parent / "data" / "arrangements"
TODAY = date(2026, 11, 1)
_counter = iter(range(10_000))


def _load(engine, name: str) -> None:
    with Session(engine) as session:
        sync_arrangements(session, load_arrangement_rows(DATA / name))
        session.commit()


def _article(session: Session, published: str, *, official: bool) -> int:
    n = next(_counter)
    url = (
        f"https://www.gov.uk/government/publications/{n}"
        if official
        else f"https://news.example/{n}"
    )
    article = Article(
        url=url,
        canonical_url=url,
        source="govuk" if official else "communitycare",
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


def say(
    session: Session,
    published: str,
    slug: str,
    *,
    confirmed: bool = False,
    confidence: float = 0.9,
    **values: str,
) -> None:
    """An article (GOV.UK when confirmed, else news) stating one event about one council."""
    kind = "intervention" if "action" in values else "delivery_model"
    article_id = _article(session, published, official=confirmed)
    event = EventValues(
        authority_id=_authority_id(session, slug),
        kind=kind,
        evidence=f"{slug} {values}",
        confidence=confidence,
        **values,  # type: ignore[arg-type]
    )
    sync_events(session, article_id, [event], confirmed=confirmed)
    session.commit()


def test_trust_then_company_then_in_house(engine):
    _load(engine, "journey.csv")
    with Session(engine) as session:
        history = delivery_histories(session, today=TODAY)["slough"]
        status = delivery_statuses(session, today=TODAY)["slough"]
    shape = [(p.model, p.provider, p.start, p.end, p.stage) for p in history.periods]
    assert shape == [
        ("in_house", None, None, date(2015, 10, 1), "ended"),
        (
            "trust",
            "Slough Children's Services Trust",
            date(2015, 10, 1),
            date(2021, 4, 1),
            "ended",
        ),
        ("company", "Slough Children First", date(2021, 4, 1), date(2024, 6, 1), "ended"),
        ("in_house", None, date(2024, 6, 1), None, "operational"),
    ]
    trust = history.periods[1]
    assert {e.url for e in trust.evidence} >= {
        "https://example.gov.uk/slough/trust-live",
        "https://example.gov.uk/slough/trust-decided",
    }
    # The return in house is the company's ended date, with its source.
    back = history.periods[-1]
    assert back.start_text == "2024-06" and back.confirmed is True
    assert [e.url for e in back.evidence] == ["https://example.gov.uk/slough/back-in-house"]
    assert (status.model, status.provider, status.since, status.confirmed) == (
        "in_house",
        None,
        date(2024, 6, 1),
        True,
    )
    # Before the company's end, the company was the position.
    with Session(engine) as session:
        earlier = delivery_statuses(session, today=date(2023, 1, 1))["slough"]
    assert (earlier.model, earlier.since) == ("company", date(2021, 4, 1))


def test_successor_councils_inherit_a_running_trust_at_abolition(engine):
    _load(engine, "successors.csv")
    with Session(engine) as session:
        histories = delivery_histories(session, today=TODAY)
        statuses = delivery_statuses(session, today=TODAY)
    county = histories["northamptonshire"].periods
    assert [(p.model, p.start, p.end) for p in county] == [
        ("in_house", None, date(2020, 11, 1)),
        ("trust", date(2020, 11, 1), date(2021, 3, 31)),
    ]
    for slug in ("north-northamptonshire", "west-northamptonshire"):
        periods = histories[slug].periods
        assert [(p.model, p.provider, p.start, p.end) for p in periods] == [
            ("trust", "Northamptonshire Children's Trust", date(2021, 4, 1), None)
        ]
        assert periods[0].inherited_from == "Northamptonshire"
        assert "since 2020-11-01" in (periods[0].note or "")
        assert statuses[slug].since == date(2021, 4, 1) and statuses[slug].confirmed
    # Its own record stays, ended at abolition: never shown as still running.
    county_status = statuses["northamptonshire"]
    assert (county_status.model, county_status.stage) == ("trust", "ended")


def test_a_late_article_naming_the_old_county_goes_to_its_successors(engine):
    _load(engine, "successors.csv")
    with Session(engine) as session:
        say(
            session,
            "2025-02-01",
            "northamptonshire",
            model="in_house",
            stage="decided",
        )
        statuses = delivery_statuses(session, today=TODAY)
    for slug in ("north-northamptonshire", "west-northamptonshire"):
        assert statuses[slug].model == "trust"
        assert statuses[slug].planned is not None
        assert (statuses[slug].planned.model, statuses[slug].planned.stage) == (
            "in_house",
            "decided",
        )


def test_plans_abandoned_and_ended_partnerships(engine):
    _load(engine, "plans.csv")
    with Session(engine) as session:
        histories = delivery_histories(session, today=TODAY)
        statuses = delivery_statuses(session, today=TODAY)
    assert [(p.model, p.stage) for p in histories["west-sussex"].plans] == [("trust", "abandoned")]
    assert "west-sussex" not in statuses or statuses["west-sussex"].planned is None
    kirklees = histories["kirklees"].periods
    assert [(p.model, p.provider, p.start, p.end) for p in kirklees] == [
        ("in_house", None, None, date(2017, 10, 1)),
        ("partnership", "Leeds City Council", date(2017, 10, 1), date(2020, 1, 13)),
        ("in_house", None, date(2020, 1, 13), None),
    ]
    hackney = statuses["hackney"]
    assert (hackney.model, hackney.since) == ("in_house", None)
    assert hackney.planned is not None
    assert (hackney.planned.model, hackney.planned.stage, hackney.planned.since) == (
        "trust",
        "decided",
        date(2024, 6, 1),
    )
    assert hackney.headline()["stage"] == "decided"


def test_sync_is_idempotent_and_replaces_changed_rows(engine):
    _load(engine, "journey.csv")
    with Session(engine) as session:
        assert sync_arrangements(session, load_arrangement_rows(DATA / "journey.csv")) == 0
        assert sync_arrangements(session, load_arrangement_rows(DATA / "successors.csv")) == 3
        session.commit()
        rows = session.exec(select(DeliveryArrangement)).all()
    assert [r.model for r in rows] == ["trust"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (ArrangementRow("atlantis", "trust", None, "decided", decided="2020"), "unknown council"),
        (
            ArrangementRow("sunderland", "charity", None, "decided", decided="2020"),
            "model 'charity'",
        ),
        (ArrangementRow("sunderland", "trust", None, "decided", decided="2020"), "no source URL"),
        (
            ArrangementRow(
                "northamptonshire",
                "trust",
                None,
                "decided",
                decided="2022",
                decided_source="https://example.gov.uk/x",
            ),
            "no longer existed",
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_reason_and_nothing_written(engine, row, reason):
    with Session(engine) as session:
        good = load_arrangement_rows(DATA / "journey.csv")
        with pytest.raises(ValueError, match=reason):
            sync_arrangements(session, [*good, row])
        session.rollback()
        assert session.exec(select(DeliveryArrangement)).all() == []


def test_dates_out_of_order_are_refused(engine):
    with (
        Session(engine) as session,
        pytest.raises(ValueError, match="operational 2017-04 is before decided"),
    ):
        sync_arrangements(session, load_arrangement_rows(DATA / "bad_order.csv"))


def test_news_moves_a_plan_on_and_stays_reported(engine):
    with Session(engine) as session:
        say(session, "2024-01-10", "west-sussex", model="trust", stage="proposed")
        assert delivery_statuses(session)["west-sussex"].planned.stage == "proposed"  # type: ignore[union-attr]
        say(session, "2024-06-01", "west-sussex", model="trust", stage="decided", date="2025-04")
        plan = delivery_statuses(session)["west-sussex"].planned
        assert plan is not None and (plan.model, plan.stage, plan.confirmed) == (
            "trust",
            "decided",
            False,
        )
        # GOV.UK states the same stage: now confirmed.
        say(session, "2024-08-01", "west-sussex", model="trust", stage="decided", confirmed=True)
        plan = delivery_statuses(session)["west-sussex"].planned
        assert plan is not None and plan.confirmed and len(plan.evidence) >= 2


def test_news_extends_the_reference_and_a_return_in_house_ends_it(engine):
    _load(engine, "successors.csv")
    with Session(engine) as session:
        say(
            session,
            "2026-05-01",
            "west-northamptonshire",
            model="in_house",
            stage="operational",
            date="2026-04",
        )
        history = delivery_histories(session, today=TODAY)["west-northamptonshire"]
        status = delivery_statuses(session, today=TODAY)["west-northamptonshire"]
    assert [(p.model, p.start, p.end) for p in history.periods] == [
        ("trust", date(2021, 4, 1), date(2026, 4, 1)),
        ("in_house", date(2026, 4, 1), None),
    ]
    assert (status.model, status.since, status.confirmed) == ("in_house", date(2026, 4, 1), False)


def test_a_confirmed_page_cannot_come_from_a_news_host(engine):
    """Provenance: an event stored as confirmed from a non-primary address stays reported."""
    with Session(engine) as session:
        article_id = _article(session, "2024-01-01", official=False)
        sync_events(
            session,
            article_id,
            [
                EventValues(
                    authority_id=_authority_id(session, "hackney"),
                    kind="delivery_model",
                    model="trust",
                    stage="decided",
                    confidence=0.9,
                )
            ],
            confirmed=True,
        )
        session.commit()
        plan = delivery_statuses(session)["hackney"].planned
    assert plan is not None and plan.confirmed is False


def test_unsure_events_are_ignored_until_reviewed(engine):
    with Session(engine) as session:
        say(session, "2024-01-01", "hackney", model="trust", stage="decided", confidence=0.3)
        assert "hackney" not in delivery_statuses(session)


def test_the_shipped_reference_data_is_right_where_the_issue_says(engine):
    """What is known from issue 10 about today's position (the research owns the rest)."""
    with Session(engine) as session:
        sync_arrangements(session, load_arrangement_rows())
        session.commit()
        statuses = delivery_statuses(session)
        histories = delivery_histories(session)
    worcestershire = statuses["worcestershire"]
    assert worcestershire.model == "in_house" and worcestershire.confirmed
    assert (worcestershire.since or date.min).isoformat()[:7] == "2024-10"
    reading = statuses["reading"]
    assert reading.model == "in_house" and reading.confirmed
    assert (reading.since or date.min).isoformat()[:7] == "2025-10"
    bradford = statuses["bradford"]
    assert bradford.model == "trust" and bradford.confirmed
    assert (bradford.since or date.min).isoformat()[:7] == "2023-04"
    # Every ended arrangement is a period of its council's history, with its sources.
    for slug in ("worcestershire", "reading"):
        ended = [p for p in histories[slug].periods if p.model != "in_house" and p.end]
        assert ended and all(p.evidence for p in ended)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2017", date(2017, 1, 1)), ("2017-04", date(2017, 4, 1)), ("2017-04-03", date(2017, 4, 3))],
)
def test_partial_dates(text, expected):
    assert parse_partial_date(text) == expected
    assert parse_partial_date("soon") is None
