"""The event extractor against labelled articles: the shared real ones and our own suite.

Scoring follows shared/data/news/events.json: (authority, kind, value) sets per document, value
being the grade, the action or the model class (trust, company and cic are one class,
'independent'). Optional labels count neither way; a negative matches an event when every field
it gives matches.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from ingest.extract.events import (
    EventExtractor,
    ExtractedEvent,
    ProviderRegistry,
    Relevance,
    resolve_date,
)
from ingest.gazetteer import Gazetteer, load_authorities
from tests.paths import NEWS, REPO

ARTICLES = REPO / "tests" / "data" / "articles"
INDEPENDENT = {"trust", "company", "cic"}
SHARED_DATES = {  # events.json gives approximate dates; the extractor needs a day
    "000_7baf37c0ba32c6cd.txt": date(2016, 9, 1),
    "001_e9db62ab4904246d.txt": date(2017, 1, 18),
    "004_b830e5cc03f950a4.txt": date(2013, 8, 15),
}


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer(load_authorities(REPO / "config" / "authorities.csv"))


@cache
def extractor() -> EventExtractor:
    return EventExtractor(gazetteer(), ProviderRegistry.from_csv(REPO / "config" / "providers.csv"))


def split_title(path: Path) -> tuple[str, str]:
    """Articles hold the headline on the first line, as the pipeline stores it apart."""
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return title.strip(), body


def value(kind: str, fields: dict) -> str | None:
    if kind == "rating":
        return fields.get("grade")
    if kind == "intervention":
        return fields.get("action")
    model = fields.get("model")
    return "independent" if model in INDEPENDENT else model


def slug_of(name: str) -> str:
    return gazetteer().resolve(name).slug


def label_key(label: dict) -> tuple[str, str, str | None]:
    return slug_of(label["authority"]), label["kind"], value(label["kind"], label)


def event_key(event: ExtractedEvent) -> tuple[str, str, str | None]:
    return event.authority, event.kind, value(event.kind, event.__dict__)


def matches_negative(event: ExtractedEvent, negative: dict) -> bool:
    for key in ("authority", "kind", "model", "stage", "grade", "action"):
        if key in negative:
            want = slug_of(negative[key]) if key == "authority" else negative[key]
            if getattr(event, key) != want:
                return False
    return set(negative) & {"authority", "kind", "model", "stage", "grade", "action"} != set()


def score(documents: list[dict], folder: Path, dates: dict[str, date]) -> dict:
    """Micro precision and recall over documents, plus what went wrong where."""
    tp = fp = fn = 0
    problems: dict[str, dict] = {}
    for doc in documents:
        title, body = split_title(folder / doc["document"])
        published = dates[doc["document"]]
        events = extractor().extract(body, published=published, title=title)
        found = {event_key(e) for e in events}
        required = {label_key(x) for x in doc["events"] if not x.get("optional")}
        optional = {label_key(x) for x in doc["events"] if x.get("optional")}
        hits = [
            (e, n) for e in events for n in doc.get("negatives", []) if matches_negative(e, n)
        ]
        tp += len(found & required)
        fp += len(found - required - optional)
        fn += len(required - found)
        if found - required - optional or required - found or hits:
            problems[doc["document"]] = {
                "missing": sorted(required - found, key=str),
                "extra": sorted(found - required - optional, key=str),
                "negatives": [n.get("what") for _, n in hits],
            }
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn,
            "problems": problems}


def own_documents() -> list[dict]:
    return json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))["documents"]


def shared_documents() -> list[dict]:
    return json.loads((NEWS / "events.json").read_text(encoding="utf-8"))["documents"]
