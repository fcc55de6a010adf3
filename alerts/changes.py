"""Change detection: compare each authority's status with what was last recorded.

Run after every ingest (the composition root calls `detect`). For each aspect of an authority
(its Ofsted status, its delivery model, its DfE intervention) the current status is compared with
the snapshot written last time; a difference becomes a `Change` row and the snapshot moves on.

Recorded once: a change's natural key (authority, kind, key) is unique and checked before
writing, and the snapshot moves in the same transaction, so detecting again over the same data
writes nothing.

Quiet start: the first status ever seen is a baseline, not news. For Ofsted that holds per
authority (an authority whose provider page is read for the first time, say after a first run
limited to one council, is recorded silently with all its history, once its provider page has
been read); for delivery models and
interventions it holds per aspect (the first time the news source yields anything at all).

Upgraded once: when the same delivery model or intervention, reported by news before, is now
stated by an official source (docs/provenance.md), one more change says so (its key ends in
'|confirmed', so it is written, and mailed, once).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from alerts.models import Aspect, Baseline, Change, ChangeKind, Snapshot
from ingest import delivery as delivery_source
from ingest.models import (
    Authority,
    Inspection,
    InspectionSignal,
    OfstedProvider,
    Publication,
    PublicationKind,
    SourceState,
)
from ingest.status import current_statuses

log = logging.getLogger(__name__)

VISIT_KINDS = (
    PublicationKind.FOCUSED_VISIT,
    PublicationKind.MONITORING_VISIT,
    PublicationKind.JTAI,
    PublicationKind.AREA_SEND,
)


@dataclass
class DetectResult:
    changes: list[Change] = field(default_factory=list)
    baselined: list[str] = field(default_factory=list)  # aspects (or 'ofsted:<slug>') recorded

    @property
    def quiet_start(self) -> bool:
        return bool(self.baselined) and not self.changes


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _evidence(*items: tuple[str | None, str | None, str | None]) -> str:
    return json.dumps(
        [
            {"url": url, "title": title, "sentence": sentence}
            for url, title, sentence in items
            if url
        ]
    )


class _Writer:
    """Collects changes and snapshot moves of one detection run, in one session."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.result = DetectResult()
        self.snapshots = {
            (s.authority_id, s.aspect): s for s in session.exec(select(Snapshot)).all()
        }

    def previous(self, authority_id: int, aspect: Aspect) -> dict[str, Any] | None:
        snap = self.snapshots.get((authority_id, aspect))
        return json.loads(snap.state) if snap else None

    def record(self, authority_id: int, aspect: Aspect, state: dict[str, Any]) -> None:
        snap = self.snapshots.get((authority_id, aspect))
        text = json.dumps(state, sort_keys=True)
        if snap is None:
            snap = Snapshot(
                authority_id=authority_id, aspect=aspect, state=text, updated_at=self.now
            )
            self.snapshots[(authority_id, aspect)] = snap
        elif snap.state == text:
            return
        snap.state = text
        snap.updated_at = self.now
        self.session.add(snap)

    def change(self, **values: Any) -> None:
        exists = self.session.exec(
            select(Change.id).where(
                Change.authority_id == values["authority_id"],
                Change.kind == values["kind"],
                Change.key == values["key"],
            )
        ).first()
        if exists is not None:
            return
        row = Change(detected_at=self.now, **values)
        self.session.add(row)
        self.result.changes.append(row)


def detect(session: Session, *, now: datetime | None = None) -> DetectResult:
    """Compare every authority's status with its snapshot; write changes; commit."""
    writer = _Writer(session, now or utcnow())
    authorities = {a.slug: a for a in session.exec(select(Authority)).all()}
    _detect_ofsted(session, writer, authorities)
    _detect_signals(session, writer)
    _detect_delivery(session, writer, authorities)
    _detect_intervention(session, writer, authorities)
    session.commit()
    for row in writer.result.changes:
        session.refresh(row)
        session.expunge(row)  # a plain record for the caller, unaffected by later commits
    if writer.result.changes:
        log.info("alerts: %d new changes", len(writer.result.changes))
    return writer.result


# -- Ofsted -------------------------------------------------------------------------------


def _detect_ofsted(session: Session, writer: _Writer, authorities: dict[str, Authority]) -> None:
    visits: dict[int, list[Publication]] = defaultdict(list)
    seen: set[int] = set()
    for publication in session.exec(
        select(Publication).where(Publication.authority_id.is_not(None))  # type: ignore[union-attr]
    ):
        assert publication.authority_id is not None
        seen.add(publication.authority_id)
        if publication.kind in VISIT_KINDS:
            visits[publication.authority_id].append(publication)
    # Authorities whose provider page has been read, even if it lists nothing yet.
    seen.update(
        authority_id
        for authority_id in session.exec(
            select(OfstedProvider.authority_id)
            .join(SourceState, SourceState.url == OfstedProvider.url)  # type: ignore[arg-type]
            .where(
                OfstedProvider.authority_id.is_not(None),  # type: ignore[union-attr]
                SourceState.last_success_at.is_not(None),  # type: ignore[union-attr]
            )
        )
        if authority_id is not None
    )
    if not seen:
        return  # nothing ingested yet: nothing to baseline
    slugs = [a.slug for a in authorities.values() if a.id in seen]
    for status in current_statuses(session, slugs):
        authority = authorities[status.slug]
        assert authority.id is not None
        own = sorted(visits.get(authority.id, []), key=lambda p: p.id or 0)
        state = {
            "overall": status.overall,
            "report_url": status.report_url,
            "published": _iso(status.published),
            "inspection_end": _iso(status.inspection_end),
            "max_visit_id": max((p.id or 0 for p in own), default=0),
            "visit_published": _iso(max((p.published for p in own if p.published), default=None)),
        }
        old = writer.previous(authority.id, Aspect.OFSTED)
        if old is None:
            writer.result.baselined.append(f"ofsted:{status.slug}")
        else:
            if status.report_url and status.report_url != old.get("report_url"):
                rated = bool(old.get("overall")) and old.get("overall") != status.overall
                writer.change(
                    authority_id=authority.id,
                    kind=ChangeKind.RATING_CHANGED if rated else ChangeKind.INSPECTION_PUBLISHED,
                    key=status.report_url,
                    old_value=old.get("overall"),
                    new_value=status.overall,
                    title=status.framework,
                    evidence=_evidence((status.report_url, "Ofsted inspection report", None)),
                    confirmed=True,
                    occurred_on=status.published or status.inspection_end,
                )
            newest = old.get("visit_published")
            for publication in own:
                if (publication.id or 0) <= old.get("max_visit_id", 0):
                    continue
                if newest and publication.published and publication.published.isoformat() < newest:
                    continue  # an old letter found late (a backfill), not news
                writer.change(
                    authority_id=authority.id,
                    kind=ChangeKind.VISIT_PUBLISHED,
                    key=publication.url,
                    old_value=None,
                    new_value=publication.kind,
                    title=publication.title,
                    evidence=_evidence((publication.url, publication.title, None)),
                    confirmed=True,
                    occurred_on=publication.published,
                )
        writer.record(authority.id, Aspect.OFSTED, state)


# -- signals: what letters and area reports found ------------------------------------------

# A visit change older than this gets no signal change when its letter is parsed only now (a
# letter that failed for weeks, or the first parse of letters stored before signals existed).
SIGNAL_FRESHNESS = timedelta(days=30)


def _signal_change(signal: InspectionSignal) -> tuple[ChangeKind, str | None] | None:
    """The kind of change a signal makes, and its typed new value; None if it says nothing new."""
    if signal.send_outcome:
        return ChangeKind.SEND_OUTCOME, signal.send_outcome
    if signal.kind == "area_send_2016" and signal.written_statement_required is not None:
        required = signal.written_statement_required
        return ChangeKind.SEND_WRITTEN_STATEMENT, "required" if required else "not_required"
    if signal.priority_action in ("found", "remain"):
        return ChangeKind.PRIORITY_ACTION_FOUND, signal.priority_action
    if signal.kind == "monitoring_visit" and (signal.visit_number or signal.headline):
        return ChangeKind.MONITORING_VISIT_FINDING, str(signal.visit_number or "")
    if signal.kind == "jtai" and signal.theme:
        return ChangeKind.JTAI_THEME, signal.theme_key
    return None


def _detect_signals(session: Session, writer: _Writer) -> None:
    """A signal change follows each visit change whose letter has been parsed.

    Tied to the visit change so that the quiet start and backfill rules of visits hold for
    signals too; keyed by the letter's URL, so each is written once.
    """
    rows = session.exec(
        select(InspectionSignal, Publication, Change)
        .join(Inspection, Inspection.id == InspectionSignal.inspection_id)  # type: ignore[arg-type]
        .join(Publication, Publication.id == Inspection.publication_id)  # type: ignore[arg-type]
        .join(Change, Change.key == Publication.url)  # type: ignore[arg-type]
        .where(
            Change.kind == ChangeKind.VISIT_PUBLISHED,
            Change.authority_id == Publication.authority_id,
            Change.detected_at >= writer.now - SIGNAL_FRESHNESS,  # type: ignore[operator]
        )
    ).all()
    for signal, publication, visit in rows:
        found = _signal_change(signal)
        if found is None:
            continue
        kind, value = found
        old = _previous_send_outcome(session, signal, publication) if signal.send_outcome else None
        writer.change(
            authority_id=visit.authority_id,
            kind=kind,
            key=publication.url,
            old_value=old,
            new_value=value,
            title=signal.headline or signal.theme or publication.title,
            evidence=_evidence((publication.url, publication.title, signal.headline)),
            confirmed=True,
            occurred_on=publication.published,
        )


def _previous_send_outcome(
    session: Session, signal: InspectionSignal, publication: Publication
) -> str | None:
    """The authority's area SEND outcome before this one, if it had one."""
    earlier = session.exec(
        select(InspectionSignal.send_outcome, Publication.published)
        .join(Inspection, Inspection.id == InspectionSignal.inspection_id)  # type: ignore[arg-type]
        .join(Publication, Publication.id == Inspection.publication_id)  # type: ignore[arg-type]
        .where(
            InspectionSignal.authority_id == signal.authority_id,
            InspectionSignal.send_outcome.is_not(None),  # type: ignore[union-attr]
            InspectionSignal.id != signal.id,
            Publication.published < publication.published,  # type: ignore[operator]
        )
        .order_by(Publication.published.desc())  # type: ignore[union-attr]
    ).first()
    return earlier[0] if earlier else None


# -- delivery models and interventions (issue 3's statuses) ---------------------------------


def _baselined(session: Session, writer: _Writer, aspect: Aspect) -> bool:
    """Whether the aspect's quiet start is over; marks it over from now on."""
    if session.get(Baseline, str(aspect)) is not None:
        return True
    session.add(Baseline(aspect=aspect, recorded_at=writer.now))
    writer.result.baselined.append(str(aspect))
    return False


def _upgrade(old: dict[str, Any] | None, state: dict[str, Any], fields: tuple[str, ...]) -> bool:
    """The same fact as last time, now confirmed: announced once, as an upgrade."""
    return (
        old is not None
        and all(old.get(k) == state[k] for k in fields)
        and old.get("confirmed") is False
        and state["confirmed"] is True
    )


def _detect_delivery(session: Session, writer: _Writer, authorities: dict[str, Authority]) -> None:
    statuses = delivery_source.delivery_statuses(session)
    if not statuses:
        return
    announce = _baselined(session, writer, Aspect.DELIVERY)
    fields = ("model", "provider", "stage")
    for slug, status in sorted(statuses.items()):
        authority = authorities.get(slug)
        if authority is None or authority.id is None:
            log.warning("alerts: delivery status for unknown authority %r ignored", slug)
            continue
        state = status.headline()  # the pending plan if any, else today's position
        state["confirmed"] = bool(state["confirmed"])
        old = writer.previous(authority.id, Aspect.DELIVERY)
        same = old is not None and all(old.get(k) == state[k] for k in fields)
        upgraded = _upgrade(old, state, fields)
        if announce and (not same or upgraded):
            key = "|".join(str(state[k] or "") for k in (*fields, "since"))
            value = dict(state)
            if upgraded:
                key += "|confirmed"
                value["upgraded"] = True
            evidence = status.headline_evidence()
            writer.change(
                authority_id=authority.id,
                kind=ChangeKind.DELIVERY_MODEL_CHANGED,
                key=key,
                old_value=json.dumps(old, sort_keys=True) if old else None,
                new_value=json.dumps(value, sort_keys=True),
                title=evidence[0].title if evidence else None,
                evidence=_evidence(*((e.url, e.title, e.sentence) for e in evidence)),
                confirmed=state["confirmed"],
                occurred_on=date.fromisoformat(state["since"]) if state["since"] else None,
            )
        writer.record(authority.id, Aspect.DELIVERY, state)


def _detect_intervention(
    session: Session, writer: _Writer, authorities: dict[str, Authority]
) -> None:
    statuses = delivery_source.intervention_statuses(session)
    if not statuses:
        return
    announce = _baselined(session, writer, Aspect.INTERVENTION)
    for slug, status in sorted(statuses.items()):
        authority = authorities.get(slug)
        if authority is None or authority.id is None:
            log.warning("alerts: intervention status for unknown authority %r ignored", slug)
            continue
        state = {
            "actions": sorted(status.actions),
            "since": _iso(status.since),
            "confirmed": bool(status.confirmed),
        }
        old = writer.previous(authority.id, Aspect.INTERVENTION)
        same = old is not None and old.get("actions") == state["actions"]
        upgraded = _upgrade(old, state, ("actions",))
        if announce and (not same or upgraded):
            key = ",".join(state["actions"]) + "|" + (state["since"] or "")
            value = dict(state)
            if upgraded:
                key += "|confirmed"
                value["upgraded"] = True
            writer.change(
                authority_id=authority.id,
                kind=ChangeKind.INTERVENTION_CHANGED,
                key=key,
                old_value=json.dumps(old, sort_keys=True) if old else None,
                new_value=json.dumps(value, sort_keys=True),
                title=status.evidence[0].title if status.evidence else None,
                evidence=_evidence(*((e.url, e.title, e.sentence) for e in status.evidence)),
                confirmed=state["confirmed"],
                occurred_on=status.since,
            )
        writer.record(authority.id, Aspect.INTERVENTION, state)


# -- reading ------------------------------------------------------------------------------


def list_changes(
    session: Session, *, since: datetime | None = None, after_id: int = 0
) -> list[tuple[Change, Authority]]:
    """Changes detected since a moment (or after a change id), oldest first, with authorities."""
    query = (
        select(Change, Authority)
        .join(Authority, Authority.id == Change.authority_id)  # type: ignore[arg-type]
        .where(Change.id > after_id)  # type: ignore[operator]
    )
    if since is not None:
        query = query.where(Change.detected_at >= since)
    return list(session.exec(query.order_by(Change.id)).all())  # type: ignore[arg-type]
