"""Each authority's current Ofsted status: its latest graded full inspection.

'Latest' is by the end of the inspection (falling back to its start, then to publication), since
a report can be published months after the visit and re-inspections can overtake each other.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from ingest.models import Authority, Inspection, Judgement, Publication, PublicationKind
from ingest.statistics import official_latest


@dataclass
class OfstedStatus:
    slug: str
    name: str
    region: str | None
    overall: str | None = None
    framework: str | None = None
    judgements: dict[str, str] = field(default_factory=dict)
    inspection_start: date | None = None
    inspection_end: date | None = None
    published: date | None = None
    lead_inspector: str | None = None
    report_url: str | None = None
    latest_visit: str | None = None  # title of the newest ungraded publication, as a signal
    latest_visit_published: date | None = None
    latest_visit_url: str | None = None
    # Where the grade comes from: 'report' (a report we read) or 'official_statistics' (Ofsted's
    # yearly statistics, until the report crawl has read that council's report).
    grade_source: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, date):
                data[key] = value.isoformat()
        return data


def _inspection_order(inspection: Inspection) -> tuple[date, date]:
    when = inspection.inspection_end or inspection.inspection_start or inspection.published
    return (when or date.min, inspection.published or date.min)


def _row_order(row: Any) -> tuple[date, date]:
    """_inspection_order of a row of (id, authority_id, overall, framework, start, end,
    published, lead_inspector, url, listed_published)."""
    when = row[5] or row[4] or row[6]
    return (when or date.min, row[6] or date.min)


def current_statuses(session: Session, slugs: list[str] | None = None) -> list[OfstedStatus]:
    """The status of every current authority (or of the given slugs), by name."""
    chosen = (
        Authority.slug.in_(slugs)  # type: ignore[attr-defined]
        if slugs
        else Authority.valid_to.is_(None)  # type: ignore[union-attr]
    )
    authorities = session.exec(
        select(Authority.id, Authority.slug, Authority.name, Authority.region)
        .where(chosen)
        .order_by(Authority.name)
    ).all()
    ids = select(Authority.id).where(chosen).scalar_subquery()

    # Columns, not ORM objects: the board reads this on every request (one query per table).
    graded = session.exec(
        select(
            Inspection.id,
            Inspection.authority_id,
            Inspection.overall,
            Inspection.framework,
            Inspection.inspection_start,
            Inspection.inspection_end,
            Inspection.published,
            Inspection.lead_inspector,
            Publication.url,
            Publication.published,
        )
        .join(Publication, Publication.id == Inspection.publication_id)  # type: ignore[arg-type]
        .where(Inspection.authority_id.in_(ids), Inspection.overall.is_not(None))  # type: ignore[union-attr,attr-defined]
        # only full inspections grade a council; letters are parsed for their signals alone
        .where(Publication.kind == PublicationKind.FULL_INSPECTION)
    ).all()
    latest: dict[int, Any] = {}
    for row in graded:
        current = latest.get(row[1])
        if current is None or _row_order(row) > _row_order(current):
            latest[row[1]] = row

    judgements: dict[int, dict[str, str]] = defaultdict(dict)
    inspection_ids = [row[0] for row in latest.values()]
    for inspection_id, area, grade in session.exec(
        select(Judgement.inspection_id, Judgement.area, Judgement.grade).where(
            Judgement.inspection_id.in_(inspection_ids)  # type: ignore[attr-defined]
        )
    ):
        judgements[inspection_id][area] = grade

    visits: dict[int, Any] = {}
    for visit in session.exec(
        select(
            Publication.authority_id, Publication.title, Publication.published, Publication.url
        ).where(
            Publication.authority_id.in_(ids),  # type: ignore[union-attr,attr-defined]
            Publication.kind != PublicationKind.FULL_INSPECTION,
        )
    ):
        seen = visits.get(visit[0])
        if seen is None or (visit[2] or date.min) > (seen[2] or date.min):
            visits[visit[0]] = visit

    official = official_latest(session) if len(latest) < len(authorities) else {}
    statuses = []
    for authority_id, slug, name, region in authorities:
        status = OfstedStatus(slug=slug, name=name, region=region)
        if authority_id not in latest and authority_id in official:
            stated = official[authority_id]
            status.overall, status.framework = stated.overall, stated.framework
            status.judgements = json.loads(stated.judgements)
            status.inspection_start, status.published = stated.inspection_date, stated.published
            status.grade_source = "official_statistics"
        if authority_id in latest:
            status.grade_source = "report"
            (
                inspection_id,
                _authority_id,
                status.overall,
                status.framework,
                status.inspection_start,
                status.inspection_end,
                inspected_published,
                status.lead_inspector,
                status.report_url,
                listed_published,
            ) = latest[authority_id]
            status.judgements = judgements.get(inspection_id, {})
            status.published = inspected_published or listed_published
        if authority_id in visits:
            _id, status.latest_visit, status.latest_visit_published, status.latest_visit_url = (
                visits[authority_id]
            )
        statuses.append(status)
    return statuses
