"""Read the facts of an Ofsted children's services inspection report out of its PDF.

Pure: bytes in, a `ParsedReport` out; no database, no network. Text comes from pypdfium2, one
page at a time and only for the pages a layout needs, because page text is the whole cost
(about 1-3 ms a page) and a SIF report runs to 60 pages. Facts are found by anchoring on the
labels Ofsted prints ('Judgement', 'Overall effectiveness', the numbered SIF headings, the
contents page), never on positions, so that unseen reports with wrapped lines, curly quotes or
'Requires improvement to be good' spelt several ways still parse.

Report families (see docs/domain.md): ILACS (2018 on; from 2023 with separate rows for children
in care and care leavers), the single inspection framework (SIF, 2013-2018, with an optional
review of the Local Safeguarding Children Board), older looked-after-children / safeguarding
inspections (to 2013, graded with 'adequate'), and everything else Ofsted publishes about a
council (focused visits, area SEND, stand-alone LSCB reviews), which comes back as "other"
with its signal (signals.py: what a letter found, short of a grade).

Graded reports are read twice, independently: the first page's table or grid, and the body's
section headings (with the running header's dates); a disagreement is a ReportConflict, left
for a person to settle. Dates of every shape are read by dates.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

import pypdfium2 as pdfium

from ingest import vocabulary
from ingest.extract.dates import date_span, single_date
from ingest.extract.signals import Signal, read_signal

FRAMEWORKS = ("ilacs_2023", "ilacs_2018", "sif", "pre_2013", "other")
GRADES = vocabulary.GRADES
JUDGEMENT_AREAS = (
    "leaders",
    "help_and_protection",
    "in_care_and_care_leavers",
    "in_care",
    "care_leavers",
    "sif_looked_after_permanence",
    "sif_adoption",
    "sif_care_leavers",
    "sif_leadership",
    "lscb",
)


class ReportError(Exception):
    """A file that cannot be read as a report.

    str() is one sentence naming the file, saying what it is and why it cannot be read.
    """


class ReportConflict(ReportError):
    """Two independent readings of one report disagree (table against body, or two dates).

    Raised rather than settled: which reading is right is a question for a person, so the
    report is recorded as an error for review and neither value is stored.
    """


@dataclass(frozen=True)
class ParsedReport:
    """The facts one report prints about itself (dates as printed, grades normalised)."""

    framework: str
    authority: str | None
    inspection_start: date | None
    inspection_end: date | None
    published: date | None
    lead_inspector: str | None
    overall: str | None
    judgements: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    signal: Signal | None = None  # letters and area reports: what they found

    def to_json(self) -> dict:
        """The CLI/JSON shape: ISO dates, no page count; `signal` only for letters."""
        shape = {
            "framework": self.framework,
            "authority": self.authority,
            "inspection_start": _iso(self.inspection_start),
            "inspection_end": _iso(self.inspection_end),
            "published": _iso(self.published),
            "lead_inspector": self.lead_inspector,
            "overall": self.overall,
            "judgements": dict(self.judgements),
        }
        if self.signal:
            shape["signal"] = self.signal.to_json()
        return shape


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# --------------------------------------------------------------------------------------------
# Patterns. All matching runs on "flat" text (one line, single spaces) unless noted, so that a
# phrase wrapped over two lines still matches.

_APOS = "['’‘`]"
# A grade ends where letters end: "improvement.2" and "good1" carry footnote marks.
_GRADE = (
    r"(?:outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate|adequate"
    r"|not\s+judged)(?![a-z])"
)
_GRADE_RE = re.compile(rf"\b{_GRADE}", re.I)

_INSPECTION_DATES_RE = re.compile(r"\bInspection\s+dates?\s*:?\s*", re.I)
# A colon is required: narrative text mentions reports 'published' in other years.
_PUBLISHED_RE = re.compile(
    r"\b(?:(?:Report\s+|Date\s+)?published(?:\s+on)?|(?:Date\s+of\s+)?publication(?:\s+date)?)"
    r"\s*:\s*",
    re.I,
)
# Line-anchored and case-sensitive: "Deputy lead inspector:" and narrative sentences that
# happen to start a line with "lead inspector attended ..." must not match.
_LEAD_RE = re.compile(r"^(?:Lead|LEAD|Reporting)\s+(?i:inspector)\b\s*[:–-]?\s*(?P<rest>.*)$", re.M)
_INSPECTOR_SUFFIX_RE = re.compile(
    rf"(?:[\s,;(]+(?:Senior|Principal)?\s*(?:(?:His|Her)\s+Majesty{_APOS}?s\s+Inspector\w*"
    r"|S?HMI|Ofsted\s+Inspector|OI|Social\s+Care\s+Regulatory\s+Inspector|SCRI"
    r"|Additional\s+Inspector|AI)\)?\.?)+\s*$",
    re.I,
)
# Fallback when the label is not at a line start: a colon, then capitalised words.
_LEAD_INLINE_RE = re.compile(
    r"(?<![Dd]eputy )\b(?:Lead\s+(?i:inspector)\s*:|Reporting\s+(?i:inspector)\s*:?)\s*"
    r"(?P<name>[A-Z][\w’'.\-]*(?:\s+(?:[A-Z][\w’'.\-]*|van|de|der|von|da|le|la)){1,5})"
)
_NAME_STOP_RE = re.compile(
    r"\s+(?:Judgement|Age|Published|Report|Inspection|Deputy|Team|Shadow|Senior|Her|His|S?HMI"
    r"|Ofsted|Quality)\b.*$"
)
_CO_INSPECTOR_RE = re.compile(r"\s+(?:Deputy|Team|Shadow|Senior\s+data|Quality)\b.*$", re.I)
_PERSON_RE = re.compile(r"^[A-Z][\w’'.\-]*(?:\s+[A-Za-z][\w’'.\-]*){1,4}$")

# ILACS: the Judgement/Grade table on page 1.
# The table header, else its first row. Letters may quote the row's wording, so the row alone
# counts only once letters have been ruled out.
_ILACS_HEADER_RE = re.compile(r"\bJudgement\s+Grade\b", re.I)
_ILACS_MARK_RE = re.compile(
    r"\bJudgement\s+Grade\b|impact\s+of\s+leaders\s+on\s+social\s+work\s+practice", re.I
)
_ILACS_ROWS = (
    # A table may abbreviate its labels ('Impact of leaders', 'Help and protection', 'Care
    # leavers'): each pattern is the shortest wording that still names one row and no prose.
    ("leaders", re.compile(r"impact\s+of\s+leaders\b", re.I)),
    (
        "help_and_protection",
        re.compile(
            r"(?i:children\s+who\s+need\s+help\s+and\s+protection)|\bHelp\s+and\s+protection\b"
        ),
    ),
    ("in_care_and_care_leavers", re.compile(r"children\s+in\s+care\s+and\s+care\s+leavers", re.I)),
    ("in_care", re.compile(r"children\s+in\s+care(?!\s+and\s+care\s+leavers)\b", re.I)),
    # the short 'Care leavers' only capitalised, as a cell starts: prose speaks of care leavers
    ("care_leavers", re.compile(r"(?i:progress\s+of\s+care\s+leavers)|\bCare\s+leavers\b")),
    ("overall", re.compile(r"overall\s+effectiveness", re.I)),
)
# The areas each ILACS edition grades in its body: all are looked for, whatever the table gave.
_ILACS_2018_AREAS = ("help_and_protection", "in_care_and_care_leavers", "leaders")
_ILACS_2023_AREAS = ("help_and_protection", "in_care", "care_leavers", "leaders")
# A table stored column by column gives 'Overall effectiveness Grade Inadequate ...': the grade
# column's header then stands between the last label and the first grade.
_ILACS_OVERALL_RE = re.compile(
    rf"overall\s+effectiveness(?:\s+of\s+children{_APOS}s\s+services)?\s*:?\s*(?:Grades?(?:\s+awarded)?\s+)?(?:{_GRADE})",
    re.I,
)
# A row label as the table prints it, whole, so that the table can be read as a run of labels,
# grades and header words in any order: the overall row first or last, rows reordered, labels
# and grades interleaved or column by column. 'Overall' and 'effectiveness' may straddle the
# grade when a centred cell is read line by line ('Overall Good effectiveness'). A token may
# carry a footnote mark ('Good1').
_ILACS_LABEL = (
    r"(?:The\s+)?(?:impact\s+of\s+leaders(?:\s+on\s+social\s+work\s+practice(?:\s+with\s+"
    r"children\s+and\s+(?:their\s+)?families)?)?|(?:experiences?\s+and\s+progress\s+of\s+)?"
    r"(?:children\s+who\s+need\s+help\s+and\s+protection|children\s+in\s+care(?:\s+and\s+care\s+"
    r"leavers)?|care\s+leavers|help\s+and\s+protection)"
    rf"|Overall\s+effectiveness(?:\s+of\s+children{_APOS}s\s+services)?)"
)
_ILACS_TOKEN_RE = re.compile(
    rf"\s*(?:{_ILACS_LABEL}|{_GRADE}|(?:Judgements?|Grades?|Areas?)\b(?:\s+awarded)?)"
    r"[\d*†¹²³⁴⁵]{0,2}\s*:?",
    re.I,
)
_ILACS_ROW_START_RE = re.compile(rf"{_ILACS_LABEL}|\bJudgements?\b|\bAreas?\b", re.I)
_ILACS_OVERALL_SPLIT_RE = re.compile(rf"\bOverall\s+(?P<grade>{_GRADE})\s+effectiveness\b", re.I)
# Page 2's first narrative heading: a table run on from page 1 ends before it.
_ILACS_PAGE2_END_RE = re.compile(r"\bWhat\s+needs\s+to\s+improve\b", re.I)
_ILACS_TITLE_RE = re.compile(
    rf"Inspection\s+of\s+(?P<la>.{{2,120}}?)\s+(?:local\s+authority\s+)?children{_APOS}s\s+"
    r"(?:social\s+care\s+)?services",
    re.I,
)
_ILACS_OLD_TITLE_RE = re.compile(
    rf"\bInspection\s+of\s+children{_APOS}s\s+social\s+care\s+services", re.I
)

# SIF: overall sentence, numbered grid, LSCB review.
# The report title (checked near the top only: letters cite "the previous inspection of services
# for children in need of help and protection") or the grid's second row.
_SIF_TITLE_RE = re.compile(
    r"(?:Re-?\s?inspection|Inspection)\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help",
    re.I,
)
_SIF_GRID_RE = re.compile(r"\bChildren\s+looked\s+after\s+and\s+achieving\s+permanence\b", re.I)
_SIF_TITLE_START_RE = re.compile(
    r"\b(?:Re-?\s?inspection\s+of|Inspection\s+of\s+services|Review\s+of\s+the\s+effectiveness)",
    re.I,
)
_SIF_OVERALL_RE = re.compile(
    rf"(?:(?:Overall,?\s+)?Children{_APOS}s\s+services\s+in\s+(?:the\s+)?(?P<la>.{{1,120}}?)\s+"
    r"(?:are|is)?\s*(?:judged\s+to\s+be\s+|rated\s+(?:as\s+)?)?"
    r"|The\s+overall\s+(?:judgement|effectiveness)(?:\s+of\s+children[’'`‘]s\s+services)?\s+"
    r"(?:is\s+)?(?:that\s+)?(?:children[’'`‘]s\s+services\s+)?(?:in\s+(?P<la2>.{1,120}?)\s+)?"
    r"(?:are\s+|is\s+)?(?:judged\s+to\s+be\s+)?(?:rated\s+(?:as\s+)?)?"
    r"|Overall\s+(?:judgement|effectiveness)\s*[:\-–—]\s*)"
    rf"(?P<grade>{_GRADE})",
    re.I,
)
# The grid continued on page 2: a numbered row ('2.2 Experiences and progress of care leavers
# Requires improvement') before the first narrative heading.
_SIF_PAGE2_END_RE = re.compile(
    r"\b(?:Executive\s+summary|Contents|Summary\s+of\s+findings|What\s+does\s+the|"
    r"Information\s+about|The\s+local\s+authority\b)",
    re.I,
)
_ROW_NUMBER_RE = re.compile(r"(?:^|\s)\d(?:\.\d)?\.?\s*$")
_SIF_ROWS = (
    ("help_and_protection", re.compile(r"children\s+who\s+need\s+help\s+and\s+protection", re.I)),
    (
        "sif_looked_after_permanence",
        re.compile(r"children\s+looked\s+after\s+and\s+achieving\s+permanence", re.I),
    ),
    ("sif_adoption", re.compile(r"adoption\s+performance", re.I)),
    ("sif_care_leavers", re.compile(r"experiences\s+and\s+progress\s+of\s+care\s+leavers", re.I)),
    ("sif_leadership", re.compile(r"leadership,?\s+management\s+and\s+governance", re.I)),
)
_LSCB_REVIEW_RE = re.compile(
    r"Review\s+of\s+(?:the\s+)?(?:effectiveness\s+of\s+the\s+)?local\s+safeguarding\s+"
    rf"children(?:{_APOS}s)?\s+board",
    re.I,
)
_LSCB_GRADE_RE = re.compile(
    rf"\bThe\s+(?:effectiveness\s+of\s+the\s+)?(?:Local\s+Safeguarding\s+Children(?:{_APOS}s)?"
    r"\s+Board|LSCB)(?:\s*\(LSCB\))?\s+(?:is\s+|are\s+)?(?:judged\s+to\s+be\s+)?"
    rf"(?P<grade>{_GRADE})",
    re.I,
)
# A heading that carries the grade itself, alone on its line or with the grade on the next:
# 'Review of the Local Safeguarding Children Board: Good', '4. LSCB – requires improvement'.
_LSCB_HEADING_RE = re.compile(
    r"^(?:(?:Section\s+)?\d\.?\s*[:.\-–—]?\s*)?(?:The\s+)?(?:Review\s+of\s+(?:the\s+)?)?"
    r"(?:effectiveness\s+of\s+the\s+)?"
    rf"(?:Local\s+Safeguarding\s+Children(?:{_APOS}s)?\s+Board|LSCB)(?:\s*\(LSCB\))?"
    rf"[ \t]*[:\-–—]?[ \t]*\n?[ \t]*(?P<grade>{_GRADE})[ \t.]*$",
    re.I | re.M,
)

# Contents page: "The Local Safeguarding Children Board (LSCB) 39".
_CONTENTS_RE = re.compile(r"^\s*Contents\s*$", re.M | re.I)
_CONTENTS_ENTRY_RE = re.compile(r"^(?P<title>.*?\D)\s*(?P<page>\d{1,3})$")
_LSCB_ENTRY_RE = re.compile(r"safeguarding\s+children(?:['’]s)?\s+board|\bLSCB\b", re.I)
_TEAM_ENTRY_RE = re.compile(r"^Information\s+about\s+(?:this|the)\b.*\b(?:inspection|review)", re.I)

# Before 2013: looked-after children / safeguarding / protection inspections.
_PRE2013_MARK_RE = re.compile(
    r"\bInspection\s+of\s+(?:looked\s+after\s+children|safeguarding\s+and\s+looked\s+after"
    r"|local\s+authority\s+arrangements\s+for\s+the\s+protection|services\s+for\s+looked\s+after)",
    re.I,
)
_AGE_GROUP_RE = re.compile(r"\bAge\s+group\s*:", re.I)
_PRE2013_TITLE_RE = re.compile(
    r"^Inspection\s+of\s+.*(?:services|children)\s+(?P<la>.{2,120})$", re.I
)
_MAIN_FINDINGS_RE = re.compile(r"Record\s+of\s+main\s+findings", re.I)
_OVERALL_ROW_RE = re.compile(rf"Overall\s+effectiveness\s*:?\s*(?P<grade>{_GRADE})", re.I)
_PRE2013_OVERALL_BODY_RE = re.compile(
    rf"Overall\s+effectiveness\b(?:\s*:?\s*(?P<g0>{_GRADE})|.{{0,200}}?(?:Grade\s*\d\s*\("
    rf"\s*(?P<g1>{_GRADE})\s*\)|\b(?:is|are)\s+(?:judged\s+to\s+be\s+)?(?P<g2>{_GRADE})))",
    re.I,
)

# Other Ofsted documents.
_FOCUSED_RE = re.compile(
    rf"(?:Focused|Monitoring)\s+visit\s+(?:to|of)\s+(?P<la>.{{2,120}}?)\s+(?:local\s+authority\s+)?children{_APOS}s"
    r"\s+services",
    re.I,
)
_BETWEEN_DATES_RE = re.compile(r"(?:^|[\s.])(?:Between|From)\s+(?=\d)")
# 'on 5 and 6 March', or in a sentence of its own: 'The visit was carried out on 19 June'.
_VISIT_DATES_RE = re.compile(
    rf"(?:children{_APOS}s\s+services|visit)(?:\s+(?:was|were)\s+(?:carried\s+out|undertaken"
    r"|conducted|held))?\s+(?:on|between)\s+",
    re.I,
)
# Letters about a council: never graded, whatever else their first page says.
_LETTER_RE = re.compile(
    r"\b(?:Focused|Monitoring)\s+visit\s+to\b|\bJoint\s+targeted\s+area\s+inspection\s+of\b"
    r"|\bArea\s+SEND\s+(?:full\s+)?inspection\s+of\b",
    re.I,
)
_LEADING_THE_RE = re.compile(r"^the\s+", re.I)
_OTHER_OFSTED_RE = re.compile(
    rf"focused\s+visit|monitoring\s+visit|joint\s+targeted\s+area|area\s+SEND|SEND\s+inspection"
    rf"|\bOfsted\b|Majesty{_APOS}s\s+(?:Chief\s+)?Inspector|safeguarding\s+children\s+board",
    re.I,
)

_HTML_RE = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_TITLE_TAG_RE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_SPACE_RE = re.compile(r"\s+")
_INLINE_SPACE_RE = re.compile(r"[^\S\n]+")
_PAGE_NUMBER_RE = re.compile(r"^\d{1,3}\s+")
_NAME_ZONE = 250  # a name printed above the title sits within the first few lines
_COVER_MAX = 400  # a cover page before page 1 carries a few words, no report text

_ERR_PASSWORD = 4  # FPDF_ERR_PASSWORD
_ERR_SECURITY = 5  # FPDF_ERR_SECURITY (unsupported security handler)


# --------------------------------------------------------------------------------------------
# Page text, read lazily.


class _Pages:
    """Lazy, cached page text: a layout pays only for the pages it actually looks at.

    Text comes from `read(index)`, so the layouts can be exercised on plain strings in tests.
    """

    def __init__(self, count: int, read: Callable[[int], str]) -> None:
        self._read = read
        self._lines: dict[int, list[str]] = {}
        self._flat: dict[int, str] = {}
        self.count = count

    def lines(self, index: int) -> list[str]:
        """Non-empty, stripped lines of one page (soft hyphens made visible)."""
        if index not in self._lines:
            self._lines[index] = _clean_lines(self._read(index))
        return self._lines[index]

    def text(self, index: int) -> str:
        return "\n".join(self.lines(index))

    def flat(self, index: int) -> str:
        """The page as one single-spaced line, so that wrapped phrases still match."""
        if index not in self._flat:
            self._flat[index] = " ".join(self.lines(index))
        return self._flat[index]


def _pdf_reader(doc: pdfium.PdfDocument, name: str) -> Callable[[int], str]:
    """Text of one page, closing pdfium's page objects at once to keep memory flat."""

    def read(index: int) -> str:
        try:
            page = doc[index]
            try:
                textpage = page.get_textpage()
                try:
                    return textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise ReportError(
                f"{name} is a damaged PDF whose page {index + 1} cannot be read ({exc})"
            ) from exc

    return read


# pdfium joins a word broken at a line-end hyphen with U+FFFE (sometimes U+0002). Between two
# lower-case letters, with no further hyphen in the word, it broke one word ('chil-dren',
# 'im-provement'): rejoin it. Elsewhere the hyphen was printed ('Stoke-on-Trent' broken after
# 'on-', 'Southend-' / 'on-Sea'): keep it.
# The rare character comes first in the pattern, so that the scan for it is fast.
_BROKEN_WORD_RE = re.compile(r"[\ufffe\x02](?<=[a-z][\ufffe\x02])(?=[a-z]+(?![a-z\-\ufffe\x02]))")
# A soft hyphen inside a line marks where a word may break but did not: it prints nothing.
_INNER_SOFT_HYPHEN_RE = re.compile(r"\u00ad(?=[^\S\n]*\w)")


def _clean_lines(raw: str) -> list[str]:
    if "\ufffe" in raw or "\x02" in raw:  # absent from most pages: skip the regex pass there
        raw = _BROKEN_WORD_RE.sub("", raw)
    if "\u00ad" in raw:
        raw = _INNER_SOFT_HYPHEN_RE.sub("", raw)
    raw = raw.replace("\ufffe", "-").replace("\x02", "-").replace("\u00ad", "-")
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    # One pass over the page, not one per line: runs of any other whitespace become one space.
    raw = _INLINE_SPACE_RE.sub(" ", raw)
    return [stripped for line in raw.split("\n") if (stripped := line.strip())]


# --------------------------------------------------------------------------------------------
# Small parsers.


def _grade(text: str | None) -> str | None:
    """'Requires Improvement to be good' -> 'requires_improvement'; 'Not judged' -> None."""
    if not text:
        return None
    g = _SPACE_RE.sub(" ", text.strip().lower())
    if g.startswith("require"):
        return "requires_improvement"
    if g == "not judged":
        return None
    return g if g in GRADES else None


def _inspection_dates(flat: str) -> tuple[date | None, date | None]:
    m = _INSPECTION_DATES_RE.search(flat)
    return date_span(flat[m.end() :]) if m else (None, None)


def _published(flat: str) -> date | None:
    for m in _PUBLISHED_RE.finditer(flat):
        d = single_date(flat[m.end() :])
        if d:
            return d
    return None


def _lead_inspector(text: str) -> str | None:
    """'Lead inspector: Steve Lowe, Her Majesty's Inspector' -> 'Steve Lowe' (line-based text).

    The name may run on to the next line ('Lead inspector: Helen' / 'Cawston HMI'), or the
    label may share its line with other text, when the name is read as capitalised words.
    """
    for m in _LEAD_RE.finditer(text):
        following = text[m.end() + 1 :].split("\n", 1)[0]
        for rest in (m["rest"], f"{m['rest']} {following}"):
            name = _person(_CO_INSPECTOR_RE.sub("", rest))  # team lists may share a line
            if name:
                return name
    for m in _LEAD_INLINE_RE.finditer(text):
        name = _person(_NAME_STOP_RE.sub("", m["name"]))
        if name:
            return name
    return None


def _person(text: str) -> str | None:
    name = _INSPECTOR_SUFFIX_RE.sub("", text).strip(" ,;:")
    return name if _PERSON_RE.match(name) else None


def _join_name(lines: Iterable[str]) -> str | None:
    """Join a name printed over several lines ('Royal Borough of Kingston upon' + 'Thames')."""
    name = _LEADING_THE_RE.sub("", _SPACE_RE.sub(" ", " ".join(lines)).strip())
    return name or None


def _pair_rows(region: str, rows: tuple[tuple[str, re.Pattern[str]], ...]) -> dict[str, str | None]:
    """Pair each row label in a judgement table with its grade.

    Normally each label is followed by its grade (on the same line or the next). If the text
    came out column by column (all labels, then all grades), the grades are zipped in order.
    """
    found: list[tuple[int, int, str]] = []
    for key, pattern in rows:
        m = pattern.search(region)
        if m:
            found.append((m.start(), m.end(), key))
    found.sort()
    result: dict[str, str | None] = {}
    missing = False
    for i, (_, end, key) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(region)
        g = _GRADE_RE.search(region, end, stop)
        if g:
            result[key] = _grade(g.group())
        else:
            missing = True
    if missing and found:
        grades = _GRADE_RE.findall(region, found[-1][1])
        if len(grades) >= len(found):
            result = {key: _grade(g) for (_, _, key), g in zip(found, grades, strict=False)}
    return result


# --------------------------------------------------------------------------------------------
# Layouts.


@dataclass
class _Draft:
    """Mutable fields gathered while parsing; frozen into a ParsedReport at the end."""

    framework: str = "other"
    authority: str | None = None
    start: date | None = None
    end: date | None = None
    published: date | None = None
    lead: str | None = None
    overall: str | None = None
    judgements: dict[str, str] = field(default_factory=dict)
    signal: Signal | None = None

    def freeze(self, pages: int) -> ParsedReport:
        return ParsedReport(
            framework=self.framework,
            authority=self.authority,
            inspection_start=self.start,
            inspection_end=self.end,
            published=self.published,
            lead_inspector=self.lead,
            overall=self.overall,
            judgements=self.judgements,
            pages=pages,
            signal=self.signal,
        )


def _header(pages: _Pages, first: int) -> _Draft:
    """Fields printed the same way on every family's first page."""
    flat = pages.flat(first)
    start, end = _inspection_dates(flat)
    return _Draft(
        start=start,
        end=end,
        published=_published(flat),
        lead=_lead_inspector(pages.text(first)),
    )


def _parse_ilacs(pages: _Pages, first: int, name: str) -> _Draft:
    """ILACS: the facts are on page 1 (the Judgement/Grade table and the lines above it); the
    body's section headings and running header are then read to confirm them."""
    draft = _header(pages, first)
    flat = pages.flat(first)
    head = _ILACS_MARK_RE.search(flat)
    table = _ilacs_table(flat, head) if head else None
    ran_on = False
    if table is not None and "overall" not in _pair_rows(table, _ILACS_ROWS):
        # the table's last rows run on to page 2, under its header (and any repeated header)
        top = _table_run_on(pages, first)
        rows_at = _ILACS_ROW_START_RE.search(top)  # past the running header's dates
        if rows_at:
            longer = f"{table} {_ilacs_run(top, rows_at.start())}"
            if "overall" in _pair_rows(longer, _ILACS_ROWS):
                table, ran_on = longer, True
    if head and (table is None or "overall" not in _pair_rows(table, _ILACS_ROWS)):
        table = _ilacs_table_to_overall(flat, head.start())  # a row worded as no label above
    rows = _pair_rows(table, _ILACS_ROWS) if table else {}
    if not rows.get("overall") and head:
        rows = _adjacent_rows(flat)
    if not rows.get("overall"):
        raise ReportError(
            f"{name} looks like an ILACS report but its layout is not recognised: "
            "no 'Overall effectiveness' grade in the judgement table on page 1"
        )
    draft.overall = rows.pop("overall", None)
    draft.judgements = {k: v for k, v in rows.items() if v}
    separate = "in_care" in rows or "care_leavers" in rows
    draft.framework = "ilacs_2023" if separate else "ilacs_2018"
    draft.authority = _ilacs_authority(flat) or _ilacs_header_authority(pages, first)
    _check_dates(draft, _running_header_dates(pages, first), name)
    areas = _ILACS_2023_AREAS if separate else _ILACS_2018_AREAS
    _check_judgements(draft.judgements, _ilacs_body(pages, first, areas, ran_on), name)
    return draft


_ILACS_LABEL_RE = re.compile(_ILACS_LABEL, re.I)
_ADJACENT_GRADE_RE = re.compile(rf"[\d*†¹²³⁴⁵]{{0,2}}\s*:?\s*(?P<grade>{_GRADE})", re.I)


def _adjacent_rows(flat: str) -> dict[str, str | None]:
    """A table laid out beside the summary (two columns) comes out with prose between its
    rows, so no unbroken run holds it. Each row is then a whole label with its grade right
    after it; a label followed by prose is not read, so a grade word in the summary is never
    taken for a row's grade."""
    rows: dict[str, str | None] = {}
    for m in _ILACS_LABEL_RE.finditer(flat):
        g = _ADJACENT_GRADE_RE.match(flat, m.end())
        if not g:
            continue
        for key, pattern in _ILACS_ROWS:
            if key not in rows and pattern.search(m.group()):
                rows[key] = _grade(g["grade"])
                break
    return rows


def _table_run_on(pages: _Pages, first: int) -> str:
    """The top of page 2 without its running header and before 'What needs to improve':
    where a judgement table that fills page 1 prints its last rows and the overall grade."""
    if first + 1 >= pages.count:
        return ""
    top = pages.flat(first + 1)
    header = _RUNNING_HEADER_RE.match(top)
    top = top[header.end() :] if header else top
    end = _ILACS_PAGE2_END_RE.search(top)
    return top[: end.start()] if end else top


def _ilacs_table(flat: str, head: re.Match[str]) -> str | None:
    """The judgement table's text: the unbroken run of row labels, grades and header words
    ('Judgement', 'Grade', 'Area') that holds the table's mark, wherever the overall row falls
    and whichever order the rows, or the label and grade columns, came out in. The run starts
    at the first label or header word before the mark from which it reaches the mark; prose
    (the summary under the table) ends it. A 'Overall Good effectiveness' read across a centred
    cell is put back as 'Overall effectiveness Good'."""
    for begin in _ILACS_ROW_START_RE.finditer(flat, max(0, head.start() - 600)):
        if begin.start() > head.start():
            break
        if _token_run(flat, begin.start()) >= head.end():
            return _ilacs_run(flat, begin.start())
    return None


def _ilacs_table_to_overall(flat: str, start: int) -> str | None:
    """The older reading, kept for a table whose rows are worded as no label above: from the
    mark to 'Overall effectiveness' and its grade (the overall row last). If pdfium emitted
    the label column before the grade column, the table runs on for one grade per label."""
    overall = _ILACS_OVERALL_RE.search(flat, start)
    if not overall:
        return None
    labels = flat[start : overall.start()]
    if _GRADE_RE.search(labels):
        return flat[start : overall.end()]
    wanted = 1 + sum(1 for _, pattern in _ILACS_ROWS if pattern.search(labels))
    grades = list(islice(_GRADE_RE.finditer(flat, overall.start()), wanted))
    return flat[start : grades[-1].end()]


def _ilacs_run(text: str, pos: int) -> str:
    """The run of table tokens from `pos`, its overall label made whole."""
    region = text[pos : _token_run(text, pos)]
    return _ILACS_OVERALL_SPLIT_RE.sub(r"Overall effectiveness \g<grade>", region)


def _token_run(flat: str, pos: int) -> int:
    """Where a run of table tokens starting at `pos` ends."""
    while True:
        split = _ILACS_OVERALL_SPLIT_RE.match(
            flat, pos + len(flat[pos:]) - len(flat[pos:].lstrip())
        )
        if split:
            pos = split.end()
            continue
        m = _ILACS_TOKEN_RE.match(flat, pos)
        if not m or m.end() == pos:
            return pos
        pos = m.end()


def _ilacs_authority(flat: str) -> str | None:
    old = _ILACS_OLD_TITLE_RE.search(flat, 0, _NAME_ZONE)  # 2018-19: name above the title
    if old:
        return _name_before(flat, old.start())
    m = _ILACS_TITLE_RE.search(flat)
    if not m:
        return None
    # a title split by the page header ('Inspection of X local' 'Ofsted' '1' 'authority ...')
    la = _TITLE_NOISE_RE.sub(" ", f" {m['la']} ")
    la = _LOCAL_TAIL_RE.sub("", la.strip())
    return _join_name([la]) if la and not _GENERIC_LA_RE.fullmatch(la) else None


_TITLE_NOISE_RE = re.compile(r"\s(?:Ofsted|\d{1,3})(?=\s)")
_LOCAL_TAIL_RE = re.compile(r"(?:\s+local(?:\s+authority)?)+$", re.I)
# 'Inspection of local authority children's services': the council is then named only in the
# running header of the later pages
_GENERIC_LA_RE = re.compile(r"(?:the\s+)?(?:local(?:\s+authority)?)?", re.I)


def _ilacs_header_authority(pages: _Pages, first: int) -> str | None:
    """The council from the running header ('Inspection of X local authority children's
    services') of the pages after page 1, when page 1's title does not name it."""
    for i in range(first + 1, min(first + 3, pages.count)):
        name = _ilacs_authority(pages.flat(i)[:300])
        if name:
            return name
    return None


def _name_before(flat: str, end: int) -> str | None:
    """The text before a title on the first page, less the printed page number ('1')."""
    return _join_name([_PAGE_NUMBER_RE.sub("", flat[:end].strip() + " ")])


def _above_title(flat: str) -> str | None:
    """SIF and LSCB review: the name is printed above the report title."""
    title = _SIF_TITLE_START_RE.search(flat, 0, _NAME_ZONE)
    return _name_before(flat, title.start()) if title else None


def _parse_sif(pages: _Pages, first: int, name: str) -> _Draft:
    """SIF: grades on page 1; LSCB grade and inspection team found through the contents page."""
    draft = _header(pages, first)
    draft.framework = "sif"
    draft.authority = _above_title(pages.flat(first))
    flat = pages.flat(first)
    overall = _SIF_OVERALL_RE.search(flat)
    if not overall:
        raise ReportError(
            f"{name} looks like a single inspection framework report but its layout is not "
            "recognised: no overall judgement sentence on page 1"
        )
    draft.overall = _grade(overall["grade"])
    named = overall["la"] or overall["la2"]
    if not draft.authority and named:  # no name above the title: use the sentence's
        draft.authority = _join_name([named])
    region = flat[overall.end() :]
    lscb_here = _LSCB_GRADE_RE.search(region) or _LSCB_HEADING_RE.search(
        pages.text(first)[_line_offset(pages.text(first), overall["grade"]) :]
    )
    cut = region.find(_SPACE_RE.sub(" ", lscb_here.group())) if lscb_here else -1
    grid = region[:cut] if cut >= 0 else region
    rows = _pair_rows(grid, _SIF_ROWS)
    if not rows:  # the grid printed above the overall sentence
        rows = _numbered_rows(flat[: overall.start()], list(_SIF_ROWS))
    if not rows and first + 1 < pages.count:  # a cover page pushed the grid over
        over = _pair_rows(pages.flat(first + 1), _SIF_ROWS)
        rows = over if len(over) >= 3 else rows  # fewer would be narrative, not the grid
    elif len(rows) < len(_SIF_ROWS) and first + 1 < pages.count:
        top = _grid_continued(pages.flat(first + 1))
        rows.update(_numbered_rows(top, [r for r in _SIF_ROWS if r[0] not in rows]))
        if lscb_here is None:
            lscb_here = _LSCB_GRADE_RE.search(top)
    if not rows:
        raise ReportError(
            f"{name} looks like a single inspection framework report but its layout is not "
            "recognised: no numbered judgement grid on page 1"
        )
    draft.judgements = {k: v for k, v in rows.items() if v}
    contents = _Contents(pages, first)
    _check_judgements(draft.judgements, _sif_body(pages, contents), name)
    if _LSCB_REVIEW_RE.search(flat):
        lscb = _grade(lscb_here["grade"]) if lscb_here else _lscb_grade(pages, contents)
        if lscb:
            draft.judgements["lscb"] = lscb
    if not draft.lead:
        draft.lead = _team_lead(pages, contents)
    return draft


def _line_offset(text: str, needle: str) -> int:
    """Where the line holding `needle` starts in line-based text (0 if it is not there)."""
    at = text.find(needle)
    return text.rfind("\n", 0, at) + 1 if at >= 0 else 0


def _grid_continued(flat: str) -> str:
    """The top of page 2 up to its first narrative heading: where a long grid runs on."""
    end = _SIF_PAGE2_END_RE.search(flat)
    return flat[: end.start()] if end else flat[:600]


_EXPERIENCES_RE = re.compile(r"(?:The\s+)?experiences\s+and\s+progress\s+of\s+$", re.I)


def _numbered_rows(region: str, rows: list[tuple[str, re.Pattern[str]]]) -> dict[str, str | None]:
    """Grid rows that carry their number ('2.2', '3.') and a grade right after the label."""
    found: dict[str, str | None] = {}
    for key, pattern in rows:
        for m in pattern.finditer(region):
            # '1. Experiences and progress of children who need help and protection'
            lead = _EXPERIENCES_RE.search(region, max(0, m.start() - 40), m.start())
            at = lead.start() if lead else m.start()
            if not _ROW_NUMBER_RE.search(region, max(0, at - 8), at):
                continue
            g = _GRADE_RE.match(
                region, m.end() + 1 if region[m.end() : m.end() + 1] == " " else m.end()
            )
            if g and _grade(g.group()):
                found[key] = _grade(g.group())
                break
    return found


# --------------------------------------------------------------------------------------------
# Second readings: the body's section headings and running headers, read independently of the
# first page, must give the same judgements and dates. A reading that finds nothing is silent
# (a short document, an unusual heading); only a reading that finds something else is a conflict.

# ILACS section headings end in the grade, after a colon from 2019: 'The experiences and progress
# of children in care: good'; some early ones put a verb before it ('... help and protection is
# inadequate', '... care leavers are: good'), which is allowed only after the heading's full wording
# so that a sentence starting 'Children in care are good at ...' is not taken for one. They are
# looked for from page 2 on, after the table.
_ILACS_BODY = tuple(
    (
        key,
        re.compile(
            r"^(?:The\s+)?(?:(?:experiences\s+and\s+progress\s+of\s+)?"
            + label
            + r"\s*:?|"
            + (label if key == "leaders" else r"experiences\s+and\s+progress\s+of\s+" + label)
            + r"\s+(?:is|are)\s*:?)"
            + rf"\s*(?P<grade>{_GRADE})",
            re.I | re.M,
        ),
    )
    for key, label in (
        (
            "leaders",
            r"impact\s+of\s+leaders\s+on\s+social\s+work(?:\s+practice)?"
            r"(?:\s+with\s+children(?:\s+and\s+families)?)?",
        ),
        ("help_and_protection", r"children\s+who\s+need\s+help\s+and\s+protection"),
        ("in_care_and_care_leavers", r"children\s+in\s+care\s+and\s+care\s+leavers"),
        ("in_care", r"children\s+in\s+care(?!\s+and\s+care\s+leavers)"),
        ("care_leavers", r"care\s+leavers"),
    )
)
_ANY_ILACS_BODY_RE = re.compile(
    r"(?:impact\s+of\s+leaders\s+on\s+social\s+work|experiences\s+and\s+progress\s+of)"
    rf"[^:]{{0,120}}?:?\s*(?:{_GRADE})",
    re.I,
)
# The running header of page 2 on: 'Inspection of X children's services' (or an area report's
# 'Area SEND inspection report: X,') followed by the dates and the page number.
_RUNNING_HEADER_RE = re.compile(
    rf"^(?:\d{{1,3}}\s+)?(?:Inspection\s+of\s+.{{2,120}}?children{_APOS}s\s+(?:social\s+care\s+)?"
    r"services|Area\s+SEND\s+inspection\s+report\s*:.{2,160}?(?:Partnership,?|,))\s*",
    re.I,
)

# SIF sections: the contents page gives where each starts; the heading carries the grade
# ('Leadership, management and governance Requires improvement'), or a sentence does ('The
# graded judgement about adoption performance is that it is good').
_SIF_JUDGEMENTS_ENTRY_RE = re.compile(
    r"Inspection\s+judgements?\s+about\s+the\s+local\s+authority", re.I
)
# A section's grade is read only where a line starts with its heading (or with 'The graded
# judgement about' or 'for', spelt 'judgment' too), never from a sentence that happens to
# name the area mid-paragraph. After 'The graded judgement for', a sub-section may go by its
# short name ('The graded judgement for adoption is good', '... for care leavers is good').
_SIF_LINE_START = r"^(?:\d+\.?\s*)?"
_SIF_GRADED = r"The\s+graded\s+judge?ments?\s+(?:about|for|on)\s+(?:the\s+)?"
_SIF_BODY_VERBS = r"\s*:?\s*(?:(?:is|are|judged|to\s+be|that|it|they)\s+){0,5}"
_SIF_BODY: tuple[tuple[str, re.Pattern[str], str | None, str | None], ...] = (
    ("help_and_protection", _SIF_ROWS[0][1], None, None),
    ("sif_looked_after_permanence", _SIF_ROWS[1][1], None, None),
    ("sif_adoption", _SIF_ROWS[2][1], "sif_looked_after_permanence", r"adoption"),
    (
        "sif_care_leavers",
        re.compile(r"experiences?\s+and\s+progress\s+of\s+care\s+leavers", re.I),
        "sif_looked_after_permanence",
        r"care\s+leavers",
    ),
    ("sif_leadership", _SIF_ROWS[4][1], None, None),
)


def _running_header_dates(pages: _Pages, first: int) -> tuple[date | None, date | None]:
    """The dates in page 2's running header, if it has one."""
    if first + 1 >= pages.count:
        return None, None
    flat = pages.flat(first + 1)
    m = _RUNNING_HEADER_RE.match(flat)
    return date_span(flat[m.end() :]) if m else (None, None)


def _check_dates(draft: _Draft, other: tuple[date | None, date | None], name: str) -> None:
    """Page 1's 'Inspection dates' line against the running header; fill gaps from it."""
    start, end = other
    if start is None or end is None:
        return
    if draft.start is None and draft.end is None:
        if start != end:  # one date in a header may be the first day only: no span from it
            draft.start, draft.end = start, end
        return
    if start == end and start in (draft.start, draft.end):
        return  # some headers print one day of the inspection ('11 July 2022')
    if (draft.start, draft.end) != (start, end):
        raise ReportConflict(
            f"{name} gives two different inspection dates: {_span(draft.start, draft.end)} on "
            f"the first page but {_span(start, end)} in the running header; recorded for "
            "review, neither is stored"
        )


def _span(start: date | None, end: date | None) -> str:
    return f"{_iso(start) or '?'} to {_iso(end) or '?'}"


def _check_judgements(first: dict[str, str], body: dict[str, tuple[str, int]], name: str) -> None:
    """Every area the body grades must have the same grade in the table, and vice versa."""
    problems = []
    for area, (grade, page) in sorted(body.items()):
        table = first.get(area)
        if table != grade:
            shown = f"'{table}'" if table else "no grade"
            problems.append(
                f"{area} is {shown} in the judgement table but '{grade}' in the section heading "
                f"on page {page + 1}"
            )
    if problems:
        raise ReportConflict(
            f"{name}: the judgement table and the report's sections disagree ("
            + "; ".join(problems)
            + "); recorded for review, neither is stored"
        )


def _ilacs_body(
    pages: _Pages, first: int, areas: Iterable[str], ran_on: bool = False
) -> dict[str, tuple[str, int]]:
    """Each area's grade from its section heading, every page read checked for every heading.

    `ran_on`: the table's last rows are at the top of page 2; they are the first reading, not
    the second, so page 2 is read for headings only after the table's overall row.

    Where page 2 carries no section heading at all (a one-page summary, a short test file), the
    body is taken to be absent and nothing more is read. Otherwise each wanted area's heading is
    looked for where such headings usually fall first (`_ILACS_HEADING_AT`), then outward from
    there: every page after the previous heading may still be read, so only the order changes,
    and a body without the heading costs what a front-to-back reading would.
    """
    found: dict[str, tuple[str, int]] = {}
    read: set[int] = set()

    def visit(i: int) -> None:
        read.add(i)
        text = pages.text(i)  # headings start a line: a sentence naming an area is not one
        table_end = _ILACS_OVERALL_RE.search(text) if ran_on and i == first + 1 else None
        text = text[table_end.end() :] if table_end else text
        for key, pattern in _ILACS_BODY:
            m = pattern.search(text)
            grade = _grade(m["grade"]) if m else None
            if grade and (key not in found or i < found[key][1]):
                found[key] = (grade, i)

    body = first + 1
    if body >= pages.count:
        return found
    if not _ANY_ILACS_BODY_RE.search(pages.flat(body)) and pages.count - first <= 2:
        return found
    visit(body)
    span = pages.count - 1 - first
    for key in sorted(areas, key=_ILACS_HEADING_ORDER.index):
        if key in found:
            continue
        after = max([body] + [page for _, page in found.values()])
        guess = first + round(_ILACS_HEADING_AT[key] * span)
        for i in _outward(after, pages.count, guess):
            if i not in read:
                visit(i)
                if key in found:
                    break
    return found


# Where an ILACS section heading usually falls, as a share of the pages after the first (measured
# on the shared reports: 9 to 15 pages, headings in this order). It sets the reading order only.
_ILACS_HEADING_ORDER = (
    "help_and_protection",
    "in_care_and_care_leavers",
    "in_care",
    "care_leavers",
    "leaders",
)
_ILACS_HEADING_AT = {
    "help_and_protection": 0.12,
    "in_care_and_care_leavers": 0.37,
    "in_care": 0.36,
    "care_leavers": 0.55,
    "leaders": 0.72,
}


def _outward(lo: int, hi: int, guess: int) -> Iterator[int]:
    """Every page index in [lo, hi), nearest to `guess` first (later pages first on a tie)."""
    if lo >= hi:
        return
    guess = min(max(guess, lo), hi - 1)
    yield guess
    for step in range(1, hi - lo):
        for i in (guess + step, guess - step):
            if lo <= i < hi:
                yield i


def _sif_body(pages: _Pages, contents: _Contents) -> dict[str, tuple[str, int]]:
    """Each SIF area's grade from its section, found through the contents page.

    The three top-level sections come first (the contents page gives where they start); adoption
    and care leavers are sub-sections of the looked-after section, so they lie between its start
    and the leadership section's, and are looked for outward from where they usually fall there
    (`_SIF_SUBSECTION_AT`): every page of that stretch may still be read, only the order changes.
    """
    found: dict[str, tuple[str, int]] = {}
    starts: dict[str, int] = {}  # where each section's heading is, graded or 'not judged'
    section = contents.pages_for(_SIF_JUDGEMENTS_ENTRY_RE)  # older reports: one entry for all
    after = section[0] if section else None
    for key, label, parent, _ in _SIF_BODY:
        if parent is not None:
            continue
        candidates: Iterable[int] = contents.pages_for(label)
        if not candidates and after is not None:  # one entry for all: where it usually is
            guess = round(_SIF_SECTION_AT[key] * pages.count)
            candidates = _outward(after, min(after + 24, pages.count), guess)
        page = _sif_heading(pages, key, _sif_probe(label, None), candidates, found)
        if page is not None:
            after = starts[key] = page
    if "sif_looked_after_permanence" not in starts:
        return found
    start = starts["sif_looked_after_permanence"]
    lead = starts.get("sif_leadership")
    end = lead if lead is not None else min(start + 14, pages.count - 1)
    for key, label, parent, short in _SIF_BODY:
        if parent is None:
            continue
        guess = start + round(_SIF_SUBSECTION_AT[key] * (end - start))
        probe = _sif_probe(label, short)
        page = _sif_heading(pages, key, probe, _outward(start, end + 1, guess), found)
        if page is not None:
            start = page  # care leavers follow adoption
    return found


# Where a top-level SIF section usually starts, as a share of the report's pages, for reports whose
# contents page has one entry for all judgements (2014-2015; measured on the shared reports).
_SIF_SECTION_AT = {
    "help_and_protection": 0.0,  # the first section: where the entry points
    "sif_looked_after_permanence": 0.45,
    "sif_leadership": 0.73,
}
# Where the looked-after section's sub-sections usually fall, as a share of the pages from its
# start to the leadership section (measured on the shared reports); it sets the reading order.
_SIF_SUBSECTION_AT = {"sif_adoption": 0.5, "sif_care_leavers": 0.72}


def _sif_probe(label: re.Pattern[str], short: str | None) -> re.Pattern[str]:
    """A line that starts with the area's heading (or its short name after 'The graded
    judgement for') and goes on to its grade."""
    heading = (
        rf"(?:{_SIF_GRADED})?(?:The\s+)?(?:experiences?\s+and\s+progress\s+of\s+)?{label.pattern}"
    )
    if short:
        heading = rf"(?:{heading}|{_SIF_GRADED}{short})"
    return re.compile(
        _SIF_LINE_START + heading + _SIF_BODY_VERBS + rf"(?P<grade>{_GRADE})", re.I | re.M
    )


def _sif_heading(
    pages: _Pages,
    key: str,
    probe: re.Pattern[str],
    candidates: Iterable[int],
    found: dict[str, tuple[str, int]],
) -> int | None:
    """The first candidate page where the probe (a heading and its grade) matches a line.

    A section 'not judged' is found (its page anchors the sub-sections) but gives no grade.
    """
    for i in candidates:
        if not 0 <= i < pages.count:
            continue
        m = probe.search(pages.text(i))
        if m:
            grade = _grade(m["grade"])
            if grade:
                found[key] = (grade, i)
            return i
    return None


def _parse_lscb_review(pages: _Pages, first: int) -> _Draft:
    """Stand-alone LSCB review (2015-2018): framework 'other', only the LSCB is judged."""
    draft = _header(pages, first)
    draft.authority = _above_title(pages.flat(first))
    contents = _Contents(pages, first)
    lscb = _LSCB_GRADE_RE.search(pages.flat(first))
    grade = _grade(lscb["grade"]) if lscb else _lscb_grade(pages, contents)
    if grade:
        draft.judgements["lscb"] = grade
    if not draft.lead:
        draft.lead = _team_lead(pages, contents)
    return draft


class _Contents:
    """The contents page of a long report, read only when a fact lives beyond page 1."""

    def __init__(self, pages: _Pages, first: int) -> None:
        self._pages = pages
        self._first = first
        self._entries: list[tuple[str, int]] | None = None

    def entries(self) -> list[tuple[str, int]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> list[tuple[str, int]]:
        for i in range(self._first + 1, min(self._first + 6, self._pages.count)):
            text = self._pages.text(i)
            m = _CONTENTS_RE.search(text)
            if m:
                return _contents_entries(text[m.end() :].split("\n"))
        return []

    def pages_for(self, pattern: re.Pattern[str]) -> list[int]:
        """Page indexes to try for the first entry matching `pattern`, most likely first."""
        for title, printed in self.entries():
            if pattern.search(title):
                guesses = (printed - 1, printed, printed - 2, printed + 1)
                return [p for p in guesses if 0 <= p < self._pages.count]
        return []


def _contents_entries(lines: list[str]) -> list[tuple[str, int]]:
    """'The experiences and progress of ... and' + 'protection 10' -> one entry, page 10."""
    entries: list[tuple[str, int]] = []
    pending = ""
    for line in lines:
        m = _CONTENTS_ENTRY_RE.match(line)
        if m:
            entries.append(((pending + " " + m["title"]).strip(), int(m["page"])))
            pending = ""
        else:
            pending = (pending + " " + line).strip()
    return entries


def _search_pages(
    pages: _Pages, candidates: Iterable[int], probe: re.Pattern[str]
) -> re.Match[str] | None:
    """First match of `probe` over the candidate pages, in the order given."""
    for i in dict.fromkeys(candidates):
        if 0 <= i < pages.count:
            m = probe.search(pages.flat(i))
            if m:
                return m
    return None


def _lscb_grade(pages: _Pages, contents: _Contents) -> str | None:
    """The LSCB section's grade: at the page the contents give, else scan the back half."""
    listed = contents.pages_for(_LSCB_ENTRY_RE)
    m = _search_pages(pages, listed, _LSCB_GRADE_RE)
    if not m:  # stated only in the section's heading
        m = _search_lines(pages, listed, _LSCB_HEADING_RE)
    if not m:
        m = _search_pages(pages, range(pages.count // 3, pages.count), _LSCB_GRADE_RE)
    if not m:
        m = _search_lines(pages, range(pages.count // 3, pages.count), _LSCB_HEADING_RE)
    return _grade(m["grade"]) if m else None


def _search_lines(
    pages: _Pages, candidates: Iterable[int], probe: re.Pattern[str]
) -> re.Match[str] | None:
    """Like _search_pages, on the line-based text (for patterns anchored on whole lines)."""
    for i in dict.fromkeys(candidates):
        if 0 <= i < pages.count:
            m = probe.search(pages.text(i))
            if m:
                return m
    return None


def _team_lead(pages: _Pages, contents: _Contents) -> str | None:
    """'Lead inspector: X' in 'Information about this inspection', normally near the end."""
    for candidates in (
        contents.pages_for(_TEAM_ENTRY_RE),
        range(pages.count - 1, max(pages.count - 5, 0), -1),
        range(pages.count - 5, 0, -1),
    ):
        for i in candidates:
            if 0 <= i < pages.count:
                name = _lead_inspector(pages.text(i))
                if name:
                    return name
    return None


def _parse_pre2013(pages: _Pages, first: int, name: str) -> _Draft:
    """Pre-2013 inspections: a cover page, then the 'Record of main findings' at the back."""
    draft = _header(pages, first)
    draft.framework = "pre_2013"
    draft.authority = _pre2013_authority(pages.flat(first))
    draft.overall = _pre2013_overall(pages)
    if not draft.overall:
        raise ReportError(
            f"{name} looks like a pre-2013 inspection report but its layout is not "
            "recognised: no 'Overall effectiveness' grade found"
        )
    return draft


def _pre2013_authority(flat: str) -> str | None:
    """The cover prints the title, then the council, then 'Inspection dates'."""
    dates = _INSPECTION_DATES_RE.search(flat)
    m = _PRE2013_TITLE_RE.match(flat[: dates.start()].strip()) if dates else None
    return _join_name([m["la"]]) if m else None


def _pre2013_overall(pages: _Pages) -> str | None:
    """The 'Record of main findings' table on the last pages, else the first graded section.

    Where a report grades both safeguarding and looked-after services, the first 'Overall
    effectiveness' (safeguarding) is taken, in the table and in the body alike.
    """
    last = pages.count - 1
    for i in (last, last - 1):
        grade = _main_findings_overall(pages, i)
        if grade:
            return grade
    m = _search_pages(pages, range(1, min(pages.count, 14)), _PRE2013_OVERALL_BODY_RE)
    if m:
        return _grade(m["g0"] or m["g1"] or m["g2"])
    for i in range(last - 2, 0, -1):
        grade = _main_findings_overall(pages, i)
        if grade:
            return grade
    return None


def _main_findings_overall(pages: _Pages, index: int) -> str | None:
    if index < 1:
        return None
    flat = pages.flat(index)
    found = _MAIN_FINDINGS_RE.search(flat)
    row = _OVERALL_ROW_RE.search(flat, found.end()) if found else None
    return _grade(row["grade"]) if row else None


def _parse_other(pages: _Pages, first: int, name: str) -> _Draft:
    """Letters and area reports (ungraded): dates, name, and what they found (their signal)."""
    draft = _header(pages, first)
    flat = pages.flat(first)
    visit = _FOCUSED_RE.search(flat)
    if visit:
        draft.authority = _join_name([visit["la"]])
        on = _VISIT_DATES_RE.search(flat, visit.start())  # the match may be the sentence
        if on and not draft.start:
            draft.start, draft.end = date_span(flat[on.end() :])
    if not draft.start:  # JTAI and older area SEND letters: 'Between 4 and 8 March 2018, ...'
        between = _BETWEEN_DATES_RE.search(flat)
        if between:
            draft.start, draft.end = date_span(flat[between.end() :])
    draft.signal, named = read_signal(pages, first)
    draft.authority = draft.authority or named
    if draft.signal and draft.signal.kind == "area_send":  # dates printed twice: must agree
        _check_dates(draft, _running_header_dates(pages, first), name)
    return draft


# --------------------------------------------------------------------------------------------
# Entry points.


def parse_report(data: bytes, *, name: str = "report") -> ParsedReport:
    """Parse one report's PDF bytes; raise ReportError for anything not readable as a report."""
    _check_bytes(data, name)
    doc = _open(data, name)
    try:
        return _parse_pages(_Pages(len(doc), _pdf_reader(doc, name)), name)
    finally:
        doc.close()


def _parse_texts(texts: list[str], *, name: str = "report") -> ParsedReport:
    """Parse a report given as page texts (what pdfium would return); for tests and reuse."""
    return _parse_pages(_Pages(len(texts), texts.__getitem__), name)


def _parse_pages(pages: _Pages, name: str) -> ParsedReport:
    if pages.count == 0:
        raise ReportError(f"{name} is a PDF with no pages")
    first = _first_text_page(pages, name)
    return _dispatch(pages, first, name).freeze(pages.count)


def _dispatch(pages: _Pages, first: int, name: str) -> _Draft:
    """Pick the layout from the first page, most specific marker first.

    Letters come before the weaker markers because they quote other reports' wording. A short
    first page that names no layout may be a cover: the report's page 1 is then the next one.
    """
    flat = pages.flat(first)
    layout = _layout(flat)
    if layout is None and len(flat) < _COVER_MAX and first + 1 < pages.count:
        after = _layout(pages.flat(first + 1))
        if after is not None:
            first, flat, layout = first + 1, pages.flat(first + 1), after
    if layout is not None:
        return layout(pages, first, name)
    if _OTHER_OFSTED_RE.search(flat) or (
        pages.count > first + 1 and _OTHER_OFSTED_RE.search(pages.flat(first + 1))
    ):
        return _parse_other(pages, first, name)
    opening = flat[:60].rstrip()
    raise ReportError(
        f"{name} is a PDF whose layout is not recognised as an Ofsted report "
        f"(page {first + 1} begins '{opening}')"
    )


def _layout(flat: str) -> Callable[[_Pages, int, str], _Draft] | None:
    """The parser a first page's markers call for, or None when it names no layout."""
    sif_title = _SIF_TITLE_RE.search(flat[:400])
    if sif_title and not _ILACS_OVERALL_RE.search(flat) and not _LETTER_RE.search(flat):
        return _parse_sif  # a SIF grid may carry a 'Judgement Grade' header row too
    if _ILACS_HEADER_RE.search(flat) or (
        _ILACS_MARK_RE.search(flat) and _ILACS_OVERALL_RE.search(flat)
    ):
        return _parse_ilacs
    if _LETTER_RE.search(flat):
        return _parse_other
    if _ILACS_MARK_RE.search(flat):
        return _parse_ilacs  # a table row without its grades: an error
    if _SIF_TITLE_RE.search(flat[:400]) or _SIF_GRID_RE.search(flat):
        return _parse_sif
    if _LSCB_REVIEW_RE.search(flat):
        return lambda pages, first, name: _parse_lscb_review(pages, first)
    if _PRE2013_MARK_RE.search(flat) or _AGE_GROUP_RE.search(flat):
        return _parse_pre2013
    return None


def _first_text_page(pages: _Pages, name: str) -> int:
    """Index of the first page with text among the first two; scanned PDFs have none."""
    for i in range(min(2, pages.count)):
        if pages.lines(i):
            return i
    raise ReportError(
        f"{name} is a PDF with no extractable text on its first pages "
        "(probably scanned images), so it cannot be read"
    )


def _check_bytes(data: bytes, name: str) -> None:
    """Reject what is plainly not a PDF before pdfium sees it, saying what it is instead."""
    if not data:
        raise ReportError(f"{name} is an empty file (0 bytes), not a PDF")
    if b"%PDF-" in data[:1024]:
        return
    head = data[:65536]
    if _HTML_RE.search(head):
        title = _TITLE_TAG_RE.search(head)
        if title:
            text = html.unescape(title.group(1).decode("utf-8", "replace"))
            text = _SPACE_RE.sub(" ", text).strip()
            raise ReportError(f"{name} is an HTML page titled '{text}', not a PDF")
        raise ReportError(f"{name} is an HTML page without a title, not a PDF")
    kind = _sniff(head)
    raise ReportError(f"{name} is {kind}, not a PDF (it has no %PDF- header)")


def _sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (perhaps an Office document)"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image file"
    sample = head[:2048]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data"
    printable = sum(32 <= b < 127 or b in b"\r\n\t" for b in sample)
    return "a text file" if printable >= 0.95 * len(sample) else "binary data"


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == _ERR_PASSWORD:
            raise ReportError(f"{name} is an encrypted PDF that needs a password to open") from exc
        if code == _ERR_SECURITY:
            raise ReportError(
                f"{name} is a PDF protected by an unsupported security handler"
            ) from exc
        raise ReportError(
            f"{name} starts like a PDF but is truncated or corrupt, so it cannot be opened"
        ) from exc


def parse_report_file(path: str | Path) -> dict:
    """One line of `cswatch parse-report --json`: the facts, or `file` and `error`. Never raises."""
    shown = str(path)
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return {"file": shown, "error": f"{name} cannot be read from disk ({reason})"}
    try:
        report = parse_report(data, name=name)
    except ReportError as exc:
        return {"file": shown, "error": str(exc)}
    except Exception as exc:  # one odd file must not sink a batch of hundreds
        return {
            "file": shown,
            "error": f"{name} could not be parsed because of an unexpected "
            f"{exc.__class__.__name__} in the extractor",
        }
    return {"file": shown, **report.to_json()}
