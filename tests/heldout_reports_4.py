"""Held-out set 4: 42 documents written blind (without reading the extractor, its rules or its
tests), each imitating one real Ofsted publication from 2012 to 2025, every field labelled by
hand.

Set 4 varies what an unseen year's template might change: the council named above the title
or in it ('the' prefixes, 'Royal Borough of', 'City of', 'Council of the Isles of', hyphenated
names broken over a line), a cover page before page 1, table header wording, grades with
footnote marks or other capitals, 'Requires improvement to be good' split over lines, a
judgement table drawn column by column (so the text comes out labels first, grades after) or
continued on page 2 under a repeated header, dates in every shape (abbreviated months, spans
across a month and a year, semicolons, paused inspections, a running header with only the first
day), the publication date worded several ways, lead inspectors with several titles, and four
documents whose two readings genuinely disagree (table against body heading, page 1 against
the running header), which must come out as a ReportConflict rather than a value.

Councils are made up. Wordings are ours, after the real layouts in the team's shared PDFs.
Written and committed before the extractor was run on them; bench/heldout_reports.py --set 4
prints the figures.

NO LONGER HELD OUT: after its first run (figures in tests/data/ofsted/README.md) the extractor
was fixed from its misses, so these now measure regressions, not unseen quality; one label (a
publication date mistyped by us) was corrected, noted where it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from tests import report_documents as docs
from tests.heldout_reports_3 import LETTERHEAD, LETTERHEAD_2019, Case3

D = date
FILLER = docs._FILLER
MORE = (
    "Managers know their teams and the children they work with. Supervision is regular, and "
    "its records show what was decided and why, so that plans move on without delay."
)
RI = "Requires improvement to be good"

# -- a PDF writer that can also draw a table's two columns side by side ----------------------


def pdf(pages: Sequence[Sequence[object]]) -> bytes:
    """One page per item. A string is a paragraph wrapped to the page width; ("row", label,
    grade) draws the label on the left and the grade on the right of the same line, row by row;
    ("cols", [(label, grade), ...]) draws every label first and then every grade, the way a
    table exported column by column is stored (so text extraction gives labels, then grades);
    ("small", text) is a footnote in small type."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    font = docs._font(False)
    width, height = A4
    for items in pages:
        y = height - 60
        for item in items:
            if isinstance(item, str):
                for line in simpleSplit(item, font, 10, width - 120) or [""]:
                    c.setFont(font, 10)
                    c.drawString(60, y, line)
                    y -= 13
                y -= 4
            elif item[0] == "small":
                c.setFont(font, 7)
                for line in simpleSplit(item[1], font, 7, width - 120):
                    c.drawString(60, y, line)
                    y -= 9
                y -= 4
            elif item[0] == "row":
                _, label, grade = item
                lines = simpleSplit(label, font, 10, 300)
                c.setFont(font, 10)
                for i, line in enumerate(lines):
                    c.drawString(60, y - 13 * i, line)
                c.drawString(390, y, grade)
                y -= 13 * len(lines) + 6
            elif item[0] == "cols":
                rows = item[1]
                tops = []
                c.setFont(font, 10)
                for label, grade in rows:
                    tops.append(y)
                    lines = simpleSplit(label, font, 10, 300)
                    for i, line in enumerate(lines):
                        c.drawString(60, y - 13 * i, line)
                    y -= 13 * max(len(lines), len(grade.split("\n"))) + 6
                for top, (_, grade) in zip(tops, rows, strict=True):
                    for i, line in enumerate(grade.split("\n")):
                        c.drawString(390, top - 13 * i, line)
            if y < 50:
                break
        c.showPage()
    c.save()
    return out.getvalue()


# -- ILACS ----------------------------------------------------------------------------------

HP = "The experiences and progress of children who need help and protection"
IC = "The experiences and progress of children in care"
CL = "The experiences and progress of care leavers"
ICCL = "The experiences and progress of children in care and care leavers"
LEAD = "The impact of leaders on social work practice with children and families"
COVER = [
    "Ofsted",
    "raising standards",
    "improving lives",
    "",
    "Local authority children\u2019s services",
    "Inspection report",
]


def _body(sections: list[str], header: list[str] | None, start_page: int) -> list[list[str]]:
    """One page per section heading, each under the running header (if any) or a page number."""
    out = []
    for n, heading in enumerate(sections, start_page):
        top = [header[0], f"{header[1]} {n}"] if header else [str(n)]
        out.append([*top, heading, FILLER, MORE])
    return out


def _ilacs_cases() -> Iterator[Case3]:
    # 1. Cover page first; 2018's first template (council above the title, page numbers, no
    # running header); 'Royal Borough of'; label and grade on one line, the label wrapped.
    yield Case3(
        "ilacs4-cover-royal-borough",
        pdf(
            [
                [*COVER, "Royal Borough of Wyvern"],
                [
                    "1",
                    "Royal Borough of Wyvern",
                    "Inspection of children\u2019s social care services",
                    "Inspection dates: 25 November 2019 \u2013 6 December 2019",
                    "Lead inspector: Ann Marsh",
                    "Her Majesty\u2019s Inspector",
                    ("row", "Judgement", "Grade"),
                    ("row", LEAD, "Good"),
                    ("row", HP, "Good"),
                    ("row", ICCL, "Outstanding"),
                    ("row", "Overall effectiveness", "Good"),
                    FILLER,
                ],
                ["2", "What needs to improve", "\u2022 The quality of plans.", MORE],
                *_body(
                    [f"{HP}: good", f"{ICCL}: outstanding", f"{LEAD}: good"],
                    None,
                    3,
                ),
            ]
        ),
        "ilacs_2018",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "good",
            "in_care_and_care_leavers": "outstanding",
        },
        D(2019, 11, 25),
        D(2019, 12, 6),
        authority="Royal Borough of Wyvern",
        lead_inspector="Ann Marsh",
    )
    # 2. 'the City of' in the title; 2023 framework; a Senior HMI.
    title = "Inspection of the City of Borchester local authority children\u2019s services"
    yield Case3(
        "ilacs4-city-of-senior-hmi",
        pdf(
            [
                [
                    "Inspection of the City of Borchester local",
                    "authority children\u2019s services",
                    "Inspection dates: 29 January to 9 February 2024",
                    "Lead inspector: Jo Bloggs, Senior His Majesty\u2019s Inspector",
                    "Judgement Grade",
                    "The impact of leaders on social work",
                    "practice with children and families",
                    "Good",
                    "The experiences and progress of",
                    "children who need help and protection",
                    "Good",
                    "The experiences and progress of",
                    "children in care",
                    RI,
                    "The experiences and progress of care",
                    "leavers",
                    RI,
                    "Overall effectiveness Good",
                    FILLER,
                ],
                [title, "29 January to 9 February 2024 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: good",
                        f"{IC}: requires improvement to be good",
                        f"{CL}: requires improvement to be good",
                        f"{LEAD}: good",
                    ],
                    [title, "29 January to 9 February 2024"],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "good",
            "in_care": "requires_improvement",
            "care_leavers": "requires_improvement",
        },
        D(2024, 1, 29),
        D(2024, 2, 9),
        authority="City of Borchester",
        lead_inspector="Jo Bloggs",
    )
    # 3. 'Council of the Isles of'; 2018 first template; ordinals with a spaced hyphen; the
    # grade split 'Requires improvement' / 'to be good' under a wrapped label.
    yield Case3(
        "ilacs4-council-of-isles",
        pdf(
            [
                [
                    "1",
                    "Council of the Isles of Loam",
                    "Inspection of children\u2019s social care services",
                    "Inspection dates: 3rd - 7th June 2019",
                    "Lead inspector: Kim Park",
                    "Her Majesty\u2019s Inspector",
                    "Judgement Grade",
                    "The impact of leaders on social work practice with children",
                    "and families",
                    "Requires improvement",
                    "to be good",
                    "The experiences and progress of children who need help and",
                    "protection",
                    "Requires improvement",
                    "to be good",
                    "The experiences and progress of children in care and care",
                    "leavers Good",
                    "Overall effectiveness Requires improvement",
                    "to be good",
                    FILLER,
                ],
                ["2", "What needs to improve", MORE],
                *_body(
                    [
                        f"{HP}: requires improvement to be good",
                        f"{ICCL}: good",
                        f"{LEAD}: requires improvement to be good",
                    ],
                    None,
                    3,
                ),
            ]
        ),
        "ilacs_2018",
        "requires_improvement",
        {
            "leaders": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "in_care_and_care_leavers": "good",
        },
        D(2019, 6, 3),
        D(2019, 6, 7),
        authority="Council of the Isles of Loam",
        lead_inspector="Kim Park",
    )
    # 4. A hyphenated name broken at its hyphen; an en dash with no spaces across a month;
    # 'Requires Improvement to be good' capitalised as one real report does; Ofsted Inspector.
    title = "Inspection of Stoke-on-Avon local authority children\u2019s services"
    yield Case3(
        "ilacs4-hyphenated-name",
        pdf(
            [
                [
                    "Inspection of Stoke-on-",
                    "Avon local authority children\u2019s services",
                    "Inspection dates: 30 September\u201311 October 2024",
                    "Lead inspector: Sam Lee, Ofsted Inspector",
                    "Judgement Grade",
                    "The impact of leaders on social work",
                    "practice with children and families",
                    "Requires Improvement to be good",
                    "The experiences and progress of",
                    "children who need help and protection",
                    "Requires Improvement to be good",
                    "The experiences and progress of",
                    "children in care",
                    "Good",
                    "The experiences and progress of care",
                    "leavers",
                    "Good",
                    "Overall effectiveness Requires Improvement to be good",
                    FILLER,
                ],
                [title, "30 September to 11 October 2024 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: requires improvement to be good",
                        f"{IC}: good",
                        f"{CL}: good",
                        f"{LEAD}: requires improvement to be good",
                    ],
                    [title, "30 September to 11 October 2024"],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        "requires_improvement",
        {
            "leaders": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "in_care": "good",
            "care_leavers": "good",
        },
        D(2024, 9, 30),
        D(2024, 10, 11),
        authority="Stoke-on-Avon",
        lead_inspector="Sam Lee",
    )
    # 5. The table stored column by column: the text gives every label, then every grade.
    title = "Inspection of Newtown local authority children\u2019s services"
    yield Case3(
        "ilacs4-table-columns",
        pdf(
            [
                [
                    title,
                    "Inspection dates: 13 to 24 January 2025",
                    "Lead inspector: Alex Green HMI",
                    (
                        "cols",
                        [
                            ("Judgement", "Grade"),
                            (LEAD, "Inadequate"),
                            (HP, "Requires improvement\nto be good"),
                            (IC, "Inadequate"),
                            (CL, "Requires improvement\nto be good"),
                            ("Overall effectiveness", "Inadequate"),
                        ],
                    ),
                    FILLER,
                ],
                [title, "13 to 24 January 2025 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: requires improvement to be good",
                        f"{IC}: inadequate",
                        f"{CL}: requires improvement to be good",
                        f"{LEAD}: inadequate",
                    ],
                    [title, "13 to 24 January 2025"],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        "inadequate",
        {
            "leaders": "inadequate",
            "help_and_protection": "requires_improvement",
            "in_care": "inadequate",
            "care_leavers": "requires_improvement",
        },
        D(2025, 1, 13),
        D(2025, 1, 24),
        authority="Newtown",
        lead_inspector="Alex Green",
    )
    # 6. The table continued on page 2 under the running header, its header row repeated.
    title = "Inspection of Hollerton local authority children\u2019s services"
    long_summary = " ".join([FILLER, MORE] * 5)
    yield Case3(
        "ilacs4-table-continued-header-repeated",
        pdf(
            [
                [
                    title,
                    "Inspection dates: 17 February \u2013 28 February 2025",
                    "Lead inspector: Chris Fox, His Majesty\u2019s Inspector",
                    long_summary,
                    "Judgement Grade",
                    "The impact of leaders on social work",
                    "practice with children and families",
                    "Outstanding",
                    "The experiences and progress of",
                    "children who need help and protection",
                    "Good",
                ],
                [
                    title,
                    "17 to 28 February 2025 2",
                    "Judgement Grade",
                    "The experiences and progress of",
                    "children in care",
                    "Outstanding",
                    "The experiences and progress of care",
                    "leavers",
                    "Good",
                    "Overall effectiveness Outstanding",
                    "What needs to improve?",
                    MORE,
                ],
                *_body(
                    [f"{HP}: good", f"{IC}: outstanding", f"{CL}: good", f"{LEAD}: outstanding"],
                    [title, "17 to 28 February 2025"],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        "outstanding",
        {
            "leaders": "outstanding",
            "help_and_protection": "good",
            "in_care": "outstanding",
            "care_leavers": "good",
        },
        D(2025, 2, 17),
        D(2025, 2, 28),
        authority="Hollerton",
        lead_inspector="Chris Fox",
    )
    # 7. Footnote marks on grades (a small digit after the word); weekday names; HMI after the
    # name.
    title = "Inspection of Penny Hassett local authority children\u2019s services"
    yield Case3(
        "ilacs4-footnote-grades",
        pdf(
            [
                [
                    title,
                    "Inspection dates: Monday 7 October to Friday 18 October 2019",
                    "Lead inspector: Nat King HMI",
                    "Judgement Grade",
                    LEAD,
                    "Good1",
                    HP,
                    "Requires improvement to be good2",
                    ICCL,
                    "Good",
                    "Overall effectiveness Good1",
                    FILLER,
                    ("small", "1 Judged to be good at the last inspection in 2015."),
                    ("small", "2 Judged to be inadequate at the last inspection in 2015."),
                ],
                [title, "7 October to 18 October 2019 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: requires improvement to be good",
                        f"{ICCL}: good",
                        f"{LEAD}: good",
                    ],
                    [title, "7 October to 18 October 2019"],
                    3,
                ),
            ]
        ),
        "ilacs_2018",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "requires_improvement",
            "in_care_and_care_leavers": "good",
        },
        D(2019, 10, 7),
        D(2019, 10, 18),
        authority="Penny Hassett",
        lead_inspector="Nat King",
    )
    # 8. Paused inspection, the two spans separated by a semicolon.
    title = "Inspection of Loxley Barrett local authority children\u2019s services"
    spans = "9 March to 13 March 2020; 12 October to 16 October 2020"
    yield Case3(
        "ilacs4-paused-semicolon",
        pdf(
            [
                [
                    title,
                    f"Inspection dates: {spans}",
                    "Lead inspector: Ruth Dean, Her Majesty\u2019s Inspector",
                    "Judgement Grade",
                    LEAD,
                    "Inadequate",
                    HP,
                    "Inadequate",
                    ICCL,
                    RI,
                    "Overall effectiveness Inadequate",
                    "This inspection began in March 2020 and was paused because of the "
                    "coronavirus (COVID-19) pandemic. It was completed in October 2020. " + FILLER,
                ],
                [title, f"{spans} 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: inadequate",
                        f"{ICCL}: requires improvement to be good",
                        f"{LEAD}: inadequate",
                    ],
                    [title, spans],
                    3,
                ),
            ]
        ),
        "ilacs_2018",
        "inadequate",
        {
            "leaders": "inadequate",
            "help_and_protection": "inadequate",
            "in_care_and_care_leavers": "requires_improvement",
        },
        D(2020, 3, 9),
        D(2020, 10, 16),
        authority="Loxley Barrett",
        lead_inspector="Ruth Dean",
    )
    # 9. Across a year; grades in lower case in the table; a Social Care Regulatory Inspector.
    title = "Inspection of Darrington local authority children\u2019s services"
    yield Case3(
        "ilacs4-across-year-lowercase",
        pdf(
            [
                [
                    title,
                    "Inspection dates: 11 December 2023 \u2013 12 January 2024",
                    "Lead inspector: Pat Hall, Social Care Regulatory Inspector",
                    "Judgement Grade",
                    LEAD,
                    "good",
                    HP,
                    "good",
                    IC,
                    "outstanding",
                    CL,
                    "good",
                    "Overall effectiveness good",
                    FILLER,
                ],
                [title, "11 December 2023 to 12 January 2024 2", "What needs to improve?", MORE],
                *_body(
                    [f"{HP}: good", f"{IC}: outstanding", f"{CL}: good", f"{LEAD}: good"],
                    [title, "11 December 2023 to 12 January 2024"],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "good",
            "in_care": "outstanding",
            "care_leavers": "good",
        },
        D(2023, 12, 11),
        D(2024, 1, 12),
        authority="Darrington",
        lead_inspector="Pat Hall",
    )
    # 10. As one real 2022 report: the running header already on page 1, above the title,
    # giving only the first day; 'Inspection date:' singular with a spaced en dash.
    title = "Inspection of Eastbridge City local authority children\u2019s services"
    yield Case3(
        "ilacs4-header-first-day-only",
        pdf(
            [
                [
                    title,
                    "11 July 2022",
                    "Inspection of Eastbridge City local",
                    "authority children\u2019s services",
                    "Inspection date: 11 \u2013 22 July 2022",
                    "Lead inspector: Andy Rowe, Her Majesty\u2019s Inspector",
                    "Judgement Grade",
                    "The impact of leaders on social work",
                    "practice with children and families",
                    RI,
                    "The experiences and progress of",
                    "children who need help and protection",
                    "Inadequate",
                    "The experiences and progress of",
                    "children in care and care leavers",
                    RI,
                    "Overall effectiveness Inadequate",
                    FILLER,
                ],
                [title, "11 July 2022 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: inadequate",
                        f"{ICCL}: requires improvement to be good",
                        f"{LEAD}: requires improvement to be good",
                    ],
                    [title, "11 July 2022"],
                    3,
                ),
            ]
        ),
        "ilacs_2018",
        "inadequate",
        {
            "leaders": "requires_improvement",
            "help_and_protection": "inadequate",
            "in_care_and_care_leavers": "requires_improvement",
        },
        D(2022, 7, 11),
        D(2022, 7, 22),
        authority="Eastbridge City",
        lead_inspector="Andy Rowe",
    )
    # 11. Two spans joined by 'and', the second across a month end.
    title = "Inspection of Ambridge local authority children\u2019s services"
    spans = "16 to 20 January and 30 January to 3 February 2023"
    yield Case3(
        "ilacs4-and-spans-month",
        pdf(
            [
                [
                    title,
                    f"Inspection dates: {spans}",
                    "Lead inspector: Liz Ward, His Majesty\u2019s Inspector",
                    "Judgement Grade",
                    LEAD,
                    "Good",
                    HP,
                    "Good",
                    IC,
                    "Good",
                    CL,
                    "Outstanding",
                    "Overall effectiveness Good",
                    FILLER,
                ],
                [title, f"{spans} 2", "What needs to improve?", MORE],
                *_body(
                    [f"{HP}: good", f"{IC}: good", f"{CL}: outstanding", f"{LEAD}: good"],
                    [title, spans],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "good",
            "in_care": "good",
            "care_leavers": "outstanding",
        },
        D(2023, 1, 16),
        D(2023, 2, 3),
        authority="Ambridge",
        lead_inspector="Liz Ward",
    )
    # 12. Abbreviated months on page 1; 'Requires' / 'improvement to be good' split; 'Judgement
    # area' / 'Grade awarded' header wording; HMI with a comma.
    title = "Inspection of Westshire local authority children\u2019s services"
    yield Case3(
        "ilacs4-abbreviated-months",
        pdf(
            [
                [
                    title,
                    "Inspection dates: 20 Jan \u2013 31 Jan 2025",
                    "Lead inspector: Dee Kay, HMI",
                    "Judgement area Grade awarded",
                    "The impact of leaders on social work",
                    "practice with children and families",
                    "Requires",
                    "improvement to be good",
                    "The experiences and progress of",
                    "children who need help and protection",
                    "Requires",
                    "improvement to be good",
                    "The experiences and progress of",
                    "children in care",
                    "Good",
                    "The experiences and progress of care",
                    "leavers",
                    "Requires",
                    "improvement to be good",
                    "Overall effectiveness Requires",
                    "improvement to be good",
                    FILLER,
                ],
                [title, "20 to 31 January 2025 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: requires improvement to be good",
                        f"{IC}: good",
                        f"{CL}: requires improvement to be good",
                        f"{LEAD}: requires improvement to be good",
                    ],
                    [title, "20 to 31 January 2025"],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        "requires_improvement",
        {
            "leaders": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "in_care": "good",
            "care_leavers": "requires_improvement",
        },
        D(2025, 1, 20),
        D(2025, 1, 31),
        authority="Westshire",
        lead_inspector="Dee Kay",
    )
    # Conflicts. 13. Table says children in care are good; the section heading says otherwise.
    title = "Inspection of Felpersham local authority children\u2019s services"
    yield Case3(
        "ilacs4-conflict-in-care",
        pdf(
            [
                [
                    title,
                    "Inspection dates: 4 to 15 March 2024",
                    "Lead inspector: Tom Reed, His Majesty\u2019s Inspector",
                    "Judgement Grade",
                    LEAD,
                    "Good",
                    HP,
                    "Good",
                    IC,
                    "Good",
                    CL,
                    "Good",
                    "Overall effectiveness Good",
                    FILLER,
                ],
                [title, "4 to 15 March 2024 2", "What needs to improve?", MORE],
                *_body(
                    [
                        f"{HP}: good",
                        f"{IC}: requires improvement to be good",
                        f"{CL}: good",
                        f"{LEAD}: good",
                    ],
                    [title, "4 to 15 March 2024"],
                    3,
                ),
            ]
        ),
        "ilacs_2023",
        conflict=True,
    )
    # 14. Page 1 and the running header give different weeks.
    title = "Inspection of Lakey Hill local authority children\u2019s services"
    yield Case3(
        "ilacs4-conflict-header-week",
        pdf(
            [
                [
                    title,
                    "Inspection dates: 7 to 18 October 2019",
                    "Lead inspector: Val Moss",
                    "Judgement Grade",
                    LEAD,
                    "Good",
                    HP,
                    "Good",
                    ICCL,
                    "Good",
                    "Overall effectiveness Good",
                    FILLER,
                ],
                [title, "14 to 25 October 2019 2", "What needs to improve?", MORE],
                *_body(
                    [f"{HP}: good", f"{ICCL}: good", f"{LEAD}: good"],
                    [title, "14 to 25 October 2019"],
                    3,
                ),
            ]
        ),
        "ilacs_2018",
        conflict=True,
    )
    # 15. The table says help and protection is inadequate; the section heading, wrapped over
    # two lines, says it requires improvement.
    title = "Inspection of Heydon Berrow local authority children\u2019s services"
    yield Case3(
        "ilacs4-conflict-help-heading-wrapped",
        pdf(
            [
                [
                    title,
                    "Inspection dates: 24 June to 5 July 2019",
                    "Lead inspector: Bea Hart, Her Majesty\u2019s Inspector",
                    "Judgement Grade",
                    LEAD,
                    RI,
                    HP,
                    "Inadequate",
                    ICCL,
                    RI,
                    "Overall effectiveness Inadequate",
                    FILLER,
                ],
                [title, "24 June to 5 July 2019 2", "What needs to improve?", MORE],
                [
                    title,
                    "24 June to 5 July 2019 3",
                    "The experiences and progress of children who need help and",
                    "protection: requires improvement to be good",
                    FILLER,
                ],
                *_body(
                    [
                        f"{ICCL}: requires improvement to be good",
                        f"{LEAD}: requires improvement to be good",
                    ],
                    [title, "24 June to 5 July 2019"],
                    4,
                ),
            ]
        ),
        "ilacs_2018",
        conflict=True,
    )


# -- SIF ------------------------------------------------------------------------------------

SIF_TITLE = [
    "Inspection of services for children in need of help and",
    "protection, children looked after and care leavers",
]
SIF_LSCB_TITLE = [
    "and",
    "Review of the effectiveness of the Local Safeguarding Children",
    "Board1",
]
FOOTNOTE = (
    "1 Ofsted produces this report under its power to combine reports in accordance with "
    "section 152 of the Education and Inspections Act 2006."
)
SEC_HP = "The experiences and progress of children who need help and protection"
SEC_LA = "The experiences and progress of children looked after and achieving permanence"
SEC_LEAD = "Leadership, management and governance"
SEC_LSCB = "The Local Safeguarding Children Board (LSCB)"


def _sif(
    first: list[object],
    sections: list[list[str]],
    lead: str,
    second: list[object] | None = None,
    cover: list[object] | None = None,
) -> bytes:
    """A cover (if given), page 1 as given (and page 2 if given), a contents page, one page
    per body section (its first line the section title, as the contents page names it), and
    the team page; page numbers count from page 1, not the cover."""
    pages: list[list[object]] = [first]
    if second:
        pages.append(second)
    n0 = len(pages) + 2
    contents = [str(len(pages) + 1), "Contents", "Executive summary 2"]
    contents += [f"{s[0]} {n0 + i}" for i, s in enumerate(sections)]
    contents += [f"Information about this inspection {n0 + len(sections)}"]
    pages.append(contents)
    for i, lines in enumerate(sections):
        pages.append([str(n0 + i), *lines, FILLER, MORE])
    pages.append(
        [
            str(n0 + len(sections)),
            "Information about this inspection",
            FILLER,
            "The inspection team",
            *lead.split("\n"),
            "Team inspectors: Pat One, Lee Two, Sam Three",
        ]
    )
    return pdf([cover, *pages] if cover else pages)


def _sif_cases() -> Iterator[Case3]:
    # 1. 'Royal Borough of ... Council' above the title, wrapped; the overall sentence wrapped
    # with 'the'; the LSCB grade on page 1 as a sentence.
    yield Case3(
        "sif4-royal-borough-council",
        _sif(
            [
                "1",
                "Royal Borough of Wyvern",
                "Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 22 May 2015 \u2013 18 June 2015",
                "Report published: 3 August 2015",
                "Children\u2019s services in the Royal Borough of Wyvern",
                "are good",
                FILLER,
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving",
                "permanence",
                "Good",
                "2.1 Adoption performance Outstanding",
                "2.2 Experiences and progress of care leavers Good",
                "3. Leadership, management and governance Good",
                "The Local Safeguarding Children Board is good.",
                ("small", FOOTNOTE),
            ],
            [
                [SEC_HP, "Good"],
                [
                    SEC_LA,
                    "Good",
                    "The graded judgement about adoption performance is that it is outstanding",
                    "The graded judgement about the experiences and progress of care leavers is "
                    "that it is good",
                ],
                [SEC_LEAD, "Good"],
                [SEC_LSCB, "The effectiveness of the LSCB is good"],
            ],
            "Lead inspector: Gail Rudd",
        ),
        "sif",
        "good",
        {
            "help_and_protection": "good",
            "sif_looked_after_permanence": "good",
            "sif_adoption": "outstanding",
            "sif_care_leavers": "good",
            "sif_leadership": "good",
            "lscb": "good",
        },
        D(2015, 5, 22),
        D(2015, 6, 18),
        authority="Royal Borough of Wyvern Council",
        published=D(2015, 8, 3),
        lead_inspector="Gail Rudd",
    )
    # 2. Re-inspection, no LSCB; 'Date of publication'; 'require improvement to be good' in
    # the sentence; a Senior HMI.
    yield Case3(
        "sif4-reinspection-publication-date",
        _sif(
            [
                "1",
                "Loamshire County Council",
                "Re-inspection of services for children in need of help and",
                "protection, children looked after and care leavers",
                "Inspection date: 6 November \u2013 30 November 2017",
                "Date of publication: 29 January 2018",
                "Children\u2019s services in Loamshire require improvement to be good",
                FILLER,
                "1. Children who need help and protection Requires improvement",
                "2. Children looked after and achieving",
                "permanence",
                "Good",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "3. Leadership, management and governance Requires improvement",
            ],
            [
                [SEC_HP, "Requires improvement"],
                [SEC_LA, "Good"],
                [SEC_LEAD, "Requires improvement"],
            ],
            "Lead inspector: Rob Stone, Senior HMI",
        ),
        "sif",
        "requires_improvement",
        {
            "help_and_protection": "requires_improvement",
            "sif_looked_after_permanence": "good",
            "sif_adoption": "good",
            "sif_care_leavers": "requires_improvement",
            "sif_leadership": "requires_improvement",
        },
        D(2017, 11, 6),
        D(2017, 11, 30),
        authority="Loamshire County Council",
        # labelled 19 January at the first run, a slip: the page prints 29 January
        published=D(2018, 1, 29),
        lead_inspector="Rob Stone",
    )
    # 3. The grid runs on to page 2; the LSCB grade on page 2 after the grid.
    yield Case3(
        "sif4-grid-on-page-two",
        _sif(
            [
                "1",
                "Metropolitan Borough of Hollerton",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 16 September \u2013 8 October 2014",
                "Report published: 19 November 2014",
                "The overall judgement is that children\u2019s services are inadequate",
                " ".join([FILLER, MORE] * 4),
                "The judgements on areas of the service that contribute to overall "
                "effectiveness are:",
                "1. Children who need help and protection Inadequate",
                "2. Children looked after and achieving",
                "permanence",
                "Inadequate",
            ],
            [
                [SEC_HP, "Inadequate"],
                [
                    SEC_LA,
                    "Inadequate",
                    "The graded judgement about adoption performance is that it requires "
                    "improvement",
                    "The graded judgement about the experiences and progress of care leavers is "
                    "that it is inadequate",
                ],
                [SEC_LEAD, "Inadequate"],
                [SEC_LSCB, "The effectiveness of the LSCB requires improvement"],
            ],
            "Lead inspector: Jo Marsh HMI",
            second=[
                "2",
                "2.1 Adoption performance Requires improvement",
                "2.2 Experiences and progress of care leavers Inadequate",
                "3. Leadership, management and governance Inadequate",
                "The effectiveness of the Local Safeguarding Children Board (LSCB)",
                "requires improvement",
                ("small", FOOTNOTE),
            ],
        ),
        "sif",
        "inadequate",
        {
            "help_and_protection": "inadequate",
            "sif_looked_after_permanence": "inadequate",
            "sif_adoption": "requires_improvement",
            "sif_care_leavers": "inadequate",
            "sif_leadership": "inadequate",
            "lscb": "requires_improvement",
        },
        D(2014, 9, 16),
        D(2014, 10, 8),
        authority="Metropolitan Borough of Hollerton",
        published=D(2014, 11, 19),
        lead_inspector="Jo Marsh",
    )
    # 4. 'Not judged' rows (left out); across a year; 'Published on'.
    yield Case3(
        "sif4-not-judged-across-year",
        _sif(
            [
                "1",
                "Borsetshire",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 30 November 2015 \u2013 7 January 2016",
                "Published on: 26 February 2016",
                "The overall judgement is that children\u2019s services are good",
                FILLER,
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving",
                "permanence",
                "Good",
                "2.1 Adoption performance Not judged",
                "2.2 Experiences and progress of care leavers Not judged",
                "3. Leadership, management and governance Good",
                "The effectiveness of the Local Safeguarding Children Board (LSCB)",
                "is good",
                ("small", FOOTNOTE),
            ],
            [
                [SEC_HP, "Good"],
                [SEC_LA, "Good"],
                [SEC_LEAD, "Good"],
                [SEC_LSCB, "The effectiveness of the LSCB is good"],
            ],
            "Lead inspector: Mo Shah",
        ),
        "sif",
        "good",
        {
            "help_and_protection": "good",
            "sif_looked_after_permanence": "good",
            "sif_leadership": "good",
            "lscb": "good",
        },
        D(2015, 11, 30),
        D(2016, 1, 7),
        authority="Borsetshire",
        published=D(2016, 2, 26),
        lead_inspector="Mo Shah",
    )
    # 5. Grades split 'Requires' / 'improvement' (as a real 2014 report); 'The overall judgement
    # is requires improvement.'; LSCB title in lower case.
    yield Case3(
        "sif4-grades-split-lowercase-lscb",
        _sif(
            [
                "1",
                "Borchester City Council",
                *SIF_TITLE,
                "and",
                "Review of the effectiveness of the local safeguarding children",
                "board1",
                "Inspection date: 11 March 2014 \u2013 2 April 2014",
                "Report published: 14 May 2014",
                "The overall judgement is requires improvement.",
                FILLER,
                "1. Children who need help and protection Requires",
                "improvement",
                "2. Children looked after and achieving permanence Requires",
                "improvement",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers",
                "Requires",
                "improvement",
                "3. Leadership, management and governance Requires",
                "improvement",
                "The effectiveness of the Local Safeguarding Children Board (LSCB)",
                "requires improvement.",
                ("small", FOOTNOTE),
            ],
            [
                [SEC_HP, "require improvement"],
                [SEC_LA, "require improvement"],
                [SEC_LEAD, "require improvement"],
                [SEC_LSCB, "The effectiveness of the LSCB requires improvement"],
            ],
            "Lead inspector: Sue Field",
        ),
        "sif",
        "requires_improvement",
        {
            "help_and_protection": "requires_improvement",
            "sif_looked_after_permanence": "requires_improvement",
            "sif_adoption": "good",
            "sif_care_leavers": "requires_improvement",
            "sif_leadership": "requires_improvement",
            "lscb": "requires_improvement",
        },
        D(2014, 3, 11),
        D(2014, 4, 2),
        authority="Borchester City Council",
        published=D(2014, 5, 14),
        lead_inspector="Sue Field",
    )
    # 6. 'Inspection dates' plural with both years; 'Children's services in X are inadequate';
    # the LSCB grade as 'Local Safeguarding Children Board: Inadequate'.
    yield Case3(
        "sif4-lscb-colon-grade",
        _sif(
            [
                "1",
                "London Borough of Loxley",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection dates: 3 November 2015 \u2013 26 November 2015",
                "Report published: 22 January 2016",
                "Children\u2019s services in the London Borough of Loxley are inadequate",
                FILLER,
                "1. Children who need help and protection Inadequate",
                "2. Children looked after and achieving",
                "permanence",
                "Requires improvement",
                "2.1 Adoption performance Requires improvement",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "3. Leadership, management and governance Inadequate",
                "Local Safeguarding Children Board: Inadequate",
                ("small", FOOTNOTE),
            ],
            [
                [SEC_HP, "Inadequate"],
                [SEC_LA, "Requires improvement"],
                [SEC_LEAD, "Inadequate"],
                [SEC_LSCB, "The effectiveness of the LSCB is inadequate"],
            ],
            "Lead inspector: Ian Cole HMI",
        ),
        "sif",
        "inadequate",
        {
            "help_and_protection": "inadequate",
            "sif_looked_after_permanence": "requires_improvement",
            "sif_adoption": "requires_improvement",
            "sif_care_leavers": "requires_improvement",
            "sif_leadership": "inadequate",
            "lscb": "inadequate",
        },
        D(2015, 11, 3),
        D(2015, 11, 26),
        authority="London Borough of Loxley",
        published=D(2016, 1, 22),
        lead_inspector="Ian Cole",
    )
    # 7. A cover page before page 1; an outstanding authority; the lead an HMI on the next line.
    yield Case3(
        "sif4-cover-outstanding",
        _sif(
            [
                "1",
                "Westbury Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 9 January 2017 \u2013 2 February 2017",
                "Report published: 28 March 2017",
                "Children\u2019s services in Westbury are outstanding",
                FILLER,
                "1. Children who need help and protection Outstanding",
                "2. Children looked after and achieving",
                "permanence",
                "Outstanding",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Outstanding",
                "3. Leadership, management and governance Outstanding",
                "The effectiveness of the Local Safeguarding Children Board (LSCB) is good",
                ("small", FOOTNOTE),
            ],
            [
                [SEC_HP, "Outstanding"],
                [SEC_LA, "Outstanding"],
                [SEC_LEAD, "Outstanding"],
                [SEC_LSCB, "The effectiveness of the LSCB is good"],
            ],
            "Lead inspector: Carol Hunt\nHer Majesty\u2019s Inspector",
            cover=[*COVER, "Westbury Council"],
        ),
        "sif",
        "outstanding",
        {
            "help_and_protection": "outstanding",
            "sif_looked_after_permanence": "outstanding",
            "sif_adoption": "good",
            "sif_care_leavers": "outstanding",
            "sif_leadership": "outstanding",
            "lscb": "good",
        },
        D(2017, 1, 9),
        D(2017, 2, 2),
        authority="Westbury Council",
        published=D(2017, 3, 28),
        lead_inspector="Carol Hunt",
    )
    # 8. Conflict: the grid says help and protection is good, its section says inadequate.
    yield Case3(
        "sif4-conflict-help",
        _sif(
            [
                "1",
                "Eastshire County Council",
                *SIF_TITLE,
                "Inspection date: 13 June 2016 \u2013 5 July 2016",
                "Report published: 19 August 2016",
                "Children\u2019s services in Eastshire require improvement to be good",
                FILLER,
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving",
                "permanence",
                "Requires improvement",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "3. Leadership, management and governance Requires improvement",
            ],
            [
                [SEC_HP, "Inadequate"],
                [SEC_LA, "Requires improvement"],
                [SEC_LEAD, "Requires improvement"],
            ],
            "Lead inspector: Dan Price",
        ),
        "sif",
        conflict=True,
    )


# -- before the single inspection framework -------------------------------------------------

SCALE = [
    "All inspection judgements are made using the following four point scale.",
    "Outstanding (Grade 1) A service that significantly exceeds minimum requirements",
    "Good (Grade 2) A service that exceeds minimum requirements",
    "Adequate (Grade 3) A service that only meets minimum requirements",
    "Inadequate (Grade 4) A service that does not meet minimum requirements",
]
COPYRIGHT = [
    "\u00a9 Crown copyright 2013",
    "Website: www.ofsted.gov.uk",
    "This document may be reproduced in whole or in part for non-commercial purposes.",
]


def _pre_2013_cases() -> Iterator[Case3]:
    # 1. 2013 looked after children: 'Reporting inspector:' with a colon and ', HMI'; a
    # copyright page before the contents.
    running = "Wyvern County Council Inspection of looked after children services"
    yield Case3(
        "pre4-lac-2013-copyright",
        pdf(
            [
                [
                    "Inspection of looked after children",
                    "services",
                    "Wyvern County Council",
                    "Inspection dates: 10 \u2013 21 June 2013",
                    "Reporting inspector: Lyn Cross, HMI",
                    "Age group: All",
                    "Published: 26 July 2013",
                ],
                COPYRIGHT,
                [f"{running} 1", "Contents", "About this inspection 2", "Overall effectiveness 4"],
                [f"{running} 2", "About this inspection", FILLER, *SCALE],
                [
                    f"{running} 4",
                    "Overall effectiveness of services for looked after",
                    "children and young people",
                    "Grade 2 (Good)",
                    "6. The overall effectiveness of services for looked after children and young "
                    "people is good. " + FILLER,
                    "Capacity to improve",
                    "Grade 2 (Good)",
                ],
                [
                    f"{running} 12",
                    "Record of main findings",
                    "Overall effectiveness Good",
                    "Capacity to improve Good",
                ],
            ]
        ),
        "pre_2013",
        "good",
        {},
        D(2013, 6, 10),
        D(2013, 6, 21),
        authority="Wyvern County Council",
        published=D(2013, 7, 26),
        lead_inspector="Lyn Cross",
    )
    # 2. 2013 protection of children, inadequate; dates with both months written.
    running = "Inspection of local authority arrangements for the protection of children"
    yield Case3(
        "pre4-protection-2013-inadequate",
        pdf(
            [
                [
                    "Inspection of local authority",
                    "arrangements for the protection of",
                    "children",
                    "Royal Borough of Ambridge",
                    "Inspection dates: 29 April 2013 \u2013 10 May 2013",
                    "Lead inspector: Ben Ash HMI",
                    "Age group: All",
                    "Published: 14 June 2013",
                ],
                [f"{running} 1", "Contents", "About this inspection 2", "Overall effectiveness 4"],
                [f"{running} 2", "About this inspection", FILLER, *SCALE],
                [
                    f"{running} 4",
                    "Overall effectiveness",
                    "Overall effectiveness Inadequate",
                    "8. The overall effectiveness of the arrangements to protect children in the "
                    "Royal Borough of Ambridge is inadequate. " + FILLER,
                ],
            ]
        ),
        "pre_2013",
        "inadequate",
        {},
        D(2013, 4, 29),
        D(2013, 5, 10),
        authority="Royal Borough of Ambridge",
        published=D(2013, 6, 14),
        lead_inspector="Ben Ash",
    )
    # 3. 2012 looked after children, adequate; 'Grade 3 (Adequate)'.
    running = "City of Felpersham Council Inspection of looked after children services"
    yield Case3(
        "pre4-lac-2012-adequate",
        pdf(
            [
                [
                    "Inspection of looked after children",
                    "services",
                    "City of Felpersham Council",
                    "Inspection dates: 5 \u2013 16 November 2012",
                    "Reporting inspector Amy Fenn HMI",
                    "Age group: All",
                    "Published: 21 December 2012",
                ],
                [f"{running} 1", "Contents", "About this inspection 2", "Overall effectiveness 4"],
                [f"{running} 2", "About this inspection", FILLER, *SCALE],
                [
                    f"{running} 4",
                    "Overall effectiveness of services for looked after",
                    "children and young people",
                    "Grade 3 (Adequate)",
                    "7. The overall effectiveness of services for looked after children and young "
                    "people is adequate. " + FILLER,
                    "Capacity to improve",
                    "Grade 2 (Good)",
                ],
                [
                    f"{running} 12",
                    "Record of main findings",
                    "Overall effectiveness Adequate",
                    "Capacity to improve Good",
                ],
            ]
        ),
        "pre_2013",
        "adequate",
        {},
        D(2012, 11, 5),
        D(2012, 11, 16),
        authority="City of Felpersham Council",
        published=D(2012, 12, 21),
        lead_inspector="Amy Fenn",
    )


# -- letters and area reports ---------------------------------------------------------------


def _letter_cases() -> Iterator[Case3]:
    # Focused visits. 1. 2018: dated address block, inspectors named 'X HMI'; no section.
    yield Case3(
        "focused4-2018-address-none",
        pdf(
            [
                [
                    "22 February 2018",
                    "Mr Tom Forrest",
                    "Director of Children and Families",
                    "County Hall",
                    "Loamshire",
                    "LM1 3DL",
                    "Dear Mr Forrest",
                    "Focused visit to Loamshire County Council children\u2019s services",
                    "This letter summarises the findings of a focused visit to Loamshire County "
                    "Council children\u2019s services on 30 and 31 January 2018. The inspectors "
                    "were Kim Park HMI and Lee Two HMI.",
                    "Inspectors looked at the local authority\u2019s arrangements for children "
                    "in care.",
                    "Overview",
                    FILLER,
                ],
                ["2", "What needs to improve in this area of social work practice", MORE],
                ["3", FILLER, "Yours sincerely", "Kim Park", "Her Majesty\u2019s Inspector"],
            ]
        ),
        "other",
        start=D(2018, 1, 30),
        end=D(2018, 1, 31),
        signal={"kind": "focused_visit", "priority_action": "none"},
        authority="Loamshire County Council",
    )
    # 2. 2020: a single day; priority actions on page 2 as a numbered list.
    yield Case3(
        "focused4-2020-single-day-found",
        pdf(
            [
                [
                    *LETTERHEAD_2019[:6],
                    "Textphone 0161 618 8524",
                    *LETTERHEAD_2019[6:],
                    "27 February 2020",
                    "Dear Ms Snell",
                    "Focused visit to Eastbridge City Council children\u2019s services",
                    "This letter summarises the findings of a focused visit to Eastbridge City "
                    "Council children\u2019s services on 4 February 2020. The inspectors were Pat "
                    "One, Her Majesty\u2019s Inspector, and Lee Two, Her Majesty\u2019s Inspector.",
                    "Overview",
                    FILLER,
                    MORE,
                ],
                [
                    "2",
                    "Areas for priority action",
                    "1. The quality and timeliness of assessments for children in need.",
                    "2. Management oversight of child protection plans that do not progress.",
                    "What needs to improve in this area of social work practice",
                    MORE,
                ],
                ["3", "Findings", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2020, 2, 4),
        end=D(2020, 2, 4),
        signal={"kind": "focused_visit", "priority_action": "found"},
        authority="Eastbridge City Council",
    )
    # 3. 2025: a stray template line in the address; the earlier area for priority action
    # remains, no new ones.
    yield Case3(
        "focused4-2025-remain",
        pdf(
            [
                [
                    "6 November 2025",
                    "Jan Gent",
                    "Director of Children\u2019s Services",
                    "Westshire Council",
                    "Insert LA Address",
                    "Dear Ms Gent",
                    "Focused visit to Westshire children\u2019s services",
                    "This letter summarises the findings of the focused visit to Westshire "
                    "children\u2019s services on 7 and 8 October 2025. His Majesty\u2019s "
                    "Inspectors for this visit were Rae Fair and Bex Tuck.",
                    "This visit was carried out in line with the inspection of local authority "
                    "children\u2019s services (ILACS) framework.",
                    "Headline findings",
                    FILLER,
                    "Area for priority action",
                    "At the last inspection in May 2024, inspectors identified an area for "
                    "priority action about the response to children at risk of exploitation. "
                    "This continues to be an area for priority action. No further areas for "
                    "priority action were identified at this visit.",
                ],
                ["2", "What needs to improve in this area of social work practice?", MORE],
                ["3", "Main findings", FILLER, "Yours sincerely", "Rae Fair"],
            ]
        ),
        "other",
        start=D(2025, 10, 7),
        end=D(2025, 10, 8),
        signal={"kind": "focused_visit", "priority_action": "remain"},
        authority="Westshire",
    )
    # 4. 'the London Borough of'; across a month; one area for priority action in a paragraph.
    yield Case3(
        "focused4-london-borough-found",
        pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Mr Hale",
                    "Focused visit to the London Borough of Hollerton children\u2019s services",
                    "This letter summarises the findings of the focused visit to the London "
                    "Borough of Hollerton children\u2019s services on 30 November and 1 December "
                    "2021. Her Majesty\u2019s Inspectors for this visit were Pat One and Lee Two.",
                    "Headline findings",
                    FILLER,
                    "Area for priority action",
                    "Leaders must make sure that children who go missing from care are offered a "
                    "return home interview and that what they say informs their plans.",
                    "What needs to improve in this area of social work practice?",
                    MORE,
                ],
                ["2", "Main findings", FILLER, MORE],
                ["3", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2021, 11, 30),
        end=D(2021, 12, 1),
        signal={"kind": "focused_visit", "priority_action": "found"},
        authority="London Borough of Hollerton",
    )
    # 5. '... County Council local authority children's services' (as a real 2024 letter);
    # three inspectors; no section.
    yield Case3(
        "focused4-county-council-local-authority",
        pdf(
            [
                [
                    "27 February 2024",
                    "Sal Hammond",
                    "Corporate Director \u2013 Children, Young People and Education",
                    "Dear Ms Hammond",
                    "Focused visit to Eastshire County Council local authority children\u2019s "
                    "services",
                    "This letter summarises the findings of the focused visit to Eastshire County "
                    "Council local authority children\u2019s services on 23 and 24 January 2024. "
                    "His Majesty\u2019s Inspectors for this visit were Amy Max, Russ Brey and "
                    "Bec Dubb.",
                    "Headline findings",
                    FILLER,
                    "What needs to improve in this area of social work practice?",
                    MORE,
                ],
                ["2", "Main findings", FILLER, "Yours sincerely", "Amy Max"],
            ]
        ),
        "other",
        start=D(2024, 1, 23),
        end=D(2024, 1, 24),
        signal={"kind": "focused_visit", "priority_action": "none"},
        authority="Eastshire County Council",
    )
    # Monitoring visits. 6. 2019, third visit named in the first sentence, headline under
    # 'Overview'.
    headline = "Progress in improving services for children has been too slow."
    yield Case3(
        "monitoring4-third-overview",
        pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "Dear Mrs Carter",
                    "Monitoring visit to Eastbridge children\u2019s services",
                    "This letter summarises the findings of the third monitoring visit to "
                    "Eastbridge children\u2019s services on 5 and 6 March 2019. The local "
                    "authority was judged inadequate in May 2018. The inspectors were Pat One "
                    "and Lee Two, Her Majesty\u2019s Inspectors.",
                    "Overview",
                    f"{headline} {FILLER}",
                    "Findings and evaluation of progress",
                    MORE,
                ],
                ["2", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2019, 3, 5),
        end=D(2019, 3, 6),
        signal={"kind": "monitoring_visit", "visit_number": 3, "headline": headline},
        authority="Eastbridge",
    )
    # 7. 'fifth' in a later sentence; across a month end.
    headline = "Leaders have strengthened the front door, and children now get help sooner."
    yield Case3(
        "monitoring4-fifth-across-month",
        pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Monitoring visit to Borsetshire children\u2019s services",
                    "This letter summarises the findings of the monitoring visit to Borsetshire "
                    "children\u2019s services on 28 February and 1 March 2023. This visit was the "
                    "fifth monitoring visit since the local authority was judged inadequate in "
                    "November 2021. His Majesty\u2019s Inspectors for this visit were Pat One and "
                    "Lee Two.",
                    "Areas covered by the visit",
                    MORE,
                    "Headline findings",
                    f"{headline} {FILLER}",
                ],
                ["2", "Findings and evaluation of progress", FILLER, "Yours sincerely"],
            ]
        ),
        "other",
        start=D(2023, 2, 28),
        end=D(2023, 3, 1),
        signal={"kind": "monitoring_visit", "visit_number": 5, "headline": headline},
        authority="Borsetshire",
    )
    # 8. 'Royal Borough of'; digits with an en dash; 'second'.
    headline = "The local authority has made some progress since the inspection in 2021."
    yield Case3(
        "monitoring4-second-royal-borough",
        pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Monitoring visit to Royal Borough of Wyvern children\u2019s services",
                    "This letter summarises the findings of the monitoring visit to Royal "
                    "Borough of Wyvern children\u2019s services on 12\u201313 September 2022. "
                    "This was the second monitoring visit since the local authority was judged "
                    "inadequate in November 2021.",
                    "Headline findings",
                    f"{headline} {FILLER}",
                ],
                ["2", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2022, 9, 12),
        end=D(2022, 9, 13),
        signal={"kind": "monitoring_visit", "visit_number": 2, "headline": headline},
        authority="Royal Borough of Wyvern",
    )
    # JTAIs. 9. 2017 'abuse and neglect'.
    yield Case3(
        "jtai4-abuse-and-neglect",
        pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "Dear Director",
                    "Joint targeted area inspection of the multi-agency response to abuse and "
                    "neglect in Hollerton",
                    "Between 2 and 6 October 2017, Ofsted, the Care Quality Commission (CQC), "
                    "HMI Constabulary and Fire and Rescue Services (HMICFRS) and HMI Probation "
                    "(HMIP) undertook a joint inspection of the multi-agency response to abuse "
                    "and neglect in Hollerton.",
                    FILLER,
                ],
                ["2", MORE],
            ]
        ),
        "other",
        start=D(2017, 10, 2),
        end=D(2017, 10, 6),
        signal={"kind": "jtai", "theme": "abuse and neglect", "theme_key": "neglect"},
        authority="Hollerton",
    )
    # 10. 2019: 'From ... to', the title broken after 'response to'.
    yield Case3(
        "jtai4-mental-health-wrapped",
        pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Joint targeted area inspection of the multi-agency response to",
                    "children\u2019s mental health in Westshire",
                    "From 2 to 6 December 2019, Ofsted, the Care Quality Commission (CQC), HMI "
                    "Constabulary and Fire and Rescue Services (HMICFRS) and HMI Probation "
                    "(HMIP) carried out a joint inspection of the multi-agency response to "
                    "children\u2019s mental health in Westshire.",
                    FILLER,
                ],
                ["2", MORE],
            ]
        ),
        "other",
        start=D(2019, 12, 2),
        end=D(2019, 12, 6),
        signal={
            "kind": "jtai",
            "theme": "children\u2019s mental health",
            "theme_key": "mental_health",
        },
        authority="Westshire",
    )
    # 11. 2024: 'the London Borough of'.
    yield Case3(
        "jtai4-syv-london-borough",
        pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Joint targeted area inspection of the multi-agency response to serious "
                    "youth violence in the London Borough of Penny Hassett",
                    "From 11 to 15 November 2024, Ofsted, the Care Quality Commission (CQC), His "
                    "Majesty\u2019s Inspectorate of Constabulary and Fire and Rescue Services "
                    "(HMICFRS) and His Majesty\u2019s Inspectorate of Probation (HMIP) carried "
                    "out a joint targeted area inspection of the multi-agency response to "
                    "serious youth violence in the London Borough of Penny Hassett.",
                    FILLER,
                ],
                ["2", MORE],
            ]
        ),
        "other",
        start=D(2024, 11, 11),
        end=D(2024, 11, 15),
        signal={
            "kind": "jtai",
            "theme": "serious youth violence",
            "theme_key": "serious_youth_violence",
        },
        authority="London Borough of Penny Hassett",
    )
    # Area SEND, 2023 framework. 12. Positive, 'five years' in words, 'Royal Borough of'.
    yield Case3(
        "send4-positive-years-in-words",
        pdf(
            [
                [
                    "Local Area Partnership report",
                    "Area SEND inspection of Royal Borough of Wyvern Local Area",
                    "Partnership",
                    "Inspection dates: 11 to 15 March 2024",
                    "Date of previous inspection: 4 to 8 June 2018",
                    "Inspection outcome",
                    docs.SEND_OUTCOME_TEXT["positive"].replace("'", "\u2019")
                    + " The local area partnership is taking action where improvements are "
                    "needed.",
                    "The next full area SEND inspection will be within approximately five years.",
                    FILLER,
                ],
                [
                    "Area SEND inspection report: Royal Borough of Wyvern Local Area Partnership 2",
                    FILLER,
                ],
            ]
        ),
        "other",
        start=D(2024, 3, 11),
        end=D(2024, 3, 15),
        signal={"kind": "area_send", "send_outcome": "positive", "next_inspection_months": 60},
        authority="Royal Borough of Wyvern",
    )
    # 13. Systemic failings; monitoring inspection and reinspection in one paragraph.
    yield Case3(
        "send4-systemic-one-paragraph",
        pdf(
            [
                [
                    "Local Area Partnership report",
                    "Area SEND inspection of Hollerton Local Area Partnership",
                    "Inspection dates: 30 September to 4 October 2024",
                    "Dates of previous inspection: 12 to 16 March 2018",
                    "Inspection outcome",
                    docs.SEND_OUTCOME_TEXT["systemic_failings"]
                    + " The local area partnership must address these urgently. Ofsted and the "
                    "CQC will carry out a monitoring inspection within approximately 18 months, "
                    "and the next full reinspection will be within approximately 3 years.",
                    "His Majesty\u2019s Chief Inspector requires the local area partnership to "
                    "prepare and submit a priority action plan (area SEND).",
                ],
                [
                    "Area SEND inspection report: Hollerton Local Area Partnership, 30 September "
                    "to 4 October 2024 2",
                    FILLER,
                ],
            ]
        ),
        "other",
        start=D(2024, 9, 30),
        end=D(2024, 10, 4),
        signal={
            "kind": "area_send",
            "send_outcome": "systemic_failings",
            "next_inspection_months": 36,
            "monitoring_inspection_months": 18,
        },
        authority="Hollerton",
    )
    # 14. Inconsistent; a hyphenated name; across a month.
    yield Case3(
        "send4-inconsistent-hyphenated",
        pdf(
            [
                [
                    "Local Area Partnership report",
                    "Area SEND inspection of Southend-on-Wyre Local Area Partnership",
                    "Inspection dates: 28 April to 2 May 2025",
                    "Date of previous inspection: 1 to 5 October 2018",
                    "Inspection outcome",
                    docs.SEND_OUTCOME_TEXT["inconsistent"]
                    + " The local area partnership must work jointly to make improvements.",
                    "The next full area SEND inspection will be within approximately 3 years.",
                    "Ofsted and the Care Quality Commission (CQC) ask that the local area "
                    "partnership updates and publishes its strategic plan.",
                    FILLER,
                ],
                [
                    "Area SEND inspection report: Southend-on-Wyre Local Area Partnership, 28 "
                    "April to 2 May 2025 2",
                    FILLER,
                ],
            ]
        ),
        "other",
        start=D(2025, 4, 28),
        end=D(2025, 5, 2),
        signal={"kind": "area_send", "send_outcome": "inconsistent", "next_inspection_months": 36},
        authority="Southend-on-Wyre",
    )
    # Area SEND, 2016 to 2022 letters. 15. No statement; both dates with month and year.
    yield Case3(
        "send2016-4-full-dates-none",
        pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "Dear Director",
                    "Joint local area SEND inspection in Loamshire",
                    "Between 4 December 2017 and 8 December 2017, Ofsted and the Care Quality "
                    "Commission (CQC) conducted a joint inspection of the local area of "
                    "Loamshire to judge the effectiveness of the area in implementing the "
                    "disability and special educational needs reforms as set out in the "
                    "Children and Families Act 2014.",
                    "This letter outlines our findings from the inspection, including some areas "
                    "of strength and areas for further improvement.",
                    FILLER,
                ],
                ["2", "Main findings", FILLER],
            ]
        ),
        "other",
        start=D(2017, 12, 4),
        end=D(2017, 12, 8),
        signal={"kind": "area_send_2016", "written_statement_required": False},
        authority="Loamshire",
    )
    # 16. A written statement required; 'the London Borough of'; 'From ... to'.
    yield Case3(
        "send2016-4-wsoa-london-borough",
        pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "Dear Director",
                    "Joint local area special educational needs and/or disabilities (SEND) "
                    "inspection in the London Borough of Loxley",
                    "From 11 to 15 March 2019, Ofsted and the Care Quality Commission (CQC) "
                    "conducted a joint inspection of the local area of the London Borough of "
                    "Loxley to judge the effectiveness of the area in implementing the special "
                    "educational needs and/or disabilities (SEND) reforms.",
                    "As a result of the findings of this inspection and in accordance with the "
                    "Children Act 2004 (Joint Area Reviews) Regulations 2015, Her Majesty\u2019s "
                    "Chief Inspector (HMCI) has determined that a Written Statement of Action is "
                    "required because of significant areas of weakness in the local area\u2019s "
                    "practice.",
                    FILLER,
                ],
                ["2", "Main findings", FILLER],
            ]
        ),
        "other",
        start=D(2019, 3, 11),
        end=D(2019, 3, 15),
        signal={"kind": "area_send_2016", "written_statement_required": True},
        authority="London Borough of Loxley",
    )


def cases_4() -> Iterator[Case3]:
    yield from _ilacs_cases()
    yield from _sif_cases()
    yield from _pre_2013_cases()
    yield from _letter_cases()
