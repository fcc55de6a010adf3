"""Storing Ofsted's official statistics and reconciling them with the reports we read.

An edition is stored once per file URL (files under assets.publishing.service.gov.uk never change;
a different hash at the same URL replaces the edition's rows). Its 'latest' rows give a fresh
install every council's grade in one download, before the report crawl has run. The
reconciliation then compares each council's official latest inspection with what we read from
the reports, and records every difference as an `OfficialDiscrepancy` for review: it never
overwrites either side. A discrepancy stays open until a later reconciliation no longer finds it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, delete, select

from ingest.extract.statistics import StatedInspection, StatisticsEdition
from ingest.gazetteer import AmbiguousName, Gazetteer, UnknownName
from ingest.models import (
    Authority,
    Inspection,
    Judgement,
    OfficialDiscrepancy,
    OfficialEdition,
    OfficialInspection,
)

# An official 'inspection date' and the start date we read from the report of the same
# inspection can differ by a few days (the statistics give the first on-site day).
SAME_INSPECTION_DAYS = 14
GRADE_WORDS = {
    "outstanding": "outstanding",
    "good": "good",
    "requires_improvement": "requires improvement",
    "inadequate": "inadequate",
    "adequate": "adequate",
}


@dataclass
class EditionStored:
    edition_id: int
    new: bool  # False when the same file was stored before: nothing was written
    latest: int = 0
    history: int = 0
    unresolved: list[str] = field(default_factory=list)  # names no council matched


def _authority_ids(session: Session) -> dict[str, int]:
    return {slug: id_ for id_, slug in session.exec(select(Authority.id, Authority.slug))}


def _resolve(gazetteer: Gazetteer, stated: StatedInspection, as_at: date) -> str | None:
    if stated.ons_code:
        record = gazetteer.by_ons(stated.ons_code)
        if record is not None:
            return record.slug
    on = stated.inspection_date or stated.published or as_at
    try:
        return gazetteer.resolve(stated.authority, on=on).slug
    except (UnknownName, AmbiguousName):
        return None


def store_edition(
    session: Session,
    edition: StatisticsEdition,
    *,
    url: str,
    content: bytes,
    gazetteer: Gazetteer,
    now: datetime,
) -> EditionStored:
    """Write one edition and its inspections (the caller commits, so a failure leaves nothing)."""
    digest = hashlib.sha256(content).hexdigest()
    row = session.exec(select(OfficialEdition).where(OfficialEdition.url == url)).first()
    if row is not None and row.content_hash == digest:
        assert row.id is not None
        return EditionStored(row.id, new=False)
    if row is None:
        row = OfficialEdition(
            url=url,
            title=edition.title,
            as_at=edition.as_at,
            published=edition.published,
            content_hash=digest,
            fetched_at=now,
        )
    else:  # the same address now serves another file: replace what it said
        session.exec(delete(OfficialInspection).where(col(OfficialInspection.edition_id) == row.id))
        row.title, row.as_at, row.published = edition.title, edition.as_at, edition.published
        row.content_hash, row.fetched_at = digest, now
    session.add(row)
    session.flush()
    assert row.id is not None
    ids = _authority_ids(session)
    stored = EditionStored(row.id, new=True)
    for role, inspections in (("latest", edition.latest), ("history", edition.history)):
        for stated in inspections:
            slug = _resolve(gazetteer, stated, edition.as_at)
            if slug is None:
                stored.unresolved.append(stated.authority)
            session.add(
                OfficialInspection(
                    edition_id=row.id,
                    authority_id=ids.get(slug) if slug else None,
                    name=stated.authority,
                    role=role,
                    framework=stated.framework,
                    inspection_type=stated.inspection_type,
                    inspection_date=stated.inspection_date,
                    published=stated.published,
                    overall=stated.overall or "",
                    judgements=json.dumps(stated.judgements, sort_keys=True),
                )
            )
            setattr(stored, role, getattr(stored, role) + 1)
    session.flush()
    return stored


def newest_edition(session: Session) -> OfficialEdition | None:
    return session.exec(select(OfficialEdition).order_by(col(OfficialEdition.as_at).desc())).first()


def official_latest(session: Session) -> dict[int, OfficialInspection]:
    """Each council's latest graded inspection in the newest edition, by authority id."""
    edition = newest_edition(session)
    if edition is None:
        return {}
    rows = session.exec(
        select(OfficialInspection).where(
            OfficialInspection.edition_id == edition.id,
            OfficialInspection.role == "latest",
            col(OfficialInspection.authority_id).is_not(None),
        )
    ).all()
    return {row.authority_id: row for row in rows if row.authority_id is not None}


@dataclass(frozen=True)
class _Ours:
    start: date | None
    end: date | None
    published: date | None
    overall: str
    judgements: dict[str, str]

    @property
    def when(self) -> date:
        return self.end or self.start or self.published or date.min


def _ours(session: Session) -> dict[int, list[_Ours]]:
    """Every graded inspection we read from a report, by authority id."""
    judgements: dict[int, dict[str, str]] = {}
    for inspection_id, area, grade in session.exec(
        select(Judgement.inspection_id, Judgement.area, Judgement.grade)
    ):
        judgements.setdefault(inspection_id, {})[area] = grade
    out: dict[int, list[_Ours]] = {}
    for id_, authority_id, start, end, published, overall in session.exec(
        select(
            Inspection.id,
            Inspection.authority_id,
            Inspection.inspection_start,
            Inspection.inspection_end,
            Inspection.published,
            Inspection.overall,
        ).where(col(Inspection.overall).is_not(None), col(Inspection.authority_id).is_not(None))
    ):
        out.setdefault(authority_id, []).append(
            _Ours(start, end, published, overall, judgements.get(id_, {}))
        )
    return out


def _same(official: OfficialInspection, ours: _Ours) -> bool:
    window = timedelta(days=SAME_INSPECTION_DAYS)
    if official.inspection_date and ours.start:
        return abs(official.inspection_date - ours.start) <= window
    if official.inspection_date and ours.end:
        return ours.end - window * 4 <= official.inspection_date <= ours.end
    if official.published and ours.published:
        return abs(official.published - ours.published) <= window
    return False


def _words(overall: str, when: date | None) -> str:
    grade = GRADE_WORDS.get(overall, overall)
    return f"{grade} (inspection of {when.isoformat()})" if when else grade


def reconcile(session: Session, *, now: datetime) -> list[OfficialDiscrepancy]:
    """Compare the newest edition with the reports we read; record and return open differences.

    Only councils whose grade we hold from a report are compared: a council with no report
    read yet shows the official grade and has nothing to disagree with.
    """
    edition = newest_edition(session)
    if edition is None:
        return []
    ours_by_authority = _ours(session)
    found: dict[tuple[int, str], tuple[str, str]] = {}
    for authority_id, official in official_latest(session).items():
        ours = ours_by_authority.get(authority_id)
        if not ours:
            continue
        match = next((o for o in ours if _same(official, o)), None)
        official_words = _words(official.overall, official.inspection_date or official.published)
        if match is not None:
            stated = json.loads(official.judgements)
            differs = sorted(
                area
                for area in stated.keys() & match.judgements.keys()
                if stated[area] != match.judgements[area]
            )
            if match.overall != official.overall or differs:
                detail = f"; sub-judgements differ: {', '.join(differs)}" if differs else ""
                found[(authority_id, "grade_differs")] = (
                    official_words,
                    _words(match.overall, match.start or match.end) + detail,
                )
            continue
        newest = max(ours, key=lambda o: o.when)
        official_when = official.inspection_date or official.published or date.min
        if newest.when < official_when:
            found[(authority_id, "missing_inspection")] = (
                official_words,
                "newest report read: " + _words(newest.overall, newest.start or newest.end),
            )
    open_rows = session.exec(
        select(OfficialDiscrepancy).where(
            OfficialDiscrepancy.edition_id == edition.id,
            col(OfficialDiscrepancy.resolved_at).is_(None),
        )
    ).all()
    for row in open_rows:
        if (row.authority_id, row.kind) not in found:
            row.resolved_at = now
            session.add(row)
    known = {
        (row.authority_id, row.kind): row
        for row in session.exec(
            select(OfficialDiscrepancy).where(OfficialDiscrepancy.edition_id == edition.id)
        )
    }
    result = []
    for (authority_id, kind), (official_words, ours_words) in sorted(found.items()):
        row = known.get((authority_id, kind))
        if row is None:
            row = OfficialDiscrepancy(
                edition_id=edition.id,
                authority_id=authority_id,
                kind=kind,
                official=official_words,
                ours=ours_words,
                detected_at=now,
            )
        else:
            row.official, row.ours, row.resolved_at = official_words, ours_words, None
        session.add(row)
        result.append(row)
    session.flush()
    return result


def open_discrepancies(session: Session) -> list[tuple[str, OfficialDiscrepancy]]:
    """The newest edition's open discrepancies with each council's name (health, board)."""
    edition = newest_edition(session)
    if edition is None:
        return []
    return list(
        session.exec(
            select(Authority.name, OfficialDiscrepancy)
            .join(Authority, Authority.id == OfficialDiscrepancy.authority_id)  # type: ignore[arg-type]
            .where(
                OfficialDiscrepancy.edition_id == edition.id,
                col(OfficialDiscrepancy.resolved_at).is_(None),
            )
            .order_by(Authority.name)
        ).all()
    )
