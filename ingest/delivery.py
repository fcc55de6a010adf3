"""Each council's delivery-model history: the periods of who ran its children's services.

Two inputs, merged:
- the reviewed reference data (`config/arrangements.csv`, stored in `delivery_arrangement`):
  each arrangement with its proposed / decided / operational / ended dates and a source for each;
  these dates are confirmed (docs/provenance.md);
- events stated by news and GOV.UK pages (the `event` table), replayed in the order they
  happened: an event joins the arrangement it speaks of (same model class, no conflicting
  provider name) and adds a date or evidence to it, or starts a new one. A return in house ends
  the arrangement running then. Events held for review, rejected by an operator, or (before
  screening) below `MIN_CONFIDENCE` take no part (ingest/review.py).

From the arrangements come the periods: in house until the first arrangement goes live, the
arrangement until it ends (or the next one goes live), in house again after a return. 'Since'
is the start of the current period. An arrangement is recorded against the council that
existed then; one still running when that council was abolished (Northamptonshire, 2021-03-31)
passes to each successor from the successor's first day. Arrangements that never went live
(proposed, decided, abandoned) are plans: the newest pending one is `DeliveryStatus.planned`.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlmodel import Session, col, select

from ingest.facts import (
    MIN_CONFIDENCE,
    STAGE_RANK,
    Evidence,
    Fact,
    facts,
    parse_partial_date,
)
from ingest.interventions import InterventionStatus, intervention_statuses
from ingest.models import (
    Authority,
    AuthoritySuccessor,
    DeliveryArrangement,
)

MODELS = ("trust", "company", "cic", "partnership")  # arrangements; in_house is their absence
IN_HOUSE = "in_house"
ARRANGEMENT_STAGES = ("proposed", "decided", "operational", "ended", "abandoned")
DATE_STAGES = ("proposed", "decided", "operational", "ended")
MODEL_CLASS = {
    "trust": "independent",
    "company": "independent",
    "cic": "independent",
    "partnership": "partnership",
    "in_house": "in_house",
}
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Period:
    """One span of a council's history: who ran the service, from when to when, on what
    evidence. `end` None: still running. Dates as stated ('2014-10') in `start_text`."""

    model: str  # in_house, trust, company, cic, partnership
    provider: str | None
    start: date | None  # None: before the records (in house by default)
    end: date | None
    stage: str  # operational (running now) or ended
    confirmed: bool | None  # None: in house by default, nothing recorded
    evidence: tuple[Evidence, ...] = ()
    start_text: str | None = None
    end_text: str | None = None
    inherited_from: str | None = None  # the predecessor council's name
    note: str | None = None


@dataclass(frozen=True)
class Plan:
    """An arrangement that has not gone live: proposed, decided, or abandoned (or ended
    before going live)."""

    model: str
    provider: str | None
    stage: str  # proposed, decided, abandoned
    since: date | None  # the date of that stage
    confirmed: bool
    evidence: tuple[Evidence, ...] = ()
    since_text: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DeliveryHistory:
    slug: str
    periods: tuple[Period, ...]
    plans: tuple[Plan, ...]

    @property
    def current(self) -> Period:
        return self.periods[-1]


@dataclass(frozen=True)
class DeliveryStatus:
    """Today's position: the current period, and the pending plan if any."""

    authority_slug: str
    model: str  # in_house, trust, company, cic, partnership
    provider: str | None
    stage: str  # proposed, decided, operational, ended
    since: date | None
    evidence: tuple[Evidence, ...]
    confirmed: bool | None
    planned: Plan | None = None
    since_text: str | None = None

    def headline(self) -> dict[str, object]:
        """What a change announces: the pending plan if there is one, else the position."""
        if self.planned is not None:
            plan = self.planned
            return {
                "model": plan.model,
                "provider": plan.provider,
                "stage": plan.stage,
                "since": plan.since.isoformat() if plan.since else None,
                "confirmed": plan.confirmed,
            }
        return {
            "model": self.model,
            "provider": self.provider,
            "stage": self.stage,
            "since": self.since.isoformat() if self.since else None,
            "confirmed": bool(self.confirmed),
        }

    def headline_evidence(self) -> tuple[Evidence, ...]:
        return self.planned.evidence if self.planned is not None else self.evidence


# -- reference data -----------------------------------------------------------------------


@dataclass(frozen=True)
class ArrangementRow:
    """One row of the reference data, as config/arrangements.csv states it."""

    council: str  # slug
    model: str
    provider: str | None
    stage: str
    proposed: str | None = None
    decided: str | None = None
    operational: str | None = None
    ended: str | None = None
    proposed_source: str | None = None
    decided_source: str | None = None
    operational_source: str | None = None
    ended_source: str | None = None
    note: str | None = None

    def problems(self) -> list[str]:
        """What is wrong with the row (empty when it is sound)."""
        found = []
        if self.model not in MODELS:
            found.append(f"model {self.model!r} is not one of {', '.join(MODELS)}")
        if self.stage not in ARRANGEMENT_STAGES:
            found.append(f"stage {self.stage!r} is not one of {', '.join(ARRANGEMENT_STAGES)}")
        dated = []
        for name in DATE_STAGES:
            value = getattr(self, name)
            source = getattr(self, f"{name}_source")
            if value and not _PARTIAL_DATE.match(value):
                found.append(f"{name} date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            elif value and parse_partial_date(value) is None:
                found.append(f"{name} date {value!r} is not a real date")
            elif value:
                dated.append((name, value))
            if value and not (source or "").startswith(("https://", "http://")):
                found.append(f"{name} date {value} has no source URL")
        for (first, a), (second, b) in itertools.pairwise(dated):
            if _comparable(a, b) and a > b:
                found.append(f"{second} {b} is before {first} {a}")
        if self.stage in ("operational", "ended") and not self.operational:
            found.append(f"stage {self.stage} needs an operational date")
        if self.stage == "ended" and not self.ended:
            found.append("stage ended needs an ended date")
        if not dated:
            found.append("no dated stage")
        return found


def _comparable(a: str, b: str) -> bool:
    """'2019' and '2019-10' cannot be ordered; compare only to the shorter precision."""
    n = min(len(a), len(b))
    return a[:n] != b[:n]


def sync_arrangements(session: Session, rows: Iterable[ArrangementRow]) -> int:
    """Make `delivery_arrangement` hold exactly these rows. Idempotent; returns rows added or
    removed. A bad row raises ValueError naming it and the reason, and nothing is written: rows
    read from config/arrangements.csv were checked in full when read, this guards the table
    against rows from anywhere else."""
    authorities = {a.slug: a for a in session.exec(select(Authority))}
    wanted: dict[tuple[object, ...], DeliveryArrangement] = {}
    for number, row in enumerate(rows, start=1):
        authority = authorities.get(row.council)
        where = f"arrangement {number} ({row.council}, {row.model}, {row.provider or '-'})"
        if authority is None or authority.id is None:
            raise ValueError(f"{where}: unknown council slug {row.council!r}")
        problems = row.problems()
        first = min(
            (d for d in (parse_partial_date(getattr(row, s)) for s in DATE_STAGES) if d),
            default=None,
        )
        if authority.valid_to and first and first > authority.valid_to:
            problems.append(f"{authority.name} no longer existed on {first}")
        if problems:
            raise ValueError(f"{where}: {'; '.join(problems)}")
        record = DeliveryArrangement(
            authority_id=authority.id,
            **{name: getattr(row, name) or None for name in _ROW_FIELDS},
        )
        wanted[_arrangement_key(record)] = record
    have = {_arrangement_key(r): r for r in session.exec(select(DeliveryArrangement))}
    changed = 0
    for key, record in have.items():
        if key not in wanted:
            session.delete(record)
            changed += 1
    for key, record in wanted.items():
        if key not in have:
            session.add(record)
            changed += 1
    return changed


_ROW_FIELDS = (
    "model",
    "provider",
    "stage",
    *DATE_STAGES,
    *(f"{s}_source" for s in DATE_STAGES),
    "note",
)


def _arrangement_key(record: DeliveryArrangement) -> tuple[object, ...]:
    return (record.authority_id, *(getattr(record, name) or None for name in _ROW_FIELDS))


# -- arrangements in memory ---------------------------------------------------------------


@dataclass
class _Dated:
    when: date
    text: str
    confirmed: bool
    evidence: list[Evidence]


@dataclass
class _Arrangement:
    model: str
    provider: str | None
    dates: dict[str, _Dated] = field(default_factory=dict)  # stage -> when
    abandoned: bool = False
    inherited_from: str | None = None
    note: str | None = None
    evidence: list[Evidence] = field(default_factory=list)  # statements of no new date

    def start(self) -> date:
        return min((d.when for d in self.dates.values()), default=date.min)

    def running_on(self, day: date) -> bool:
        live = self.dates.get("operational")
        ended = self.dates.get("ended")
        return live is not None and live.when <= day and (ended is None or ended.when > day)

    def furthest(self) -> str | None:
        for stage in ("ended", "operational", "decided", "proposed"):
            if stage in self.dates:
                return stage
        return None

    def copy_for(self, successor_start: date, predecessor: str) -> _Arrangement:
        dates = {
            k: _Dated(v.when, v.text, v.confirmed, list(v.evidence)) for k, v in self.dates.items()
        }
        live = dates.get("operational")
        if live is not None and live.when < successor_start:
            dates["operational"] = _Dated(
                successor_start, successor_start.isoformat(), live.confirmed, list(live.evidence)
            )
        note = f"inherited from {predecessor}"
        if live is not None:
            note += f" (run by this provider there since {live.text})"
        return _Arrangement(
            self.model,
            self.provider,
            dates,
            self.abandoned,
            predecessor,
            note if not self.note else f"{note}; {self.note}",
            list(self.evidence),
        )


def _reference_arrangement(row: DeliveryArrangement) -> _Arrangement:
    arrangement = _Arrangement(row.model, row.provider, abandoned=row.stage == "abandoned")
    arrangement.note = row.note
    for stage in DATE_STAGES:
        text = getattr(row, stage)
        when = parse_partial_date(text)
        if when is None:
            continue
        source = getattr(row, f"{stage}_source")
        evidence = [Evidence(source, f"Reference data: {stage} {text}", row.note)] if source else []
        arrangement.dates[stage] = _Dated(when, text, True, evidence)
    return arrangement


def _compatible(arrangement: _Arrangement, model: str, provider: str | None) -> bool:
    """Same model class, and no two different provider names (Slough's trust -> company is a
    new arrangement; 'the trust' -> 'Birmingham Children's Trust' is the same one)."""
    if MODEL_CLASS[model] != MODEL_CLASS[arrangement.model]:
        return False
    if provider is None or arrangement.provider is None:
        return True
    return _name(provider) == _name(arrangement.provider)


@lru_cache(maxsize=4096)
def _name(provider: str) -> str:
    """A provider's name for comparison (cached: every event is compared with every
    arrangement of its council)."""
    return re.sub(r"[^a-z0-9]+", " ", provider.lower().replace("'s", "")).strip()


def _set_date(arrangement: _Arrangement, stage: str, fact: Fact, when: date) -> None:
    """Record a stage's date from a fact, unless a confirmed date is already there (a
    confirmed date is replaced only by another confirmed one that is more precise)."""
    text = fact.event.date if fact.effective else when.isoformat()
    text = text or when.isoformat()
    current = arrangement.dates.get(stage)
    if current is None or (fact.confirmed and not current.confirmed):
        evidence = [fact.evidence(), *(current.evidence if current else [])]
        arrangement.dates[stage] = _Dated(when, text, fact.confirmed, evidence)
        return
    current.evidence.append(fact.evidence())
    if fact.confirmed and current.confirmed and len(text) > len(current.text):
        current.when, current.text = when, text


def _apply(arrangements: list[_Arrangement], fact: Fact) -> None:
    event = fact.event
    model, stage, provider = event.model or "", event.stage or "", event.provider
    if model not in MODEL_CLASS or stage not in STAGE_RANK:
        return
    when = fact.effective or fact.happened
    if model == IN_HOUSE:
        if stage in ("operational", "ended"):  # back in house: ends what was running then
            for arrangement in arrangements:
                if arrangement.running_on(when):
                    _set_date(arrangement, "ended", fact, when)
            return
        plan = next(
            (a for a in arrangements if a.model == IN_HOUSE and "operational" not in a.dates),
            None,
        )
        if plan is None:
            plan = _Arrangement(IN_HOUSE, None)
            arrangements.append(plan)
        _set_date(plan, stage, fact, when)
        return
    candidates = [
        a
        for a in arrangements
        if a.model != IN_HOUSE
        and _compatible(a, model, provider)
        and not a.abandoned
        and ("ended" not in a.dates or a.dates["ended"].when >= when - timedelta(days=366))
    ]
    if stage == "ended":
        if candidates:
            target = max(candidates, key=_Arrangement.start)
            _set_date(target, "ended", fact, when)
        return
    if candidates:
        target = max(candidates, key=_Arrangement.start)
        if STAGE_RANK[stage] < STAGE_RANK.get(target.furthest() or "", 0) and stage in target.dates:
            target.evidence.append(fact.evidence())  # recalls an earlier stage: history
        else:
            _set_date(target, stage, fact, when)
        if target.provider is None and provider:
            target.provider = provider
        if target.model != model and provider and target.provider == provider:
            target.model = model
        return
    fresh = _Arrangement(model, provider)
    _set_date(fresh, stage, fact, when)
    arrangements.append(fresh)


# -- periods ------------------------------------------------------------------------------


def _periods(
    arrangements: list[_Arrangement], valid_from: date | None, valid_to: date | None, today: date
) -> tuple[list[Period], list[Plan]]:
    live = sorted(
        (
            a
            for a in arrangements
            if a.model != IN_HOUSE
            and "operational" in a.dates
            and a.dates["operational"].when <= today
        ),
        key=lambda a: a.dates["operational"].when,
    )
    periods: list[Period] = []
    cursor: date | None = valid_from
    cursor_text = valid_from.isoformat() if valid_from else None
    cursor_confirmed: bool | None = None
    cursor_evidence: tuple[Evidence, ...] = ()
    for index, arrangement in enumerate(live):
        start = arrangement.dates["operational"]
        if cursor is None or start.when > cursor:
            periods.append(
                Period(
                    IN_HOUSE,
                    None,
                    cursor,
                    start.when,
                    "ended",
                    cursor_confirmed,
                    cursor_evidence,
                    cursor_text,
                    start.text,
                )
            )
        end = arrangement.dates.get("ended")
        next_start = live[index + 1].dates["operational"] if index + 1 < len(live) else None
        end_when, end_text, end_confirmed, end_evidence = None, None, None, ()
        if end is not None and end.when <= today:
            end_when, end_text, end_confirmed = end.when, end.text, end.confirmed
            end_evidence = tuple(end.evidence)
        if next_start is not None and (end_when is None or next_start.when < end_when):
            end_when, end_text, end_confirmed = (
                next_start.when,
                next_start.text,
                next_start.confirmed,
            )
            end_evidence = ()  # replaced by the next arrangement, no return in house between
        if valid_to is not None and (end_when is None or end_when > valid_to):
            end_when, end_text = valid_to, valid_to.isoformat()
        evidence = _unique(
            [*start.evidence, *arrangement.evidence]
            + [
                e
                for stage in ("proposed", "decided")
                if stage in arrangement.dates
                for e in arrangement.dates[stage].evidence
            ]
            + list(end_evidence)
        )
        periods.append(
            Period(
                arrangement.model,
                arrangement.provider,
                start.when,
                end_when,
                "ended" if end_when is not None else "operational",
                start.confirmed,
                tuple(evidence),
                start.text,
                end_text,
                arrangement.inherited_from,
                arrangement.note,
            )
        )
        if end_when is None:
            cursor = None
            break
        cursor, cursor_text = end_when, end_text
        cursor_confirmed = end_confirmed
        cursor_evidence = end_evidence
    else:
        if not periods or (periods[-1].end is not None and periods[-1].end != valid_to):
            periods.append(
                Period(
                    IN_HOUSE,
                    None,
                    cursor,
                    valid_to,
                    "ended" if valid_to else "operational",
                    cursor_confirmed,
                    cursor_evidence,
                    cursor_text,
                    valid_to.isoformat() if valid_to else None,
                )
            )
    plans = []
    for arrangement in arrangements:
        if any(arrangement is running for running in live):
            continue
        stage = arrangement.furthest()
        if stage is None:
            continue
        if arrangement.abandoned or stage in ("ended", "operational"):
            # never went live (ended before starting), or goes live after today
            shown = "decided" if stage == "operational" else "abandoned"
        else:
            shown = stage
        key = shown if shown in arrangement.dates else stage
        dated = arrangement.dates[key] if key in arrangement.dates else arrangement.dates[stage]
        plans.append(
            Plan(
                arrangement.model,
                arrangement.provider,
                shown,
                dated.when,
                dated.confirmed,
                tuple(
                    _unique(
                        [e for d in arrangement.dates.values() for e in d.evidence]
                        + arrangement.evidence
                    )
                ),
                dated.text,
                arrangement.note,
            )
        )
    plans.sort(key=lambda p: p.since or date.min)
    return periods, plans


def delivery_histories(
    session: Session, *, today: date | None = None, confirmed_only: bool = False
) -> dict[str, DeliveryHistory]:
    """Every authority's history (current and former authorities alike), by slug; from the
    reference data and official sources only when `confirmed_only`."""
    today = today or datetime.now(UTC).date()
    authorities = {a.id: a for a in session.exec(select(Authority))}
    by_id: dict[int, list[_Arrangement]] = defaultdict(list)
    for row in session.exec(select(DeliveryArrangement).order_by(col(DeliveryArrangement.id))):
        by_id[row.authority_id].append(_reference_arrangement(row))
    slug_ids = {a.slug: i for i, a in authorities.items()}
    successors: dict[int, list[int]] = defaultdict(list)
    for link in session.exec(select(AuthoritySuccessor)):
        successors[link.authority_id].append(link.successor_id)
    event_facts = facts(session, "delivery_model", confirmed_only=confirmed_only)
    pending: dict[int, list[Fact]] = defaultdict(list)
    for slug, items in event_facts.items():
        pending[slug_ids[slug]].extend(items)

    # Former authorities first (oldest abolition first), so successors inherit their state.
    order = sorted(
        authorities,
        key=lambda i: (authorities[i].valid_to is None, authorities[i].valid_to or date.max),
    )
    for authority_id in order:
        authority = authorities[authority_id]
        arrangements = by_id[authority_id]
        own = sorted(pending.pop(authority_id, []), key=lambda f: (f.happened, f.confirmed))
        for fact in own:
            if (
                authority.valid_to
                and fact.happened > authority.valid_to
                and successors[authority_id]
            ):
                for successor in successors[authority_id]:
                    pending[successor].append(fact)  # a late article naming the old council
                continue
            _apply(arrangements, fact)
        if authority.valid_to is None:
            continue
        for successor_id in successors[authority_id]:
            successor = authorities[successor_id]
            start = successor.valid_from or (authority.valid_to + timedelta(days=1))
            for arrangement in arrangements:
                ended = arrangement.dates.get("ended")
                if arrangement.abandoned or (
                    ended is not None and ended.when <= authority.valid_to
                ):
                    continue
                by_id[successor_id].append(arrangement.copy_for(start, authority.name))

    histories = {}
    for authority_id, authority in authorities.items():
        periods, plans = _periods(
            by_id[authority_id], authority.valid_from, authority.valid_to, today
        )
        histories[authority.slug] = DeliveryHistory(authority.slug, tuple(periods), tuple(plans))
    return histories


def delivery_history(
    session: Session, slug: str, *, today: date | None = None
) -> DeliveryHistory | None:
    return delivery_histories(session, today=today).get(slug)


def status_of(history: DeliveryHistory) -> DeliveryStatus | None:
    """Today's position from a history; None when nothing at all is recorded (in house by
    default)."""
    current = history.current
    pending = [
        p
        for p in history.plans
        if p.stage in ("proposed", "decided")
        and (current.start is None or (p.since or date.min) >= current.start)
    ]
    planned = pending[-1] if pending else None
    if len(history.periods) == 1 and current.confirmed is None and planned is None:
        return None
    return DeliveryStatus(
        authority_slug=history.slug,
        model=current.model,
        provider=current.provider,
        # 'operational' for a council that exists; 'ended' for an abolished one, whose last
        # arrangement ended with it (its successors' histories carry it on).
        stage=current.stage,
        since=current.start,
        evidence=current.evidence[-5:] if current.evidence else (),
        confirmed=current.confirmed,
        planned=planned,
        since_text=current.start_text,
    )


def delivery_statuses(session: Session, *, today: date | None = None) -> dict[str, DeliveryStatus]:
    """Each authority's position today, by slug (only those with anything recorded)."""
    statuses = {}
    for slug, history in delivery_histories(session, today=today).items():
        status = status_of(history)
        if status is not None:
            statuses[slug] = status
    return statuses


def _unique(items: list[Evidence]) -> list[Evidence]:
    seen: dict[Evidence, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


__all__ = [
    "MIN_CONFIDENCE",
    "ArrangementRow",
    "DeliveryHistory",
    "DeliveryStatus",
    "Evidence",
    "InterventionStatus",
    "Period",
    "Plan",
    "delivery_histories",
    "delivery_history",
    "delivery_statuses",
    "intervention_statuses",
    "parse_partial_date",
    "status_of",
    "sync_arrangements",
]
