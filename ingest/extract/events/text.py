"""Text and dates: folding typography, cutting comments, masking, splitting paragraphs, sentences
and clauses, and resolving date phrases ('next year', 'from April', 'a year later') to
'YYYY[-MM[-DD]]'. Offsets are preserved throughout so evidence can be quoted from the original."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.extract.events.cues import END_MARKERS

# One character for one, so offsets into the folded text are offsets into the original.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    return text.translate(_FOLD)


_LEADING_SUBORDINATE = re.compile(r"\W*(?:While|Whilst|Although|Whereas)\b[^,;]{5,200},")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(r";|\s-\s|,\s+(?=(?:while|whereas|but|although)\b)|\s\(|\)")


def cut(text: str) -> str:
    """The article without comments and related-article blocks."""
    m = END_MARKERS.search(text)
    return text[: m.start()] if m else text


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each span overwritten by underscores (same length, so offsets hold)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "_" * (end - start)
    return "".join(chars)


# Dates

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS.pop("may", None)
_MONTHS["may"] = 5
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RE = "|".join(sorted((m for m in _MONTHS if len(m) > 3 or m == "may"), key=len)[::-1])
DATE = re.compile(
    r"\b(?:(?P<day>\d{1,2})\s+)?(?P<month>" + _MONTH_RE + r")\b(?:\s+(?P<year>(?:19|20)\d{2})"
    r"|\s+(?P<rel_year>next year|last year|this year|that year))?"
    r"|\b(?P<qual>next|last|this)\s+(?P<qmonth>" + _MONTH_RE + r")\b"
    r"|\b(?P<only_year>(?:19|20)\d{2})\b"
    r"|\b(?P<rel>next year|last year|this year|last month|next month|this month"
    r"|a year later|a year earlier|the following year|the year before)\b"
    r"|\bon\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:will|from|is to|are to|expected to|begins|starts|shall|due to|next|until|set to"
    r"|scheduled|planned)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _DateExpr:
    start: int
    end: int
    match: re.Match[str]


def resolve_date(
    phrase: str, published: date | None, *, future: bool = False, anchor: str | None = None
) -> str | None:
    """'next year', 'from April', 'last month', 'a year later' -> 'YYYY[-MM[-DD]]'.

    `published` anchors relative phrases; `anchor` (an earlier date in the same sentence)
    anchors 'a year later'; `future` says whether a bare month lies ahead of publication
    ('from April', 'will ... in June') or behind it ('ended in March').
    """
    m = DATE.search(phrase)
    return resolve(m, published, future=future, anchor=anchor) if m else None


def resolve(
    m: re.Match[str], published: date | None, *, future: bool, anchor: str | None
) -> str | None:
    g = m.groupdict()
    if g["only_year"]:
        return g["only_year"]
    if g["rel"]:
        return _relative(g["rel"].lower(), published, anchor)
    if g["weekday"]:
        if published is None:
            return None
        back = (published.weekday() - _WEEKDAYS[g["weekday"].lower()]) % 7
        day = published + timedelta(days=(7 - back) % 7 if future else -(back or 7))
        return day.isoformat()
    if g["qmonth"]:
        month = _MONTHS[g["qmonth"].lower()]
        if published is None:
            return None
        qual = g["qual"].lower()
        year = published.year
        if qual == "next" and month <= published.month:
            year += 1
        elif qual == "last" and month >= published.month:
            year -= 1
        return f"{year:04d}-{month:02d}"
    month = _MONTHS[g["month"].lower()]
    day = int(g["day"]) if g["day"] else None
    year = _month_year(g, month, day, published, future=future, anchor=anchor)
    if year is None:
        return None
    text = f"{year:04d}-{month:02d}"
    return f"{text}-{day:02d}" if day and 1 <= day <= 31 else text


def _month_year(
    g: dict[str, str | None],
    month: int,
    day: int | None,
    published: date | None,
    *,
    future: bool,
    anchor: str | None,
) -> int | None:
    if g["year"]:
        return int(g["year"])
    rel = (g["rel_year"] or "").lower()
    if rel == "that year":
        return int(anchor[:4]) if anchor else (published.year if published else None)
    if published is None:
        return None
    if rel in ("next year", "last year", "this year"):
        return published.year + {"next year": 1, "last year": -1, "this year": 0}[rel]
    here, there = (published.month, published.day), (month, day or 1)
    if future and there < here and month != published.month:
        return published.year + 1
    if not future and there > here and month != published.month:
        return published.year - 1
    return published.year


def _relative(rel: str, published: date | None, anchor: str | None) -> str | None:
    if rel in ("a year later", "the following year", "a year earlier", "the year before"):
        if not anchor:
            return None
        step = 1 if rel in ("a year later", "the following year") else -1
        return f"{int(anchor[:4]) + step:04d}{anchor[4:7]}"
    if published is None:
        return None
    if rel.endswith("year"):
        return str(published.year + {"next": 1, "last": -1, "this": 0}[rel.split()[0]])
    step = {"next": 1, "last": -1, "this": 0}[rel.split()[0]]
    month = published.month + step
    year = published.year + (month - 1) // 12
    return f"{year:04d}-{(month - 1) % 12 + 1:02d}"


def paragraphs(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, line
        pos += len(line) + 1


def sentences(paragraph: str) -> Iterable[tuple[int, int]]:
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        yield start, m.start()
        start = m.end()
    if paragraph[start:].strip():
        yield start, len(paragraph)


def clauses(masked: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    pos = start
    lead = _LEADING_SUBORDINATE.match(masked, start, end)
    if lead:  # 'While consultations continue in Birmingham, for Doncaster ...'
        yield start, lead.end() - 1
        pos = lead.end()
    for m in _CLAUSE_BREAK.finditer(masked, start, end):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if end > pos:
        yield pos, end


def after_word(text: str, pos: int, word: str) -> bool:
    return text[max(0, pos - len(word) - 2) : pos].strip().lower().endswith(word)


_SENTENCE_BOUND = re.compile(r"[.!?\n]")


def day_of_sentence(text: str, pos: int, published: date | None) -> date | None:
    """The day the sentence around `pos` is about: its first date with a year ('in November
    2020' -> 2020-11-15, 'in 2019' -> 2019-07-01), else the publication date. Names are
    resolved on it: a provider of 2020 served the councils that existed in 2020."""
    before = list(_SENTENCE_BOUND.finditer(text, max(0, pos - 400), pos))
    start = before[-1].end() if before else 0
    bound = _SENTENCE_BOUND.search(text, pos)
    end = bound.start() if bound else len(text)
    for m in DATE.finditer(text, start, end):
        if not (m.group("year") or m.group("only_year")):
            continue
        said = resolve(m, published, future=False, anchor=None) or ""
        parts = [int(x) for x in said.split("-") if x]
        if len(parts) == 1:
            return date(parts[0], 7, 1)
        if len(parts) >= 2:
            return date(parts[0], parts[1], parts[2] if len(parts) > 2 else 15)
    return published
