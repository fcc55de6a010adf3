"""A small keyword event extractor, for tests only: the product's is ingest/extract/events/.

It has the interface the news pipeline expects (`relevance`, `extract`) and finds councils with
the real gazetteer, so pipeline tests exercise storage of real events without depending on the
work-in-progress extractor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from config.wiring import AUTHORITIES_CSV
from ingest.gazetteer import Gazetteer, load_authorities

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_TOPIC = re.compile(r"children['’]s (services|social care|trust)", re.I)
_GRADE = re.compile(r"\b(inadequate|requires improvement|good|outstanding)\b", re.I)


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    reason: str


@dataclass(frozen=True)
class ExtractedEvent:
    authority: str | None
    kind: str
    grade: str | None = None
    previous_grade: str | None = None
    model: str | None = None
    stage: str | None = None
    provider: str | None = None
    action: str | None = None
    date: str | None = None
    evidence: str = ""
    confidence: float = 0.5


class KeywordExtractor:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer(load_authorities(AUTHORITIES_CSV))
        self.calls = 0

    def relevance(self, title: str, text: str) -> Relevance:
        match = _TOPIC.search(f"{title}\n{text}")
        if match:
            return Relevance(True, f"mentions {match.group(0)!r}")
        return Relevance(False, "no mention of children's services")

    def extract(
        self, text: str, *, published: date | None = None, title: str | None = None
    ) -> list[ExtractedEvent]:
        self.calls += 1
        when = published.isoformat()[:7] if published else None
        events = []
        for sentence in _SENTENCE.split(text):
            slugs = {
                m.candidates[0]
                for m in self.gazetteer.find_all(sentence, on=published)
                if len(m.candidates) == 1
            }
            lower = sentence.lower()
            for slug in sorted(slugs):
                if "trust" in lower:
                    stage = "proposed" if "recommend" in lower or "plans" in lower else "decided"
                    events.append(
                        ExtractedEvent(
                            slug,
                            "delivery_model",
                            model="trust",
                            stage=stage,
                            date=when,
                            evidence=sentence,
                            confidence=0.6,
                        )
                    )
                if "statutory direction" in lower or "directed" in lower:
                    events.append(
                        ExtractedEvent(
                            slug,
                            "intervention",
                            action="direction",
                            date=when,
                            evidence=sentence,
                            confidence=0.7,
                        )
                    )
                grade = _GRADE.search(sentence)
                if grade and ("ofsted" in lower or "rated" in lower):
                    events.append(
                        ExtractedEvent(
                            slug,
                            "rating",
                            grade=grade.group(1).lower().replace(" ", "_"),
                            evidence=sentence,
                            confidence=0.5,
                        )
                    )
        return events
