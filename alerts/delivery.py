"""Delivery of queued digests: SMTP or .eml files, through the outbox, at least once.

Each outbox row goes pending -> sending -> sent (or back to pending with a later next try, or
failed). A row is claimed ('sending', attempts + 1, committed) before the SMTP transaction and
recorded 'sent' after it. A sender killed between the two leaves the row 'sending'; once its
claim is older than the lease, the next run puts it back to pending and sends it again. So a
digest is never lost, and after such a crash it may arrive twice: the same stored bytes, with
the same Message-ID, which mail clients and list tools recognise as one message.

Temporary failures (a 4xx reply, a dropped or refused connection, a timeout) are retried with
exponential backoff up to `max_attempts`; permanent ones (a 5xx reply, a refused recipient) mark
the row failed at once. Failed rows are reported and never retried.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, update
from sqlmodel import Session, select

from alerts.models import Outbox, OutboxState

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


class Backend(Protocol):
    name: str

    def __enter__(self) -> Backend: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, sender: str, recipient: str, message_id: str, data: bytes) -> None:
        """Deliver or raise DeliveryError."""


@dataclass(frozen=True)
class SmtpOptions:
    host: str
    port: int
    security: str = "starttls"  # none, starttls, tls
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    ca_file: str | None = None  # extra certificate authority (a private relay); else the system's


def _classify(exc: Exception) -> DeliveryError:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        detail = "; ".join(
            f"{rcpt}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for rcpt, (code, msg) in exc.recipients.items()
        )
        temporary = bool(codes) and all(400 <= code < 500 for code in codes)
        return DeliveryError(f"recipient refused: {detail}", temporary=temporary)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return DeliveryError(f"{exc.smtp_code} {text}", temporary=400 <= exc.smtp_code < 500)
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError | TimeoutError):
        return DeliveryError(f"connection lost: {exc or exc.__class__.__name__}", temporary=True)
    return DeliveryError(f"{exc.__class__.__name__}: {exc}", temporary=True)


class SmtpBackend:
    """One SMTP connection reused for a batch; reconnected after a drop."""

    name = "smtp"

    def __init__(self, options: SmtpOptions) -> None:
        self.options = options
        self._conn: smtplib.SMTP | None = None
        self.connections = 0

    def _connect(self) -> smtplib.SMTP:
        o = self.options
        context = ssl.create_default_context(cafile=o.ca_file)
        if o.security == "tls":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                o.host, o.port, timeout=o.timeout, context=context
            )
        else:
            conn = smtplib.SMTP(o.host, o.port, timeout=o.timeout)
            if o.security == "starttls":
                conn.starttls(context=context)
        if o.username:
            conn.login(o.username, o.password or "")
        self.connections += 1
        return conn

    def __enter__(self) -> SmtpBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                self._conn.close()
            self._conn = None

    def send(self, sender: str, recipient: str, message_id: str, data: bytes) -> None:
        try:
            if self._conn is None:
                self._conn = self._connect()
            self._conn.sendmail(sender, [recipient], data)
        except Exception as exc:
            error = _classify(exc)
            if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                self._conn = None  # reconnect for the next message
            else:
                try:
                    self._conn and self._conn.rset()
                except (smtplib.SMTPException, OSError):
                    self._conn = None
            raise error from exc


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FileBackend:
    """Writes each message to <folder>/<message id>.eml (atomically; a resend overwrites)."""

    name = "file"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def __enter__(self) -> FileBackend:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def path_for(self, message_id: str) -> Path:
        return self.folder / (_SAFE.sub("_", message_id.strip("<>")) + ".eml")

    def send(self, sender: str, recipient: str, message_id: str, data: bytes) -> None:
        path = self.path_for(message_id)
        partial = path.with_suffix(".eml.part")
        try:
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc}", temporary=True) from exc
        self.written.append(path)


@dataclass(frozen=True)
class DeliveryOptions:
    sender: str  # the envelope sender (the From address)
    max_attempts: int = 5
    backoff_seconds: float = 60.0
    max_backoff_seconds: float = 6 * 3600.0
    lease_seconds: float = 600.0  # a 'sending' claim older than this is taken as a crash
    batch: int = 500  # rows read per query
    claim: int = 20  # rows claimed per transaction (sent and recorded one by one)

    @property
    def envelope_sender(self) -> str:
        return parseaddr(self.sender)[1] or self.sender


@dataclass
class Failure:
    outbox_id: int
    recipient: str
    error: str


@dataclass
class DeliverySummary:
    sent: int = 0
    retrying: int = 0
    failed: list[Failure] = field(default_factory=list)
    reclaimed: int = 0


def _now() -> datetime:
    return datetime.now(UTC)


def reclaim(engine: Engine, *, now: datetime, lease_seconds: float) -> int:
    """Put rows whose sender died mid-send back to pending (they will be sent again)."""
    cutoff = now - timedelta(seconds=lease_seconds)
    with Session(engine) as session:
        result = session.exec(  # type: ignore[call-overload]
            update(Outbox)
            .where(Outbox.state == OutboxState.SENDING, Outbox.claimed_at <= cutoff)  # type: ignore[arg-type,operator]
            .values(state=OutboxState.PENDING, next_try_at=now)
        )
        session.commit()
        count = result.rowcount or 0
    if count:
        log.warning("alerts: %d digests were being sent when a sender stopped; resending", count)
    return count


def _claim(session: Session, ids: list[int], now: datetime, sender: str) -> list[int]:
    """Claim pending rows for this sender (one transaction); the ids it got, in order."""
    session.exec(  # type: ignore[call-overload]
        update(Outbox)
        .where(Outbox.id.in_(ids), Outbox.state == OutboxState.PENDING)  # type: ignore[union-attr,attr-defined]
        .values(
            state=OutboxState.SENDING,
            claimed_at=now,
            claimed_by=sender,
            attempts=Outbox.attempts + 1,
        )
    )
    session.commit()
    claimed = session.exec(
        select(Outbox.id).where(
            Outbox.id.in_(ids),  # type: ignore[union-attr]
            Outbox.state == OutboxState.SENDING,
            Outbox.claimed_by == sender,
        )
    ).all()
    return sorted(i for i in claimed if i is not None)


def deliver(
    engine: Engine,
    backend: Backend,
    options: DeliveryOptions,
    *,
    now: Callable[[], datetime] = _now,
    after_send: Callable[[Outbox], None] | None = None,
    limit: int | None = None,
) -> DeliverySummary:
    """Send every pending digest whose next try has come, through one backend session.

    `after_send` runs after the backend accepted a message and before that is recorded (a seam
    for the crash test).
    """
    summary = DeliverySummary()
    summary.reclaimed = reclaim(engine, now=now(), lease_seconds=options.lease_seconds)
    sender = uuid.uuid4().hex
    cursor = 0  # rows are taken in id order, each once per run (a retry waits for the next)
    taken = 0
    with backend, Session(engine, expire_on_commit=False) as session:
        while limit is None or taken < limit:
            ids = [
                i
                for i in session.exec(
                    select(Outbox.id)
                    .where(
                        Outbox.state == OutboxState.PENDING,
                        Outbox.next_try_at <= now(),
                        Outbox.id > cursor,  # type: ignore[operator]
                    )
                    .order_by(Outbox.id)  # type: ignore[arg-type]
                    .limit(options.batch if limit is None else min(options.batch, limit - taken))
                ).all()
                if i is not None
            ]
            if not ids:
                break
            cursor = ids[-1]
            taken += len(ids)
            for start in range(0, len(ids), options.claim):
                # Rows another sender holds are not returned: skipped.
                for row_id in _claim(session, ids[start : start + options.claim], now(), sender):
                    _send_one(session, backend, options, row_id, now, after_send, summary)
    for failure in summary.failed:
        log.error(
            "alerts: digest %d to %s failed for good: %s",
            failure.outbox_id,
            failure.recipient,
            failure.error,
        )
    return summary


def _send_one(
    session: Session,
    backend: Backend,
    options: DeliveryOptions,
    row_id: int,
    now: Callable[[], datetime],
    after_send: Callable[[Outbox], None] | None,
    summary: DeliverySummary,
) -> None:
    row = session.get(Outbox, row_id, populate_existing=True)
    assert row is not None
    try:
        backend.send(options.envelope_sender, row.recipient, row.message_id, row.message)
    except DeliveryError as exc:
        _record_failure(session, row, exc, options, now(), summary)
        return
    if after_send is not None:
        after_send(row)
    row.state = OutboxState.SENT
    row.sent_at = now()
    row.last_error = None
    session.add(row)
    session.commit()
    summary.sent += 1
    session.expunge(row)  # its message bytes are not kept for the rest of the batch


def _record_failure(
    session: Session,
    row: Outbox,
    exc: DeliveryError,
    options: DeliveryOptions,
    now: datetime,
    summary: DeliverySummary,
) -> None:
    row.last_error = str(exc)[:2000]
    if exc.temporary and row.attempts < options.max_attempts:
        delay = min(options.backoff_seconds * 2 ** (row.attempts - 1), options.max_backoff_seconds)
        row.state = OutboxState.PENDING
        row.next_try_at = now + timedelta(seconds=delay)
        summary.retrying += 1
        log.warning(
            "alerts: digest %d to %s: %s; retry in %.0fs", row.id, row.recipient, exc, delay
        )
    else:
        row.state = OutboxState.FAILED
        reason = str(exc) if not exc.temporary else f"gave up after {row.attempts} attempts: {exc}"
        row.last_error = reason[:2000]
        assert row.id is not None
        summary.failed.append(Failure(row.id, row.recipient, reason))
    session.add(row)
    session.commit()


def outbox_counts(session: Session) -> dict[str, int]:
    counts = {state.value: 0 for state in OutboxState}
    for state in session.exec(select(Outbox.state)):
        counts[state] = counts.get(state, 0) + 1
    return counts


__all__ = [
    "Backend",
    "DeliveryError",
    "DeliveryOptions",
    "DeliverySummary",
    "FileBackend",
    "SmtpBackend",
    "SmtpOptions",
    "deliver",
    "reclaim",
]
