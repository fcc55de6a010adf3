"""The review queue: news events that wait for an operator before they count.

A news event (not from an official source, docs/provenance.md) is held when the extractor's
confidence is below the threshold (a setting), or when it contradicts a confirmed fact: it says
an arrangement went live or ended, or that a DfE action ended, where the confirmed record says
otherwise on that date. A held event changes no status and so reaches no digest (the statuses
skip it, ingest/facts.py). An operator accepts it (it then counts, and stays 'reported') or
rejects it; each decision records who, when and why, and is kept even if a later extraction
replaces the event.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from ingest.delivery import MODEL_CLASS, delivery_histories
from ingest.facts import to_fact
from ingest.interventions import ENDING_STEPS, action_word, intervention_histories
from ingest.models import Article, Authority, Event, ReviewItem, ReviewState

REVIEWED_KINDS = ("delivery_model", "intervention")


class ReviewError(Exception):
    """An operator's request that cannot be done: no such item, or already decided."""


def _summary(event: Event, authority: str) -> str:
    values = [event.model or event.action, event.stage, event.provider, event.date]
    stated = " ".join(str(v) for v in values if v)
    confidence = f" (confidence {event.confidence:.2f})" if event.confidence is not None else ""
    sentence = f': "{event.evidence}"' if event.evidence else ""
    return f"{authority}: {event.kind.replace('_', ' ')} {stated}{confidence}{sentence}"


def _contradiction(
    session: Session, event: Event, article: Article, slug: str, context: dict[str, object]
) -> str | None:
    """Why the event contradicts the confirmed record, or None."""
    fact = to_fact(event, article)
    when = fact.effective or fact.happened
    if event.kind == "delivery_model" and event.stage in ("operational", "ended"):
        histories = context.setdefault("delivery", None) or delivery_histories(
            session, confirmed_only=True
        )
        context["delivery"] = histories
        history = histories.get(slug)  # type: ignore[union-attr]
        if history is None:
            return None
        for period in history.periods:
            if period.confirmed is not True or period.model == "in_house":
                continue
            if not ((period.start or when) <= when and (period.end is None or when < period.end)):
                continue
            model = event.model or ""
            same = MODEL_CLASS.get(model) == MODEL_CLASS.get(period.model) and (
                not event.provider or not period.provider or event.provider == period.provider
            )
            if event.stage == "operational" and not same:
                return (
                    f"says {model} is running on {when}, but the confirmed record has "
                    f"{period.model} ({period.provider or 'no provider named'}) then"
                )
            if event.stage == "ended" and same and period.end is None:
                return (
                    f"says the {period.model} ended on {when}; the confirmed record has it running"
                )
        return None
    if event.kind == "intervention" and event.stage in ENDING_STEPS:
        episodes = context.setdefault("intervention", None) or intervention_histories(
            session, confirmed_only=True
        )
        context["intervention"] = episodes
        action = action_word(event.action)
        for episode in episodes.get(slug, []):  # type: ignore[union-attr]
            if episode.action == action and episode.end is None and episode.confirmed:
                return f"says the {action} ended on {when}; the confirmed record has it in force"
    return None


def screen_events(
    session: Session, *, threshold: float, now: datetime | None = None
) -> list[ReviewItem]:
    """Hold every new news event that is unsure or contradicts the confirmed record. Events
    screened before are left alone; returns the items added (not committed)."""
    now = now or datetime.now(UTC)
    screened = set(session.exec(select(ReviewItem.event_id)).all())
    rows = session.exec(
        select(Event, Article, Authority)
        .join(Article, col(Article.id) == Event.article_id)
        .join(Authority, col(Authority.id) == Event.authority_id)
        .where(col(Event.kind).in_(REVIEWED_KINDS))
        .order_by(col(Event.id))
    ).all()
    context: dict[str, object] = {}
    added = []
    for event, article, authority in rows:
        if event.id in screened or to_fact(event, article).confirmed:
            continue
        confidence = event.confidence if event.confidence is not None else 1.0
        reason = None
        if confidence < threshold:
            reason = f"confidence {confidence:.2f} is below the review threshold {threshold:.2f}"
        else:
            contradiction = _contradiction(session, event, article, authority.slug, context)
            if contradiction:
                reason = f"contradicts a confirmed fact: {contradiction}"
        if reason is None:
            continue
        assert event.id is not None
        item = ReviewItem(
            event_id=event.id,
            authority_id=authority.id,
            summary=_summary(event, authority.name),
            source_url=article.canonical_url,
            reason=reason,
            state=ReviewState.PENDING,
            created_at=now,
        )
        session.add(item)
        added.append(item)
    session.flush()
    return added


def items(session: Session, *, state: str | None = ReviewState.PENDING) -> list[ReviewItem]:
    """Review items, oldest first; only those in `state` unless it is None."""
    query = select(ReviewItem).order_by(col(ReviewItem.id))
    if state is not None:
        query = query.where(ReviewItem.state == state)
    return list(session.exec(query).all())


def decide(
    session: Session,
    item_id: int,
    state: ReviewState,
    *,
    who: str,
    note: str | None = None,
    now: datetime | None = None,
) -> ReviewItem:
    """Accept or reject a held event, recording who, when and why (not committed)."""
    if state not in (ReviewState.ACCEPTED, ReviewState.REJECTED):
        raise ReviewError(f"a decision is accepted or rejected, not {state}")
    if not who.strip():
        raise ReviewError("a decision needs the operator's name")
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise ReviewError(f"no review item {item_id}")
    if item.state != ReviewState.PENDING:
        raise ReviewError(
            f"review item {item_id} was already {item.state} by {item.decided_by} "
            f"at {item.decided_at:%Y-%m-%d %H:%M} UTC"
            if item.decided_at
            else f"review item {item_id} was already {item.state}"
        )
    item.state = state
    item.decided_by = who.strip()[:200]
    item.decided_at = now or datetime.now(UTC)
    item.note = (note or "").strip()[:2000] or None
    session.add(item)
    session.flush()
    return item
