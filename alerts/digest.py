"""Digests: which subscribers are due, what each gets, and the rendered message.

A subscriber's cursor (`last_change_id`) marks the changes already considered for them. Planning
a digest, in one transaction, renders the message once into the outbox and moves the cursor, so
a digest is planned exactly once; delivery (alerts.delivery) then sends the stored bytes.

Schedules are wall-clock times in the digest time zone (Europe/London): a daily digest is due
once the day's 07:00 has passed since the last one, a weekly one once Monday 07:00 has; across a
clock change 07:00 stays 07:00 local time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, formataddr, parseaddr
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined
from sqlalchemy import func
from sqlmodel import Session, select

from alerts import describe, mime
from alerts.changes import list_changes
from alerts.models import Change, ChangeKind, Frequency, Outbox, OutboxState, Subscriber
from alerts.subscribers import Filters
from ingest.models import Authority

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
MAX_SUBJECT_AUTHORITIES = 3


@dataclass(frozen=True)
class DigestOptions:
    """Plain values from the [mail] and [digests] settings."""

    from_address: str  # 'Children's Services Watch <alerts@example.org>'
    list_id: str  # 'alerts.cswatch.example.org'
    unsubscribe_mailto: str  # 'unsubscribe@example.org'
    public_base_url: str  # 'https://cswatch.example.org'
    max_changes: int = 20
    timezone: str = "Europe/London"
    daily_time: time = time(7, 0)
    weekly_day: int = 0  # Monday
    weekly_time: time = time(7, 0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def domain(self) -> str:
        return parseaddr(self.from_address)[1].rpartition("@")[2] or "localhost"


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- schedules ----------------------------------------------------------------------------


def _at(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def last_slot(frequency: str, now: datetime, options: DigestOptions) -> datetime:
    """The latest scheduled moment at or before now (UTC) for the frequency."""
    now = aware(now)
    if frequency == Frequency.IMMEDIATE:
        return now
    zone = options.zone
    local = now.astimezone(zone)
    if frequency == Frequency.DAILY:
        slot = _at(local.date(), options.daily_time, zone)
        if slot > local:
            slot = _at(local.date() - timedelta(days=1), options.daily_time, zone)
    else:
        day = local.date() - timedelta(days=(local.weekday() - options.weekly_day) % 7)
        slot = _at(day, options.weekly_time, zone)
        if slot > local:
            slot = _at(day - timedelta(days=7), options.weekly_time, zone)
    return slot.astimezone(UTC)


def is_due(subscriber: Subscriber, now: datetime, options: DigestOptions) -> bool:
    if subscriber.frequency == Frequency.IMMEDIATE:
        return True
    last = aware(subscriber.last_digest_at or subscriber.created_at)
    return last < last_slot(subscriber.frequency, now, options)


# -- content ------------------------------------------------------------------------------


@dataclass
class Item:
    label: str
    sentence: str
    when: str
    confirmed: bool
    evidence: list[describe.EvidenceLink]
    quotes: list[str] = field(default_factory=list)  # the evidence's own sentences, quoted


@dataclass
class Group:
    name: str
    slug: str
    items: list[Item]
    headlines: list[str]


MAX_QUOTE = 300


def quotes(change: Change) -> list[str]:
    """The sentences the evidence states (what a report or article said), each once.

    Scraped words: the HTML template escapes them; control characters and runs of spaces go,
    and a long sentence is cut at a word with an ellipsis.
    """
    try:
        items = json.loads(change.evidence or "[]")
    except ValueError:
        return []
    found: list[str] = []
    for item in items if isinstance(items, list) else []:
        text = item.get("sentence") if isinstance(item, dict) else None
        if not isinstance(text, str):
            continue
        text = " ".join(_CONTROL.sub(" ", text).split())
        if len(text) > MAX_QUOTE:
            text = text[:MAX_QUOTE].rsplit(" ", 1)[0] + "\u2026"
        if text and text not in found:
            found.append(text)
    return found


def subject(groups: list[Group]) -> str:
    """'Sunderland now requires improvement; West Sussex: trust decided'."""
    parts = []
    for group in groups[:MAX_SUBJECT_AUTHORITIES]:
        heads = list(dict.fromkeys(group.headlines))
        if len(heads) == 1 and heads[0].startswith("now "):
            parts.append(f"{group.name} {heads[0]}")
        else:
            parts.append(f"{group.name}: {', '.join(heads[:3])}")
    text = "; ".join(parts)
    if len(groups) > MAX_SUBJECT_AUTHORITIES:
        text += f"; and {len(groups) - MAX_SUBJECT_AUTHORITIES} more"
    return _CONTROL.sub(" ", text)[:250]


_ORDER = {
    ChangeKind.RATING_CHANGED: 0,
    ChangeKind.DELIVERY_MODEL_CHANGED: 1,
    ChangeKind.INTERVENTION_CHANGED: 2,
    ChangeKind.INSPECTION_PUBLISHED: 3,
    ChangeKind.VISIT_PUBLISHED: 4,
}


def _describe(change: Change, authority: Authority) -> tuple[str, Item]:
    return describe.headline(change), Item(
        label=describe.KIND_LABELS.get(change.kind, change.kind),  # type: ignore[call-overload]
        sentence=describe.sentence(change, authority.name),
        when=describe.when(change.occurred_on),
        confirmed=change.confirmed,
        evidence=describe.evidence(change),
        quotes=quotes(change),
    )


def intro(count: int, since: date, *, first: bool) -> str:
    """'3 changes in children's services since 20 October 2026, by council:' (true on a
    first digest too, which has no 'last digest' to be since)."""
    changes = f"{count} change{'s' if count != 1 else ''}"
    when = describe.when(since)
    if first:
        return f"Your first digest: {changes} in children's services since {when}, by council:"
    return f"{changes} in children's services since your last digest on {when}, by council:"


def group_changes(
    rows: Iterable[tuple[Change, Authority]],
    described: dict[int, tuple[str, Item]] | None = None,
) -> list[Group]:
    """Changes by authority, most important kinds first; `described` caches words per change."""
    cache = described if described is not None else {}
    groups: dict[int, Group] = {}
    for change, authority in sorted(rows, key=lambda r: (_ORDER.get(r[0].kind, 9), r[0].id or 0)):
        assert authority.id is not None and change.id is not None
        group = groups.get(authority.id)
        if group is None:
            group = groups[authority.id] = Group(authority.name, authority.slug, [], [])
        words = cache.get(change.id)
        if words is None:
            words = cache[change.id] = _describe(change, authority)
        group.headlines.append(words[0])
        group.items.append(words[1])
    return list(groups.values())


def _cap(groups: list[Group], limit: int) -> tuple[list[Group], int]:
    """At most `limit` items in all; the number left out."""
    shown: list[Group] = []
    left = limit
    more = 0
    for group in groups:
        if left <= 0:
            more += len(group.items)
            continue
        kept = group.items[:left]
        more += len(group.items) - len(kept)
        left -= len(kept)
        shown.append(Group(group.name, group.slug, kept, group.headlines))
    return shown, more


class Renderer:
    """Builds digest messages; the jinja2 environment autoescapes every HTML template."""

    def __init__(self, options: DigestOptions) -> None:
        self.options = options
        self.env = Environment(
            loader=PackageLoader("alerts", "templates"),
            autoescape=lambda name: bool(name and name.endswith(".html.j2")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.text = self.env.get_template("digest.txt.j2")
        self.html = self.env.get_template("digest.html.j2")
        self.described: dict[int, tuple[str, Item]] = {}  # a change's words, made once
        self.from_header = formataddr(parseaddr(options.from_address))

    def urls(self, subscriber: Subscriber) -> dict[str, str]:
        base = self.options.public_base_url.rstrip("/")
        token = quote(subscriber.token, safe="")
        return {
            "manage_url": f"{base}/manage/{token}",
            "unsubscribe_url": f"{base}/unsubscribe/{token}",
            "mailto": f"mailto:{self.options.unsubscribe_mailto}?subject=unsubscribe%20{token}",
        }

    def since(
        self, subscriber: Subscriber, rows: list[tuple[Change, Authority]], now: datetime
    ) -> date:
        """The day (digest zone) from which this digest's changes date: the last digest, or
        the sign-up for a first one, unless a change in it was noticed earlier still."""
        start = aware(subscriber.last_digest_at or subscriber.created_at or now)
        earliest = min((aware(c.detected_at) for c, _a in rows), default=start)
        return min(start, earliest).astimezone(self.options.zone).date()

    def message_id(self, subscriber: Subscriber, digest_key: str) -> str:
        seed = f"{self.options.list_id}\0{subscriber.id}\0{digest_key}".encode()
        return f"<{hashlib.sha256(seed).hexdigest()[:40]}@{self.options.domain}>"

    def render(
        self,
        subscriber: Subscriber,
        rows: list[tuple[Change, Authority]],
        *,
        digest_key: str,
        now: datetime,
    ) -> Rendered:
        grouped = group_changes(rows, self.described)
        groups, more = _cap(grouped, self.options.max_changes)
        urls = self.urls(subscriber)
        since = self.since(subscriber, rows, now)
        count = len(rows)
        base = self.options.public_base_url.rstrip("/")
        context = {
            "subject": subject(grouped),
            "greeting": f"Hello {subscriber.name}," if subscriber.name else "Hello,",
            "intro": intro(count, since, first=subscriber.last_digest_at is None),
            "base_url": base,
            "groups": groups,
            "more": more,
            "more_url": f"{base}/changes?since={since.isoformat()}",
            "frequency": subscriber.frequency,
            "filters": Filters.of(subscriber).describe(),
            **urls,
        }
        message_id = self.message_id(subscriber, digest_key)
        headers = [
            ("Subject", context["subject"]),
            ("From", self.from_header),
            ("To", formataddr((subscriber.name or "", subscriber.email))),
            ("Date", format_datetime(aware(now))),
            ("Message-ID", message_id),
            ("List-Id", f"Children's Services Watch <{self.options.list_id}>"),
            ("List-Unsubscribe", f"<{urls['mailto']}>, <{urls['unsubscribe_url']}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Auto-Submitted", "auto-generated"),
        ]
        data = mime.alternative(headers, self.text.render(context), self.html.render(context))
        return Rendered(subject=context["subject"], message_id=message_id, data=data)


@dataclass(frozen=True)
class Rendered:
    subject: str
    message_id: str
    data: bytes  # the whole message, CRLF line ends, ready for SMTP or an .eml file

    def parsed(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=default)  # type: ignore[return-value]


# -- planning -----------------------------------------------------------------------------


@dataclass
class Planned:
    subscriber: str
    changes: int
    subject: str | None


def _matching(
    subscriber: Subscriber, rows: list[tuple[Change, Authority]]
) -> list[tuple[Change, Authority]]:
    filters = Filters.of(subscriber)
    return [
        (c, a) for c, a in rows if (c.id or 0) > subscriber.last_change_id and filters.matches(c, a)
    ]


def preview(
    session: Session, subscriber: Subscriber, renderer: Renderer, now: datetime
) -> Rendered | None:
    """The digest the subscriber would get now, changing nothing; None when nothing matches."""
    rows = _matching(subscriber, list_changes(session, after_id=subscriber.last_change_id))
    if not rows:
        return None
    return renderer.render(subscriber, rows, digest_key="preview", now=now)


def plan(
    session: Session,
    renderer: Renderer,
    *,
    now: datetime,
    frequencies: Iterable[str] | None = None,
    page: int = 500,
    dry_run: bool = False,
) -> list[Planned]:
    """Queue one digest per due, confirmed subscriber with matching changes; move cursors.

    Each subscriber's outbox row and cursor move are written together, so a digest is queued
    once whatever happens; a subscriber with nothing matching just has their cursor moved.
    Subscribers are read a page at a time, and each page is committed and let go, so memory
    stays flat however many there are. A dry run plans and renders the same way, then rolls
    everything back.
    """
    session.expire_on_commit = False  # the loaded changes stay usable across page commits
    wanted = set(frequencies or [f.value for f in Frequency])
    chosen = (Subscriber.confirmed, Subscriber.frequency.in_(wanted))  # type: ignore[attr-defined]
    newest = session.exec(select(func.max(Change.id))).one() or 0
    lowest = session.exec(select(func.min(Subscriber.last_change_id)).where(*chosen)).one()
    if lowest is None:
        return []
    rows = list_changes(session, after_id=lowest) if newest > lowest else []
    planned = []
    after = 0
    while True:
        subscribers = session.exec(
            select(Subscriber)
            .where(*chosen, Subscriber.id > after)  # type: ignore[operator]
            .order_by(Subscriber.id)  # type: ignore[arg-type]
            .limit(page)
        ).all()
        if not subscribers:
            break
        after = subscribers[-1].id or 0
        queued: list[Outbox] = []
        for subscriber in subscribers:
            if is_due(subscriber, now, renderer.options):
                planned.append(_plan_one(session, renderer, subscriber, rows, newest, now, queued))
        if not dry_run:
            session.commit()
        for row in (*subscribers, *queued):  # let the page go (the caller's objects stay)
            if row in session:
                session.expunge(row)
    if dry_run:
        session.rollback()
    return planned


def _plan_one(
    session: Session,
    renderer: Renderer,
    subscriber: Subscriber,
    rows: list[tuple[Change, Authority]],
    newest: int,
    now: datetime,
    queued: list[Outbox],
) -> Planned:
    matched = _matching(subscriber, rows)
    title = None
    if matched:
        key = f"{subscriber.frequency}:{subscriber.last_change_id + 1}-{newest}"
        message = renderer.render(subscriber, matched, digest_key=key, now=now)
        row = Outbox(
            subscriber_id=subscriber.id,  # type: ignore[arg-type]
            digest_key=key,
            recipient=subscriber.email,
            message_id=message.message_id,
            message=message.data,
            changes=len(matched),
            state=OutboxState.PENDING,
            next_try_at=now,
            created_at=now,
        )
        session.add(row)
        queued.append(row)
        title = message.subject
    subscriber.last_change_id = max(subscriber.last_change_id, newest)
    subscriber.last_digest_at = now
    session.add(subscriber)
    return Planned(subscriber.email, len(matched), title)
