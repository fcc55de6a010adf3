"""Report PDFs made at test time, in the layouts Ofsted uses, for the variants the shared files
lack: several date spans, odd dashes, a SIF grid running on to page 2, reworded sentences,
letters of every kind, and reports whose two readings disagree.

Written with reportlab (a real PDF writer: real fonts, real text objects, wrapped lines) so that
pdfium reads them as it reads Ofsted's. Every wording here is our own.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # ships with reportlab
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # has box-drawing dashes
_FILLER = (
    "Inspectors spoke with children, families, social workers and managers, and read the "
    "records of the work done with them over the months before the inspection."
)


def _font(unicode_dashes: bool) -> str:
    """A TrueType font name registered with reportlab; DejaVu when box-drawing is needed."""
    if unicode_dashes:
        if not _DEJAVU.exists():
            raise FileNotFoundError(f"{_DEJAVU} is needed for box-drawing characters")
        name, path = "DejaVuSans", _DEJAVU
    else:
        name, path = "Vera", _VERA
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, os.fspath(path)))
    return name


def has_box_drawing_font() -> bool:
    return _DEJAVU.exists()


def pdf(pages: Sequence[Sequence[str]], *, unicode_dashes: bool = False) -> bytes:
    """A PDF with one page per item; each string is a paragraph, wrapped to the page width."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    font = _font(unicode_dashes)
    width, height = A4
    for lines in pages:
        y = height - 60
        for paragraph in lines:
            for line in simpleSplit(paragraph, font, 10, width - 120) or [""]:
                c.setFont(font, 10)
                c.drawString(60, y, line)
                y -= 13
                if y < 50:
                    break
            y -= 4
        c.showPage()
    c.save()
    return out.getvalue()


GRADE_WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}


def _word(grade: str, lower: bool = False) -> str:
    word = GRADE_WORDS[grade]
    return word.lower() if lower else word


# -- ILACS ----------------------------------------------------------------------------------

ILACS_LABELS = {
    "leaders": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "in_care_and_care_leavers": "The experiences and progress of children in care and care leavers",
    "in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}


@dataclass
class Ilacs:
    """An ILACS report: page 1 (title, dates, table), then one page per section."""

    authority: str
    dates: str  # as printed after 'Inspection dates:'
    overall: str
    grades: dict[str, str]  # area -> grade, in table order
    body_grades: dict[str, str] | None = None  # what the section headings say (default: same)
    header_dates: str | None = None  # the running header's dates (default: same as page 1)
    lead: str = "Sam Example, His Majesty's Inspector"
    colon: bool = True  # 'protection: good' (2019 on) or 'protection good' (2018)
    unicode_dashes: bool = False
    table_on_page_two: int | None = None  # table rows from this index on run on to page 2

    def pages(self) -> list[list[str]]:
        first = [
            f"Inspection of {self.authority} local authority children's services",
            f"Inspection dates: {self.dates}",
            f"Lead inspector: {self.lead}",
            "Judgement Grade",
        ]
        rows: list[str] = []
        for area, grade in self.grades.items():
            rows += [ILACS_LABELS[area], _word(grade)]
        rows += [f"Overall effectiveness {_word(self.overall)}"]
        split = len(rows) if self.table_on_page_two is None else 2 * self.table_on_page_two
        run_on = rows[split:]
        first += [*rows[:split], _FILLER]
        body = self.grades if self.body_grades is None else self.body_grades
        header = [
            f"Inspection of {self.authority} local authority children's services",
            f"{self.header_dates or self.dates} {{page}}",
        ]
        order = [a for a in ILACS_LABELS if a in body and a != "leaders"]
        order += ["leaders"] if "leaders" in body else []
        out = [first]
        for n, area in enumerate(order, 2):
            sep = ": " if self.colon else " "
            lines = [h.replace("{page}", str(n)) for h in header]
            if n == 2:
                lines += run_on
                lines += ["What needs to improve?", "The timeliness of plans for children."]
            lines += [f"{ILACS_LABELS[area]}{sep}{_word(body[area], lower=True)}", _FILLER]
            out.append(lines)
        return out

    def pdf(self) -> bytes:
        return pdf(self.pages(), unicode_dashes=self.unicode_dashes)


# -- SIF ------------------------------------------------------------------------------------

SIF_GRID = {
    "help_and_protection": "1. Children who need help and protection",
    "sif_looked_after_permanence": "2. Children looked after and achieving permanence",
    "sif_adoption": "2.1 Adoption performance",
    "sif_care_leavers": "2.2 Experiences and progress of care leavers",
    "sif_leadership": "3. Leadership, management and governance",
}
SIF_SECTIONS = {
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "sif_looked_after_permanence": "The experiences and progress of children looked after and "
    "achieving permanence",
    "sif_leadership": "Leadership, management and governance",
}


@dataclass
class Sif:
    """A single inspection framework report: page 1 summary and grid, contents, sections."""

    authority: str
    dates: str
    overall_sentence: str  # e.g. "Children's services in X are good"
    grades: dict[str, str]
    on_page_two: Iterable[str] = ()  # grid rows printed at the top of page 2
    lscb: str | None = None  # the LSCB grade, if reviewed
    lscb_style: str = "sentence"  # 'sentence' or 'heading' (stated only in a heading)
    lscb_lines: list[str] | None = None  # the LSCB section's own wording, if given
    body_grades: dict[str, str] | None = None
    published: str = "19 January 2018"
    lead: str = "Robin Example"

    def pages(self) -> list[list[str]]:
        title = ["Inspection of services for children in need of help and protection, children"]
        title[0] += " looked after and care leavers"
        if self.lscb:
            title += ["and", "Review of the effectiveness of the Local Safeguarding Children Board"]
        first = [
            "1",
            f"{self.authority} Council",
            *title,
            f"Inspection date: {self.dates}",
            f"Report published: {self.published}",
            self.overall_sentence,
        ]
        later = set(self.on_page_two)
        first += [f"{SIF_GRID[a]} {_word(g)}" for a, g in self.grades.items() if a not in later]
        second = ["2"]
        second += [f"{SIF_GRID[a]} {_word(g)}" for a, g in self.grades.items() if a in later]
        second += ["Executive summary", _FILLER]
        body = self.grades if self.body_grades is None else self.body_grades
        sections = [a for a in SIF_SECTIONS if a in body]
        contents = ["3", "Contents", "Executive summary 2"]
        page_of = {a: 4 + i for i, a in enumerate(sections)}
        lscb_page = 4 + len(sections)
        team_page = lscb_page + (1 if self.lscb else 0)
        contents += [f"{SIF_SECTIONS[a]} {page_of[a]}" for a in sections]
        if self.lscb:
            contents.append(f"The Local Safeguarding Children Board (LSCB) {lscb_page}")
        contents.append(f"Information about this inspection {team_page}")
        out = [first, second, contents]
        for a in sections:
            lines = [str(page_of[a]), f"{SIF_SECTIONS[a]} {_word(body[a])}", _FILLER]
            if a == "sif_looked_after_permanence":
                for sub in ("sif_adoption", "sif_care_leavers"):
                    if sub in body:
                        what = (
                            "adoption performance"
                            if sub == "sif_adoption"
                            else ("the experiences and progress of care leavers")
                        )
                        lines += [
                            f"The graded judgement about {what} is that it is "
                            f"{_word(body[sub], lower=True)}",
                            _FILLER,
                        ]
            out.append(lines)
        if self.lscb:
            heading = "The Local Safeguarding Children Board (LSCB)"
            if self.lscb_style == "heading":
                lscb_lines = [
                    f"Review of the Local Safeguarding Children Board: {_word(self.lscb)}"
                ]
            else:
                lscb_lines = [
                    heading,
                    f"The Local Safeguarding Children Board is {_word(self.lscb, lower=True)}",
                ]
            out.append([str(lscb_page), *(self.lscb_lines or lscb_lines), _FILLER])
        out.append(
            [str(team_page), "Information about this inspection", f"Lead inspector: {self.lead}"]
        )
        return out

    def pdf(self) -> bytes:
        return pdf(self.pages())


# -- letters and area reports ---------------------------------------------------------------


@dataclass
class Letter:
    """A focused or monitoring visit letter, a JTAI letter, or an area SEND report."""

    pages_text: list[list[str]] = field(default_factory=list)
    unicode_dashes: bool = False

    def pdf(self) -> bytes:
        return pdf(self.pages_text, unicode_dashes=self.unicode_dashes)


def focused_visit(council: str, dates: str, priority: list[str] | None, *, late: bool) -> Letter:
    """`priority`: the section's lines (None: no section); `late`: the section on page 2."""
    first = [
        "Ofsted",
        "Agora",
        "6 Cumberland Place",
        "Nottingham NG1 6HJ",
        "Dear Director",
        f"Focused visit to {council} children's services",
        f"This letter summarises the findings of the focused visit to {council} children's "
        f"services on {dates}. His Majesty's Inspectors for this visit were Pat One and Lee Two.",
        "Headline findings",
        _FILLER,
    ]
    second = ["2", _FILLER]
    section = ["Areas for priority action", *priority] if priority is not None else []
    tail = [
        "What needs to improve in this area of social work practice?",
        "Plans.",
        "Main findings",
    ]
    if late:
        second += section + tail
    else:
        first += section + tail
    return Letter([first, second, ["3", _FILLER, "Yours sincerely", "Pat One"]])


def monitoring_visit(council: str, dates: str, ordinal: str, headline: str) -> Letter:
    return Letter(
        [
            [
                "Dear Director",
                f"Monitoring visit to {council} children's services",
                f"This letter summarises the findings of the {ordinal} monitoring visit to "
                f"{council} children's services on {dates}. This was the {ordinal} monitoring "
                "visit since the local authority was judged inadequate.",
                "Headline findings",
                headline + " " + _FILLER,
            ],
            ["2", _FILLER],
        ]
    )


def jtai(council: str, theme: str, dates: str) -> Letter:
    return Letter(
        [
            [
                "Dear Director",
                f"Joint targeted area inspection of the multi-agency response to {theme} in "
                f"{council}",
                f"Between {dates}, Ofsted, the Care Quality Commission, His Majesty's "
                "Inspectorate of Constabulary and Fire and Rescue Services and His Majesty's "
                f"Inspectorate of Probation carried out a joint inspection in {council}.",
                _FILLER,
            ]
        ]
    )


SEND_OUTCOME_TEXT = {
    "positive": "The local area partnership's special educational needs and/or disabilities "
    "(SEND) arrangements typically lead to positive experiences and outcomes for children and "
    "young people with SEND.",
    "inconsistent": "The local area partnership's arrangements lead to inconsistent experiences "
    "and outcomes for children and young people with special educational needs and/or "
    "disabilities (SEND).",
    "systemic_failings": "There are widespread and/or systemic failings leading to significant "
    "concerns about the experiences and outcomes of children and young people with special "
    "educational needs and/or disabilities (SEND).",
}


def area_send(
    council: str, dates: str, outcome: str, next_line: str, header_dates: str | None = None
) -> Letter:
    return Letter(
        [
            [
                "Local area partnership report",
                f"Area SEND inspection of {council} Local Area Partnership",
                f"Inspection dates: {dates}",
                "Dates of previous inspection: 1 to 5 May 2017",
                "Inspection outcome",
                SEND_OUTCOME_TEXT[outcome],
                next_line,
                _FILLER,
            ],
            [
                f"Area SEND inspection report: {council} Local Area Partnership, "
                f"{header_dates or dates} 2",
                _FILLER,
            ],
        ]
    )


def area_send_2016(council: str, dates: str, statement: str | None) -> Letter:
    lines = [
        "Dear Director",
        f"Joint local area SEND inspection in {council}",
        f"Between {dates}, Ofsted and the Care Quality Commission (CQC) conducted a joint "
        f"inspection of the local area of {council} to judge the effectiveness of the area in "
        "implementing the disability and special educational needs reforms.",
    ]
    if statement:
        lines.append(statement)
    lines.append(_FILLER)
    return Letter([lines, ["2", "Main findings", _FILLER]])
