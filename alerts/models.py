"""The alerts tables: changes, what was last recorded, subscribers and the outbox.

A change is recorded once: its natural key (authority, kind, key) is unique, so detecting twice
over the same data writes nothing the second time. Structured values (filters, evidence, the
recorded status) are JSON text, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ChangeKind(StrEnum):
    RATING_CHANGED = "rating_changed"
    INSPECTION_PUBLISHED = "inspection_published"
    VISIT_PUBLISHED = "visit_published"
    DELIVERY_MODEL_CHANGED = "delivery_model_changed"
    INTERVENTION_CHANGED = "intervention_changed"
    # What a letter or area report found (ingest/extract/signals.py), each choosable alone.
    SEND_OUTCOME = "send_outcome"
    SEND_WRITTEN_STATEMENT = "send_written_statement"
    PRIORITY_ACTION_FOUND = "priority_action_found"
    MONITORING_VISIT_FINDING = "monitoring_visit_finding"
    JTAI_THEME = "jtai_theme"


class Aspect(StrEnum):
    """What a snapshot records about an authority; each aspect has its own quiet start."""

    OFSTED = "ofsted"
    DELIVERY = "delivery"
    INTERVENTION = "intervention"


class Frequency(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; the SMTP transaction may or may not have happened
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"  # an operator holds it: not sent until released (alerts/outbox.py)
    DROPPED = "dropped"  # an operator dropped it: never sent; the row and the reason stay


class OutboxActionKind(StrEnum):
    HOLD = "hold"
    RELEASE = "release"
    DROP = "drop"


class Change(SQLModel, table=True):
    """One semantic change of one authority, with its evidence."""

    __tablename__ = "alert_change"
    __table_args__ = (UniqueConstraint("authority_id", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    kind: str = Field(index=True)  # ChangeKind
    key: str  # what makes this change itself: the report URL, the new model and its date
    old_value: str | None = None
    new_value: str | None = None
    title: str | None = Field(default=None, sa_column=Column(Text))  # scraped: untrusted
    evidence: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    confirmed: bool = True  # False: reported by news, not yet official
    occurred_on: date | None = None
    detected_at: datetime = Field(index=True)


class Snapshot(SQLModel, table=True):
    """What was last recorded of one aspect of one authority, to compare the next status with."""

    __tablename__ = "alert_snapshot"
    __table_args__ = (UniqueConstraint("authority_id", "aspect"),)

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    aspect: str  # Aspect
    state: str = Field(sa_column=Column(Text, nullable=False))  # JSON object
    updated_at: datetime


class Baseline(SQLModel, table=True):
    """An aspect whose first status has been recorded (the quiet start is over for it)."""

    __tablename__ = "alert_baseline"

    aspect: str = Field(primary_key=True)
    recorded_at: datetime


class Subscriber(SQLModel, table=True):
    __tablename__ = "alert_subscriber"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)  # normalised by email-validator
    name: str | None = None
    confirmed: bool = False
    token: str = Field(unique=True, index=True)  # secrets.token_urlsafe: manage/unsubscribe
    frequency: str = Field(default=Frequency.DAILY)  # Frequency
    authorities: str = "[]"  # JSON list of slugs; with regions empty: every authority
    regions: str = "[]"  # JSON list of region names
    kinds: str = "[]"  # JSON list of ChangeKind; empty: every kind
    include_reported: bool = False  # also news reports, not only confirmed changes
    created_at: datetime
    last_digest_at: datetime | None = None
    last_change_id: int = 0  # the cursor: changes up to this id were considered


class Outbox(SQLModel, table=True):
    """One digest for one subscriber, rendered once so every retry sends identical bytes."""

    __tablename__ = "alert_outbox"
    __table_args__ = (UniqueConstraint("subscriber_id", "digest_key"),)

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="alert_subscriber.id", index=True)
    digest_key: str
    recipient: str
    message_id: str = Field(unique=True)
    message: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    changes: int = 0
    state: str = Field(default=OutboxState.PENDING, index=True)  # OutboxState
    attempts: int = 0
    next_try_at: datetime
    claimed_at: datetime | None = None  # renewed just before each SMTP transaction
    claimed_by: str | None = None  # who holds a 'sending' claim (host and pid), for operators
    claim_token: str | None = None  # the fencing token: only its holder may send or record
    # Set by the fence just before the SMTP transaction, cleared with its outcome: a hold or
    # drop of a digest whose send may already be under way is refused (alerts/outbox.py).
    in_flight_since: datetime | None = None
    first_failed_at: datetime | None = None  # first temporary failure: the retry window's start
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime
    sent_at: datetime | None = None


class OutboxAction(SQLModel, table=True):
    """An operator's hold, release or drop of one digest: who, when, why, and the state it
    was in. Kept as long as the digest is (removing the subscriber removes both)."""

    __tablename__ = "alert_outbox_action"

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="alert_outbox.id", index=True)
    action: str  # OutboxActionKind
    state_before: str  # OutboxState
    by: str
    at: datetime
    note: str = Field(sa_column=Column(Text, nullable=False))
