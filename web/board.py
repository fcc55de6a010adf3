"""What the pages, feeds and API show, read from ingest's and alerts' tables.

One query per table, never one per authority: the board of every authority is a handful of
queries whatever the number of authorities. Nothing is cached, so nothing goes stale.
Scraped text (titles, provider names, evidence sentences) is returned as is: the templates
escape it, the JSON encoder quotes it, the CSV writer defuses formulas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import Session, col, select

from alerts import describe
from alerts.models import Change
from ingest import vocabulary
from ingest.delivery import (
    DeliveryHistory,
    DeliveryStatus,
    InterventionStatus,
    delivery_history,
    delivery_statuses,
    intervention_statuses,
    parse_partial_date,
    status_of,
)
from ingest.interventions import Episode
from ingest.models import (
    Article,
    Authority,
    AuthorityAlias,
    AuthoritySuccessor,
    Event,
    Inspection,
    Publication,
    PublicationKind,
    Run,
)
from ingest.statistics import open_discrepancies
from ingest.status import OfstedStatus, current_statuses

GRADE_ORDER = {
    "outstanding": 1,
    "good": 2,
    "requires_improvement": 3,
    "adequate": 3,
    "inadequate": 4,
}
GRADE_LABELS = vocabulary.capitalised(vocabulary.GRADE_LABELS)
MODEL_LABELS = vocabulary.capitalised(vocabulary.MODEL_LABELS)
STAGE_LABELS = dict(vocabulary.STAGE_LABELS)
KIND_LABELS = {
    PublicationKind.FULL_INSPECTION: "Full inspection",
    PublicationKind.FOCUSED_VISIT: "Focused visit",
    PublicationKind.MONITORING_VISIT: "Monitoring visit",
    PublicationKind.JTAI: "Joint targeted area inspection",
    PublicationKind.AREA_SEND: "Area SEND inspection",
    PublicationKind.OTHER: "Other publication",
}
# The sources whose runs the board reports ('data as of'), in the order shown.
SOURCE_LABELS = {
    "statistics": "Ofsted statistics",
    "ofsted": "Ofsted reports",
    "news": "sector news",
    "govuk": "GOV.UK",
}
SORT_KEYS = ("name", "region", "grade", "inspected", "model", "intervention", "change")


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass
class BoardRow:
    slug: str
    name: str
    region: str | None
    overall: str | None
    inspected: date | None  # end of the latest graded inspection (else its publication)
    published: date | None
    report_url: str | None
    model: str  # in_house when nothing else is known
    provider: str | None
    stage: str | None
    model_since: date | None
    model_confirmed: bool | None  # None: no delivery fact (in house by default)
    interventions: tuple[str, ...]
    intervention_confirmed: bool | None
    last_change: datetime | None  # when we noticed it
    last_change_text: str | None
    last_change_on: date | None = None  # when it happened, if the change says
    aliases: tuple[str, ...] = ()
    planned: dict[str, Any] | None = None  # a pending plan: model, provider, stage, since, status
    model_since_text: str | None = None  # as precise as the source: 'YYYY', 'YYYY-MM' or a day

    @property
    def last_change_day(self) -> date | None:
        """When the last change happened, else when we noticed it."""
        if self.last_change_on:
            return self.last_change_on
        return self.last_change.date() if self.last_change else None

    @property
    def delivery_when(self) -> str:
        """'since 1 Oct 2014' for an arrangement in place, 'decided 4 Mar 2025' for a step."""
        when = partial_day(self.model_since, self.model_since_text)
        if self.stage in (None, "operational"):
            return f"since {when}" if when else ""
        return f"{STAGE_LABELS.get(self.stage, self.stage)} {when}".strip()

    def matches(self, text: str) -> bool:
        """Search: the words typed appear in the name, the slug or another name it goes by."""
        needle = " ".join(text.lower().split())
        return any(
            needle in hay.lower() for hay in (self.name, self.slug.replace("-", " "), *self.aliases)
        )

    @property
    def planned_label(self) -> str | None:
        """'trust decided': the pending plan beside today's model."""
        if not self.planned:
            return None
        model = MODEL_LABELS.get(self.planned["model"], self.planned["model"]).lower()
        return f"{model} {self.planned['stage']}"

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS.get(self.overall or "", "Not graded")

    @property
    def model_label(self) -> str:
        return MODEL_LABELS.get(self.model, self.model)

    @property
    def intervention_label(self) -> str:
        return ", ".join(describe.ACTIONS.get(a, a.replace("_", " ")) for a in self.interventions)

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "region": self.region,
            "overall": self.overall,
            "inspected": _iso(self.inspected),
            "published": _iso(self.published),
            "report_url": self.report_url,
            "delivery": {
                "model": self.model,
                "provider": self.provider,
                "stage": self.stage,
                "since": _iso(self.model_since),
                "status": _status(self.model_confirmed),
                "planned": self.planned,
            },
            "intervention": (
                {
                    "actions": list(self.interventions),
                    "status": _status(self.intervention_confirmed),
                }
                if self.interventions
                else None
            ),
            "last_change": self.last_change.isoformat() if self.last_change else None,
            "last_change_on": _iso(self.last_change_on),
        }


def day(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def partial_day(value: date | None, as_stated: str | None) -> str:
    """A date no more precise than its source: '2019', 'Mar 2018' or '1 Oct 2014' (a year
    stated alone is stored as its first day, which must never be shown as that day)."""
    if value is None:
        return ""
    if as_stated and len(as_stated) == 4:
        return as_stated
    if as_stated and len(as_stated) == 7:
        return f"{value:%b %Y}"
    return day(value)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _status(confirmed: bool | None) -> str | None:
    if confirmed is None:
        return None
    return "confirmed" if confirmed else "reported"


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _last_changes(session: Session) -> dict[int, Change]:
    newest = (
        select(Change.authority_id, func.max(Change.id).label("id"))
        .group_by(Change.authority_id)
        .subquery()
    )
    rows = session.exec(select(Change).join(newest, col(Change.id) == newest.c.id))
    return {row.authority_id: row for row in rows}


def _row(
    status: OfstedStatus,
    delivery: DeliveryStatus | None,
    intervention: InterventionStatus | None,
    change: Change | None,
    aliases: tuple[str, ...] = (),
) -> BoardRow:
    return BoardRow(
        slug=status.slug,
        name=status.name,
        region=status.region,
        overall=status.overall,
        inspected=status.inspection_end or status.inspection_start or status.published,
        published=status.published,
        report_url=status.report_url,
        model=delivery.model if delivery and delivery.stage != "ended" else "in_house",
        provider=delivery.provider if delivery else None,
        stage=delivery.stage if delivery else None,
        model_since=delivery.since if delivery else None,
        model_since_text=delivery.since_text if delivery else None,
        model_confirmed=delivery.confirmed if delivery else None,
        interventions=intervention.actions if intervention else (),
        intervention_confirmed=intervention.confirmed if intervention else None,
        last_change=aware(change.detected_at) if change else None,
        last_change_text=describe.headline(change) if change else None,
        last_change_on=change.occurred_on if change else None,
        aliases=aliases,
        planned=_planned(delivery),
    )


def _planned(delivery: DeliveryStatus | None) -> dict[str, Any] | None:
    plan = delivery.planned if delivery else None
    if plan is None:
        return None
    return {
        "model": plan.model,
        "provider": plan.provider,
        "stage": plan.stage,
        "since": _iso(plan.since),
        "status": _status(plan.confirmed),
    }


def board(session: Session) -> list[BoardRow]:
    """Every current authority's row, by name."""
    statuses = current_statuses(session)
    deliveries = delivery_statuses(session)
    interventions = intervention_statuses(session)
    ids = dict(session.exec(select(Authority.slug, Authority.id)).all())
    changes = _last_changes(session)
    aliases: dict[str, list[str]] = {}
    for slug, alias in session.exec(
        select(Authority.slug, AuthorityAlias.alias).join(
            AuthorityAlias, col(AuthorityAlias.authority_id) == Authority.id
        )
    ):
        aliases.setdefault(slug, []).append(alias)
    return [
        _row(
            status,
            deliveries.get(status.slug),
            interventions.get(status.slug),
            changes.get(ids.get(status.slug, -1)),
            tuple(aliases.get(status.slug, ())),
        )
        for status in statuses
    ]


@dataclass(frozen=True)
class BoardQuery:
    region: str | None = None
    grade: str | None = None  # a grade, or "none" for never graded
    model: str | None = None
    sort: str = "name"
    descending: bool = False
    q: str | None = None  # search words


def _sort_key(name: str):  # type: ignore[no-untyped-def]
    far = date.min
    keys = {
        "name": lambda r: (r.name.lower(),),
        "region": lambda r: (r.region or "~", r.name.lower()),
        "grade": lambda r: (GRADE_ORDER.get(r.overall or "", 9), r.name.lower()),
        "inspected": lambda r: (r.inspected or far, r.name.lower()),
        "model": lambda r: (r.model_label, r.name.lower()),
        "intervention": lambda r: (r.intervention_label or "~", r.name.lower()),
        "change": lambda r: (r.last_change_day or far, r.name.lower()),
    }
    return keys[name]


def filter_board(rows: list[BoardRow], query: BoardQuery) -> list[BoardRow]:
    chosen = [
        r
        for r in rows
        if (not query.region or r.region == query.region)
        and (
            not query.grade
            or (query.grade == "none" and r.overall is None)
            or r.overall == query.grade
        )
        and (not query.model or r.model == query.model)
        and (not query.q or r.matches(query.q))
    ]
    sort = query.sort if query.sort in SORT_KEYS else "name"
    return sorted(chosen, key=_sort_key(sort), reverse=query.descending)


def regions(session: Session) -> list[str]:
    return sorted(
        r
        for r in session.exec(
            select(Authority.region).where(col(Authority.valid_to).is_(None)).distinct()
        )
        if r
    )


def authority_exists(session: Session, slug: str) -> bool:
    return session.exec(select(Authority.id).where(Authority.slug == slug)).first() is not None


def slug_for(session: Session, text: str) -> str | None:
    """The slug of the authority named `text` (any case, or another name it goes by)."""
    wanted = " ".join(text.split()).lower()
    for slug, name in session.exec(select(Authority.slug, Authority.name)):
        if name.lower() == wanted:
            return slug
    for slug, alias in session.exec(
        select(Authority.slug, AuthorityAlias.alias).join(
            AuthorityAlias, col(AuthorityAlias.authority_id) == Authority.id
        )
    ):
        if alias.lower() == wanted:
            return slug
    return None


def current_authorities(session: Session) -> list[tuple[str, str]]:
    """(slug, name) of every current authority, by name: the subscription form's choices."""
    return list(
        session.exec(
            select(Authority.slug, Authority.name)
            .where(col(Authority.valid_to).is_(None))
            .order_by(Authority.name)
        ).all()
    )


# -- one authority --------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    when: date | None
    kind: str  # inspection, visit, publication, delivery_model, intervention, rating
    label: str
    detail: str | None
    links: list[Link]
    confirmed: bool
    when_text: str | None = None  # the date as precise as its source ('2019', '2018-03')

    @property
    def when_shown(self) -> str:
        return partial_day(self.when, self.when_text) or "Date unknown"

    def to_json(self) -> dict[str, Any]:
        return {
            "date": _iso(self.when),
            "date_as_stated": self.when_text or _iso(self.when),
            "kind": self.kind,
            "label": self.label,
            "detail": self.detail,
            "evidence": [{"url": link.url, "title": link.title} for link in self.links],
            "status": "confirmed" if self.confirmed else "reported",
        }


@dataclass
class AuthorityPage:
    authority: Authority
    row: BoardRow
    status: OfstedStatus
    delivery: DeliveryStatus | None
    intervention: InterventionStatus | None
    timeline: list[TimelineEntry] = field(default_factory=list)
    successors: list[Authority] = field(default_factory=list)
    predecessors: list[Authority] = field(default_factory=list)
    history: list[GradePoint] = field(default_factory=list)

    @property
    def former(self) -> bool:
        return self.authority.valid_to is not None

    @property
    def successors_from(self) -> date | None:
        """The day the successors took over (their first day), if the gazetteer says."""
        days = {a.valid_from for a in self.successors if a.valid_from}
        return min(days) if days else None


@dataclass(frozen=True)
class GradePoint:
    """One graded full inspection: what the grade-history chart plots."""

    when: date
    grade: str
    framework: str | None
    url: str | None

    @property
    def label(self) -> str:
        return GRADE_LABELS.get(self.grade, self.grade)


def grade_history(session: Session, authority_id: int) -> list[GradePoint]:
    rows = session.exec(
        select(Inspection, Publication)
        .join(Publication, col(Publication.id) == Inspection.publication_id)
        .where(Inspection.authority_id == authority_id, col(Inspection.overall).is_not(None))
    ).all()
    points = []
    for inspection, publication in rows:
        when = inspection.inspection_end or inspection.inspection_start or inspection.published
        if when is None or inspection.overall is None:
            continue
        points.append(
            GradePoint(when, inspection.overall, inspection.framework, _safe_url(publication.url))
        )
    return sorted(points, key=lambda p: p.when)


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links go into pages, whatever a scraper stored."""
    if url and url.startswith(("https://", "http://")):
        return url
    return None


def _host(url: str | None) -> str | None:
    """'Source: www.dcstrust.co.uk': a link's title when the only title is ours."""
    host = urlsplit(url or "").hostname
    return f"Source: {host}" if host else None


def _links(*items: tuple[str | None, str | None]) -> list[Link]:
    links = []
    for url, title in items:
        safe = _safe_url(url)
        if safe:
            links.append(Link(safe, title or safe))
    return links


def _publication_entries(session: Session, authority_id: int) -> list[TimelineEntry]:
    rows = session.exec(
        select(Publication, Inspection)
        .join(Inspection, col(Inspection.publication_id) == Publication.id, isouter=True)
        .where(Publication.authority_id == authority_id)
    ).all()
    entries = []
    for publication, inspection in rows:
        kind = KIND_LABELS.get(publication.kind, publication.kind)  # type: ignore[call-overload]
        detail = None
        when = publication.published
        if inspection is not None and inspection.overall:
            detail = f"Overall: {GRADE_LABELS.get(inspection.overall, inspection.overall)}"
            when = inspection.published or publication.published
            if inspection.inspection_start and inspection.inspection_end:
                detail += (
                    f" (inspected {describe.when(inspection.inspection_start)} to "
                    f"{describe.when(inspection.inspection_end)})"
                )
        entry_kind = (
            "inspection"
            if publication.kind == PublicationKind.FULL_INSPECTION
            else "visit"
            if publication.kind != PublicationKind.OTHER
            else "publication"
        )
        entries.append(
            TimelineEntry(
                when=when,
                kind=entry_kind,
                label=f"{kind}: {publication.title}",
                detail=detail,
                links=_links((publication.url, "Ofsted report")),
                confirmed=True,
            )
        )
    return entries


def _event_entries(session: Session, authority_id: int) -> list[TimelineEntry]:
    rows = session.exec(
        select(Event, Article)
        .join(Article, col(Article.id) == Event.article_id)
        .where(Event.authority_id == authority_id)
    ).all()
    entries = []
    for event, article in rows:
        if event.kind in ("delivery_model", "intervention"):
            continue  # shown as periods and episodes, with this evidence (see below)
        when = parse_partial_date(event.date) or (
            aware(article.published).date() if article.published else None
        )
        if event.kind == "delivery_model":
            label = f"Delivery model: {MODEL_LABELS.get(event.model or '', event.model or '?')}"
            if event.stage:
                label += f", {STAGE_LABELS.get(event.stage, event.stage)}"
            if event.provider:
                label += f" ({event.provider})"
        elif event.kind == "intervention":
            label = "DfE intervention: " + describe.ACTIONS.get(
                event.action or "", (event.action or "unspecified").replace("_", " ")
            )
        elif event.kind == "rating":
            label = f"Reported Ofsted grade: {GRADE_LABELS.get(event.grade or '', 'unknown')}"
        else:
            label = event.kind.replace("_", " ")
        entries.append(
            TimelineEntry(
                when=when,
                kind=event.kind,
                label=label,
                detail=event.evidence,
                links=_links((article.canonical_url, article.title)),
                confirmed=bool(event.confirmed),
            )
        )
    return entries


def _evidence_links(evidence: Any) -> list[Link]:
    return _links(*((e.url, e.title) for e in evidence))


def _span(start: str | None, end: str | None) -> str:
    if start and end:
        return f"From {start} to {end}"
    if start:
        return f"Since {start}"
    return f"Until {end}" if end else ""


def _period_entries(history: DeliveryHistory | None) -> list[TimelineEntry]:
    """Every period of the council's delivery-model history, and every plan, with evidence
    (the in-house years before any record are left out: nothing says anything of them)."""
    if history is None:
        return []
    entries = []
    for period in history.periods:
        if period.confirmed is None and not period.evidence:
            continue
        label = f"Delivery model: {MODEL_LABELS.get(period.model, period.model)}"
        if period.provider:
            label += f" ({period.provider})"
        detail = _span(period.start_text, period.end_text)
        detail += ", ended" if period.end else ", current"
        if period.inherited_from:
            detail += f"; {period.note}" if period.note else f"; from {period.inherited_from}"
        elif period.note:
            detail += f"; {period.note}"
        entries.append(
            TimelineEntry(
                when=period.start,
                when_text=period.start_text,
                kind="delivery_model",
                label=label,
                detail=detail,
                links=_evidence_links(period.evidence),
                confirmed=bool(period.confirmed),
            )
        )
    for plan in history.plans:
        label = f"Delivery model: {MODEL_LABELS.get(plan.model, plan.model)}, {plan.stage}"
        if plan.provider:
            label += f" ({plan.provider})"
        entries.append(
            TimelineEntry(
                when=plan.since,
                when_text=plan.since_text,
                kind="delivery_model",
                label=label,
                detail=plan.note,
                links=_evidence_links(plan.evidence),
                confirmed=plan.confirmed,
            )
        )
    return entries


def _episode_entries(episodes: tuple[Episode, ...]) -> list[TimelineEntry]:
    """Each DfE action from its opening to its end, every step with its source."""
    entries = []
    for episode in episodes:
        steps = "; ".join(
            f"{step.step} {describe.when(step.on) or 'date unknown'}" for step in episode.steps
        )
        label = "DfE intervention: " + describe.ACTIONS.get(
            episode.action, episode.action.replace("_", " ")
        )
        if episode.end_step:
            label += f" ({episode.end_step})"
        entries.append(
            TimelineEntry(
                when=episode.start,
                kind="intervention",
                label=label,
                detail=steps[:1].upper() + steps[1:],
                links=_evidence_links(_unique_evidence(s.evidence for s in episode.steps)),
                confirmed=episode.confirmed,
            )
        )
    return entries


def _unique_evidence(items: Any) -> list[Any]:
    return list(dict.fromkeys(items))


def authority_page(session: Session, slug: str) -> AuthorityPage | None:
    authority = session.exec(select(Authority).where(Authority.slug == slug)).first()
    if authority is None or authority.id is None:
        return None
    status = current_statuses(session, [slug])[0]
    history = delivery_history(session, slug)
    delivery = status_of(history) if history is not None else None
    intervention = intervention_statuses(session).get(slug)
    change = session.exec(
        select(Change).where(Change.authority_id == authority.id).order_by(col(Change.id).desc())
    ).first()
    timeline = (
        _publication_entries(session, authority.id)
        + _event_entries(session, authority.id)
        + _period_entries(history)
        + _episode_entries(intervention.episodes if intervention else ())
    )
    timeline.sort(key=lambda e: (e.when or date.min, e.label), reverse=True)
    successors = list(
        session.exec(
            select(Authority)
            .join(AuthoritySuccessor, col(AuthoritySuccessor.successor_id) == Authority.id)
            .where(AuthoritySuccessor.authority_id == authority.id)
            .order_by(Authority.name)
        ).all()
    )
    predecessors = list(
        session.exec(
            select(Authority)
            .join(AuthoritySuccessor, col(AuthoritySuccessor.authority_id) == Authority.id)
            .where(AuthoritySuccessor.successor_id == authority.id)
            .order_by(Authority.name)
        ).all()
    )
    return AuthorityPage(
        authority=authority,
        row=_row(status, delivery, intervention, change),
        status=status,
        delivery=delivery,
        intervention=intervention,
        timeline=timeline,
        successors=successors,
        predecessors=predecessors,
        history=grade_history(session, authority.id),
    )


# -- changes ----------------------------------------------------------------------------------


@dataclass
class ChangeItem:
    id: int
    slug: str
    authority: str
    kind: str
    label: str
    headline: str
    sentence: str
    occurred_on: date | None
    detected_at: datetime
    confirmed: bool
    evidence: list[Link]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "authority": self.slug,
            "authority_name": self.authority,
            "kind": self.kind,
            "headline": self.headline,
            "sentence": self.sentence,
            "occurred_on": _iso(self.occurred_on),
            "detected_at": self.detected_at.isoformat(),
            "status": "confirmed" if self.confirmed else "reported",
            "evidence": [{"url": link.url, "title": link.title} for link in self.evidence],
        }


def changes(
    session: Session,
    *,
    since: datetime | None = None,
    slug: str | None = None,
    limit: int = 100,
) -> list[ChangeItem]:
    """Changes, newest first; since a moment and for one authority if asked."""
    query = select(Change, Authority).join(Authority, col(Authority.id) == Change.authority_id)
    if since is not None:
        query = query.where(Change.detected_at >= since)
    if slug is not None:
        query = query.where(Authority.slug == slug)
    rows = session.exec(query.order_by(col(Change.id).desc()).limit(limit)).all()
    items = []
    for change, authority in rows:
        assert change.id is not None
        items.append(
            ChangeItem(
                id=change.id,
                slug=authority.slug,
                authority=authority.name,
                kind=change.kind,
                label=describe.KIND_LABELS.get(change.kind, change.kind),  # type: ignore[call-overload]
                headline=describe.headline(change),
                sentence=describe.sentence(change, authority.name),
                occurred_on=change.occurred_on,
                detected_at=aware(change.detected_at),
                confirmed=change.confirmed,
                evidence=[Link(e.url, e.title) for e in describe.evidence(change)],
            )
        )
    return items


@dataclass(frozen=True)
class SourceStatus:
    source: str
    label: str
    as_of: datetime | None  # when its latest completed run (ok or partial) finished


def source_statuses(session: Session) -> list[SourceStatus]:
    """Each source's 'data as of': the end of its latest run that completed."""
    done = {
        source: aware(finished)
        for source, finished in session.exec(
            select(Run.source, func.max(Run.finished_at))
            .where(col(Run.status).in_(("ok", "partial")), col(Run.finished_at).is_not(None))
            .group_by(Run.source)
        )
        if finished is not None
    }
    known = [SourceStatus(s, label, done.get(s)) for s, label in SOURCE_LABELS.items()]
    others = [
        SourceStatus(s, s, when) for s, when in sorted(done.items()) if s not in SOURCE_LABELS
    ]
    return known + others


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    grades: list[Count]
    models: list[Count]
    intervention: int  # councils under some DfE intervention


def summarise(rows: list[BoardRow]) -> Summary:
    grades = [
        Count(key, label, sum(1 for r in rows if r.overall == key))
        for key, label in GRADE_LABELS.items()
    ]
    grades.append(Count("none", "Not graded", sum(1 for r in rows if r.overall is None)))
    models = [
        Count(key, label, sum(1 for r in rows if r.model == key))
        for key, label in MODEL_LABELS.items()
    ]
    return Summary(
        grades=[c for c in grades if c.count or c.key != "adequate"],
        models=models,
        intervention=sum(1 for r in rows if r.interventions),
    )


@dataclass(frozen=True)
class Discrepancy:
    """A council whose grade we read differently from Ofsted's official statistics."""

    slug: str
    name: str
    official: str
    ours: str


def discrepancies(session: Session) -> list[Discrepancy]:
    slugs = dict(session.exec(select(Authority.name, Authority.slug)).all())
    return [
        Discrepancy(slugs.get(name, ""), name, row.official, row.ours)
        for name, row in open_discrepancies(session)
    ]


@dataclass(frozen=True)
class BoardData:
    """What the board, its CSV and the API's list are made from (cached as one value)."""

    rows: list[BoardRow]
    regions: list[str]
    sources: list[SourceStatus] = field(default_factory=list)
    summary: Summary | None = None
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def first_run(self) -> bool:
        """No source has completed a run yet: what the board shows is not data."""
        return not any(s.as_of for s in self.sources)


def board_data(session: Session) -> BoardData:
    rows = board(session)
    return BoardData(
        rows=rows,
        regions=regions(session),
        sources=source_statuses(session),
        summary=summarise(rows),
        discrepancies=discrepancies(session),
    )
