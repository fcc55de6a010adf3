"""What a letter or area report found between full inspections: the signals users follow.

Ofsted grades none of these, but each says something a council's watchers care about:

- focused visits: whether 'areas for priority action' were found (or earlier ones remain);
- monitoring visits (after an inadequate grade): which visit it was and its headline finding;
- joint targeted area inspections (JTAI): the theme;
- area SEND inspections under the 2023 framework: the outcome (one of three statements) and when
  the next inspection is due;
- older (2016-2022) local area SEND inspections: whether a written statement of action was
  required.

The phrasings live in signals.toml, with examples, so that a reader can correct them without
touching code. Pages are read through the caller's lazy page cache, and only as far as needed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from ingest import vocabulary

SIGNAL_KINDS = ("focused_visit", "monitoring_visit", "jtai", "area_send", "area_send_2016")
SEND_OUTCOMES = vocabulary.SEND_OUTCOMES
PRIORITY_ACTIONS = vocabulary.PRIORITY_ACTIONS

PHRASES_FILE = Path(__file__).with_name("signals.toml")

_APOS = "['’‘`]"
_KIND_RES = (
    ("focused_visit", re.compile(r"\bFocused\s+visit\s+(?:to|of)\b", re.I)),
    ("monitoring_visit", re.compile(r"\bMonitoring\s+visit\s+(?:to|of)\b", re.I)),
    ("jtai", re.compile(r"\bJoint\s+targeted\s+area\s+inspection\b", re.I)),
    ("area_send", re.compile(r"\bArea\s+SEND\s+(?:full\s+)?inspection\s+of\b", re.I)),
    (
        "area_send_2016",
        re.compile(
            r"\b(?:Joint\s+(?:local\s+)?|local\s+)area\s+(?:SEND|special\s+educational\s+needs\s+and/or\s+"
            r"disabilities(?:\s+\(SEND\))?)\s+inspection\s+(?:in|of)\b",
            re.I,
        ),
    ),
)
_VISIT_LA_RE = re.compile(
    rf"(?:Focused|Monitoring)\s+visit\s+(?:to|of)\s+(?P<la>.{{2,120}}?)\s+"
    rf"(?:local\s+authority\s+)?children{_APOS}s\s+services",
    re.I,
)
_SEND_LA_RE = re.compile(
    r"Area\s+SEND\s+(?:full\s+)?inspection\s+of\s+(?P<la>.{2,120}?)\s+Local\s+Area\s+Partnership",
    re.I,
)
_SEND_2016_LA_RE = re.compile(
    r"inspection\s+(?:in|of)\s+(?P<la>.{2,80}?)(?:\s+(?:Ofsted|From|Inspection|Dear|This|"
    r"Between)\b|[.:]|,(?!\s+[A-Z]))",  # 'Bournemouth, Christchurch and Poole' keeps its commas
)
_LEADING_THE_RE = re.compile(r"^the\s+", re.I)
_SPACE_RE = re.compile(r"\s+")
_SENTENCE_END_RE = re.compile(r"(?<=[a-z0-9)’'])\.(?=\s+[A-Z‘'“\"]|\s*$)")

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip


class PageSource(Protocol):
    """The part of the report's lazy page cache this module uses."""

    count: int

    def lines(self, index: int) -> list[str]: ...

    def flat(self, index: int) -> str: ...


@dataclass(frozen=True)
class Signal:
    """One letter's or area report's finding; fields that do not apply to its kind are None."""

    kind: str  # SIGNAL_KINDS
    priority_action: str | None = None  # focused visits: PRIORITY_ACTIONS
    send_outcome: str | None = None  # area SEND 2023: SEND_OUTCOMES
    next_inspection_months: int | None = None  # area SEND 2023: next full inspection within
    monitoring_inspection_months: int | None = None  # area SEND 2023, systemic failings only
    written_statement_required: bool | None = None  # area SEND 2016-2022
    visit_number: int | None = None  # monitoring visits
    headline: str | None = None  # monitoring visits: the first sentence of the findings
    theme: str | None = None  # JTAI: as printed
    theme_key: str | None = None  # JTAI: a known theme's key, when it is one

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class _Rule:
    value: Any
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Phrases:
    """signals.toml, compiled."""

    send_outcome: tuple[_Rule, ...]
    next_full: re.Pattern[str]
    next_monitoring: re.Pattern[str]
    written_statement: tuple[_Rule, ...]
    priority_heading: re.Pattern[str]
    priority_stop: re.Pattern[str]
    priority_rules: tuple[_Rule, ...]
    visit_number: re.Pattern[str]
    headline_heading: re.Pattern[str]
    jtai_theme: re.Pattern[str]
    jtai_keys: tuple[_Rule, ...]
    raw: dict[str, Any]


def _rules(entries: list[dict[str, Any]], key: str = "value") -> tuple[_Rule, ...]:
    return tuple(_Rule(e[key], re.compile(e["pattern"], re.I | re.S)) for e in entries)


@cache
def phrases(path: Path = PHRASES_FILE) -> Phrases:
    """Load and compile the phrasing file once per process."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    flags = re.I
    return Phrases(
        send_outcome=_rules(raw["send_outcome"]),
        next_full=re.compile(raw["next_inspection"]["full"], flags),
        next_monitoring=re.compile(raw["next_inspection"]["monitoring"], flags),
        written_statement=_rules(raw["written_statement"]),
        priority_heading=re.compile(raw["priority_action"]["heading"], flags),
        priority_stop=re.compile(raw["priority_action"]["stop"], flags),
        priority_rules=_rules(raw["priority_action"]["rules"]),
        visit_number=re.compile(raw["monitoring"]["visit_number"], flags),
        headline_heading=re.compile(raw["monitoring"]["headline_heading"]),
        jtai_theme=re.compile(raw["jtai"]["theme"], flags),
        jtai_keys=_rules(raw["jtai"]["themes"], "key"),
        raw=raw,
    )


def visit_number(m: re.Match[str]) -> int | None:
    """The visit's number from a match of the visit_number phrasing: in words or as a figure."""
    return number(m["n"] or m["figure"])


def number(word: str) -> int | None:
    """'three' -> 3, 'third' -> 3, '18' -> 18, '4th' -> 4."""
    word = word.lower()
    if word in _NUMBERS:
        return _NUMBERS[word]
    digits = word.rstrip("stndrh")
    return int(digits) if digits.isdigit() else None


def _months(m: re.Match[str] | None) -> int | None:
    if not m:
        return None
    n = number(m["n"])
    if n is None:
        return None
    return n * 12 if m["unit"].lower().startswith("year") else n


def _first(rules: tuple[_Rule, ...], text: str, *, anchored: bool = False) -> Any:
    for rule in rules:
        if rule.pattern.match(text) if anchored else rule.pattern.search(text):
            return rule.value
    return None


def _join(text: str) -> str | None:
    name = _LEADING_THE_RE.sub("", _SPACE_RE.sub(" ", text).strip())
    return name or None


def letter_kind(flat: str) -> str | None:
    """The kind of letter or area report a first page announces: the earliest title wins."""
    best: tuple[int, str] | None = None
    for kind, pattern in _KIND_RES:
        m = pattern.search(flat)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def read_signal(pages: PageSource, first: int) -> tuple[Signal | None, str | None]:
    """The signal of the document starting at page `first`, and the authority it names."""
    flat = pages.flat(first)
    kind = letter_kind(flat)
    if kind is None:
        return None, None
    p = phrases()
    if kind == "area_send":
        name = _SEND_LA_RE.search(flat)
        head = flat if _first(p.send_outcome, flat) else _head(pages, first, 2)
        return Signal(
            kind=kind,
            send_outcome=_first(p.send_outcome, head),
            next_inspection_months=_months(p.next_full.search(head)),
            monitoring_inspection_months=_months(p.next_monitoring.search(head)),
        ), _join(name["la"]) if name else None
    if kind == "area_send_2016":
        name = _SEND_2016_LA_RE.search(flat, _kind_end(flat, kind))
        required = _first(p.written_statement, _head(pages, first, 3))
        return Signal(kind=kind, written_statement_required=bool(required)), (
            _join(name["la"]) if name else None
        )
    if kind == "jtai":
        title = p.jtai_theme.search(_head(pages, first, 1))
        theme, _, council = title["title"].rpartition(" in ") if title else ("", "", "")
        words = _join(theme)
        return Signal(
            kind=kind,
            theme=words,
            theme_key=_first(p.jtai_keys, words) if words else None,
        ), _join(council)
    name = _VISIT_LA_RE.search(flat)
    authority = _join(name["la"]) if name else None
    if kind == "focused_visit":
        return Signal(kind=kind, priority_action=_priority_action(pages, first, p)), authority
    visit = p.visit_number.search(flat) or p.visit_number.search(_head(pages, first, 2))
    return Signal(
        kind=kind,
        visit_number=visit_number(visit) if visit else None,
        headline=_headline(pages, first, p),
    ), authority


def _kind_end(flat: str, kind: str) -> int:
    pattern = dict(_KIND_RES)[kind]
    m = pattern.search(flat)
    return m.start() if m else 0


def _head(pages: PageSource, first: int, count: int) -> str:
    return " ".join(pages.flat(i) for i in range(first, min(first + count, pages.count)))


def _section_lines(
    pages: PageSource, first: int, heading: re.Pattern[str], stop: re.Pattern[str], limit: int
) -> list[str] | None:
    """Lines after a heading line, up to a stop line; None if the stop comes first (or never)."""
    found: list[str] | None = None
    for i in range(first, min(first + limit, pages.count)):
        for line in pages.lines(i):
            if found is None:
                if heading.match(line) and len(line) < 60:
                    found = []
                elif stop.match(line) and len(line) < 80:
                    return None
            elif stop.match(line) and len(line) < 80:
                return found
            else:
                found.append(line)
                if len(found) > 40:
                    return found
    return found


def _priority_action(pages: PageSource, first: int, p: Phrases) -> str:
    lines = _section_lines(pages, first, p.priority_heading, p.priority_stop, 4)
    if lines is None:
        return "none"
    text = _SPACE_RE.sub(" ", " ".join(lines)).strip()
    return _first(p.priority_rules, text, anchored=True) or "found"


def _headline(pages: PageSource, first: int, p: Phrases) -> str | None:
    """The first sentence under 'Headline findings' (or 'Overview')."""
    for i in range(first, min(first + 3, pages.count)):
        flat = pages.flat(i)
        m = p.headline_heading.search(flat)
        if m:
            rest = flat[m.end() :].strip()
            end = _SENTENCE_END_RE.search(rest, 0, 600)
            return rest[: end.start() + 1] if end else None
    return None
