"""The held-out set: documents the extractor was never tuned on, with what each must give.

Written once, after the extractor's variants were done and before it was run on them; the
figures it gives are reported as they came (bench/heldout_reports.py prints them). Do not
change the extractor to fit a document here: add a case to tests/test_report_variants.py
instead, and write new held-out documents.

Wordings differ from the tuned set on purpose: other date shapes, grade mixes drawn at random,
other sentence and heading phrasings, the grid split elsewhere.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from tests import report_documents as docs

D = date
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
COUNCILS = ("Ambridge", "Borchester", "Felpersham", "Hollerton", "Penny Hassett", "Loxley Barrett")

# (as printed after 'Inspection dates:', start, end)
ILACS_DATES = [
    ("30 September to 11 October 2024", D(2024, 9, 30), D(2024, 10, 11)),
    ("10\u201321 June 2024", D(2024, 6, 10), D(2024, 6, 21)),
    ("2 to 6 December 2024 and 13 to 17 January 2025", D(2024, 12, 2), D(2025, 1, 17)),
    ("17th \u2013 28th February 2025", D(2025, 2, 17), D(2025, 2, 28)),
    ("4 to 8 November, and 18 to 22 November 2024", D(2024, 11, 4), D(2024, 11, 22)),
    ("14/10/2024 to 25/10/2024", D(2024, 10, 14), D(2024, 10, 25)),
    ("7 October 2024 \u2014 18 October 2024", D(2024, 10, 7), D(2024, 10, 18)),
    ("25 November\u20136 December 2024", D(2024, 11, 25), D(2024, 12, 6)),
    ("6th to 17th January 2025", D(2025, 1, 6), D(2025, 1, 17)),
    ("27 January 2025 to 7 February 2025", D(2025, 1, 27), D(2025, 2, 7)),
    ("Monday 3 March to Friday 14 March 2025", D(2025, 3, 3), D(2025, 3, 14)),
    ("3-7 March & 17-21 March 2025", D(2025, 3, 3), D(2025, 3, 21)),
]
SIF_SENTENCES = [
    ("Children's services in {la} are {g}", None),
    ("Children\u2019s services in {la} {g}", None),
    ("The overall judgement is that children's services in {la} are {g}", None),
    ("The overall judgement is {g}", None),
    ("Overall judgement: {G}", None),
    ("The overall effectiveness of children's services in {la} is judged to be {g}", None),
]
SIF_LSCB = [
    ["The Local Safeguarding Children Board (LSCB)", "The LSCB is {g}"],
    ["Local Safeguarding Children Board: {G}"],
    ["The effectiveness of the Local Safeguarding Children Board", "{G}"],
    ["Review of the Local Safeguarding Children Board \u2013 {g}"],
    [
        "The Local Safeguarding Children Board (LSCB)",
        "The effectiveness of the Local Safeguarding Children Board is judged to be {g}",
    ],
]


@dataclass
class Case:
    """One held-out document and the facts it must give (None: not checked)."""

    name: str
    data: bytes
    framework: str
    overall: str | None = None
    judgements: dict[str, str] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None
    signal: dict | None = None


def _sentence_grade(grade: str) -> str:
    # SIF sentences: 'are good', but 'require improvement to be good' reads without 'are'
    return "require improvement to be good" if grade == "requires_improvement" else grade


def cases() -> Iterator[Case]:
    rnd = random.Random(20261129)
    # ILACS, both frameworks, every date shape, grades at random.
    for n, (printed, start, end) in enumerate(ILACS_DATES * 2):
        areas = (
            ["leaders", "help_and_protection", "in_care", "care_leavers"]
            if n % 2
            else ["leaders", "help_and_protection", "in_care_and_care_leavers"]
        )
        grades = {a: rnd.choice(GRADES) for a in areas}
        overall = rnd.choice(GRADES)
        council = COUNCILS[n % len(COUNCILS)]
        header = f"{start.day} {start:%B %Y}" if n % 3 == 0 else None
        doc = docs.Ilacs(council, printed, overall, grades, header_dates=header, colon=n % 4 != 1)
        yield Case(
            f"ilacs-{n:02d}",
            doc.pdf(),
            "ilacs_2023" if n % 2 else "ilacs_2018",
            overall,
            grades,
            start,
            end,
        )
    # SIF: sentences, the grid split at every point, the LSCB worded several ways.
    sif_areas = list(docs.SIF_GRID)
    for n in range(18):
        grades = {a: rnd.choice(GRADES) for a in sif_areas}
        overall = rnd.choice(GRADES)
        council = COUNCILS[n % len(COUNCILS)]
        sentence = SIF_SENTENCES[n % len(SIF_SENTENCES)][0]
        if sentence.startswith("Children\u2019s") and overall != "requires_improvement":
            sentence = "Children\u2019s services in {la} are {g}"
        text = sentence.format(la=council, g=_sentence_grade(overall), G=docs.GRADE_WORDS[overall])
        split = n % 5  # rows from this index on are printed on page 2 (0: none)
        later = sif_areas[split:] if split else []
        lscb = rnd.choice(GRADES[1:]) if n % 2 == 0 else None
        lines = None
        if lscb:
            wording = SIF_LSCB[(n // 2) % len(SIF_LSCB)]
            lines = [
                w.format(g=docs.GRADE_WORDS[lscb].lower(), G=docs.GRADE_WORDS[lscb])
                for w in wording
            ]
        start = D(2016, 1 + n % 9, 4)
        end = D(2016, 1 + n % 9, 28)
        doc = docs.Sif(
            council,
            f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}",
            text,
            grades,
            on_page_two=later,
            lscb=lscb,
            lscb_lines=lines,
        )
        expected = dict(grades)
        if lscb:
            expected["lscb"] = lscb
        yield Case(f"sif-{n:02d}", doc.pdf(), "sif", overall, expected, start, end)
    # Letters and area reports.
    yield Case(
        "focused-singular",
        docs.focused_visit(
            "Ambridge",
            "11 and 12 February 2025",
            ["Senior leaders need to make sure that children at risk are visited quickly."],
            late=True,
        ).pdf(),
        "other",
        start=D(2025, 2, 11),
        end=D(2025, 2, 12),
        signal={"kind": "focused_visit", "priority_action": "found"},
    )
    letter = docs.focused_visit("Borchester", "2 October 2024", None, late=False)
    letter.pages_text[0][5] = "Focused visit to Borchester City Council children\u2019s services"
    yield Case(
        "focused-curly",
        letter.pdf(),
        "other",
        start=D(2024, 10, 2),
        end=D(2024, 10, 2),
        signal={"kind": "focused_visit", "priority_action": "none"},
    )
    letter = docs.focused_visit("Hollerton", "20 and 21 May 2025", [], late=True)
    letter.pages_text[1][2:3] = [
        "Area for priority action",
        "The area for priority action set at the focused visit in 2024 remains. No further "
        "priority actions were identified.",
    ]
    yield Case(
        "focused-remains",
        letter.pdf(),
        "other",
        start=D(2025, 5, 20),
        end=D(2025, 5, 21),
        signal={"kind": "focused_visit", "priority_action": "remain"},
    )
    yield Case(
        "monitoring-digits",
        docs.monitoring_visit(
            "Felpersham",
            "8 and 9 April 2025",
            "3rd",
            "Progress has been slow since the last visit.",
        ).pdf(),
        "other",
        start=D(2025, 4, 8),
        end=D(2025, 4, 9),
        signal={
            "kind": "monitoring_visit",
            "visit_number": 3,
            "headline": "Progress has been slow since the last visit.",
        },
    )
    yield Case(
        "monitoring-sixth",
        docs.monitoring_visit(
            "Loxley Barrett",
            "14 to 16 January 2025",
            "sixth",
            "Children in care are now visited regularly by the same social worker.",
        ).pdf(),
        "other",
        start=D(2025, 1, 14),
        end=D(2025, 1, 16),
        signal={
            "kind": "monitoring_visit",
            "visit_number": 6,
            "headline": "Children in care are now visited regularly by the same social worker.",
        },
    )
    for theme, key in (
        ("child sexual exploitation and children missing from home", "sexual_exploitation"),
        ("children who need help and protection in the early years", "early_years"),
        ("neglect", "neglect"),
    ):
        yield Case(
            f"jtai-{key}",
            docs.jtai("Penny Hassett", theme, "2 and 6 June 2025").pdf(),
            "other",
            start=D(2025, 6, 2),
            end=D(2025, 6, 6),
            signal={"kind": "jtai", "theme": theme, "theme_key": key},
        )
    for outcome, line, months, monitoring in (
        (
            "positive",
            "The next full area SEND inspection will be within approximately 5 years.",
            60,
            None,
        ),
        (
            "inconsistent",
            "The next full area SEND inspection will be within approximately three years.",
            36,
            None,
        ),
        (
            "systemic_failings",
            "A monitoring inspection will take place within approximately 18 months. The next "
            "full area SEND reinspection will be within approximately 3 years.",
            36,
            18,
        ),
    ):
        signal = {"kind": "area_send", "send_outcome": outcome, "next_inspection_months": months}
        if monitoring:
            signal["monitoring_inspection_months"] = monitoring
        yield Case(
            f"send-{outcome}",
            docs.area_send("Hollerton", "16 to 20 June 2025", outcome, line).pdf(),
            "other",
            start=D(2025, 6, 16),
            end=D(2025, 6, 20),
            signal=signal,
        )
    for statement, required in (
        (
            "HMCI has determined that a written statement of action is required because of "
            "significant areas of weakness in the local area's practice. HMCI has also "
            "determined that the local authority and the area's clinical commissioning groups "
            "are jointly responsible for submitting the written statement to Ofsted.",
            True,
        ),
        ("The local area is not required to produce a written statement of action.", False),
    ):
        yield Case(
            f"send2016-{required}",
            docs.area_send_2016(
                "Ambridge", "13 November 2017 to 17 November 2017", statement
            ).pdf(),
            "other",
            start=D(2017, 11, 13),
            end=D(2017, 11, 17),
            signal={"kind": "area_send_2016", "written_statement_required": required},
        )


# -- set 2: written after set 1's misses were fixed, and run once as it stood ---------------

ILACS_DATES_2 = [
    ("9 to 13 December 2024, and 6 to 10 January 2025", D(2024, 12, 9), D(2025, 1, 10)),
    ("1st to 12th July 2024", D(2024, 7, 1), D(2024, 7, 12)),
    ("28 April 2025\u20139 May 2025", D(2025, 4, 28), D(2025, 5, 9)),
    ("15 September\u201326 September 2025", D(2025, 9, 15), D(2025, 9, 26)),
    ("between 2 and 13 June 2025", D(2025, 6, 2), D(2025, 6, 13)),
    ("6 and 7 March and 10 to 14 March 2025", D(2025, 3, 6), D(2025, 3, 14)),
    ("31 March to 11 April 2025", D(2025, 3, 31), D(2025, 4, 11)),
    ("13 Jan to 24 Jan 2025", D(2025, 1, 13), D(2025, 1, 24)),
    ("3 Sept. to 14 Sept. 2025", D(2025, 9, 3), D(2025, 9, 14)),
    ("24 February \u2013 7 March 2025", D(2025, 2, 24), D(2025, 3, 7)),
]
SIF_SENTENCES_2 = [
    "Children's services in the London Borough of {la} are {g}",
    "The overall judgement is that children\u2019s services are {g}",
    "Children's Services in {la} are {G}",
    "Overall effectiveness: {G}",
]
SIF_LSCB_2 = [
    ["LSCB: {G}"],
    [
        "The Local Safeguarding Children Board (LSCB)",
        "The Local Safeguarding Children Board is judged to be {g}",
    ],
    ["The effectiveness of the LSCB {g}"],
]


def cases_2() -> Iterator[Case]:
    rnd = random.Random(7)
    for n, (printed, start, end) in enumerate(ILACS_DATES_2 * 2):
        areas = (
            ["leaders", "help_and_protection", "in_care", "care_leavers"]
            if n % 3
            else ["leaders", "help_and_protection", "in_care_and_care_leavers"]
        )
        grades = {a: rnd.choice(GRADES) for a in areas}
        overall = rnd.choice(GRADES)
        council = ("City of Ambridge", "Borchester and Felpersham", "St Hollerton")[n % 3]
        doc = docs.Ilacs(council, printed, overall, grades, colon=n % 5 != 2)
        framework = "ilacs_2023" if n % 3 else "ilacs_2018"
        yield Case(f"ilacs2-{n:02d}", doc.pdf(), framework, overall, grades, start, end)
    sif_areas = list(docs.SIF_GRID)
    for n in range(12):
        grades = {a: rnd.choice(GRADES) for a in sif_areas}
        overall = rnd.choice(GRADES)
        sentence = SIF_SENTENCES_2[n % len(SIF_SENTENCES_2)]
        text = sentence.format(
            la="Ambridge", g=_sentence_grade(overall), G=docs.GRADE_WORDS[overall]
        )
        later = sif_areas[rnd.randrange(1, 5) :] if n % 2 else []
        lscb = rnd.choice(GRADES) if n % 3 else None
        lines = None
        if lscb:
            wording = SIF_LSCB_2[n % len(SIF_LSCB_2)]
            lines = [
                w.format(g=docs.GRADE_WORDS[lscb].lower(), G=docs.GRADE_WORDS[lscb])
                for w in wording
            ]
        start, end = D(2017, 2 + n % 10, 6), D(2017, 2 + n % 10, 27)
        doc = docs.Sif(
            "Ambridge",
            f"{start.day} {start:%B %Y} \u2013 {end.day} {end:%B %Y}",
            text,
            grades,
            on_page_two=later,
            lscb=lscb,
            lscb_lines=lines,
        )
        expected = dict(grades)
        if lscb:
            expected["lscb"] = lscb
        yield Case(f"sif2-{n:02d}", doc.pdf(), "sif", overall, expected, start, end)
    letter = docs.focused_visit(
        "St Hollerton",
        "8 and 9 July 2025",
        ["\u2022 Managers must check that plans for children are reviewed on time."],
        late=False,
    )
    letter.pages_text[0][9] = "Areas for priority action:"
    yield Case(
        "focused2-colon",
        letter.pdf(),
        "other",
        start=D(2025, 7, 8),
        end=D(2025, 7, 9),
        signal={"kind": "focused_visit", "priority_action": "found"},
    )
    yield Case(
        "monitoring2-second",
        docs.monitoring_visit(
            "City of Ambridge", "1 and 2 October 2025", "second", "Services remain inadequate."
        ).pdf(),
        "other",
        start=D(2025, 10, 1),
        end=D(2025, 10, 2),
        signal={
            "kind": "monitoring_visit",
            "visit_number": 2,
            "headline": "Services remain inadequate.",
        },
    )
    yield Case(
        "jtai2-mental-health",
        docs.jtai("Borchester", "children's mental health", "11 and 15 November 2019").pdf(),
        "other",
        start=D(2019, 11, 11),
        end=D(2019, 11, 15),
        signal={"kind": "jtai", "theme": "children's mental health", "theme_key": "mental_health"},
    )
    yield Case(
        "send2-positive",
        docs.area_send(
            "Felpersham",
            "30 June to 4 July 2025",
            "positive",
            "The next full area SEND inspection will be within approximately five years.",
        ).pdf(),
        "other",
        start=D(2025, 6, 30),
        end=D(2025, 7, 4),
        signal={"kind": "area_send", "send_outcome": "positive", "next_inspection_months": 60},
    )
    yield Case(
        "send2016-silent",
        docs.area_send_2016("Felpersham", "2 to 6 October 2017", None).pdf(),
        "other",
        start=D(2017, 10, 2),
        end=D(2017, 10, 6),
        signal={"kind": "area_send_2016", "written_statement_required": False},
    )
