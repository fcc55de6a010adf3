"""Delivery of queued digests: SMTP or .eml files, through the outbox, at least once.

Each outbox row goes pending -> sending -> sent (or back to pending with a later next try, or
failed). A row is claimed ('sending', attempts + 1, a fresh claim token, committed) before the
SMTP transaction and recorded 'sent' after it. A sender killed between the two leaves the row
'sending'; once its claim is older than the lease, the next run puts it back to pending and
sends it again. So a digest is never lost, and after such a crash it may arrive twice: the
same stored bytes, with the same Message-ID, which mail clients recognise as one message.

Fencing: a claim is a token. Just before each SMTP transaction the sender renews its claim (a
conditional update that also proves it still holds it), and it records the outcome only if it
still holds the token. A row whose claim expired and was taken over is never sent, nor recorded,
by its old claimer: a slow sender cannot send a digest that a newer one is sending.

The fence also respects an operator (alerts/outbox.py): a digest held or dropped while claimed
loses its claim, so its claimer never sends it. The renewal marks the row in flight; a hold or
drop of a row in flight is refused, since its SMTP transaction may already be under way.

Temporary failures (a 4xx reply, a dropped, refused or timed-out connection) never become
final: they are retried with capped exponential backoff; once a digest has been failing for
longer than the retry window it is reported (ERROR, `cswatch health`, metrics) and still retried.
Only permanent failures (a 5xx reply to the message, a refused recipient) mark a row failed.

A circuit breaker stops a batch after `breaker_failures` connection failures or timeouts in a
row: a relay that is down or hung costs a few timeouts per run, not one per message. The rows
claimed and not yet tried go back to pending, untouched, for the next run.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import socket
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, func, update
from sqlmodel import Session, select

from alerts.models import Outbox, OutboxState

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """`temporary`: worth retrying. `connection`: the relay (not this message) failed: down,
    hung, dropped, refused our TLS or login; these feed the circuit breaker."""

    def __init__(self, message: str, *, temporary: bool, connection: bool = False) -> None:
        super().__init__(message)
        self.temporary = temporary or connection
        self.connection = connection


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


class _BeforeMessage(Exception):
    """A failure while connecting, greeting, securing or logging in: nothing was offered."""


def _classify(exc: Exception) -> DeliveryError:
    if isinstance(exc, _BeforeMessage):
        cause = exc.__cause__ or exc
        return DeliveryError(
            f"connecting to the relay: {_describe(cause)}", temporary=True, connection=True
        )
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
        return DeliveryError(f"connection lost: {_describe(exc)}", temporary=True, connection=True)
    return DeliveryError(f"{exc.__class__.__name__}: {exc}", temporary=True)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within the timeout ({exc or 'timed out'})"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {text}"
    return str(exc) or exc.__class__.__name__


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

    def _open(self) -> smtplib.SMTP:
        try:
            conn = self._connect()
            conn.ehlo_or_helo_if_needed()
        except Exception as exc:
            raise _BeforeMessage() from exc
        self._conn = conn
        return conn

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, sender: str, recipient: str, message_id: str, data: bytes) -> None:
        """One SMTP transaction (MAIL, RCPT, DATA) on the batch's connection.

        A reused connection that the relay closed meanwhile (relays close idle connections,
        or after so many messages) fails at MAIL, before any of this message was sent: that
        is retried at once on a new connection, the only retry done here.
        """
        try:
            reused = self._conn is not None
            conn = self._conn or self._open()
            try:
                code, reply = conn.mail(sender)
            except smtplib.SMTPServerDisconnected:
                if not reused:
                    raise
                self._drop()
                conn = self._open()
                code, reply = conn.mail(sender)
            if code == 421 and reused:  # closing the channel: same as a drop
                self._drop()
                conn = self._open()
                code, reply = conn.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
            code, reply = conn.data(data)
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
        except Exception as exc:
            error = _classify(exc)
            if error.connection or (
                isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code == 421
            ):
                self._drop()  # reconnect for the next message
            elif self._conn is not None:
                try:
                    self._conn.rset()
                except (smtplib.SMTPException, OSError):
                    self._drop()
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
    backoff_seconds: float = 60.0  # the first retry's delay, doubled per attempt ...
    max_backoff_seconds: float = 1800.0  # ... up to this
    retry_window_seconds: float = 3 * 86400.0  # failing longer than this: the operator is told
    lease_seconds: float = 600.0  # a 'sending' claim older than this is taken as a crash
    breaker_failures: int = 5  # connection failures or timeouts in a row that stop a batch
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
    reclaimed: int = 0  # claims of dead (or too slow) senders taken back
    overdue: int = 0  # retried this run, failing for longer than the retry window
    taken_over: int = 0  # claims this sender lost to another one: not sent (or not recorded)
    withdrawn: int = 0  # claimed rows an operator held or dropped before their turn: not sent
    breaker_open: bool = False  # the batch stopped: the relay kept failing
    postponed: int = 0  # claimed rows given back untried when the breaker opened


def _now() -> datetime:
    return datetime.now(UTC)


def sender_name() -> str:
    """Who holds a claim, for an operator reading the outbox."""
    return f"{socket.gethostname()} pid {os.getpid()}"


def reclaim(engine: Engine, *, now: datetime, lease_seconds: float) -> int:
    """Put rows whose sender died (or stalled past the lease) back to pending.

    Their claim token is cleared, so the old claimer can neither send nor record them.
    """
    cutoff = now - timedelta(seconds=lease_seconds)
    with Session(engine) as session:
        result = session.exec(  # type: ignore[call-overload]
            update(Outbox)
            .where(Outbox.state == OutboxState.SENDING, Outbox.claimed_at <= cutoff)  # type: ignore[arg-type,operator]
            .values(
                state=OutboxState.PENDING, next_try_at=now, claim_token=None, in_flight_since=None
            )
        )
        session.commit()
        count = result.rowcount or 0
    if count:
        log.warning("alerts: %d digests were being sent when a sender stopped; resending", count)
    return count


def _claim(session: Session, ids: list[int], now: datetime, token: str) -> list[int]:
    """Claim pending rows under a fresh token (one transaction); the ids it got, in order."""
    session.exec(  # type: ignore[call-overload]
        update(Outbox)
        .where(Outbox.id.in_(ids), Outbox.state == OutboxState.PENDING)  # type: ignore[union-attr,attr-defined]
        .values(
            state=OutboxState.SENDING,
            claimed_at=now,
            claimed_by=sender_name(),
            claim_token=token,
            attempts=Outbox.attempts + 1,
        )
    )
    session.commit()
    claimed = session.exec(
        select(Outbox.id).where(
            Outbox.id.in_(ids),  # type: ignore[union-attr]
            Outbox.claim_token == token,
        )
    ).all()
    return sorted(i for i in claimed if i is not None)


def _held(row_id: int, token: str):  # type: ignore[no-untyped-def]
    """The fence: this row, still claimed under this token."""
    return update(Outbox).where(
        Outbox.id == row_id,  # type: ignore[arg-type]
        Outbox.claim_token == token,  # type: ignore[arg-type]
        Outbox.state == OutboxState.SENDING,  # type: ignore[arg-type]
    )


def _renew(session: Session, row_id: int, token: str, now: datetime) -> bool:
    """Just before the SMTP transaction: still ours? Then the lease starts again from now, so
    no other sender can take the row over while this one is sending it, and the row is marked
    in flight, so no operator can hold or drop it either. (Not committed here: it rides in the
    transaction that records the previous row, one commit per message.)"""
    result = session.exec(  # type: ignore[call-overload]
        _held(row_id, token).values(claimed_at=now, in_flight_since=now)
    )
    return bool(result.rowcount)


def _release(session: Session, ids: list[int], token: str, next_try: datetime) -> int:
    """Give claimed rows back untried (the breaker opened): pending, attempt not counted."""
    if not ids:
        return 0
    result = session.exec(  # type: ignore[call-overload]
        update(Outbox)
        .where(
            Outbox.id.in_(ids),  # type: ignore[union-attr]
            Outbox.claim_token == token,
            Outbox.state == OutboxState.SENDING,
        )
        .values(
            state=OutboxState.PENDING,
            claim_token=None,
            in_flight_since=None,
            attempts=Outbox.attempts - 1,
            next_try_at=next_try,
        )
    )
    session.commit()
    return result.rowcount or 0


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
    for the crash and fencing tests).
    """
    summary = DeliverySummary()
    summary.reclaimed = reclaim(engine, now=now(), lease_seconds=options.lease_seconds)
    cursor = 0  # rows are taken in id order, each once per run (a retry waits for the next)
    taken = 0
    breaker = _Breaker(options.breaker_failures)
    with backend, Session(engine, expire_on_commit=False) as session:
        while (limit is None or taken < limit) and not breaker.open:
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
                token = uuid.uuid4().hex
                # Rows another sender holds are not returned: skipped.
                claimed = _claim(session, ids[start : start + options.claim], now(), token)
                sending = _Claimed(session, backend, options, token, now, after_send, summary)
                sending.send_all(claimed, breaker)
                if breaker.open:
                    break
    if breaker.open:
        summary.breaker_open = True
        log.warning(
            "alerts: the mail relay failed %d times in a row (%s): batch stopped; %d claimed "
            "digests given back untried, and they and the rest wait for the next run",
            options.breaker_failures,
            breaker.last_error,
            summary.postponed,
        )
    for failure in summary.failed:
        log.error(
            "alerts: digest %d to %s failed for good: %s",
            failure.outbox_id,
            failure.recipient,
            failure.error,
        )
    if summary.overdue:
        with Session(engine) as session:
            report = overdue_digests(
                session, now=now(), window_seconds=options.retry_window_seconds
            )
        log.error("alerts: %s", report.describe(options.retry_window_seconds))
    return summary


@dataclass
class _Breaker:
    """Counts connection failures and timeouts in a row; any delivered message resets it."""

    threshold: int
    failures: int = 0
    last_error: str = ""

    @property
    def open(self) -> bool:
        return self.failures >= self.threshold

    def record(self, error: DeliveryError | None) -> None:
        if error is None or not error.connection:
            self.failures = 0  # the relay answered
            return
        self.failures += 1
        self.last_error = str(error)


@dataclass
class _Claimed:
    """Sends the rows of one claim, one by one, under its token."""

    session: Session
    backend: Backend
    options: DeliveryOptions
    token: str
    now: Callable[[], datetime]
    after_send: Callable[[Outbox], None] | None
    summary: DeliverySummary

    def send_all(self, claimed: list[int], breaker: _Breaker) -> None:
        if not claimed:
            return
        held = _renew(self.session, claimed[0], self.token, self.now())
        self.session.commit()
        for position, row_id in enumerate(claimed):
            if breaker.open:
                pause = self.now() + timedelta(seconds=self.options.backoff_seconds)
                untried = claimed[position:]
                self.summary.postponed += _release(self.session, untried, self.token, pause)
                return
            account = self._attempt(row_id, breaker) if held else self._lost(row_id)
            following = claimed[position + 1] if position + 1 < len(claimed) else None
            held = following is not None and _renew(self.session, following, self.token, self.now())
            self.session.commit()  # this row's outcome and the next row's renewal, together
            account()

    def _lost(self, row_id: int) -> Callable[[], None]:
        state = self.session.exec(select(Outbox.state).where(Outbox.id == row_id)).first()
        if state in (OutboxState.HELD, OutboxState.DROPPED):

            def withdrawn() -> None:
                self.summary.withdrawn += 1
                log.info("alerts: digest %d was %s by an operator; not sent", row_id, state)

            return withdrawn

        def account() -> None:
            self.summary.taken_over += 1
            log.warning(
                "alerts: digest %d: its claim expired and another sender took it over; "
                "not sent here",
                row_id,
            )

        return account

    def _attempt(self, row_id: int, breaker: _Breaker) -> Callable[[], None]:
        """Send one row and write (not commit) its outcome; returns what to count after the
        commit."""
        row = self.session.get(Outbox, row_id, populate_existing=True)
        assert row is not None
        self.session.expunge(row)  # its message bytes are not kept for the rest of the batch
        try:
            self.backend.send(
                self.options.envelope_sender, row.recipient, row.message_id, row.message
            )
        except DeliveryError as exc:
            breaker.record(exc)
            return _record_failure(
                self.session, row, self.token, exc, self.options, self.now(), self.summary
            )
        breaker.record(None)
        if self.after_send is not None:
            self.after_send(row)
        result = self.session.exec(  # type: ignore[call-overload]
            _held(row_id, self.token).values(
                state=OutboxState.SENT,
                sent_at=self.now(),
                last_error=None,
                claim_token=None,
                in_flight_since=None,
            )
        )
        recorded = bool(result.rowcount)

        def account() -> None:
            if recorded:
                self.summary.sent += 1
                return
            self.summary.taken_over += 1
            log.error(
                "alerts: digest %d to %s was sent, but meanwhile its claim expired and another "
                "sender took it over (the SMTP transaction outlasted "
                "mail.sending_lease_seconds): it may arrive twice",
                row_id,
                row.recipient,
            )

        return account


def retry_delay(options: DeliveryOptions, attempts: int) -> float:
    """Backoff doubling per attempt, capped."""
    return min(
        options.backoff_seconds * 2 ** min(max(attempts - 1, 0), 40), options.max_backoff_seconds
    )


def _record_failure(
    session: Session,
    row: Outbox,
    token: str,
    exc: DeliveryError,
    options: DeliveryOptions,
    now: datetime,
    summary: DeliverySummary,
) -> Callable[[], None]:
    """Write (not commit) a failed attempt; returns what to count after the commit."""
    assert row.id is not None
    error = str(exc)[:2000]
    first = _aware(row.first_failed_at) or now
    delay = retry_delay(options, row.attempts)
    if exc.temporary:
        values: dict[str, object] = {
            "state": OutboxState.PENDING,
            "next_try_at": now + timedelta(seconds=delay),
            "first_failed_at": first,
            "last_error": error,
            "claim_token": None,
            "in_flight_since": None,
        }
    else:
        values = {
            "state": OutboxState.FAILED,
            "last_error": error,
            "claim_token": None,
            "in_flight_since": None,
        }
    result = session.exec(_held(row.id, token).values(**values))  # type: ignore[call-overload]
    recorded = bool(result.rowcount)
    overdue = (now - first).total_seconds() >= options.retry_window_seconds
    row_id, recipient = row.id, row.recipient

    def account() -> None:
        if not recorded:
            summary.taken_over += 1
        elif not exc.temporary:
            summary.failed.append(Failure(row_id, recipient, error))
        else:
            summary.retrying += 1
            summary.overdue += int(overdue)
            log.warning(
                "alerts: digest %d to %s: %s; retry in %.0fs", row_id, recipient, exc, delay
            )

    return account


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class OverdueReport:
    """Digests that temporary failures have kept from their reader for longer than the window.

    Held and dropped digests are not counted: an operator has settled them."""

    count: int
    oldest_failure: datetime | None
    last_error: str | None
    recipients: list[str] = field(default_factory=list)  # the first few, oldest failure first
    readers: int = 0  # how many different recipients

    def describe(self, window_seconds: float) -> str:
        if not self.count:
            return "no digest has been failing for longer than the retry window"
        since = f"{self.oldest_failure:%Y-%m-%d %H:%M} UTC" if self.oldest_failure else "?"
        more = self.readers - len(self.recipients)
        to = ", ".join(self.recipients) + (f" and {more} more" if more > 0 else "")
        return (
            f"{self.count} digests undelivered after {window_seconds / 3600:.0f} h of temporary "
            f"failures (to {to}; failing since {since}; last error: {self.last_error}); still "
            f"retrying: see `cswatch outbox list`, which can hold or drop them"
        )


def overdue_digests(session: Session, *, now: datetime, window_seconds: float) -> OverdueReport:
    cutoff = now - timedelta(seconds=window_seconds)
    waiting = (
        Outbox.state.in_([OutboxState.PENDING, OutboxState.SENDING]),  # type: ignore[attr-defined]
        Outbox.first_failed_at <= cutoff,  # type: ignore[operator]
    )
    count = session.exec(select(func.count()).select_from(Outbox).where(*waiting)).one()
    if not count:
        return OverdueReport(0, None, None)
    oldest = session.exec(select(func.min(Outbox.first_failed_at)).where(*waiting)).one()
    last_error = session.exec(
        select(Outbox.last_error).where(*waiting).order_by(Outbox.next_try_at.desc()).limit(1)  # type: ignore[attr-defined]
    ).first()
    recipients = session.exec(
        select(Outbox.recipient)
        .where(*waiting)
        .group_by(Outbox.recipient)
        .order_by(func.min(Outbox.first_failed_at), Outbox.recipient)
        .limit(OVERDUE_NAMED)
    ).all()
    readers = session.exec(
        select(func.count(func.distinct(Outbox.recipient))).where(*waiting)
    ).one()
    return OverdueReport(int(count), _aware(oldest), last_error, list(recipients), int(readers))


OVERDUE_NAMED = 5  # recipients named in the report; the rest are counted


def outbox_counts(session: Session) -> dict[str, int]:
    counts = {state.value: 0 for state in OutboxState}
    for state, number in session.exec(select(Outbox.state, func.count()).group_by(Outbox.state)):
        counts[state] = counts.get(state, 0) + number
    return counts


__all__ = [
    "Backend",
    "DeliveryError",
    "DeliveryOptions",
    "DeliverySummary",
    "FileBackend",
    "OverdueReport",
    "SmtpBackend",
    "SmtpOptions",
    "deliver",
    "overdue_digests",
    "reclaim",
]
