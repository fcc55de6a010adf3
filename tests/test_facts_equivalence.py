"""The fast reading of facts (ingest/facts.py: the review rule in the query, one date column)
gives exactly what the rule written out plainly gives, on a varied synthetic history: several
councils, an abolished county and its successors, official and news sources that disagree,
providers spelt differently, pages with no date, and every kind of review decision."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from config.wiring import load_arrangement_rows
from ingest import facts as facts_module
from ingest.delivery import delivery_histories, delivery_statuses, sync_arrangements
from ingest.facts import MIN_CONFIDENCE
from ingest.interventions import intervention_histories, intervention_statuses
from ingest.models import Article, Authority, Event, ReviewItem, ReviewState
from ingest.review import decide, items, screen_events

TODAY = date(2026, 11, 1)
COUNCILS = (
    "northamptonshire",  # abolished 2021-03-31
    "north-northamptonshire",
    "west-northamptonshire",
    "slough",
    "doncaster",
    "norfolk",
    "hackney",
    "west-sussex",
    "bradford",
)
MODELS = ("trust", "company", "cic", "partnership", "in_house")
STAGES = ("proposed", "decided", "operational", "ended", None)
PROVIDERS = (
    None,
    "Northamptonshire Children's Trust",
    "the Northamptonshire childrens trust",
    "Slough Children First",
    "Achieving for Children",
    "Children First",
)
ACTIONS = ("statutory_direction", "commissioner", "improvement_notice", "adviser")
STEPS = ("issued", "appointed", "revised", "closed", "revoked", "lifted", None)


def _reference_usable_events(session: Session, kind: str) -> list[tuple[Event, Article, str]]:
    """The review rule as written in docs/provenance.md, applied in Python to whole rows."""
    decided = dict(session.exec(select(ReviewItem.event_id, ReviewItem.state)).all())
    rows = session.exec(
        select(Event, Article, Authority.slug)
        .join(Article, col(Article.id) == Event.article_id)
        .join(Authority, col(Authority.id) == Event.authority_id)
        .where(Event.kind == kind)
    ).all()
    usable = []
    for event, article, slug in rows:
        state = decided.get(event.id)
        if state in (ReviewState.PENDING, ReviewState.REJECTED):
            continue
        confidence = event.confidence if event.confidence is not None else 1.0
        if state is None and confidence < MIN_CONFIDENCE:
            continue
        usable.append((event, article, slug))
    return usable


def _partial(rng: random.Random, day: date) -> str | None:
    return rng.choice((None, day.isoformat()[:4], day.isoformat()[:7], day.isoformat()))


def _history(session: Session, seed: int, events: int) -> None:
    """Reference arrangements plus `events` random statements, screened and partly decided."""
    rng = random.Random(seed)
    sync_arrangements(session, load_arrangement_rows())
    ids = dict(session.exec(select(Authority.slug, Authority.id)).all())
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    for n in range(events):
        official = rng.random() < 0.25
        url = (
            f"https://www.gov.uk/government/news/{seed}-{n}"
            if official
            else f"https://news.example/{seed}-{n}"
        )
        day = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 5400))
        article = Article(
            url=url,
            canonical_url=url,
            source="govuk" if official else rng.choice(("communitycare", "cypnow")),
            title=rng.choice((None, f"Article {n}")),
            # some pages give no date: the fact is dated by when it was fetched
            published=None
            if rng.random() < 0.1
            else datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=UTC),
            fetched_at=now - timedelta(days=rng.randrange(0, 30), hours=rng.randrange(24)),
        )
        session.add(article)
        session.flush()
        intervention = rng.random() < 0.3
        session.add(
            Event(
                article_id=article.id,  # type: ignore[arg-type]
                authority_id=ids[rng.choice(COUNCILS)],
                kind="intervention" if intervention else "delivery_model",
                model=None if intervention else rng.choice(MODELS),
                stage=rng.choice(STEPS if intervention else STAGES),
                provider=None if intervention else rng.choice(PROVIDERS),
                action=rng.choice(ACTIONS) if intervention else None,
                date=_partial(rng, day - timedelta(days=rng.randrange(0, 400))),
                evidence=f"sentence {n}",
                confidence=rng.choice((None, 0.3, 0.45, 0.5, 0.6, 0.69, 0.8, 0.95)),
                # a mis-set feed may mark news confirmed: provenance must not believe it
                confirmed=official or rng.random() < 0.05,
                created_at=now,
            )
        )
    session.flush()
    screen_events(session, threshold=0.7, now=now)
    for item in items(session):
        roll = rng.random()
        if roll < 0.4:
            decide(session, item.id, ReviewState.ACCEPTED, who="Sam", now=now)  # type: ignore[arg-type]
        elif roll < 0.7:
            decide(session, item.id, ReviewState.REJECTED, who="Kim", now=now)  # type: ignore[arg-type]
    # A decision outlives its event (re-extraction replaced it): it must match nothing.
    session.add(
        ReviewItem(
            event_id=10_000_000,
            summary="gone",
            source_url="https://news.example/gone",
            reason="test",
            state=ReviewState.ACCEPTED,
            created_at=now,
        )
    )
    session.commit()


def _everything(session: Session) -> tuple[object, ...]:
    return (
        delivery_statuses(session, today=TODAY),
        delivery_histories(session, today=TODAY),
        delivery_histories(session, today=TODAY, confirmed_only=True),
        intervention_statuses(session),
        intervention_histories(session),
        intervention_histories(session, confirmed_only=True),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_facts_equal_the_plain_rule(engine, monkeypatch, seed):
    with Session(engine) as session:
        _history(session, seed, events=400)
        states = {i.state for i in items(session, state=None)}
        assert {ReviewState.PENDING, ReviewState.ACCEPTED, ReviewState.REJECTED} <= states
        fast = _everything(session)
        monkeypatch.setattr(facts_module, "usable_events", _reference_usable_events)
        plain = _everything(session)

    assert fast == plain
    statuses, histories = fast[0], fast[1]
    # The history is varied enough to mean something: successors inherit, plans are pending,
    # some statuses are confirmed and some reported.
    assert {"north-northamptonshire", "west-northamptonshire", "slough"} <= set(statuses)  # type: ignore[operator]
    assert any(p.inherited_from for h in histories.values() for p in h.periods)  # type: ignore[attr-defined]
    assert any(s.planned for s in statuses.values())  # type: ignore[attr-defined]
    confirmed = {s.confirmed for s in statuses.values()}  # type: ignore[attr-defined]
    assert {True, False} <= confirmed
