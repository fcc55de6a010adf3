"""Facts from events: which events count, when each happened, and the evidence it gives.

Shared by the delivery-model history (ingest/delivery.py) and the interventions
(ingest/interventions.py), so both apply the same review and provenance rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ingest.models import Article, Authority, Event, ReviewItem, ReviewState
from ingest.provenance import event_confirmed

MIN_CONFIDENCE = 0.5  # a floor for events not yet screened (the review threshold is a setting)
STAGE_RANK = {"proposed": 1, "decided": 2, "operational": 3, "ended": 4}


@dataclass(frozen=True)
class Evidence:
    url: str
    title: str | None
    sentence: str | None


# -- dates --------------------------------------------------------------------------------


def parse_partial_date(value: str | None) -> date | None:
    """'2017' -> 2017-01-01, '2017-04' -> 2017-04-01, '2017-04-03' -> itself."""
    if not value:
        return None
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts[:3]] + [1] * (3 - len(parts[:3]))
        return date(*numbers)
    except (TypeError, ValueError):
        return None


def _day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    # Naive values were written in UTC (SQLite); aware ones may come in another zone.
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


# -- facts from events --------------------------------------------------------------------


class Fact(NamedTuple):
    """One usable event with what the derivation needs: when it happened, how sure we are (a
    tuple: one is made per event on every derivation)."""

    event: Event | EventRow
    article: Article | ArticleRow
    happened: date
    effective: date | None
    confirmed: bool

    def evidence(self) -> Evidence:
        return Evidence(self.article.canonical_url, self.article.title, self.event.evidence)


class EventRow(NamedTuple):
    """The columns of an event the derivations read (plain values, not ORM objects, and tuples,
    the cheapest to make: the board derives every council's status on each new version of the
    data)."""

    id: int
    confidence: float | None
    model: str | None
    stage: str | None
    provider: str | None
    action: str | None
    date: str | None
    evidence: str | None
    confirmed: bool


class ArticleRow(NamedTuple):
    canonical_url: str
    title: str | None
    seen: datetime  # published, or when fetched if the page gives no date: what dates a fact
    source: str


_EVENT_COLUMNS = (
    Event.id,
    Event.confidence,
    Event.model,
    Event.stage,
    Event.provider,
    Event.action,
    Event.date,
    Event.evidence,
    Event.confirmed,
)
_ARTICLE_COLUMNS = (
    Article.canonical_url,
    Article.title,
    func.coalesce(Article.published, Article.fetched_at).label("seen"),
    Article.source,
)
_NOT_COUNTED = (ReviewState.PENDING, ReviewState.REJECTED)


def usable_events(session: Session, kind: str) -> list[tuple[EventRow, ArticleRow, str]]:
    """(event, article, authority slug) of every event of the kind that may count: not held for
    review or rejected; unscreened news below MIN_CONFIDENCE left out until an operator says.

    The review rule is applied by the query (one outer join: at most one review item per
    event) and only the date that counts is read, since the board and change detection run
    this over every event after each ingest; tests/test_facts_equivalence.py holds it to the
    rule written out plainly."""
    state = col(ReviewItem.state)
    rows = (
        session.connection()
        .execute(  # plain rows: no ORM loading for plain columns
            select(*_EVENT_COLUMNS, *_ARTICLE_COLUMNS, Authority.slug)  # type: ignore[call-overload]
            .join(Article, col(Article.id) == Event.article_id)
            .join(Authority, col(Authority.id) == Event.authority_id)
            .outerjoin(ReviewItem, col(ReviewItem.event_id) == Event.id)
            .where(Event.kind == kind)
            .where(or_(state.is_(None), state.not_in(_NOT_COUNTED)))
            .where(
                or_(
                    state.is_not(None),
                    col(Event.confidence).is_(None),
                    col(Event.confidence) >= MIN_CONFIDENCE,
                )
            )
        )
        .all()
    )
    split = len(_EVENT_COLUMNS)
    event, article = EventRow._make, ArticleRow._make
    return [(event(row[:split]), article(row[split:-1]), row[-1]) for row in rows]


def facts(session: Session, kind: str, *, confirmed_only: bool = False) -> dict[str, list[Fact]]:
    """Usable events of a kind by authority slug, in the order they happened (only those from
    official sources when `confirmed_only`: the confirmed record)."""
    by_slug: dict[str, list[Fact]] = defaultdict(list)
    for event, article, slug in usable_events(session, kind):
        fact = to_fact(event, article)
        if fact.confirmed or not confirmed_only:
            by_slug[slug].append(fact)
    for items in by_slug.values():
        # Same day: the confirmed fact last, so it has the final word on that day.
        items.sort(key=lambda f: (f.happened, f.confirmed, STAGE_RANK.get(f.event.stage or "", 0)))
    return by_slug


def to_fact(event: Event | EventRow, article: Article | ArticleRow) -> Fact:
    if isinstance(article, ArticleRow):
        published = _day(article.seen) or date.min
    else:
        published = _day(article.published) or _day(article.fetched_at) or date.min
    effective = parse_partial_date(event.date)
    # An operational or ended stage with its own earlier date ('In October 2014 Doncaster
    # became...') happened then; anything else happened when it was published.
    dated_past = event.stage in ("operational", "ended") and (effective or date.max) <= published
    happened = effective if effective and dated_past else published
    return Fact(
        event,
        article,
        happened,
        effective,
        event_confirmed(event.confirmed, article.source, article.canonical_url),
    )
