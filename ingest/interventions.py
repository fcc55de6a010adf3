"""DfE interventions with a lifecycle: each action opens, may be revised or reported on, and
ends when an official page says so. No lapse by age: a direction stays current until a
GOV.UK page says it has closed or been revoked (or the intervention is lifted).

Steps come from two places:
- GOV.UK decision pages, read into `intervention_step` (ingest/decisions.py): the confirmed
  record ('Direction issued to X', 'Revised direction issued to X: May 2024', a page saying the
  direction has closed);
- events stated by news and GOV.UK articles (kind 'intervention'), confirmed only when their
  source is primary (ingest/provenance.py); an event with no stage opens its action.

Actions: improvement_notice, direction, commissioner, adviser,
partner_council. Steps: issued, revised, appointed, reported, closed, revoked, lifted.
Closing or revoking a direction, or lifting the intervention, also ends the commissioner and
adviser working under it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from ingest import vocabulary
from ingest.facts import Evidence, Fact, facts
from ingest.models import Authority, InterventionStep

ACTIONS = vocabulary.ACTIONS
OPENING_STEPS = ("issued", "appointed")
CONTINUING_STEPS = ("revised", "reported")
ENDING_STEPS = ("closed", "revoked", "lifted")
STEPS = (*OPENING_STEPS, *CONTINUING_STEPS, *ENDING_STEPS)
DEPENDENT_ACTIONS = ("commissioner", "adviser", "partner_council")


def action_word(value: str | None) -> str | None:
    if not value:
        return None
    return value if value in ACTIONS else None


@dataclass(frozen=True)
class StepRecord:
    """One dated step of one action, with its source."""

    action: str
    step: str
    on: date | None
    confirmed: bool
    evidence: Evidence


@dataclass(frozen=True)
class Episode:
    """One action from its opening to its end (None: still in force)."""

    action: str
    start: date | None
    end: date | None
    end_step: str | None  # closed, revoked, lifted
    confirmed: bool
    steps: tuple[StepRecord, ...]


@dataclass(frozen=True)
class InterventionStatus:
    authority_slug: str
    actions: tuple[str, ...]  # in force today; empty once everything has ended
    since: date | None
    evidence: tuple[Evidence, ...]
    confirmed: bool
    episodes: tuple[Episode, ...] = ()


@dataclass
class _Open:
    start: date | None
    confirmed: bool
    steps: list[StepRecord] = field(default_factory=list)


def _records(session: Session, confirmed_only: bool) -> dict[str, list[StepRecord]]:
    slugs = dict(session.exec(select(Authority.id, Authority.slug)).all())
    by_slug: dict[str, list[StepRecord]] = defaultdict(list)
    for row in session.exec(select(InterventionStep).order_by(col(InterventionStep.id))):
        by_slug[slugs[row.authority_id]].append(
            StepRecord(
                row.action,
                row.step,
                row.on,
                True,  # read only from official pages (ingest/decisions.py)
                Evidence(row.source_url, row.title, None),
            )
        )
    for slug, items in facts(session, "intervention", confirmed_only=confirmed_only).items():
        by_slug[slug].extend(filter(None, (_from_fact(f) for f in items)))
    for items in by_slug.values():
        # Same day: openings before continuations before endings.
        items.sort(key=lambda r: (r.on or date.min, STEPS.index(r.step)))
    return by_slug


def _from_fact(fact: Fact) -> StepRecord | None:
    action = action_word(fact.event.action)
    if action is None:
        return None
    step = fact.event.stage if fact.event.stage in STEPS else None
    if step is None:
        step = "appointed" if action in DEPENDENT_ACTIONS else "issued"
    return StepRecord(
        action, step, fact.effective or fact.happened, fact.confirmed, fact.evidence()
    )


def _episodes(records: list[StepRecord]) -> list[Episode]:
    open_: dict[str, _Open] = {}
    done: list[Episode] = []

    def close(action: str, record: StepRecord) -> None:
        current = open_.pop(action, None)
        if current is not None:
            steps = (*current.steps, record)
            done.append(
                Episode(action, current.start, record.on, record.step, current.confirmed, steps)
            )

    for record in records:
        if record.step in ENDING_STEPS:
            targets = [record.action]
            if record.action == "direction" or record.step == "lifted":
                targets += [a for a in DEPENDENT_ACTIONS if a in open_]
            if record.step == "lifted" and record.action == "direction":
                targets += [a for a in open_ if a not in targets]
            for action in targets:
                close(action, record)
            continue
        current = open_.get(record.action)
        if current is None:
            open_[record.action] = _Open(record.on, record.confirmed, [record])
        else:
            current.steps.append(record)
            current.confirmed = current.confirmed or record.confirmed
    for action, current in open_.items():
        done.append(
            Episode(action, current.start, None, None, current.confirmed, tuple(current.steps))
        )
    done.sort(key=lambda e: (e.start or date.min, e.action))
    return done


def intervention_histories(
    session: Session, *, confirmed_only: bool = False
) -> dict[str, list[Episode]]:
    """Every authority's intervention episodes (past and current), by slug; from official
    sources only when `confirmed_only`."""
    return {slug: _episodes(r) for slug, r in _records(session, confirmed_only).items()}


def intervention_statuses(session: Session) -> dict[str, InterventionStatus]:
    """Each authority's intervention today (only authorities with any record). An authority
    whose every action has ended is here with no actions: the change says it ended."""
    statuses = {}
    for slug, episodes in intervention_histories(session).items():
        if not episodes:
            continue
        current = [e for e in episodes if e.end is None]
        shown = current or [max(episodes, key=lambda e: e.end or date.min)]
        evidence: dict[Evidence, None] = {}
        for episode in shown:
            for step in episode.steps:
                evidence.setdefault(step.evidence, None)
        statuses[slug] = InterventionStatus(
            authority_slug=slug,
            actions=tuple(sorted({e.action for e in current})),
            since=min((e.start for e in current if e.start), default=None)
            if current
            else shown[0].end,
            evidence=tuple(list(evidence)[-5:]),
            confirmed=all(e.confirmed for e in current)
            if current
            else any(s.confirmed for s in shown[0].steps if s.step in ENDING_STEPS),
            episodes=tuple(episodes),
        )
    return statuses
