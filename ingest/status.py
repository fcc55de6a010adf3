"""Each authority's current Ofsted status: its latest graded full inspection.

'Latest' is by the end of the inspection (falling back to its start, then to publication), since
a report can be published months after the visit and re-inspections can overtake each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from ingest.models import Authority, Inspection, Judgement, Publication, PublicationKind


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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, date):
                data[key] = value.isoformat()
        return data


def _inspection_order(inspection: Inspection) -> tuple[date, date]:
    when = inspection.inspection_end or inspection.inspection_start or inspection.published
    return (when or date.min, inspection.published or date.min)


def current_statuses(session: Session, slugs: list[str] | None = None) -> list[OfstedStatus]:
    """The status of every current authority (or of the given slugs), by name."""
    query = select(Authority)
    if slugs:
        query = query.where(Authority.slug.in_(slugs))  # type: ignore[attr-defined]
    else:
        query = query.where(Authority.valid_to.is_(None))  # type: ignore[union-attr]
    authorities = session.exec(query.order_by(Authority.name)).all()
    ids = [a.id for a in authorities]

    graded = session.exec(
        select(Inspection, Publication)
        .join(Publication, Publication.id == Inspection.publication_id)  # type: ignore[arg-type]
        .where(Inspection.authority_id.in_(ids), Inspection.overall.is_not(None))  # type: ignore[union-attr,attr-defined]
    ).all()
    latest: dict[int, tuple[Inspection, Publication]] = {}
    for inspection, publication in graded:
        assert inspection.authority_id is not None
        current = latest.get(inspection.authority_id)
        if current is None or _inspection_order(inspection) > _inspection_order(current[0]):
            latest[inspection.authority_id] = (inspection, publication)

    judgements: dict[int, dict[str, str]] = defaultdict(dict)
    inspection_ids = [i.id for i, _p in latest.values()]
    for judgement in session.exec(
        select(Judgement).where(Judgement.inspection_id.in_(inspection_ids))  # type: ignore[attr-defined]
    ):
        judgements[judgement.inspection_id][judgement.area] = judgement.grade

    visits: dict[int, Publication] = {}
    for publication in session.exec(
        select(Publication).where(
            Publication.authority_id.in_(ids),  # type: ignore[union-attr,attr-defined]
            Publication.kind != PublicationKind.FULL_INSPECTION,
        )
    ):
        assert publication.authority_id is not None
        seen = visits.get(publication.authority_id)
        if seen is None or (publication.published or date.min) > (seen.published or date.min):
            visits[publication.authority_id] = publication

    statuses = []
    for authority in authorities:
        assert authority.id is not None
        status = OfstedStatus(slug=authority.slug, name=authority.name, region=authority.region)
        if authority.id in latest:
            inspection, publication = latest[authority.id]
            status.overall = inspection.overall
            status.framework = inspection.framework
            status.judgements = judgements.get(inspection.id or -1, {})
            status.inspection_start = inspection.inspection_start
            status.inspection_end = inspection.inspection_end
            status.published = inspection.published or publication.published
            status.lead_inspector = inspection.lead_inspector
            status.report_url = publication.url
        if authority.id in visits:
            visit = visits[authority.id]
            status.latest_visit = visit.title
            status.latest_visit_published = visit.published
            status.latest_visit_url = visit.url
        statuses.append(status)
    return statuses
