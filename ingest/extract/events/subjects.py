"""Subjects and references: who a stretch of text is about (a council, a provider standing for its
councils, or a reference back such as 'the council'), and the helpers that find and filter them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from ingest.extract.events.cues import COMPARISON, COMPARISON_BEFORE, CSC_TRUST
from ingest.extract.events.providers import Provider


class _Mention(Protocol):
    start: int
    end: int
    text: str
    candidates: tuple[str, ...]


class _Record(Protocol):
    slug: str
    name: str


class GazetteerLike(Protocol):
    def find_all(self, text: str, *, on: date | None = None) -> Sequence[Any]: ...
    def get(self, slug: str) -> Any: ...


THE_TRUST = re.compile(r"\b(?:the|this|that)\s+trust\b", re.I)
COMMON_NAME = re.compile(
    r"(?:^|(?<=[.!?\n]\s)|(?<=\n))[\"']?(Reading|Slough|Bury|Harrow)(?:\s+|(?=,))"
    r"(?=is\b|was\b|has\b|had\b|will\b|were\b|are\b|said\b|must\b|could\b|would\b"
    r"|,\s+(?:which|whose|where)\b|and\s+(?-i:[A-Z]))",
    re.M,
)
BACK_SUBJECT = re.compile(
    r"\W*[A-Z][\w -]{0,40}?(?:\s+(?:[Cc]ity|[Cc]ounty|[Bb]orough))?(?:\s+[Cc]ouncil)?'s\s+"
    r"(?:decision|move|plans?)\b"
)
# Between a qualifying cue and the council it qualifies: 'good-rated Stockport'.
AFTER_GAP = re.compile(r"^\s*(?:(?:the|neighbouring|nearby)\s+)?$", re.I)
# A list of councils; each may carry where it is ('Halton in the north west and Hull').
LIST_GAP = re.compile(
    r"^(?:\s+(?:(?:County|City|Borough|Metropolitan\s+Borough|District)\s+)?[Cc]ouncil)?"
    r"(?:\s+(?:in|on)\s+(?:the\s+)?(?:[A-Za-z-]+\s+){0,2}?[A-Za-z-]+)?"
    r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+)$"
)


@dataclass
class Subject:
    """Who a stretch of text is about: a council, a provider (its councils) or a reference."""

    start: int
    end: int
    slugs: tuple[str, ...]
    source: str  # 'authority' | 'provider' | 'anaphor' | 'role' (a workplace: never the subject)
    provider: Provider | None = None
    text_slug: str = ""  # the surface name, lower-cased, for common-word names
    client: bool = False  # named as a provider's client or an example: states no event


@dataclass
class Focus:
    slugs: tuple[str, ...] = ()
    provider: Provider | None = None
    sentence: int = -10


def shape_of(
    masked: str, start: int, end: int, subjects: list[Subject]
) -> tuple[str, list[Subject]]:
    """The stretch with each council replaced by '@k@' (k indexes the returned list)."""
    parts, index, pos = [], [], start
    for s in subjects:
        if s.start < pos or s.start >= end or s.source not in ("authority", "role"):
            continue
        parts.append(masked[pos : s.start])
        parts.append(f"@{len(index)}@")
        index.append(s)
        pos = s.end
    parts.append(masked[pos:end])
    return "".join(parts), index


_AND_NAME = re.compile(r"\s+and\s+[A-Z]")


def common_word_names(text: str, subjects: list[Subject]) -> list[Subject]:
    """'Reading is expected to ...' at a sentence start: the gazetteer skips names that are
    also English words there; an article that names the council elsewhere means it here too,
    and so does 'Reading, which ...' (the four names are their councils' slugs)."""
    known = {s.text_slug: s.slugs for s in subjects if s.source == "authority" and s.text_slug}
    taken = {s.start for s in subjects}
    found = []
    for m in COMMON_NAME.finditer(text):
        slugs = known.get(m.group(1).lower())
        if not slugs and (text.startswith(",", m.end(1)) or _AND_NAME.match(text, m.end(1))):
            # 'Reading, which was rated ...', 'Reading and Wokingham': it is the place
            slugs = (m.group(1).lower(),)
            known[m.group(1).lower()] = slugs
        if slugs and m.start(1) not in taken:
            found.append(
                Subject(m.start(1), m.end(1), slugs, "authority", None, m.group(1).lower())
            )
    return found


def other_trust_references(text: str, other: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """'The trust' after an academy, NHS or Learning Trust means that trust, until a trust of
    children's services is named."""
    if not other:
        return []
    first = min(a for a, _ in other)
    found = []
    for m in THE_TRUST.finditer(text, first):
        if not CSC_TRUST.search(text, first, m.start()):
            found.append(m.span())
    return found


def inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def comparison(text: str, start: int, end: int) -> bool:
    """'a company in the Achieving for Children mould' compares; it does not name a party."""
    return bool(
        COMPARISON.match(text, end) or COMPARISON_BEFORE.search(text, max(0, start - 20), start)
    )
