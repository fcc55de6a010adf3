"""Plain factory functions for the alerts tests: options, change rows, subscribers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, select

from alerts import subscribers as subs
from alerts.delivery import DeliveryOptions
from alerts.digest import DigestOptions
from alerts.models import Change, ChangeKind, Frequency, Subscriber
from ingest.models import Authority

T0 = datetime(2026, 10, 22, 9, 0, tzinfo=UTC)


def digest_options(**overrides: Any) -> DigestOptions:
    values: dict[str, Any] = {
        "from_address": "Children's Services Watch <alerts@cswatch.test>",
        "list_id": "alerts.cswatch.test",
        "unsubscribe_mailto": "unsubscribe@cswatch.test",
        "public_base_url": "https://cswatch.test",
        "max_changes": 25,
    }
    values.update(overrides)
    return DigestOptions(**values)


def delivery_options(**overrides: Any) -> DeliveryOptions:
    values: dict[str, Any] = {
        "sender": "Children's Services Watch <alerts@cswatch.test>",
        "backoff_seconds": 60.0,
        "lease_seconds": 600.0,
    }
    values.update(overrides)
    return DeliveryOptions(**values)


def authority_id(session: Session, slug: str) -> int:
    row = session.exec(select(Authority).where(Authority.slug == slug)).one()
    assert row.id is not None
    return row.id


def add_change(
    session: Session,
    slug: str,
    kind: ChangeKind = ChangeKind.RATING_CHANGED,
    *,
    old: str | None = "inadequate",
    new: str | None = "requires_improvement",
    key: str | None = None,
    title: str | None = None,
    url: str = "https://files.ofsted.gov.uk/v1/file/1",
    confirmed: bool = True,
    occurred_on: date | None = date(2026, 10, 20),
    detected_at: datetime = T0,
) -> Change:
    change = Change(
        authority_id=authority_id(session, slug),
        kind=kind,
        key=key or f"{slug}:{kind}:{detected_at.isoformat()}:{new}",
        old_value=old,
        new_value=new,
        title=title,
        evidence=json.dumps([{"url": url, "title": title or "Ofsted report", "sentence": None}]),
        confirmed=confirmed,
        occurred_on=occurred_on,
        detected_at=detected_at,
    )
    session.add(change)
    session.commit()
    session.refresh(change)
    return change


def delivery_change(
    session: Session,
    slug: str,
    *,
    model: str = "trust",
    stage: str = "decided",
    provider: str | None = None,
    confirmed: bool = False,
    detected_at: datetime = T0,
    title: str | None = "Council to move children's services to a trust",
) -> Change:
    return add_change(
        session,
        slug,
        ChangeKind.DELIVERY_MODEL_CHANGED,
        old=json.dumps({"model": "in_house", "provider": None, "stage": "operational"}),
        new=json.dumps({"model": model, "provider": provider, "stage": stage, "since": None}),
        title=title,
        url="https://www.communitycare.co.uk/2026/10/21/trust",
        confirmed=confirmed,
        detected_at=detected_at,
    )


def subscriber(
    session: Session,
    email: str,
    *,
    frequency: Frequency = Frequency.IMMEDIATE,
    authorities: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    include_reported: bool = True,
    confirmed: bool = True,
    name: str | None = None,
    now: datetime = T0,
) -> Subscriber:
    row = subs.add(
        session,
        email,
        name=name,
        frequency=frequency,
        filters=subs.Filters(authorities, regions, kinds, include_reported),
        confirmed=confirmed,
        now=now,
    )
    row.last_change_id = 0  # tests add changes first, then subscribers who should see them
    session.add(row)
    session.commit()
    session.refresh(row)
    return row
