"""Upserts by natural key: a second identical run finds every row in place and changes none.

Functions take an open Session and never commit: the caller owns the transaction, so a failure
anywhere in one item rolls back the whole item.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, SQLModel, select

from ingest import models, textguard
from ingest.gazetteer import AuthorityRecord
from ingest.models import (
    PARSED_KINDS,
    Authority,
    AuthorityAlias,
    AuthoritySuccessor,
    CrawlState,
    Inspection,
    ItemStatus,
    Judgement,
    OfstedProvider,
    Publication,
    SourceState,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ingest_tables() -> list[type[SQLModel]]:
    return [
        model
        for model in vars(models).values()
        if isinstance(model, type)
        and issubclass(model, SQLModel)
        and getattr(model, "__table__", None) is not None
        and model.__module__ == models.__name__
    ]


textguard.install(_ingest_tables())
"""Every text written to an ingest table is capped and XML-safe (ingest/textguard.py)."""


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True if any did (so unchanged rows stay untouched)."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def sync_authorities(session: Session, records: Iterable[AuthorityRecord]) -> int:
    """Make the authority, alias and successor tables match the gazetteer; returns rows changed."""
    records = list(records)
    by_slug = {a.slug: a for a in session.exec(select(Authority)).all()}
    changed = 0
    for record in records:
        values = {
            "name": record.name,
            "ons_code": record.ons_code or None,
            "la_code": record.la_code or None,
            "ofsted_urn": record.ofsted_urn or None,
            "region": record.region or None,
            "type": record.type or None,
            "valid_from": record.valid_from,
            "valid_to": record.valid_to,
        }
        row = by_slug.get(record.slug)
        if row is None:
            row = Authority(slug=record.slug, **values)
            session.add(row)
            by_slug[record.slug] = row
            changed += 1
        elif _assign(row, values):
            changed += 1
    session.flush()
    changed += _sync_links(session, records, by_slug)
    return changed


def _sync_links(
    session: Session, records: list[AuthorityRecord], by_slug: dict[str, Authority]
) -> int:
    wanted_aliases = {
        (by_slug[r.slug].id, alias) for r in records for alias in r.aliases if alias.strip()
    }
    wanted_successors = {
        (by_slug[r.slug].id, by_slug[s].id) for r in records for s in r.successors if s in by_slug
    }
    have_aliases = {(a.authority_id, a.alias): a for a in session.exec(select(AuthorityAlias))}
    have_successors = {
        (s.authority_id, s.successor_id): s for s in session.exec(select(AuthoritySuccessor))
    }
    changed = 0
    for key in wanted_aliases - have_aliases.keys():
        session.add(AuthorityAlias(authority_id=key[0], alias=key[1]))
        changed += 1
    for key in have_aliases.keys() - wanted_aliases:
        session.delete(have_aliases[key])
        changed += 1
    for key in wanted_successors - have_successors.keys():
        session.add(AuthoritySuccessor(authority_id=key[0], successor_id=key[1]))
        changed += 1
    for key in have_successors.keys() - wanted_successors:
        session.delete(have_successors[key])
        changed += 1
    return changed


def authority_ids_by_urn(session: Session) -> dict[str, int]:
    return {
        a.ofsted_urn: a.id
        for a in session.exec(select(Authority).where(Authority.ofsted_urn.is_not(None)))  # type: ignore[union-attr]
        if a.id is not None and a.ofsted_urn
    }


def upsert_providers(
    session: Session, links: Iterable[tuple[str, str, str]], *, listing_url: str | None = None
) -> int:
    """Remember the listing's providers (urn, name, url) and the listing page they are on;
    returns how many are new."""
    ids = authority_ids_by_urn(session)
    have = {p.urn: p for p in session.exec(select(OfstedProvider))}
    now = utcnow()
    new = 0
    for urn, name, url in links:
        row = have.get(urn)
        if row is None:
            row = OfstedProvider(
                urn=urn,
                name=name,
                url=url,
                authority_id=ids.get(urn),
                first_seen_at=now,
                last_seen_at=now,
                listing_url=listing_url,
            )
            have[urn] = row
            new += 1
        else:
            _assign(
                row,
                {
                    "name": name,
                    "url": url,
                    "authority_id": ids.get(urn),
                    "listing_url": listing_url,
                },
            )
            row.last_seen_at = now
        session.add(row)
    return new


def known_providers(session: Session, *, listing_url: str | None = None) -> list[OfstedProvider]:
    """Providers remembered from earlier runs; with `listing_url`, those seen on that page."""
    query = select(OfstedProvider)
    if listing_url is not None:
        query = query.where(OfstedProvider.listing_url == listing_url)
    return list(session.exec(query.order_by(OfstedProvider.name)))


def get_crawl(session: Session, key: str) -> CrawlState | None:
    return session.exec(select(CrawlState).where(CrawlState.key == key)).first()


def crawl_complete(session: Session, key: str) -> bool:
    """Whether the chain's last pass read every page (a chain never crawled counts as complete:
    it has no validators, so nothing can stop it)."""
    row = get_crawl(session, key)
    return row is None or row.complete is not False


def incomplete_chains(session: Session, source: str) -> set[str]:
    query = select(CrawlState.key).where(
        CrawlState.source == source,
        CrawlState.complete == False,  # noqa: E712  (SQL, not Python)
    )
    return set(session.exec(query))


def record_crawl_pass(
    session: Session, *, key: str, source: str, complete: bool, detail: str | None = None
) -> bool:
    """Record one pass over a chain; False when there was nothing to write (a complete pass of
    a chain never left incomplete writes no row, so healthy provider pages cost no rows)."""
    row = get_crawl(session, key)
    if row is None and complete:
        return False
    now = utcnow()
    row = row or CrawlState(key=key, source=source)
    row.complete = complete
    row.pass_finished_at = now
    row.detail = detail
    if complete:
        row.last_complete_at = now
    session.add(row)
    return True


def blocked_until(session: Session, key: str) -> datetime | None:
    row = get_crawl(session, key)
    if row is None or row.blocked_until is None:
        return None
    until = row.blocked_until if row.blocked_until.tzinfo else row.blocked_until.replace(tzinfo=UTC)
    return until if until > utcnow() else None


def block(session: Session, *, key: str, source: str, until: datetime, detail: str) -> None:
    row = get_crawl(session, key) or CrawlState(key=key, source=source)
    row.blocked_until = until
    row.detail = detail
    session.add(row)


def get_state(session: Session, url: str) -> SourceState | None:
    return session.exec(select(SourceState).where(SourceState.url == url)).first()


def record_success(
    session: Session,
    *,
    url: str,
    source: str,
    status: int,
    etag: str | None,
    last_modified: str | None,
    content_hash: str | None = None,
) -> None:
    """Remember validators and health for a URL after a good fetch (200 or 304)."""
    state = get_state(session, url) or SourceState(url=url, source=source)
    now = utcnow()
    state.last_status = status
    state.last_error = None
    state.last_attempt_at = now
    state.last_success_at = now
    state.consecutive_failures = 0
    if status != 304:
        state.etag = etag
        state.last_modified = last_modified
        if content_hash is not None:
            state.content_hash = content_hash
    session.add(state)


def record_failure(
    session: Session,
    *,
    url: str,
    source: str,
    error: str,
    status: int | None,
    forget_validators: bool = False,
) -> None:
    """Record a failed URL. `forget_validators` for a page that was fetched but could not be
    read: the next run must not get a 304 for it, so the error is met (and reported) again."""
    state = get_state(session, url) or SourceState(url=url, source=source)
    state.last_status = status
    state.last_error = error
    state.last_attempt_at = utcnow()
    state.consecutive_failures = (state.consecutive_failures or 0) + 1
    if forget_validators:
        state.etag = state.last_modified = None
    session.add(state)


def upsert_publication(
    session: Session,
    *,
    url: str,
    provider_urn: str,
    authority_id: int | None,
    title: str,
    kind: str,
    published: date | None,
) -> tuple[Publication, bool]:
    """The publication row for a URL, created or updated; True when it is new."""
    row = session.exec(select(Publication).where(Publication.url == url)).first()
    values = {
        "provider_urn": provider_urn,
        "authority_id": authority_id,
        "title": title,
        "kind": kind,
        "published": published,
    }
    if row is None:
        skipped = kind not in PARSED_KINDS
        row = Publication(
            url=url,
            first_seen_at=utcnow(),
            fetch_status=ItemStatus.SKIPPED if skipped else ItemStatus.PENDING,
            parse_status=ItemStatus.SKIPPED if skipped else ItemStatus.PENDING,
            **values,
        )
        session.add(row)
        session.flush()
        return row, True
    if _assign(row, values):
        session.add(row)
    return row, False


def store_inspection(
    session: Session,
    *,
    publication: Publication,
    content_hash: str,
    framework: str,
    authority_name_in_report: str | None,
    inspection_start: date | None,
    inspection_end: date | None,
    published: date | None,
    lead_inspector: str | None,
    overall: str | None,
    judgements: dict[str, str],
) -> Inspection:
    """Write a parsed report's inspection and judgements and mark its publication done."""
    assert publication.id is not None
    inspection = session.exec(
        select(Inspection).where(Inspection.publication_id == publication.id)
    ).first() or Inspection(publication_id=publication.id, framework=framework)
    _assign(
        inspection,
        {
            "authority_id": publication.authority_id,
            "framework": framework,
            "authority_name_in_report": authority_name_in_report,
            "inspection_start": inspection_start,
            "inspection_end": inspection_end,
            "published": published,
            "lead_inspector": lead_inspector,
            "overall": overall,
        },
    )
    session.add(inspection)
    session.flush()
    have = {
        j.area: j
        for j in session.exec(select(Judgement).where(Judgement.inspection_id == inspection.id))
    }
    for area, row in have.items():
        if area not in judgements:
            session.delete(row)
        elif row.grade != judgements[area]:
            row.grade = judgements[area]
            session.add(row)
    for area, grade in sorted(judgements.items()):
        if area not in have:
            session.add(Judgement(inspection_id=inspection.id, area=area, grade=grade))
    now = utcnow()
    _assign(
        publication,
        {
            "content_hash": content_hash,
            "fetch_status": ItemStatus.OK,
            "parse_status": ItemStatus.OK,
            "error": None,
            "fetched_at": now,
        },
    )
    publication.attempts += 1
    session.add(publication)
    return inspection


def mark_publication_failed(
    session: Session,
    publication_id: int,
    *,
    fetch_failed: bool,
    error: str,
    content_hash: str | None,
) -> None:
    """Record why one publication could not be read; nothing else is touched."""
    row = session.get(Publication, publication_id)
    if row is None:
        return
    row.fetch_status = ItemStatus.ERROR if fetch_failed else ItemStatus.OK
    row.parse_status = ItemStatus.PENDING if fetch_failed else ItemStatus.ERROR
    row.error = error
    row.content_hash = content_hash or row.content_hash
    row.fetched_at = utcnow()
    row.attempts += 1
    session.add(row)
