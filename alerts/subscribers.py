"""Subscribers: validated addresses, filters, frequencies, secret tokens, and matching.

Addresses are validated and normalised by email-validator (no deliverability look-up: no
network; internationalised domains become their ASCII form, and local parts that would need
SMTPUTF8 are refused, since the mail path is ASCII). Names and addresses with line breaks or
other control characters are refused, so nothing a subscriber types can inject a mail header.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func
from sqlmodel import Session, select

from alerts.models import Change, ChangeKind, Frequency, Outbox, OutboxAction, Subscriber
from ingest.models import Authority

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")
MAX_NAME = 100


class SubscriberError(ValueError):
    """A subscriber's address, name or filters are invalid, or it does not exist."""


class UnknownToken(SubscriberError):
    """No subscriber has this token."""


def normalise_email(address: str) -> str:
    """The normalised address, or SubscriberError saying why it is not one."""
    if _CONTROL.search(address):
        raise SubscriberError("an email address may not contain line breaks or control characters")
    try:
        result = validate_email(address.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise SubscriberError(f"{address!r} is not a valid email address: {exc}") from exc
    return result.ascii_email or result.normalized


def clean_name(name: str | None) -> str | None:
    if name is None or not name.strip():
        return None
    if _CONTROL.search(name):
        raise SubscriberError("a name may not contain line breaks or control characters")
    if len(name) > MAX_NAME:
        raise SubscriberError(f"a name may be at most {MAX_NAME} characters")
    return name.strip()


@dataclass(frozen=True)
class Filters:
    """What a subscriber wants. Empty authorities and regions: every authority."""

    authorities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    include_reported: bool = False

    @classmethod
    def of(cls, subscriber: Subscriber) -> Filters:
        return cls(
            authorities=tuple(json.loads(subscriber.authorities)),
            regions=tuple(json.loads(subscriber.regions)),
            kinds=tuple(json.loads(subscriber.kinds)),
            include_reported=subscriber.include_reported,
        )

    def matches(self, change: Change, authority: Authority) -> bool:
        if not change.confirmed and not self.include_reported:
            return False
        if self.kinds and change.kind not in self.kinds:
            return False
        if self.authorities or self.regions:
            return authority.slug in self.authorities or (authority.region in self.regions)
        return True

    def describe(self) -> str:
        parts = []
        if self.authorities or self.regions:
            parts.append("authorities: " + ", ".join(self.authorities + self.regions))
        if self.kinds:
            parts.append("kinds: " + ", ".join(self.kinds))
        parts.append("news reports too" if self.include_reported else "confirmed only")
        return "; ".join(parts)


@dataclass
class _Known:
    slugs: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)


def _known(session: Session) -> _Known:
    known = _Known()
    for slug, region in session.exec(select(Authority.slug, Authority.region)):
        known.slugs.add(slug)
        if region:
            known.regions.add(region)
    return known


def check_filters(session: Session, filters: Filters) -> Filters:
    known = _known(session)
    for slug in filters.authorities:
        if slug not in known.slugs:
            raise SubscriberError(f"unknown authority {slug!r}")
    for region in filters.regions:
        if region not in known.regions:
            raise SubscriberError(
                f"unknown region {region!r} (known: {', '.join(sorted(known.regions))})"
            )
    for kind in filters.kinds:
        if kind not in set(ChangeKind):
            raise SubscriberError(
                f"unknown kind of change {kind!r} (known: {', '.join(k.value for k in ChangeKind)})"
            )
    return Filters(
        authorities=tuple(sorted(set(filters.authorities))),
        regions=tuple(sorted(set(filters.regions))),
        kinds=tuple(sorted(set(filters.kinds))),
        include_reported=filters.include_reported,
    )


def frequency(value: str) -> Frequency:
    try:
        return Frequency(value.strip().lower())
    except ValueError as exc:
        raise SubscriberError(
            f"unknown frequency {value!r} (known: {', '.join(f.value for f in Frequency)})"
        ) from exc


def _store_filters(subscriber: Subscriber, filters: Filters) -> None:
    subscriber.authorities = json.dumps(list(filters.authorities))
    subscriber.regions = json.dumps(list(filters.regions))
    subscriber.kinds = json.dumps(list(filters.kinds))
    subscriber.include_reported = filters.include_reported


def _find(session: Session, address: str) -> Subscriber | None:
    """The subscriber with this address; local parts compare without case, as mailboxes do."""
    return session.exec(
        select(Subscriber).where(func.lower(Subscriber.email) == address.lower())
    ).first()


def get(session: Session, email: str) -> Subscriber:
    address = normalise_email(email)
    subscriber = _find(session, address)
    if subscriber is None:
        raise SubscriberError(f"no subscriber {address}")
    return subscriber


def by_token(session: Session, token: str) -> Subscriber:
    """The subscriber holding this token, or UnknownToken (never a near match)."""
    if not token or len(token) > 128 or _CONTROL.search(token):
        raise UnknownToken("unknown subscriber token")
    subscriber = session.exec(select(Subscriber).where(Subscriber.token == token)).first()
    if subscriber is None or not secrets.compare_digest(subscriber.token, token):
        raise UnknownToken("unknown subscriber token")
    return subscriber


def add(
    session: Session,
    email: str,
    *,
    name: str | None = None,
    frequency: Frequency = Frequency.DAILY,
    filters: Filters | None = None,
    confirmed: bool = False,
    now: datetime | None = None,
) -> Subscriber:
    """A new subscriber who will hear of changes detected from now on."""
    address = normalise_email(email)
    if _find(session, address) is not None:
        raise SubscriberError(f"{address} is already subscribed")
    subscriber = Subscriber(
        email=address,
        name=clean_name(name),
        confirmed=confirmed,
        token=secrets.token_urlsafe(24),
        frequency=frequency,
        created_at=now or datetime.now(UTC),
        last_change_id=session.exec(select(func.max(Change.id))).one() or 0,
    )
    _store_filters(subscriber, check_filters(session, filters or Filters()))
    session.add(subscriber)
    session.flush()
    return subscriber


def edit(
    session: Session,
    email: str,
    *,
    name: str | None = None,
    frequency: Frequency | None = None,
    filters: Filters | None = None,
    confirmed: bool | None = None,
) -> Subscriber:
    subscriber = get(session, email)
    if name is not None:
        subscriber.name = clean_name(name)
    if frequency is not None:
        subscriber.frequency = frequency
    if filters is not None:
        _store_filters(subscriber, check_filters(session, filters))
    if confirmed is not None:
        subscriber.confirmed = confirmed
    session.add(subscriber)
    session.flush()
    return subscriber


def remove(session: Session, subscriber: Subscriber) -> None:
    """The subscriber, their digests and the operator's actions on those digests."""
    rows = list(session.exec(select(Outbox).where(Outbox.subscriber_id == subscriber.id)))
    ids = [r.id for r in rows]
    for action in session.exec(select(OutboxAction).where(OutboxAction.outbox_id.in_(ids))):  # type: ignore[attr-defined]
        session.delete(action)
    session.flush()  # the actions first: they refer to the digests
    for row in rows:
        session.delete(row)
    session.delete(subscriber)
    session.flush()


def unsubscribe(session: Session, token: str) -> str:
    """Remove the subscriber holding the token (RFC 8058 one-click); returns the address."""
    subscriber = by_token(session, token)
    address = subscriber.email
    remove(session, subscriber)
    return address


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def _truthy(cell: str | None) -> bool:
    return (cell or "").strip().lower() in {"1", "true", "yes", "y"}


IMPORT_COLUMNS = (
    "email",
    "name",
    "frequency",
    "authorities",
    "regions",
    "kinds",
    "include_reported",
    "confirmed",
)


def import_csv(
    session: Session, text: str, *, resolve: callable | None = None, now: datetime | None = None
) -> tuple[int, int]:
    """Add or update subscribers from CSV text (header: IMPORT_COLUMNS; lists split by ';').

    All or nothing: every row is checked first and any bad row (named by its line) stops the
    import. `resolve` turns an authority as written into a slug (the gazetteer, from config).
    Returns (added, updated).
    """
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "email" not in reader.fieldnames:
        raise SubscriberError("the CSV file needs a header row with at least an 'email' column")
    unknown = set(reader.fieldnames) - set(IMPORT_COLUMNS)
    if unknown:
        raise SubscriberError(f"unknown CSV columns: {', '.join(sorted(unknown))}")
    rows = []
    errors = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        try:
            address = normalise_email(row.get("email") or "")
            if address.lower() in seen:
                raise SubscriberError(f"{address} appears twice")
            seen.add(address.lower())
            authorities = _split(row.get("authorities"))
            if resolve:
                authorities = tuple(resolve(a) for a in authorities)
            filters = check_filters(
                session,
                Filters(
                    authorities=authorities,
                    regions=_split(row.get("regions")),
                    kinds=_split(row.get("kinds")),
                    include_reported=_truthy(row.get("include_reported")),
                ),
            )
            rows.append(
                (
                    address,
                    clean_name(row.get("name")),
                    frequency(row.get("frequency") or "daily"),
                    filters,
                    _truthy(row.get("confirmed")),
                )
            )
        except (SubscriberError, LookupError, ValueError) as exc:
            errors.append(f"line {line}: {exc}")
    if errors:
        raise SubscriberError("; ".join(errors))
    added = updated = 0
    for address, name, freq, filters, confirmed in rows:
        existing = _find(session, address)
        if existing is None:
            add(
                session,
                address,
                name=name,
                frequency=freq,
                filters=filters,
                confirmed=confirmed,
                now=now,
            )
            added += 1
        else:
            edit(session, address, name=name, frequency=freq, filters=filters, confirmed=confirmed)
            updated += 1
    return added, updated
