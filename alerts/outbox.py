"""The operator's side of the outbox: what is undelivered, and holding, releasing, dropping it.

Temporary failures are retried for ever (alerts/delivery.py), so a mailbox that answers 452 for
ever keeps its digest in the outbox for ever. An operator settles it here:

- hold: not sent until released (the mailbox owner is being asked to fix it);
- release: a held digest is tried again at the next run;
- drop: never sent, ever. The row stays, with its attempts and last SMTP reply.

Every action records who, when and why (OutboxAction), in the transaction that changes the row.
Each is one conditional update, so it is ordered against the senders' fence: a row a sender has
claimed but not yet started loses its claim and is not sent by that sender; a row whose SMTP
transaction may be under way (in flight, under a live claim) is refused, and the operator is
told to try again once it has been sent or has failed. A claim older than the lease is taken as
dead, as the senders themselves take it (reclaim).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, func, or_, update
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from alerts import subscribers as subs
from alerts.models import Outbox, OutboxAction, OutboxActionKind, OutboxState, Subscriber

Action = OutboxActionKind

UNDELIVERED = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.HELD)
# The states each action starts from ('sending': only when not in flight, or when dead).
FROM = {
    Action.HOLD: (OutboxState.PENDING, OutboxState.SENDING),
    Action.RELEASE: (OutboxState.HELD,),
    Action.DROP: (OutboxState.PENDING, OutboxState.SENDING, OutboxState.HELD),
}
DONE = {Action.HOLD: "Held", Action.RELEASE: "Released", Action.DROP: "Dropped"}


class OutboxError(Exception):
    """A request that cannot be done: no such digest or subscriber, no reason given."""


@dataclass
class Refusal:
    outbox_id: int
    recipient: str
    reason: str
    busy: bool = False  # being sent right now: worth trying again shortly


@dataclass(frozen=True)
class Done:
    id: int
    recipient: str


@dataclass
class Settled:
    done: list[Done] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


@dataclass
class Waiting:
    """One digest, as an operator reads it, with every action taken on it (oldest first)."""

    row: Outbox
    actions: list[OutboxAction]

    def overdue(self, now: datetime, window_seconds: float) -> bool:
        first = _aware(self.row.first_failed_at)
        return (
            self.row.state in (OutboxState.PENDING, OutboxState.SENDING)
            and first is not None
            and (now - first).total_seconds() >= window_seconds
        )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class Listing:
    items: list[Waiting]
    total: int  # how many match, `items` being the first `limit` of them


def undelivered(
    session: Session,
    *,
    subscriber: str | None = None,
    every: bool = False,
    limit: int | None = None,
) -> Listing:
    """Digests not delivered (pending, being sent, held), oldest first; `every`: also failed,
    dropped and sent ones. The message bytes are not loaded."""
    where = []
    if not every:
        where.append(col(Outbox.state).in_(UNDELIVERED))
    if subscriber is not None:
        where.append(Outbox.subscriber_id == _subscriber(session, subscriber).id)
    total = session.exec(select(func.count()).select_from(Outbox).where(*where)).one()
    query = (
        select(Outbox)
        .options(defer(Outbox.message))  # type: ignore[arg-type]
        .where(*where)
        .order_by(col(Outbox.created_at), col(Outbox.id))
        .limit(limit)
    )
    rows = session.exec(query).all()
    actions: dict[int, list[OutboxAction]] = {}
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 500):
        for action in session.exec(
            select(OutboxAction)
            .where(col(OutboxAction.outbox_id).in_(ids[start : start + 500]))
            .order_by(col(OutboxAction.id))
        ):
            actions.setdefault(action.outbox_id, []).append(action)
    return Listing([Waiting(r, actions.get(r.id or 0, [])) for r in rows], int(total))


def _subscriber(session: Session, email: str) -> Subscriber:
    try:
        return subs.get(session, email)
    except subs.SubscriberError as exc:
        raise OutboxError(str(exc)) from exc


def settle(
    session: Session,
    action: Action,
    *,
    ids: Sequence[int] = (),
    subscriber: str | None = None,
    who: str,
    note: str,
    now: datetime,
    lease_seconds: float,
) -> Settled:
    """Hold, release or drop the digests given by id, or every one of a subscriber's that the
    action applies to. The caller commits (promptly: the rows stay locked until then).

    Raises OutboxError when nothing could be asked (no reason, no such subscriber, or that
    subscriber has nothing to act on); a digest that cannot be acted on is a Refusal.
    """
    who, note = who.strip(), note.strip()
    if not who:
        raise OutboxError("say who acts: --by NAME")
    if not note:
        raise OutboxError(f"say why the digest is {DONE[action].lower()}: --note TEXT")
    wanted = list(dict.fromkeys(ids))
    if subscriber is not None:
        owner = _subscriber(session, subscriber)
        found = session.exec(
            select(Outbox.id)
            .where(Outbox.subscriber_id == owner.id, col(Outbox.state).in_(FROM[action]))
            .order_by(col(Outbox.id))
        ).all()
        if not found and not wanted:
            what = "held digest" if action == Action.RELEASE else "undelivered digest"
            raise OutboxError(f"no {what} to {owner.email}")
        wanted += [i for i in found if i is not None and i not in wanted]
    if not wanted:
        raise OutboxError("say which digests: an ID or --subscriber EMAIL")
    result = Settled()
    for outbox_id in wanted:
        _settle_one(session, action, outbox_id, who, note, now, lease_seconds, result)
    return result


def _settle_one(
    session: Session,
    action: Action,
    outbox_id: int,
    who: str,
    note: str,
    now: datetime,
    lease_seconds: float,
    result: Settled,
) -> None:
    before = session.exec(select(Outbox.state).where(Outbox.id == outbox_id)).first()
    if before is None:
        raise OutboxError(f"no digest {outbox_id} in the outbox")
    dead = now - timedelta(seconds=lease_seconds)
    movable = [s for s in FROM[action] if s != OutboxState.SENDING]
    allowed = col(Outbox.state).in_(movable)
    if OutboxState.SENDING in FROM[action]:
        # Claimed but not started (the claimer's renewal will fail), or a dead claim.
        allowed = or_(
            allowed,
            and_(
                col(Outbox.state) == OutboxState.SENDING,
                or_(col(Outbox.in_flight_since).is_(None), col(Outbox.claimed_at) <= dead),
            ),
        )
    # A claim not yet started was counted as an attempt that never happened: uncount it.
    unstarted = and_(
        col(Outbox.state) == OutboxState.SENDING, col(Outbox.in_flight_since).is_(None)
    )
    values: dict[str, object] = {
        "claim_token": None,
        "in_flight_since": None,
        "attempts": case((unstarted, Outbox.attempts - 1), else_=Outbox.attempts),
    }
    if action == Action.HOLD:
        values["state"] = OutboxState.HELD
    elif action == Action.DROP:
        values["state"] = OutboxState.DROPPED
    else:
        values |= {"state": OutboxState.PENDING, "next_try_at": now}
    changed = session.exec(  # type: ignore[call-overload]
        update(Outbox)
        .where(col(Outbox.id) == outbox_id, allowed, col(Outbox.state) == before)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    row = session.get(Outbox, outbox_id, populate_existing=True, options=[defer(Outbox.message)])  # type: ignore[arg-type]
    assert row is not None
    if not changed.rowcount:
        result.refused.append(_refusal(session, action, row))
        return
    session.add(
        OutboxAction(
            outbox_id=outbox_id, action=action, state_before=before, by=who, at=now, note=note
        )
    )
    session.flush()
    result.done.append(Done(outbox_id, row.recipient))


def _refusal(session: Session, action: Action, row: Outbox) -> Refusal:
    assert row.id is not None
    label = f"digest {row.id} to {row.recipient}"
    busy = False
    if row.state == OutboxState.SENDING:
        since = _aware(row.in_flight_since)
        reason = (
            f"{label} is being sent right now by {row.claimed_by or 'a sender'} (since "
            f"{since:%H:%M:%S} UTC): not {DONE[action].lower()}; try again in a minute, once "
            f"it has been sent or has failed"
            if since
            else f"{label} changed meanwhile; try again"
        )
        busy = True
    elif row.state == OutboxState.SENT:
        sent = _aware(row.sent_at)
        reason = f"{label} was already sent" + (f" at {sent:%Y-%m-%d %H:%M} UTC" if sent else "")
    elif row.state == OutboxState.DROPPED:
        last = _last(session, row.id, Action.DROP)
        reason = f"{label} was already dropped" + (
            f" by {last.by} at {_aware(last.at):%Y-%m-%d %H:%M} UTC ({last.note})" if last else ""
        )
    elif row.state == OutboxState.FAILED:
        reason = f"{label} failed for good ({row.last_error}): it will not be sent; nothing to do"
    elif row.state == OutboxState.HELD:
        reason = f"{label} is already held"
    elif action == Action.RELEASE:
        reason = f"{label} is not held (it is {row.state})"
    else:
        reason = f"{label} is {row.state}: cannot be {DONE[action].lower()}"
        busy = True  # changed meanwhile
    return Refusal(row.id, row.recipient, reason, busy)


def _last(session: Session, outbox_id: int, action: Action) -> OutboxAction | None:
    return session.exec(
        select(OutboxAction)
        .where(OutboxAction.outbox_id == outbox_id, OutboxAction.action == action)
        .order_by(col(OutboxAction.id).desc())
    ).first()


def held_count(session: Session) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(Outbox).where(Outbox.state == OutboxState.HELD)
        ).one()
    )


__all__ = [
    "Action",
    "Listing",
    "OutboxError",
    "Refusal",
    "Settled",
    "Waiting",
    "held_count",
    "settle",
    "undelivered",
]
