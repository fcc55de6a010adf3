"""What the extractor returns: events with their evidence, and the relevance verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.extract.events.subjects import GazetteerLike


@dataclass(frozen=True)
class ExtractedEvent:
    """One thing an article states about one council's children's services."""

    authority: str  # gazetteer slug
    kind: str
    grade: str | None = None
    previous_grade: str | None = None
    model: str | None = None
    stage: str | None = None
    provider: str | None = None
    action: str | None = None
    date: str | None = None
    evidence: str = ""
    confidence: float = 0.0

    def to_json(self, gazetteer: GazetteerLike) -> dict[str, Any]:
        """The event for people and files: the council's canonical name instead of its slug."""
        return {
            "authority": gazetteer.get(self.authority).name,
            "kind": self.kind,
            "grade": self.grade,
            "previous_grade": self.previous_grade,
            "model": self.model,
            "stage": self.stage,
            "provider": self.provider,
            "action": self.action,
            "date": self.date,
            "evidence": self.evidence,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    reason: str
