"""Each authority's delivery model and DfE intervention status, derived from its events.

Events come from news articles, GOV.UK documents and a curated baseline
(`config/delivery_models.csv`, stored as events of a 'baseline' article per source URL, so one
derivation serves all three). Facts from GOV.UK or the baseline are `confirmed`; facts only from
news are `reported`.

The derivation replays an authority's events in the order they happened:
- an event 'happened' when the article was published, except that an operational or ended
  stage with its own earlier date ('In October 2014 Doncaster became...') happened then;
- within one model class (independent: trust, company, cic; partnership; in house) a stage only
  moves forward (proposed -> decided -> operational), so an article recalling an old decision
  does not undo a launch; `ended`, or a return in house, closes an arrangement;
- a different model replaces the current one once it is at least decided, or when nothing
  firmer is in place; a mere proposal never overrides an operational arrangement;
- events the extractor was unsure of (confidence below `MIN_CONFIDENCE`) are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from ingest.models import Article, Authority, Event, ExtractionStatus
from ingest.news_store import EventValues, sync_events
from ingest.store import utcnow

BASELINE_SOURCE = "baseline"
MIN_CONFIDENCE = 0.5
INTERVENTION_WINDOW_DAYS = 3 * 365  # actions older than this before the newest one have lapsed
STAGE_RANK = {"proposed": 1, "decided": 2, "operational": 3, "ended": 4}
MODEL_CLASS = {
    "trust": "independent",
    "company": "independent",
    "cic": "independent",
    "partnership": "partnership",
    "in_house": "in_house",
}


@dataclass(frozen=True)
class Evidence:
    url: str
    title: str | None
    sentence: str | None


@dataclass(frozen=True)
class DeliveryStatus:
    authority_slug: str
    model: str  # in_house, trust, company, cic, partnership
    provider: str | None
    stage: str  # proposed, decided, operational, ended
    since: date | None
    evidence: tuple[Evidence, ...]
    confirmed: bool


@dataclass(frozen=True)
class InterventionStatus:
    authority_slug: str
    actions: tuple[str, ...]  # direction, commissioner, improvement_notice, adviser
    since: date | None
    evidence: tuple[Evidence, ...]
    confirmed: bool


@dataclass(frozen=True)
class BaselineRow:
    """One curated row of config/delivery_models.csv."""

    authority: str  # slug
    model: str
    provider: str | None
    stage: str
    since: str | None  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    source_url: str
    note: str | None = None


# -- the baseline as events ---------------------------------------------------------------


def sync_baseline(session: Session, rows: Iterable[BaselineRow]) -> int:
    """Store the baseline as confirmed events of one 'baseline' article per source URL.

    Idempotent: a second call with the same rows changes nothing. Returns events added or
    removed.
    """
    slugs = {a.slug: a.id for a in session.exec(select(Authority))}
    by_url: dict[str, list[BaselineRow]] = defaultdict(list)
    for row in rows:
        if row.authority not in slugs:
            raise ValueError(f"delivery baseline: unknown authority slug {row.authority!r}")
        by_url[row.source_url].append(row)
    changed = 0
    for url, url_rows in by_url.items():
        article = session.exec(select(Article).where(Article.url == url)).first()
        if article is None:
            article = Article(
                url=url,
                canonical_url=url,
                source=BASELINE_SOURCE,
                title="Curated baseline (config/delivery_models.csv)",
                fetched_at=utcnow(),
                extraction_status=ExtractionStatus.SKIPPED,
                relevant=True,
                relevance_reason="curated baseline",
            )
            session.add(article)
            session.flush()
        assert article.id is not None
        events = [
            EventValues(
                authority_id=slugs[row.authority],
                kind="delivery_model",
                model=row.model,
                stage=row.stage,
                provider=row.provider or None,
                date=row.since or None,
                evidence=row.note,
                confidence=1.0,
            )
            for row in url_rows
        ]
        result = sync_events(session, article.id, events, confirmed=True)
        changed += result.added + result.removed
    return changed


# -- derivation ---------------------------------------------------------------------------


def parse_partial_date(value: str | None) -> date | None:
    """'2017' -> 2017-01-01, '2017-04' -> 2017-04-01, '2017-04-03' -> itself."""
    if not value:
        return None
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts[:3]] + [1] * (3 - len(parts[:3]))
        return date(*numbers)
    except (TypeError, ValueError):
        return None


def _day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).date()


@dataclass(frozen=True)
class _Fact:
    """One event with what the derivation needs: when it happened and how sure we are."""

    event: Event
    article: Article
    happened: date
    effective: date | None

    @property
    def confirmed(self) -> bool:
        return bool(self.event.confirmed)

    def evidence(self) -> Evidence:
        title = self.article.title
        return Evidence(url=self.article.canonical_url, title=title, sentence=self.event.evidence)


def _facts(session: Session, kind: str) -> dict[str, list[_Fact]]:
    rows = session.exec(
        select(Event, Article, Authority)
        .join(Article, col(Article.id) == Event.article_id)
        .join(Authority, col(Authority.id) == Event.authority_id)
        .where(Event.kind == kind)
    ).all()
    facts: dict[str, list[_Fact]] = defaultdict(list)
    for event, article, authority in rows:
        if (event.confidence if event.confidence is not None else 1.0) < MIN_CONFIDENCE:
            continue
        published = _day(article.published) or _day(article.fetched_at) or date.min
        effective = parse_partial_date(event.date)
        dated_past = (
            event.stage in ("operational", "ended") and (effective or date.max) <= published
        )
        baseline = article.source == BASELINE_SOURCE
        happened = effective if effective and (baseline or dated_past) else published
        facts[authority.slug].append(_Fact(event, article, happened, effective))
    for items in facts.values():
        # Same day: the confirmed fact last, so it has the final word on that day.
        items.sort(key=lambda f: (f.happened, f.confirmed, STAGE_RANK.get(f.event.stage or "", 0)))
    return facts


@dataclass
class _State:
    model: str
    provider: str | None
    stage: str
    since: date | None
    confirmed: bool
    evidence: list[Evidence] = field(default_factory=list)


def _same_arrangement(state: _State, model: str, provider: str | None) -> bool:
    """Same model class, and no two different provider names (Slough's trust -> company is
    a new arrangement; 'the trust' -> 'Birmingham Children's Trust' is the same one)."""
    if MODEL_CLASS[model] != MODEL_CLASS[state.model]:
        return False
    return provider is None or state.provider is None or provider == state.provider


def _apply(state: _State | None, fact: _Fact) -> _State | None:
    event = fact.event
    model, stage, provider = event.model or "", event.stage or "", event.provider
    if model not in MODEL_CLASS or stage not in STAGE_RANK:
        return state
    since = fact.effective or fact.happened
    new = _State(model, provider, stage, since, fact.confirmed, [fact.evidence()])
    if state is None:
        return new
    if _same_arrangement(state, model, provider):
        rank, current = STAGE_RANK[stage], STAGE_RANK[state.stage]
        if rank > current:  # moves on (or ends)
            return _State(
                state.model if stage == "ended" else model,
                state.provider or provider,
                stage,
                since,
                fact.confirmed,
                [*state.evidence, fact.evidence()],
            )
        if rank == current:  # a restatement: more evidence, a provider's name, confirmation
            return replace(
                state,
                provider=state.provider or provider,
                confirmed=state.confirmed or fact.confirmed,
                evidence=[*state.evidence, fact.evidence()],
            )
        return state  # recalls an earlier stage: history, not news
    if stage == "ended":
        return state  # ends some other arrangement than the current one
    if STAGE_RANK[stage] >= STAGE_RANK["decided"] or state.stage in ("proposed", "ended"):
        return new
    return state  # a proposal does not override what is decided or running


def delivery_statuses(session: Session) -> dict[str, DeliveryStatus]:
    """Each authority's current delivery model, by authority slug (only those with events)."""
    statuses = {}
    for slug, facts in _facts(session, "delivery_model").items():
        state: _State | None = None
        for fact in facts:
            state = _apply(state, fact)
        if state is None:
            continue
        statuses[slug] = DeliveryStatus(
            authority_slug=slug,
            model=state.model,
            provider=state.provider,
            stage=state.stage,
            since=state.since,
            evidence=tuple(_unique(state.evidence)[-5:]),
            confirmed=state.confirmed,
        )
    return statuses


def intervention_statuses(session: Session) -> dict[str, InterventionStatus]:
    """Each authority's DfE intervention: the actions stated within the window before the
    newest one (a direction of ten years ago followed by nothing has lapsed)."""
    statuses = {}
    for slug, facts in _facts(session, "intervention").items():
        facts = [f for f in facts if f.event.action]
        if not facts:
            continue
        newest = facts[-1].happened
        recent = [f for f in facts if (newest - f.happened).days <= INTERVENTION_WINDOW_DAYS]
        statuses[slug] = InterventionStatus(
            authority_slug=slug,
            actions=tuple(sorted({f.event.action for f in recent if f.event.action})),
            since=min(f.happened for f in recent),
            evidence=tuple(_unique([f.evidence() for f in recent])[-5:]),
            confirmed=any(f.confirmed for f in recent),
        )
    return statuses


def _unique(items: list[Evidence]) -> list[Evidence]:
    seen: dict[Evidence, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
