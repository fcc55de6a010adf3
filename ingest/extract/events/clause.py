"""The working records of one reading: the document (its subjects, focus and events so far) and
the clause under analysis, which knows how to place, weigh and date what a cue says."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ingest.extract.events import confidence as weights
from ingest.extract.events.cues import (
    COUNTED_SUBJECT,
    GENERIC_BETWEEN,
    PARTITIVE_SUBJECT,
)
from ingest.extract.events.results import ExtractedEvent
from ingest.extract.events.subjects import (
    AFTER_GAP,
    LIST_GAP,
    Focus,
    Subject,
)
from ingest.extract.events.text import (
    DATE,
    FUTURE,
    after_word,
    resolve,
)

# a list introduced straight after a cue: 'seven were found inadequate: A, B and C', 'twelve
# were rated outstanding, including A and B'
_COLON = re.compile(r"['\"]?\s*(?::|,?\s*(?:including|among\s+them|such\s+as|namely)\b)\s*")
# a singular possessive inside the cue ('judged its performance inadequate') points back at one
# council, never at the general noun between ('X was among 14 councils ..., and ... judged its')
_ITS = re.compile(
    r"\bits\s+(?:own\s+)?(?:[\w']+\s+){0,3}?(?:services?|performance|department|provision|social\s+care)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Pending:
    """A model change stated without a council ('England's largest local authority cemented
    plans ...'), waiting for the next sentence to name it ('Birmingham council's decision')."""

    model: str
    stage: str
    provider: str | None
    date: str | None
    confidence: float
    sentence: int


# 'set up in 2014': the date a vehicle began.
_BEGAN = re.compile(
    r"\b(?:set\s+up|established|created|launched|founded|formed)(?:\s+(?:in|on))?\s+$"
    r"|\b(?:after|following)\s+(?:a|an|the|its|their)\s+$",  # 'set up after a July 2015 report'
    re.I,
)


@dataclass
class Doc:
    text: str  # folded, comments cut
    masked: str  # other trusts and provider names masked
    published: date | None
    subjects: list[Subject]
    partners: set[str] = field(default_factory=set)
    advisers: set[str] = field(default_factory=set)  # partners named only as advisers
    events: list[ExtractedEvent] = field(default_factory=list)
    focus: Focus = field(default_factory=Focus)
    recent: list[tuple[str, ...]] = field(default_factory=list)
    last_models: list[ExtractedEvent] = field(default_factory=list)
    pending: Pending | None = None
    # the last sentence that graded something other than children's services ('adoption
    # services were rated good'): 'the service' in the next sentence is that thing again
    other_graded: int = -10
    lead: tuple[str, ...] = ()  # the article's focus council: headline, else first paragraph
    employers: list[tuple[int, int]] = field(default_factory=list)  # providers named as employers


@dataclass
class Clause:
    """One clause under analysis, with what is needed to place and date its events."""

    doc: Doc
    start: int
    end: int
    text: str
    subjects: list[Subject]
    fallback: tuple[str, ...]
    evidence: str
    confidence: float
    number: int
    graded: list[Subject] = field(default_factory=list)  # subjects, partner councils included
    employer: bool = False  # a provider is named as a person's employer in the clause

    def emit(self, slug: str, kind: str, confidence: float, **values: Any) -> None:
        self.doc.events.append(
            ExtractedEvent(
                authority=slug,
                kind=kind,
                evidence=self.evidence,
                confidence=weights.clamp(confidence),
                **values,
            )
        )

    def _councils(self) -> list[Subject]:
        """Subjects that name councils: providers only count when no council is named."""
        named = [s for s in self.subjects if s.source != "provider"]
        return named or self.subjects

    def subjects_for(
        self, cue_start: int, cue_end: int, *, partners_too: bool = False
    ) -> list[tuple[tuple[str, ...], float]]:
        """The subject group a cue at [cue_start, cue_end) (clause offsets) speaks about.
        Partner councils are left out (they help; the change is the other council's) unless
        `partners_too` (a grade is the partner's own)."""
        subjects = self.graded if partners_too else self._councils()
        partners: set[str] = set() if partners_too else self.doc.partners
        helped = [s for s in subjects if set(s.slugs) - partners]
        local = [
            (s, s.start - self.start, s.end - self.start)
            for s in subjects
            if not helped or set(s.slugs) - partners
        ]
        inside = [s for s, a, _ in local if cue_start <= a < cue_end]
        if inside:
            return [(s.slugs, self._conf(s)) for s in inside[:1]]
        before = [(s, a, b) for s, a, b in local if b <= cue_start]
        if before:
            group = [before[-1]]
            for s, a, b in reversed(before[:-1]):
                if LIST_GAP.match(self.text[b : group[-1][1]]):
                    group.append((s, a, b))
                else:
                    break
            if GENERIC_BETWEEN.search(self.text, group[0][2], cue_start) and not (
                len(group) == 1 and _ITS.search(self.text, cue_start, cue_end)
            ):
                return []
            return [(s.slugs, self._conf(s)) for s, _, _ in reversed(group)]  # reading order
        after = [(s, a, b) for s, a, b in local if a >= cue_end]
        if after and PARTITIVE_SUBJECT.search(self.text, 0, cue_start):
            after = []  # 'Five of them had been rated good, while York ...': theirs, not York's
        if (
            after
            and COUNTED_SUBJECT.search(self.text, 0, cue_start)
            and not _COLON.match(self.text, cue_end, after[0][1])
        ):
            # 'ten councils were judged good, ... seven were found inadequate: A, B': the
            # councils after the colon take the last grade only
            after = []
        if after:
            return self._list_from(after)
        if self.fallback:
            return [(self.fallback, self.confidence * weights.FOCUS_SHARE)]
        return []

    def subjects_next(self, cue_end: int) -> list[tuple[tuple[str, ...], float]]:
        """The first council (or list) after a cue whose subject follows it: 'appointed to
        review children's services in Bury', 'commissioner for Cumbria'."""
        local = [
            (s, s.start - self.start, s.end - self.start)
            for s in self._councils()
            if s.start - self.start >= cue_end and s.source != "provider"
        ]
        return self._list_from(local)

    def subjects_after(self, cue_end: int) -> list[tuple[tuple[str, ...], float]]:
        """The councils a cue qualifies from the left: 'inadequate Tameside and Bolton'."""
        local = [
            (s, s.start - self.start, s.end - self.start)
            for s in self._councils()
            if s.start - self.start >= cue_end
        ]
        if not local or not AFTER_GAP.match(self.text[cue_end : local[0][1]]):
            return []
        return self._list_from(local)

    def _list_from(
        self, local: list[tuple[Subject, int, int]]
    ) -> list[tuple[tuple[str, ...], float]]:
        """The first of `local` (subject, start, end in the clause; text order) and the ones
        listed after it ('Tameside, Bolton and Bury'): a cue speaks about a whole list."""
        if not local:
            return []
        group = [local[0]]
        for s, a, b in local[1:]:
            if not LIST_GAP.match(self.text[group[-1][2] : a]):
                break
            group.append((s, a, b))
        return [(s.slugs, self._conf(s)) for s, _, _ in group]

    def model_subjects(
        self, cue_end: int | None = None
    ) -> list[tuple[tuple[str, ...], float, Subject | None]]:
        """The councils a model change is about. When the stage cue sits in a stretch set off by
        commas that names a council only as someone's workplace, that council ('X, who ran
        Doncaster's services in the run-up to their transfer to a trust, has been appointed
        commissioner in Sandwell': Doncaster, not Sandwell)."""
        subjects = self._councils()
        if cue_end is not None:
            a, b = self._segment(cue_end)
            inside = [s for s in subjects if a <= s.start - self.start < b]
            workplaces = [
                s
                for s in self.doc.subjects
                if s.source == "role"
                and not s.client
                and self.start + a <= s.start < self.start + b
            ]
            if workplaces and not inside:
                subjects = workplaces
        if subjects:
            return [
                (s.slugs, self._conf(s) if s.source != "role" else weights.REFERENCE, s)
                for s in subjects
            ]
        if self.fallback:
            return [(self.fallback, self.confidence * weights.FOCUS_SHARE, None)]
        return []

    def _segment(self, pos: int) -> tuple[int, int]:
        """The stretch between commas around clause offset `pos`."""
        a = self.text.rfind(",", 0, max(0, pos - 1)) + 1
        b = self.text.find(",", pos)
        return a, (len(self.text) if b < 0 else b)

    def _conf(self, subject: Subject) -> float:
        return weights.by_source(subject.source)

    def dates(self) -> list[tuple[int, int, re.Match[str]]]:
        return [(m.start(), m.end(), m) for m in DATE.finditer(self.text)]

    def resolve(self, m: re.Match[str], future: bool, anchor: str | None = None) -> str | None:
        return resolve(m, self.doc.published, future=future, anchor=anchor)

    def date_after(self, pos: int, *, future: bool) -> str | None:
        for a, _, m in self.dates():
            if a >= pos and not m.group("rel"):
                return self.resolve(m, future, self._anchor(a))
        return None

    def leading_date(self) -> str | None:
        m = re.match(r"\W*(?:In|On|By|From|Since)\s+", self.text)
        if m:
            d = DATE.match(self.text, m.end())
            if d:
                return self.resolve(d, False)
        return None

    def _anchor(self, pos: int) -> str | None:
        """The last absolute date before `pos` in the clause (for 'a year later', 'that year')."""
        found = None
        for a, _, m in self.dates():
            if a >= pos:
                break
            if m.group("only_year") or m.group("year"):
                found = self.resolve(m, False)
        return found

    def model_date(
        self, subject: Subject | None, cue_end: int, stage: str | None = None
    ) -> str | None:
        """The effective date for one council: 'followed by Slough a year later' shifts it.
        A date that says when the trust or company began ('set up in 2014') is not the date of
        its ending or of a return in-house."""
        dates = self.dates()
        future = bool(FUTURE.search(self.text))
        if subject is not None:
            s_end = subject.end - self.start
            for a, _, m in dates:
                if 0 <= a - s_end <= 20 and m.group("rel") and "year" in m.group("rel").lower():
                    rel = m.group("rel").lower()
                    if rel.startswith(("a year", "the following", "the year")):
                        return self.resolve(m, future, self._anchor(a))
        candidates = [d for d in dates if not after_word(self.text, d[0], "announced")]
        candidates = [
            d
            for d in candidates
            if not (m := _BEGAN.search(self.text, 0, d[0]))
            or (stage == "operational" and not m.group().lower().startswith(("after", "following")))
        ]
        candidates = [
            d
            for d in candidates
            if not (d[2].group("rel") or "").lower().startswith(("a year", "the following"))
        ]
        if not candidates:
            return None
        a, _, m = next((d for d in candidates if d[0] >= cue_end), candidates[0])
        return self.resolve(m, future, self._anchor(a))
