"""Scoring the extractor on our own example-article sets (tests/data/articles/sets/*.toml).

Shared by the tests and bench/extract_events.py. An article's events are (council, kind, value)
triples, value being the grade, the action or the model class (trust, company and cic are one
class, 'independent'); optional ones count neither way; a negative matches an event when every
field it gives matches. Articles pass the relevance gate first, as in the service.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from ingest.extract.events import EventExtractor, ExtractedEvent, ProviderRegistry
from ingest.gazetteer import Gazetteer, load_authorities
from tests.paths import REPO

SETS = REPO / "tests" / "data" / "articles" / "sets"
SET_NAMES = (
    "tuning",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
)
INDEPENDENT = {"trust", "company", "cic"}
Key = tuple[str, str, str | None]


@dataclass(frozen=True)
class Article:
    name: str
    published: date
    title: str
    text: str
    events: frozenset[Key]
    optional: frozenset[Key]
    negatives: tuple[tuple[str, ...], ...]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    problems: dict[str, dict[str, Any]] = field(default_factory=dict)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer(load_authorities(REPO / "config" / "authorities.csv"))


@cache
def extractor() -> EventExtractor:
    return EventExtractor(gazetteer(), ProviderRegistry.from_csv(REPO / "config" / "providers.csv"))


def slug(name: str) -> str:
    return gazetteer().resolve(name).slug


def value_of(kind: str, grade: str | None, action: str | None, model: str | None) -> str | None:
    if kind == "rating":
        return grade
    if kind == "intervention":
        return action
    return "independent" if model in INDEPENDENT else model


def event_key(e: ExtractedEvent) -> Key:
    return e.authority, e.kind, value_of(e.kind, e.grade, e.action, e.model)


def _key(row: list[str]) -> Key:
    council, kind, value = row
    return slug(council), kind, value


def load(name: str) -> list[Article]:
    """The articles of one set: one of SET_NAMES."""
    data = tomllib.loads((SETS / f"{name}.toml").read_text(encoding="utf-8"))
    return [
        Article(
            name=a["name"],
            published=date.fromisoformat(a["published"]),
            title=a["title"],
            text=a["text"].strip("\n"),
            events=frozenset(_key(r) for r in a["events"]),
            optional=frozenset(_key(r) for r in a.get("optional", [])),
            negatives=tuple(tuple(n) for n in a.get("negatives", [])),
        )
        for a in data["article"]
    ]


def _hits_negative(key: Key, negative: tuple[str, ...]) -> bool:
    want = (slug(negative[0]), *negative[1:])
    return all(k == w for k, w in zip(key, want, strict=False))


def score(articles: list[Article], ex: EventExtractor | None = None) -> Score:
    """Micro precision and recall over the articles, with what went wrong where."""
    ex = ex or extractor()
    result = Score()
    for a in articles:
        # as the service does (ingest.news_pipeline.judge): an article judged not about
        # children's services yields no events
        relevant = ex.relevance(a.title, a.text).relevant
        events = ex.extract(a.text, published=a.published, title=a.title) if relevant else []
        found = {event_key(e) for e in events}
        for e in events:
            k = event_key(e)
            if k not in a.optional:
                result.scored.append((e.confidence, k in a.events))
        extra = found - a.events - a.optional
        missing = a.events - found
        negatives = [n for n in a.negatives for k in found if _hits_negative(k, n)]
        result.tp += len(found & a.events)
        result.fp += len(extra)
        result.fn += len(missing)
        if extra or missing or negatives:
            result.problems[a.name] = {
                "missing": sorted(missing, key=str),
                "extra": sorted(extra, key=str),
                "negatives": negatives,
            }
    return result


def precision_above(scored: list[tuple[float, bool]], threshold: float) -> tuple[float, int]:
    """Share of events at or above `threshold` that are right, and how many there are."""
    kept = [right for conf, right in scored if conf >= threshold]
    return (sum(kept) / len(kept) if kept else 1.0), len(kept)
