"""Upserts for news: articles stored once however many feeds carry them, and their events.

Like `ingest.store`, functions take an open Session and never commit, so the caller's one
transaction per item covers the article, its feed links and its events together. A second
identical run finds every row in place and changes none.

An article is the same story when any of these match: the URL we fetched, the canonical URL
the page names (`<link rel=canonical>` / og:url), or the hash of its normalised main text (a
copy syndicated on another site without a canonical link).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, select

from ingest.models import EVENT_VALUE_FIELDS, Article, ArticleFeed, Event, ExtractionStatus
from ingest.store import _assign, utcnow


@dataclass(frozen=True)
class EventValues:
    """One event ready to store: the authority resolved to its row id."""

    authority_id: int | None
    kind: str
    grade: str | None = None
    previous_grade: str | None = None
    model: str | None = None
    stage: str | None = None
    provider: str | None = None
    action: str | None = None
    date: str | None = None
    evidence: str | None = None
    confidence: float | None = None

    def key(self) -> tuple[Any, ...]:
        return _key(self)


@dataclass
class EventChanges:
    added: int = 0
    updated: int = 0
    removed: int = 0


def _key(event: Any) -> tuple[Any, ...]:
    """The natural key, NULLs coalesced exactly as the unique index does."""
    values = tuple(getattr(event, name) or "" for name in EVENT_VALUE_FIELDS)
    return (event.authority_id or 0, event.kind, *values)


def find_article(session: Session, url: str) -> Article | None:
    """The stored article a listed URL stands for: fetched there, canonical there, or listed."""
    row = session.exec(
        select(Article).where(or_(Article.url == url, Article.canonical_url == url))
    ).first()
    if row is not None:
        return row
    link = session.exec(select(ArticleFeed).where(ArticleFeed.item_url == url)).first()
    return session.get(Article, link.article_id) if link is not None else None


def link_feed(session: Session, article_id: int, feed: str, item_url: str) -> bool:
    """Remember that `feed` lists the article at `item_url`; True if that is new."""
    existing = session.exec(
        select(ArticleFeed).where(ArticleFeed.feed == feed, ArticleFeed.item_url == item_url)
    ).first()
    if existing is None:
        session.add(ArticleFeed(article_id=article_id, feed=feed, item_url=item_url))
        return True
    if existing.article_id != article_id:  # the item now stands for another (merged) article
        existing.article_id = article_id
        session.add(existing)
        return True
    return False


def _twin(
    session: Session, url: str, canonical: str, digest: str, exclude: int | None
) -> Article | None:
    """Another stored article that is the same story (by canonical URL, then by text)."""
    query = select(Article).where(
        or_(
            Article.canonical_url == canonical,
            Article.url == canonical,
            Article.canonical_url == url,
        )
    )
    for row in session.exec(query.order_by(Article.id)):  # type: ignore[arg-type]
        if row.id != exclude:
            return row
    for row in session.exec(
        select(Article).where(Article.content_hash == digest).order_by(Article.id)  # type: ignore[arg-type]
    ):
        if row.id != exclude:
            return row
    return None


def _absorb(session: Session, loser: Article, winner: Article) -> None:
    """Move a failed row's feed links onto the article it turned out to be, then drop it."""
    assert loser.id is not None and winner.id is not None
    for link in session.exec(select(ArticleFeed).where(ArticleFeed.article_id == loser.id)):
        link.article_id = winner.id
        session.add(link)
    session.flush()
    session.delete(loser)
    session.flush()


def store_article(
    session: Session,
    *,
    url: str,
    canonical_url: str | None,
    source: str,
    title: str | None,
    published: datetime | None,
    text: str,
    digest: str,
    feed: str,
    item_url: str,
    doc_type: str | None = None,
    updated_at: datetime | None = None,
) -> tuple[Article, str]:
    """Store an extracted article once; returns the row and 'new', 'updated' or 'duplicate'.

    'duplicate': the story was already stored (another URL, a canonical twin or the same text);
    only the feed link is added. 'updated': a row that had failed before now has its text.
    """
    canonical = canonical_url or url
    own = session.exec(select(Article).where(Article.url == url)).first()
    twin = _twin(session, url, canonical, digest, exclude=own.id if own else None)
    values: dict[str, Any] = {
        "title": title,
        "published": published,
        "text": text,
        "content_hash": digest,
        "extraction_status": ExtractionStatus.OK,
        "error": None,
        "doc_type": doc_type,
        "updated_at": updated_at,
    }
    if twin is not None and twin.extraction_status == ExtractionStatus.OK:
        if own is not None:
            _absorb(session, own, twin)
        assert twin.id is not None
        link_feed(session, twin.id, feed, item_url)
        return twin, "duplicate"
    if twin is not None:  # the same story failed earlier at its canonical URL: fill that row
        if own is not None:
            _absorb(session, own, twin)
        row, outcome = twin, "updated"
    elif own is not None:
        row, outcome = own, "updated"
        values["canonical_url"] = canonical
    else:
        row = Article(url=url, canonical_url=canonical, source=source, fetched_at=utcnow())
        outcome = "new"
    _assign(row, values)
    row.fetched_at = utcnow()
    session.add(row)
    session.flush()
    assert row.id is not None
    link_feed(session, row.id, feed, item_url)
    return row, outcome


def store_article_error(
    session: Session,
    *,
    url: str,
    source: str,
    title: str | None,
    published: datetime | None,
    error: str,
    feed: str,
    item_url: str,
) -> Article:
    """Record why an article could not be read, so the run says so and a later run retries it."""
    row = session.exec(select(Article).where(Article.url == url)).first()
    if row is None:
        row = Article(url=url, canonical_url=url, source=source, fetched_at=utcnow())
    _assign(
        row,
        {
            "title": title or row.title,
            "published": published or row.published,
            "extraction_status": ExtractionStatus.ERROR,
            "error": error,
        },
    )
    row.fetched_at = utcnow()
    session.add(row)
    session.flush()
    assert row.id is not None
    link_feed(session, row.id, feed, item_url)
    return row


def set_relevance(session: Session, article: Article, relevant: bool, reason: str) -> bool:
    changed = _assign(article, {"relevant": relevant, "relevance_reason": reason})
    if changed:
        session.add(article)
    return changed


def sync_events(
    session: Session, article_id: int, events: Iterable[EventValues], *, confirmed: bool
) -> EventChanges:
    """Make the article's events exactly these: same ones untouched, new added, stale removed.

    Two extracted events with one natural key are one event (the more confident one is kept).
    """
    wanted: dict[tuple[Any, ...], EventValues] = {}
    for event in events:
        seen = wanted.get(event.key())
        if seen is None or (event.confidence or 0) > (seen.confidence or 0):
            wanted[event.key()] = event
    have = {
        _key(row): row for row in session.exec(select(Event).where(Event.article_id == article_id))
    }
    changes = EventChanges()
    for key, row in have.items():
        if key not in wanted:
            session.delete(row)
            changes.removed += 1
    for key, event in wanted.items():
        row = have.get(key)
        extra = {"evidence": event.evidence, "confidence": event.confidence, "confirmed": confirmed}
        if row is None:
            session.add(
                Event(
                    article_id=article_id,
                    authority_id=event.authority_id,
                    kind=event.kind,
                    **{name: getattr(event, name) for name in EVENT_VALUE_FIELDS},
                    **extra,
                    created_at=utcnow(),
                )
            )
            changes.added += 1
        elif _assign(row, extra):
            session.add(row)
            changes.updated += 1
    return changes
