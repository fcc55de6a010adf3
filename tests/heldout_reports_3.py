"""Held-out set 3: 44 documents written blind (without reading the extractor or its tests),
each imitating one real Ofsted publication from 2012 to 2025, every field labelled by hand.

Unlike sets 1 and 2 (grades drawn at random into one template per family), each document here
is written out page by page, as the real ones vary: tables whose labels and grades wrap over
lines or run on to page 2, the overall judgement worded several ways, an LSCB grade given only
in a section heading, date spans written every way (paused inspections, spans across a year,
dashes with and without spaces, 'to', weekday names, ordinals, a date broken over two lines,
a running header with abbreviated months), and four documents whose two readings genuinely
disagree (table against body heading, page 1 against the running header), which must come out
as a ReportConflict rather than a value.

Councils are made up; where a real council's name is used its grades here are invented.
Wordings are ours, after the real layouts in the team's shared PDFs. Written and committed
before the extractor was run on them; bench/heldout_reports.py --set 3 prints the figures.

NO LONGER HELD OUT: after its first run (figures in tests/data/ofsted/README.md) the extractor
was fixed from its misses, so these now measure regressions, not unseen quality; two JTAI
labels were then aligned with the project's conventions (noted where they are).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tests import report_documents as docs
from tests.heldout_reports import Case

D = date
FILLER = docs._FILLER
MORE = (
    "Social workers know their children well. They visit them regularly and see them alone "
    "when it is right to do so, and their records say why decisions were made."
)
RI = "Requires improvement to be good"


@dataclass
class Case3(Case):
    """A set-3 document: Case's facts plus those set 3 also labels (None: not checked)."""

    authority: str | None = None
    published: date | None = None
    lead_inspector: str | None = None
    conflict: bool = False  # the two readings disagree: parse_report must raise ReportConflict


# -- ILACS ----------------------------------------------------------------------------------

HP = "The experiences and progress of children who need help and protection"
IC = "The experiences and progress of children in care"
CL = "The experiences and progress of care leavers"
ICCL = "The experiences and progress of children in care and care leavers"
LEAD = "The impact of leaders on social work practice with children and families"


def _ilacs(
    council: str,
    first: list[str],
    table_more: list[str] | None,
    body: list[list[str]],
    header_dates: str,
) -> bytes:
    """Page 1 as given; page 2 opens with the running header (and any table rows run on);
    then one page per body section, each under the running header."""
    title = f"Inspection of {council} local authority children\u2019s services"
    pages = [first]
    second = [title, f"{header_dates} 2"]
    if table_more:
        second += table_more
    second += ["What needs to improve?", "\u25fc The timeliness of plans for children.", FILLER]
    pages.append(second)
    for n, lines in enumerate(body, 3):
        pages.append([title, f"{header_dates} {n}", *lines, FILLER, MORE])
    return docs.pdf(pages)


def _ilacs_cases() -> Iterator[Case3]:
    # 1. 2018 framework; every table label wrapped over two lines; em dash with no spaces.
    yield Case3(
        "ilacs3-emdash-wrapped",
        _ilacs(
            "Wigan",
            [
                "Inspection of Wigan local authority",
                "children\u2019s services",
                "Inspection dates: 4 March 2019\u201415 March 2019",
                "Lead inspector: Alex Tidy, Her Majesty\u2019s Inspector",
                "Judgement Grade",
                "The impact of leaders on social work",
                "practice with children and families",
                "Good",
                "The experiences and progress of",
                "children who need help and protection",
                RI,
                "The experiences and progress of",
                "children in care and care leavers",
                "Good",
                "Overall effectiveness Good",
                FILLER,
            ],
            None,
            [
                [f"{HP}:", "requires improvement to be good"],
                [f"{ICCL}: good"],
                [f"{LEAD}: good"],
            ],
            "4 March 2019\u201415 March 2019",
        ),
        "ilacs_2018",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "requires_improvement",
            "in_care_and_care_leavers": "good",
        },
        D(2019, 3, 4),
        D(2019, 3, 15),
        authority="Wigan",
        lead_inspector="Alex Tidy",
    )
    # 2. 2018, the first year: headings with no colon, hyphen with spaces, the overall grade
    # wrapped over two lines.
    yield Case3(
        "ilacs3-hyphen-nocolon",
        _ilacs(
            "Borsetshire",
            [
                "Inspection of Borsetshire local authority children\u2019s services",
                "Inspection dates: 12 - 23 November 2018",
                "Lead inspector: Nell Harmer",
                "Judgement Grade",
                "The impact of leaders on social work practice with children and families",
                RI,
                "The experiences and progress of children who need help and protection",
                RI,
                "The experiences and progress of children in care and care leavers",
                "Good",
                "Overall effectiveness Requires improvement",
                "to be good",
                FILLER,
            ],
            None,
            [
                [f"{HP} requires improvement to be good"],
                [f"{ICCL} good"],
                [f"{LEAD} requires improvement to be good"],
            ],
            "12 - 23 November 2018",
        ),
        "ilacs_2018",
        "requires_improvement",
        {
            "leaders": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "in_care_and_care_leavers": "good",
        },
        D(2018, 11, 12),
        D(2018, 11, 23),
        authority="Borsetshire",
        lead_inspector="Nell Harmer",
    )
    # 3. A paused inspection: three spans, the last months later.
    spans = "9 to 13 March 2020, 16 to 17 March 2020 and 21 to 25 September 2020"
    yield Case3(
        "ilacs3-paused-three-spans",
        _ilacs(
            "Felpersham",
            [
                "Inspection of Felpersham local authority children\u2019s services",
                f"Inspection dates: {spans}",
                "Lead inspector: Kate Aldridge, Her Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                "Good",
                HP,
                "Good",
                ICCL,
                "Good",
                "Overall effectiveness Good",
                "The inspection was paused in March 2020 because of the COVID-19 (coronavirus) "
                "pandemic and completed in September 2020. " + FILLER,
            ],
            None,
            [[f"{HP}: good"], [f"{ICCL}: good"], [f"{LEAD}: good"]],
            spans,
        ),
        "ilacs_2018",
        "good",
        {"leaders": "good", "help_and_protection": "good", "in_care_and_care_leavers": "good"},
        D(2020, 3, 9),
        D(2020, 9, 25),
        authority="Felpersham",
        lead_inspector="Kate Aldridge",
    )
    # 4. Across a year; the table runs on to page 2 under the running header.
    yield Case3(
        "ilacs3-across-year-table-split",
        _ilacs(
            "Hollerton",
            [
                "Inspection of Hollerton local authority children\u2019s services",
                "Inspection dates: 16 December 2019 to 10 January 2020",
                "Lead inspector: Brian Aldridge, Her Majesty\u2019s Inspector",
                FILLER,
                MORE,
                FILLER,
                MORE,
                "Judgement Grade",
                LEAD,
                "Inadequate",
                HP,
                "Inadequate",
            ],
            [ICCL, RI, "Overall effectiveness Inadequate", FILLER],
            [
                [f"{HP}: inadequate"],
                [f"{ICCL}: requires improvement to be good"],
                [f"{LEAD}:", "inadequate"],
            ],
            "16 December 2019 to 10 January 2020",
        ),
        "ilacs_2018",
        "inadequate",
        {
            "leaders": "inadequate",
            "help_and_protection": "inadequate",
            "in_care_and_care_leavers": "requires_improvement",
        },
        D(2019, 12, 16),
        D(2020, 1, 10),
        authority="Hollerton",
        lead_inspector="Brian Aldridge",
    )
    # 5. Weekday names; the overall grade on the line after its label.
    dates = "Monday 30 September \u2013 Friday 11 October 2019"
    yield Case3(
        "ilacs3-weekdays",
        _ilacs(
            "Loxley Barrett",
            [
                "Inspection of Loxley Barrett local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Jill Archer, Her Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                "Outstanding",
                HP,
                "Good",
                ICCL,
                "Outstanding",
                "Overall effectiveness",
                "Outstanding",
                FILLER,
            ],
            None,
            [[f"{HP}: good"], [f"{ICCL}: outstanding"], [f"{LEAD}: outstanding"]],
            dates,
        ),
        "ilacs_2018",
        "outstanding",
        {
            "leaders": "outstanding",
            "help_and_protection": "good",
            "in_care_and_care_leavers": "outstanding",
        },
        D(2019, 9, 30),
        D(2019, 10, 11),
        authority="Loxley Barrett",
        lead_inspector="Jill Archer",
    )
    # 6. 2023 framework; ordinals across a month end; 'Requires improvement to / be good' split.
    dates = "29th January to 9th February 2024"
    yield Case3(
        "ilacs3-ordinals-grade-split",
        _ilacs(
            "Penny Hassett",
            [
                "Inspection of Penny Hassett local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Ruth Pargetter, His Majesty\u2019s Inspector",
                "Judgement Grade",
                "The impact of leaders on social work",
                "practice with children and families",
                "Good",
                "The experiences and progress of",
                "children who need help and protection",
                "Good",
                "The experiences and progress of",
                "children in care",
                "Requires improvement to",
                "be good",
                "The experiences and progress of care",
                "leavers",
                "Inadequate",
                "Overall effectiveness Requires improvement to",
                "be good",
                FILLER,
            ],
            None,
            [
                [f"{HP}: good"],
                [f"{IC}:", "requires improvement to be good"],
                [f"{CL}: inadequate"],
                [f"{LEAD}: good"],
            ],
            dates,
        ),
        "ilacs_2023",
        "requires_improvement",
        {
            "leaders": "good",
            "help_and_protection": "good",
            "in_care": "requires_improvement",
            "care_leavers": "inadequate",
        },
        D(2024, 1, 29),
        D(2024, 2, 9),
        authority="Penny Hassett",
        lead_inspector="Ruth Pargetter",
    )
    # 7. En dash with no spaces across a month; the care leavers row on page 2.
    dates = "30 September\u201311 October 2024"
    yield Case3(
        "ilacs3-endash-nospace-split",
        _ilacs(
            "Darrington",
            [
                "Inspection of Darrington local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Tom Forrest, His Majesty\u2019s Inspector",
                FILLER,
                MORE,
                FILLER,
                "Judgement Grade",
                LEAD,
                RI,
                HP,
                "Good",
                IC,
                "Good",
            ],
            [CL, "Good", "Overall effectiveness Good", FILLER],
            [[f"{HP}: good"], [f"{IC}: good"], [f"{CL}: good"], [f"{LEAD}:", RI.lower()]],
            dates,
        ),
        "ilacs_2023",
        "good",
        {
            "leaders": "requires_improvement",
            "help_and_protection": "good",
            "in_care": "good",
            "care_leavers": "good",
        },
        D(2024, 9, 30),
        D(2024, 10, 11),
        authority="Darrington",
        lead_inspector="Tom Forrest",
    )
    # 8. Two spans, en dashes without spaces, the year printed once.
    dates = "2\u20136 October and 16\u201320 October 2023"
    yield Case3(
        "ilacs3-two-spans-endash",
        _ilacs(
            "Edgeley",
            [
                "Inspection of Edgeley local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Usha Franks, His Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                "Outstanding",
                HP,
                "Outstanding",
                IC,
                "Outstanding",
                CL,
                "Good",
                "Overall effectiveness Outstanding",
                FILLER,
            ],
            None,
            [
                [f"{HP}: outstanding"],
                [f"{IC}: outstanding"],
                [f"{CL}: good"],
                [f"{LEAD}: outstanding"],
            ],
            dates,
        ),
        "ilacs_2023",
        "outstanding",
        {
            "leaders": "outstanding",
            "help_and_protection": "outstanding",
            "in_care": "outstanding",
            "care_leavers": "good",
        },
        D(2023, 10, 2),
        D(2023, 10, 20),
        authority="Edgeley",
        lead_inspector="Usha Franks",
    )
    # 9. The dates broken over two lines; the lead inspector's title on its own line.
    yield Case3(
        "ilacs3-dates-wrapped",
        _ilacs(
            "Lakey Hill",
            [
                "Inspection of Lakey Hill local authority children\u2019s services",
                "Inspection dates: 27 January to 7",
                "February 2025",
                "Lead inspector: Fallon Rogers",
                "His Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                "Inadequate",
                HP,
                "Inadequate",
                IC,
                RI,
                CL,
                RI,
                "Overall effectiveness Inadequate",
                FILLER,
            ],
            None,
            [
                [f"{HP}: inadequate"],
                [f"{IC}: requires improvement to be good"],
                [f"{CL}: requires improvement to be good"],
                [f"{LEAD}: inadequate"],
            ],
            "27 January to 7 February 2025",
        ),
        "ilacs_2023",
        "inadequate",
        {
            "leaders": "inadequate",
            "help_and_protection": "inadequate",
            "in_care": "requires_improvement",
            "care_leavers": "requires_improvement",
        },
        D(2025, 1, 27),
        D(2025, 2, 7),
        authority="Lakey Hill",
        lead_inspector="Fallon Rogers",
    )
    # 10. 'from ... to ...' with weekdays; the overall grade on its own line, and the opening
    # paragraph saying the same in a sentence.
    dates = "from Monday 3 June to Friday 14 June 2024"
    yield Case3(
        "ilacs3-from-weekdays",
        _ilacs(
            "Heydon Berrow",
            [
                "Inspection of Heydon Berrow local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Eddie Grundy, His Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                "Inadequate",
                HP,
                "Inadequate",
                IC,
                "Inadequate",
                CL,
                RI,
                "Overall effectiveness",
                "Inadequate",
                "Services for children in Heydon Berrow are inadequate. Since the last inspection "
                "in 2021, when they were judged to require improvement to be good, they have "
                "declined. " + FILLER,
            ],
            None,
            [
                [f"{HP}: inadequate"],
                [f"{IC}: inadequate"],
                [f"{CL}: requires improvement to be good"],
                [f"{LEAD}: inadequate"],
            ],
            "3 June to 14 June 2024",
        ),
        "ilacs_2023",
        "inadequate",
        {
            "leaders": "inadequate",
            "help_and_protection": "inadequate",
            "in_care": "inadequate",
            "care_leavers": "requires_improvement",
        },
        D(2024, 6, 3),
        D(2024, 6, 14),
        authority="Heydon Berrow",
        lead_inspector="Eddie Grundy",
    )
    # 11. Two spans across a month, the first without its year or month repeated later.
    dates = "25 to 29 November and 9 to 13 December 2024"
    yield Case3(
        "ilacs3-two-spans-months",
        _ilacs(
            "Great Hanbury",
            [
                "Inspection of Great Hanbury local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Lynda Snell, His Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                "Good",
                HP,
                RI,
                IC,
                "Good",
                CL,
                "Outstanding",
                "Overall effectiveness Good",
                FILLER,
            ],
            None,
            [
                [f"{HP}: requires improvement to be good"],
                [f"{IC}: good"],
                [f"{CL}: outstanding"],
                [f"{LEAD}: good"],
            ],
            dates,
        ),
        "ilacs_2023",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "requires_improvement",
            "in_care": "good",
            "care_leavers": "outstanding",
        },
        D(2024, 11, 25),
        D(2024, 12, 13),
        authority="Great Hanbury",
        lead_inspector="Lynda Snell",
    )
    # 12. A hyphen with no spaces; a body heading whose grade wraps to the next line.
    dates = "3-14 March 2025"
    yield Case3(
        "ilacs3-hyphen-nospace",
        _ilacs(
            "Waterley Cross",
            [
                "Inspection of Waterley Cross local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Shula Hebden, His Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                RI,
                HP,
                RI,
                IC,
                RI,
                CL,
                "Good",
                f"Overall effectiveness {RI}",
                FILLER,
            ],
            None,
            [
                [f"{HP}: requires improvement to be good"],
                [f"{IC}: requires improvement to be good"],
                [f"{CL}:", "good"],
                [f"{LEAD}: requires improvement to be good"],
            ],
            dates,
        ),
        "ilacs_2023",
        "requires_improvement",
        {
            "leaders": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "in_care": "requires_improvement",
            "care_leavers": "good",
        },
        D(2025, 3, 3),
        D(2025, 3, 14),
        authority="Waterley Cross",
        lead_inspector="Shula Hebden",
    )
    # 13. No colon after 'Inspection dates'; 'Judgement' and 'Grade' on their own lines.
    dates = "14 to 25 October 2024"
    yield Case3(
        "ilacs3-no-colon-label",
        _ilacs(
            "Royal Borough of Netherbourne",
            [
                "Inspection of Royal Borough of Netherbourne local authority children\u2019s "
                "services",
                f"Inspection dates {dates}",
                "Lead inspector Adam Macy, His Majesty\u2019s Inspector",
                "Judgement",
                "Grade",
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
            None,
            [[f"{HP}: good"], [f"{IC}: good"], [f"{CL}: good"], [f"{LEAD}: good"]],
            dates,
        ),
        "ilacs_2023",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "good",
            "in_care": "good",
            "care_leavers": "good",
        },
        D(2024, 10, 14),
        D(2024, 10, 25),
        authority="Royal Borough of Netherbourne",
        lead_inspector="Adam Macy",
    )
    # 14. The running header abbreviates the months (the same dates: no conflict).
    yield Case3(
        "ilacs3-header-abbreviated",
        _ilacs(
            "Kingston upon Borchester",
            [
                "Inspection of Kingston upon Borchester local authority children\u2019s services",
                "Inspection dates: 31 January to 11 February 2022",
                "Lead inspector: Christine Barford, Her Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                "Good",
                HP,
                "Good",
                ICCL,
                RI,
                "Overall effectiveness Good",
                FILLER,
            ],
            None,
            [
                [f"{HP}: good"],
                [f"{ICCL}: requires improvement to be good"],
                [f"{LEAD}: good"],
            ],
            "31 Jan \u2013 11 Feb 2022",
        ),
        "ilacs_2018",
        "good",
        {
            "leaders": "good",
            "help_and_protection": "good",
            "in_care_and_care_leavers": "requires_improvement",
        },
        D(2022, 1, 31),
        D(2022, 2, 11),
        authority="Kingston upon Borchester",
        lead_inspector="Christine Barford",
    )
    # -- conflicts: the two readings genuinely disagree --
    # 15. Table: care leavers good; body heading: requires improvement.
    dates = "17 to 28 June 2024"
    yield Case3(
        "ilacs3-conflict-care-leavers",
        _ilacs(
            "Little Croxley",
            [
                "Inspection of Little Croxley local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Peggy Woolley, His Majesty\u2019s Inspector",
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
            None,
            [
                [f"{HP}: good"],
                [f"{IC}: good"],
                [f"{CL}: requires improvement to be good"],
                [f"{LEAD}: good"],
            ],
            dates,
        ),
        "ilacs_2023",
        conflict=True,
    )
    # 16. Table: help and protection good; body heading (wrapped): inadequate.
    dates = "8 to 19 July 2019"
    yield Case3(
        "ilacs3-conflict-help-wrapped",
        _ilacs(
            "Edgeley Vale",
            [
                "Inspection of Edgeley Vale local authority children\u2019s services",
                f"Inspection dates: {dates}",
                "Lead inspector: Jazzer McCreary, Her Majesty\u2019s Inspector",
                "Judgement Grade",
                LEAD,
                RI,
                HP,
                "Good",
                ICCL,
                RI,
                f"Overall effectiveness {RI}",
                FILLER,
            ],
            None,
            [
                [f"{HP}:", "inadequate"],
                [f"{ICCL}: requires improvement to be good"],
                [f"{LEAD}: requires improvement to be good"],
            ],
            dates,
        ),
        "ilacs_2018",
        conflict=True,
    )
    # 17. Page 1 and the running header give different weeks.
    yield Case3(
        "ilacs3-conflict-dates",
        _ilacs(
            "Ambridge Chase",
            [
                "Inspection of Ambridge Chase local authority children\u2019s services",
                "Inspection dates: 4 to 15 March 2024",
                "Lead inspector: Kenton Archer, His Majesty\u2019s Inspector",
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
            None,
            [[f"{HP}: good"], [f"{IC}: good"], [f"{CL}: good"], [f"{LEAD}: good"]],
            "11 to 22 March 2024",
        ),
        "ilacs_2023",
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
    "Board",
]
SIF_SECTIONS = {
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "sif_looked_after_permanence": "The experiences and progress of children looked after and "
    "achieving permanence",
    "sif_leadership": "Leadership, management and governance",
}


def _sif(
    first: list[str],
    second: list[str],
    body: dict[str, list[str]],
    lead: str,
    lscb_page: list[str] | None = None,
) -> bytes:
    """Page 1 and 2 as given, a contents page, one page per body section, the LSCB section (if
    given), and the page naming the inspection team."""
    pages = [first, second]
    contents = ["3", "Contents", "Executive summary 2"]
    contents += [f"{SIF_SECTIONS[a]} {4 + i}" for i, a in enumerate(body)]
    pages.append(contents)
    for i, (_, lines) in enumerate(body.items()):
        pages.append([str(4 + i), *lines, FILLER, MORE])
    n = 4 + len(body)
    if lscb_page:
        pages.append([str(n), *lscb_page, FILLER])
        n += 1
    pages.append(
        [
            str(n),
            "Information about this inspection",
            "Inspectors have looked closely at the experiences of children and young people.",
            "The inspection team",
            f"Lead inspector: {lead}",
            "Team inspectors: Pat One, Lee Two, Sam Three",
        ]
    )
    return docs.pdf(pages)


def _sif_cases() -> Iterator[Case3]:
    # 1. 2014, LSCB on page 1 wrapped over lines; grid rows wrapped; leading zero in the date.
    yield Case3(
        "sif3-2014-lscb-wrapped",
        _sif(
            [
                "1",
                "Sandford City Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 11 March 2014 \u2013 02 April 2014",
                "Report published: 14 May 2014",
                "The overall judgement is that children\u2019s services require improvement",
                "1. Children who need help and protection Requires improvement",
                "2. Children looked after and achieving",
                "permanence",
                "Requires improvement",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "3. Leadership, management and governance Requires improvement",
                "The effectiveness of the Local Safeguarding Children Board (LSCB)",
                "requires improvement",
            ],
            ["2", "Executive summary", FILLER],
            {
                "help_and_protection": [SIF_SECTIONS["help_and_protection"], RI],
                "sif_looked_after_permanence": [
                    SIF_SECTIONS["sif_looked_after_permanence"],
                    RI,
                    "The graded judgement about adoption performance is that it is good",
                    "The graded judgement about the experiences and progress of care leavers "
                    "is that it requires improvement to be good",
                ],
                "sif_leadership": [SIF_SECTIONS["sif_leadership"], RI],
            },
            "Clarrie Grundy HMI",
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
        authority="Sandford City Council",
        published=D(2014, 5, 14),
        lead_inspector="Clarrie Grundy",
    )
    # 2. 2017 re-inspection, no LSCB review; curly apostrophe.
    yield Case3(
        "sif3-2017-no-lscb",
        _sif(
            [
                "1",
                "Metropolitan Borough of Wolverbridge",
                *SIF_TITLE,
                "Inspection date: 6 November 2017 \u2013 30 November 2017",
                "Report published: 19 January 2018",
                "Children\u2019s services in Wolverbridge are good",
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving permanence Good",
                "2.1 Adoption performance Outstanding",
                "2.2 Experiences and progress of care leavers Good",
                "3. Leadership, management and governance Good",
            ],
            ["2", "Executive summary", FILLER],
            {
                "help_and_protection": [f"{SIF_SECTIONS['help_and_protection']} Good"],
                "sif_looked_after_permanence": [
                    f"{SIF_SECTIONS['sif_looked_after_permanence']} Good"
                ],
                "sif_leadership": [f"{SIF_SECTIONS['sif_leadership']} Good"],
            },
            "Tony Archer",
        ),
        "sif",
        "good",
        {
            "help_and_protection": "good",
            "sif_looked_after_permanence": "good",
            "sif_adoption": "outstanding",
            "sif_care_leavers": "good",
            "sif_leadership": "good",
        },
        D(2017, 11, 6),
        D(2017, 11, 30),
        authority="Metropolitan Borough of Wolverbridge",
        published=D(2018, 1, 19),
        lead_inspector="Tony Archer",
    )
    # 3. The LSCB grade only in its section heading; dates across a year.
    yield Case3(
        "sif3-lscb-heading-only",
        _sif(
            [
                "1",
                "Eastbridge County Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 7 December 2015 to 7 January 2016",
                "Report published: 26 February 2016",
                "Children\u2019s services in Eastbridge are inadequate",
                "1. Children who need help and protection Inadequate",
                "2. Children looked after and achieving permanence Requires improvement",
                "2.1 Adoption performance Requires improvement",
                "2.2 Experiences and progress of care leavers Inadequate",
                "3. Leadership, management and governance Inadequate",
            ],
            ["2", "Executive summary", FILLER],
            {
                "help_and_protection": [SIF_SECTIONS["help_and_protection"], "Inadequate"],
                "sif_looked_after_permanence": [
                    SIF_SECTIONS["sif_looked_after_permanence"],
                    RI,
                ],
                "sif_leadership": [SIF_SECTIONS["sif_leadership"], "Inadequate"],
            },
            "Will Grundy",
            lscb_page=[
                "Section 2: Review of the effectiveness of the Local Safeguarding Children "
                "Board: requires improvement",
                "Executive summary",
                "The LSCB has made progress in the last year but it does not yet check well "
                "enough that front-line practice has improved.",
            ],
        ),
        "sif",
        "inadequate",
        {
            "help_and_protection": "inadequate",
            "sif_looked_after_permanence": "requires_improvement",
            "sif_adoption": "requires_improvement",
            "sif_care_leavers": "inadequate",
            "sif_leadership": "inadequate",
            "lscb": "requires_improvement",
        },
        D(2015, 12, 7),
        D(2016, 1, 7),
        authority="Eastbridge County Council",
        published=D(2016, 2, 26),
        lead_inspector="Will Grundy",
    )
    # 4. The overall sentence wrapped mid-grade; the grid runs on to page 2 with the LSCB.
    yield Case3(
        "sif3-sentence-wrapped-grid-split",
        _sif(
            [
                "1",
                "London Borough of Pemberton",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 18 January 2016 \u2013 9 February 2016",
                "Report published: 23 March 2016",
                "Children\u2019s services in the London Borough of Pemberton require",
                "improvement to be good",
                "1. Children who need help and protection Requires improvement",
                "2. Children looked after and achieving permanence Good",
            ],
            [
                "2",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "3. Leadership, management and governance Requires improvement",
                "The Local Safeguarding Children Board (LSCB) is good",
                "Executive summary",
                FILLER,
            ],
            {
                "help_and_protection": [SIF_SECTIONS["help_and_protection"], RI],
                "sif_looked_after_permanence": [
                    SIF_SECTIONS["sif_looked_after_permanence"],
                    "Good",
                ],
                "sif_leadership": [SIF_SECTIONS["sif_leadership"], RI],
            },
            "Emma Grundy",
        ),
        "sif",
        "requires_improvement",
        {
            "help_and_protection": "requires_improvement",
            "sif_looked_after_permanence": "good",
            "sif_adoption": "good",
            "sif_care_leavers": "requires_improvement",
            "sif_leadership": "requires_improvement",
            "lscb": "good",
        },
        D(2016, 1, 18),
        D(2016, 2, 9),
        authority="London Borough of Pemberton",
        published=D(2016, 3, 23),
        lead_inspector="Emma Grundy",
    )
    # 5. En dash without spaces, start month named once less; LSCB sentence 'The effectiveness
    # of the LSCB is good'.
    yield Case3(
        "sif3-endash-lscb-short",
        _sif(
            [
                "1",
                "Royal Borough of Cheyne",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 22 June\u201315 July 2015",
                "Report published: 3 September 2015",
                "Children\u2019s services in the Royal Borough of Cheyne are good",
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving permanence Good",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Good",
                "3. Leadership, management and governance Outstanding",
                "The effectiveness of the LSCB is good",
            ],
            ["2", "Executive summary", FILLER],
            {
                "help_and_protection": [SIF_SECTIONS["help_and_protection"], "Good"],
                "sif_looked_after_permanence": [
                    SIF_SECTIONS["sif_looked_after_permanence"],
                    "Good",
                ],
                "sif_leadership": [SIF_SECTIONS["sif_leadership"], "Outstanding"],
            },
            "Lilian Bellamy",
        ),
        "sif",
        "good",
        {
            "help_and_protection": "good",
            "sif_looked_after_permanence": "good",
            "sif_adoption": "good",
            "sif_care_leavers": "good",
            "sif_leadership": "outstanding",
            "lscb": "good",
        },
        D(2015, 6, 22),
        D(2015, 7, 15),
        authority="Royal Borough of Cheyne",
        published=D(2015, 9, 3),
        lead_inspector="Lilian Bellamy",
    )
    # 6. Adoption 'Not judged': no grade for it.
    yield Case3(
        "sif3-adoption-not-judged",
        _sif(
            [
                "1",
                "Ambridge Vale",
                *SIF_TITLE,
                "Inspection date: 13 March 2017 to 5 April 2017",
                "Report published: 26 May 2017",
                "Children\u2019s services in Ambridge Vale are good",
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving permanence Good",
                "2.1 Adoption performance Not judged",
                "2.2 Experiences and progress of care leavers Good",
                "3. Leadership, management and governance Good",
            ],
            ["2", "Executive summary", FILLER],
            {
                "help_and_protection": [SIF_SECTIONS["help_and_protection"], "Good"],
                "sif_looked_after_permanence": [
                    SIF_SECTIONS["sif_looked_after_permanence"],
                    "Good",
                ],
                "sif_leadership": [SIF_SECTIONS["sif_leadership"], "Good"],
            },
            "Jennifer Aldridge",
        ),
        "sif",
        "good",
        {
            "help_and_protection": "good",
            "sif_looked_after_permanence": "good",
            "sif_care_leavers": "good",
            "sif_leadership": "good",
        },
        D(2017, 3, 13),
        D(2017, 4, 5),
        authority="Ambridge Vale",
        published=D(2017, 5, 26),
        lead_inspector="Jennifer Aldridge",
    )
    # 7. 2014 'The overall judgement is Inadequate' with its explanation; month named once.
    yield Case3(
        "sif3-2014-overall-judgement",
        _sif(
            [
                "1",
                "Borchester Metropolitan Borough Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 20 May \u2013 11 June 2014",
                "Report published: 25 July 2014",
                "The overall judgement is Inadequate",
                "There are widespread and serious failures that create or leave children "
                "being harmed or at risk of harm.",
                "1. Children who need help and protection Inadequate",
                "2. Children looked after and achieving permanence Inadequate",
                "2.1 Adoption performance Requires improvement",
                "2.2 Experiences and progress of care leavers Inadequate",
                "3. Leadership, management and governance Inadequate",
                "The effectiveness of the Local Safeguarding Children Board (LSCB) is inadequate",
            ],
            ["2", "Executive summary", FILLER],
            {
                "help_and_protection": [
                    "The experiences and progress of children who need help and",
                    "protection Inadequate",
                ],
                "sif_looked_after_permanence": [
                    SIF_SECTIONS["sif_looked_after_permanence"],
                    "Inadequate",
                ],
                "sif_leadership": [SIF_SECTIONS["sif_leadership"], "Inadequate"],
            },
            "Matt Crawford",
        ),
        "sif",
        "inadequate",
        {
            "help_and_protection": "inadequate",
            "sif_looked_after_permanence": "inadequate",
            "sif_adoption": "requires_improvement",
            "sif_care_leavers": "inadequate",
            "sif_leadership": "inadequate",
            "lscb": "inadequate",
        },
        D(2014, 5, 20),
        D(2014, 6, 11),
        authority="Borchester Metropolitan Borough Council",
        published=D(2014, 7, 25),
        lead_inspector="Matt Crawford",
    )
    # 8. Conflict: grid leadership requires improvement, body heading inadequate.
    yield Case3(
        "sif3-conflict-leadership",
        _sif(
            [
                "1",
                "Westbury Council",
                *SIF_TITLE,
                "Inspection date: 10 October 2016 \u2013 3 November 2016",
                "Report published: 22 December 2016",
                "Children\u2019s services in Westbury require improvement to be good",
                "1. Children who need help and protection Requires improvement",
                "2. Children looked after and achieving permanence Requires improvement",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "3. Leadership, management and governance Requires improvement",
            ],
            ["2", "Executive summary", FILLER],
            {
                "help_and_protection": [SIF_SECTIONS["help_and_protection"], RI],
                "sif_looked_after_permanence": [
                    SIF_SECTIONS["sif_looked_after_permanence"],
                    RI,
                ],
                "sif_leadership": [SIF_SECTIONS["sif_leadership"], "Inadequate"],
            },
            "Rob Titchener",
        ),
        "sif",
        conflict=True,
    )


# -- before the single inspection framework -------------------------------------------------


def _pre_2013_cases() -> Iterator[Case3]:
    contents = [
        "Contents",
        "About this inspection 2",
        "The inspection judgements and what they mean 2",
        "Service information 3",
        "Overall effectiveness 4",
        "Capacity to improve 4",
        "Record of main findings 12",
    ]
    scale = [
        "All inspection judgements are made using the following four point scale.",
        "Outstanding (Grade 1) A service that significantly exceeds minimum requirements",
        "Good (Grade 2) A service that exceeds minimum requirements",
        "Adequate (Grade 3) A service that only meets minimum requirements",
        "Inadequate (Grade 4) A service that does not meet minimum requirements",
    ]
    # 1. 2013 looked after children: the grade as 'Grade 4 (Inadequate)' and in the record.
    running = "Felpersham County Council Inspection of looked after children services"
    yield Case3(
        "pre3-lac-2013",
        docs.pdf(
            [
                [
                    "Inspection of looked after children",
                    "services",
                    "Felpersham County Council",
                    "Inspection dates: 8 \u2013 12 July 2013",
                    "Reporting inspector Sam Jones HMI",
                    "Age group: All",
                    "Published: 16 August 2013",
                ],
                [f"{running} 1", *contents],
                [f"{running} 2", "About this inspection", FILLER, *scale],
                [
                    f"{running} 4",
                    "Overall effectiveness of services for looked after",
                    "children and young people",
                    "Grade 4 (Inadequate)",
                    "7. The overall effectiveness of services for looked after children and "
                    "young people is inadequate. " + FILLER,
                    "Capacity to improve",
                    "Grade 4 (Inadequate)",
                    MORE,
                ],
                [
                    f"{running} 12",
                    "Record of main findings",
                    "Overall effectiveness Inadequate",
                    "Capacity to improve Inadequate",
                    "Outcomes for looked after children and young people Inadequate",
                    "Quality of provision Inadequate",
                    "Leadership and management Inadequate",
                ],
            ]
        ),
        "pre_2013",
        "inadequate",
        {},
        D(2013, 7, 8),
        D(2013, 7, 12),
        authority="Felpersham County Council",
        published=D(2013, 8, 16),
        lead_inspector="Sam Jones",
    )
    # 2. 2012 protection of children: the judgement as a sentence and in a table.
    running = "Inspection of local authority arrangements for the protection of children"
    yield Case3(
        "pre3-protection-2012",
        docs.pdf(
            [
                [
                    "Inspection of local authority",
                    "arrangements for the protection of",
                    "children",
                    "Loamshire County Council",
                    "Inspection dates: 23 July \u2013 3 August 2012",
                    "Lead inspector: Marie Rowlands HMI",
                    "Age group: All",
                    "Published: 14 September 2012",
                ],
                [f"{running} 1", "Contents", "About this inspection 2", "Overall effectiveness 4"],
                [f"{running} 2", "About this inspection", FILLER, *scale],
                [
                    f"{running} 4",
                    "Overall effectiveness",
                    "Overall effectiveness Adequate",
                    "8. The overall effectiveness of the arrangements to protect children in "
                    "Loamshire is adequate. " + FILLER,
                    "Areas for improvement",
                    MORE,
                ],
            ]
        ),
        "pre_2013",
        "adequate",
        {},
        D(2012, 7, 23),
        D(2012, 8, 3),
        authority="Loamshire County Council",
        published=D(2012, 9, 14),
        lead_inspector="Marie Rowlands",
    )
    # 3. 2012 looked after children, good, across a month end.
    running = "Borchester City Council Inspection of looked after children services"
    yield Case3(
        "pre3-lac-2012-good",
        docs.pdf(
            [
                [
                    "Inspection of looked after children",
                    "services",
                    "Borchester City Council",
                    "Inspection dates: 30 January \u2013 10 February 2012",
                    "Reporting inspector Neil Carter HMI",
                    "Age group: All",
                    "Published: 16 March 2012",
                ],
                [f"{running} 1", *contents],
                [f"{running} 2", "About this inspection", FILLER, *scale],
                [
                    f"{running} 4",
                    "Overall effectiveness of services for looked after",
                    "children and young people",
                    "Grade 2 (Good)",
                    "7. The overall effectiveness of services for looked after children and "
                    "young people is good. " + FILLER,
                    "Capacity to improve",
                    "Grade 1 (Outstanding)",
                    MORE,
                ],
                [
                    f"{running} 12",
                    "Record of main findings",
                    "Overall effectiveness Good",
                    "Capacity to improve Outstanding",
                    "Outcomes for looked after children and young people Good",
                ],
            ]
        ),
        "pre_2013",
        "good",
        {},
        D(2012, 1, 30),
        D(2012, 2, 10),
        authority="Borchester City Council",
        published=D(2012, 3, 16),
        lead_inspector="Neil Carter",
    )


# -- letters and area reports ---------------------------------------------------------------

LETTERHEAD_2019 = [
    "Ofsted",
    "Piccadilly Gate",
    "Store Street",
    "Manchester",
    "M1 2WD",
    "T 0300 123 1231",
    "enquiries@ofsted.gov.uk",
    "www.gov.uk/ofsted",
]
LETTERHEAD = ["Ofsted", "Agora", "6 Cumberland Place", "Nottingham NG1 6HJ", "T 0300 123 1231"]


def _letter_cases() -> Iterator[Case3]:
    # Focused visits.
    yield Case3(
        "focused3-2019-none",
        docs.pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "24 October 2019",
                    "Ms Helen Archer",
                    "Director of children\u2019s services",
                    "Dear Ms Archer",
                    "Focused visit to Borsetshire children\u2019s services",
                    "This letter summarises the findings of a focused visit to Borsetshire "
                    "children\u2019s services on 1 and 2 October 2019. The inspectors were Pat "
                    "One and Lee Two, Her Majesty\u2019s Inspectors.",
                    "Inspectors looked at the local authority\u2019s arrangements for children "
                    "in need and those subject to a child protection plan.",
                    "Overview",
                    FILLER,
                ],
                ["2", MORE, "What needs to improve in this area of social work practice", MORE],
                [
                    "3",
                    "Findings",
                    FILLER,
                    "Yours sincerely",
                    "Pat One",
                    "Her Majesty\u2019s Inspector",
                ],
            ]
        ),
        "other",
        start=D(2019, 10, 1),
        end=D(2019, 10, 2),
        signal={"kind": "focused_visit", "priority_action": "none"},
        authority="Borsetshire",
    )
    yield Case3(
        "focused3-weekdays-found",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Mr Grundy",
                    "Focused visit to Darrington children\u2019s services",
                    "This letter summarises the findings of the focused visit to Darrington "
                    "children\u2019s services on Tuesday 7 and Wednesday 8 September 2021. Her "
                    "Majesty\u2019s Inspectors for this visit were Pat One and Lee Two.",
                    "Headline findings",
                    FILLER,
                ],
                [
                    "2",
                    "Areas for priority action",
                    "\u2022 Leaders must make sure that children who are at risk of significant "
                    "harm are seen and protected without delay.",
                    "\u2022 Managers must check that strategy meetings are held when they are "
                    "needed.",
                    "What needs to improve in this area of social work practice?",
                    MORE,
                    "Main findings",
                    FILLER,
                ],
                ["3", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2021, 9, 7),
        end=D(2021, 9, 8),
        signal={"kind": "focused_visit", "priority_action": "found"},
        authority="Darrington",
    )
    yield Case3(
        "focused3-ordinals-remain",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Ms Snell",
                    "Focused visit to Great Hanbury children\u2019s services",
                    "This letter summarises the findings of the focused visit to Great Hanbury "
                    "children\u2019s services on 14th and 15th November 2023. His Majesty\u2019s "
                    "Inspectors for this visit were Pat One and Lee Two.",
                    "Headline findings",
                    FILLER,
                    "Area for priority action",
                    "The area for priority action identified at the focused visit in March 2023 "
                    "has not yet been fully addressed, and it remains in place. Inspectors did "
                    "not identify any new areas for priority action.",
                    "What needs to improve in this area of social work practice?",
                    MORE,
                ],
                ["2", "Main findings", FILLER, MORE],
                ["3", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2023, 11, 14),
        end=D(2023, 11, 15),
        signal={"kind": "focused_visit", "priority_action": "remain"},
        authority="Great Hanbury",
    )
    yield Case3(
        "focused3-across-months-none",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Focused visit to Kingston upon Borchester City Council children\u2019s "
                    "services",
                    "This letter summarises the findings of the focused visit to Kingston upon "
                    "Borchester City Council children\u2019s services on 30 September and 1 "
                    "October 2024. His Majesty\u2019s Inspectors for this visit were Pat One "
                    "and Lee Two.",
                    "Headline findings",
                    "Leaders have made children at risk of exploitation a priority, and "
                    "prioritised the recruitment of permanent social workers. " + FILLER,
                    "What needs to improve in this area of social work practice?",
                    MORE,
                ],
                ["2", "Main findings", FILLER, MORE],
                ["3", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2024, 9, 30),
        end=D(2024, 10, 1),
        signal={"kind": "focused_visit", "priority_action": "none"},
        authority="Kingston upon Borchester City Council",
    )
    yield Case3(
        "focused3-three-days-found",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Focused visit to Lakey Hill children\u2019s services",
                    "This letter summarises the findings of the focused visit to Lakey Hill "
                    "children\u2019s services on 27, 28 and 29 February 2024. His Majesty\u2019s "
                    "Inspectors for this visit were Pat One and Lee Two.",
                    "Headline findings",
                    FILLER,
                    "Area for priority action",
                    "1. The response to children who go missing from care, including return "
                    "home interviews and the action taken after them.",
                    "What needs to improve in this area of social work practice?",
                    MORE,
                ],
                ["2", "Main findings", FILLER, MORE],
                ["3", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2024, 2, 27),
        end=D(2024, 2, 29),
        signal={"kind": "focused_visit", "priority_action": "found"},
        authority="Lakey Hill",
    )
    # Monitoring visits.
    headline = "The local authority has made steady progress since the last visit."
    yield Case3(
        "monitoring3-2016-first-overview",
        docs.pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "Dear Mr Carter",
                    "Monitoring visit of Sandford local authority children\u2019s services",
                    "This letter summarises the findings of the monitoring visit to Sandford "
                    "local authority children\u2019s services on 12 and 13 May 2016. The visit "
                    "was the first monitoring visit since the local authority was judged "
                    "inadequate in January 2016. The inspectors were Pat One and Lee Two, Her "
                    "Majesty\u2019s Inspectors.",
                    "Overview",
                    f"{headline} {FILLER}",
                    "Findings and evaluation of progress",
                    MORE,
                ],
                ["2", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2016, 5, 12),
        end=D(2016, 5, 13),
        signal={"kind": "monitoring_visit", "visit_number": 1, "headline": headline},
        authority="Sandford",
    )
    headline = "Leaders have not improved the quality of help for children quickly enough."
    yield Case3(
        "monitoring3-digits-endash",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Ms Aldridge",
                    "Monitoring visit to Westbury children\u2019s services",
                    "This letter summarises the findings of the monitoring visit to Westbury "
                    "children\u2019s services on 8\u20139 June 2022. This visit was the 4th "
                    "monitoring visit since the local authority was judged inadequate in 2020. "
                    "His Majesty\u2019s Inspectors for this visit were Pat One and Lee Two.",
                    "Areas covered by the visit",
                    MORE,
                    "Headline findings",
                    f"{headline} {FILLER}",
                ],
                ["2", "Findings and evaluation of progress", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2022, 6, 8),
        end=D(2022, 6, 9),
        signal={"kind": "monitoring_visit", "visit_number": 4, "headline": headline},
        authority="Westbury",
    )
    headline = "Services for children are improving at a steady pace."
    yield Case3(
        "monitoring3-seventh-weekdays",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Monitoring visit to Heydon Berrow children\u2019s services",
                    "This letter summarises the findings of the seventh monitoring visit to "
                    "Heydon Berrow children\u2019s services on Wednesday 6 and Thursday 7 March "
                    "2024. This was the seventh monitoring visit since the local authority was "
                    "judged inadequate in June 2021.",
                    "Headline findings",
                    f"{headline} {FILLER}",
                ],
                ["2", FILLER, "Yours sincerely", "Pat One"],
            ]
        ),
        "other",
        start=D(2024, 3, 6),
        end=D(2024, 3, 7),
        signal={"kind": "monitoring_visit", "visit_number": 7, "headline": headline},
        authority="Heydon Berrow",
    )
    # Joint targeted area inspections.
    yield Case3(
        "jtai3-domestic-abuse",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Joint targeted area inspection of the multi-agency response to children "
                    "living with domestic abuse in Loamshire",
                    "Between 5 and 9 June 2017, Ofsted, the Care Quality Commission (CQC), HMI "
                    "Constabulary (HMIC) and HMI Probation (HMIP) undertook a joint inspection "
                    "of the multi-agency response to children living with domestic abuse in "
                    "Loamshire.",
                    FILLER,
                ],
                ["2", MORE],
            ]
        ),
        "other",
        start=D(2017, 6, 5),
        end=D(2017, 6, 9),
        signal={
            "kind": "jtai",
            "theme": "children living with domestic abuse",
            "theme_key": "domestic_abuse",
        },
        authority="Loamshire",
    )
    yield Case3(
        "jtai3-criminal-exploitation-wrapped",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Joint targeted area inspection of the multi-agency response to the",
                    "criminal exploitation of children in Eastbridge",
                    "Between 16 and 20 April 2018, Ofsted, the Care Quality Commission (CQC), "
                    "HMI Constabulary and Fire and Rescue Services (HMICFRS) and HMI Probation "
                    "(HMIP) undertook a joint inspection of the multi-agency response to the "
                    "criminal exploitation of children in Eastbridge.",
                    FILLER,
                ],
                ["2", MORE],
            ]
        ),
        "other",
        start=D(2018, 4, 16),
        end=D(2018, 4, 20),
        signal={
            "kind": "jtai",
            # as printed less its leading 'the', which the project drops from every name
            "theme": "criminal exploitation of children",
            "theme_key": "criminal_exploitation",
        },
        authority="Eastbridge",
    )
    yield Case3(
        "jtai3-serious-youth-violence",
        docs.pdf(
            [
                [
                    *LETTERHEAD,
                    "Dear Director",
                    "Joint targeted area inspection of the multi-agency response to serious "
                    "youth violence in Westbury",
                    "From 4 to 8 March 2024, Ofsted, the Care Quality Commission (CQC), His "
                    "Majesty\u2019s Inspectorate of Constabulary and Fire and Rescue Services "
                    "(HMICFRS) and His Majesty\u2019s Inspectorate of Probation (HMIP) carried "
                    "out a joint targeted area inspection of the multi-agency response to "
                    "serious youth violence in Westbury.",
                    FILLER,
                ],
                ["2", MORE],
            ]
        ),
        "other",
        start=D(2024, 3, 4),
        end=D(2024, 3, 8),
        signal={
            "kind": "jtai",
            "theme": "serious youth violence",
            # labelled so on the first run; the project grouped it with criminal exploitation
            # then, and has given it a key of its own since (signals.toml)
            "theme_key": "serious_youth_violence",
        },
        authority="Westbury",
    )
    # Area SEND, 2023 framework.
    yield Case3(
        "send3-inconsistent-dash",
        docs.pdf(
            [
                [
                    "Local Area Partnership report",
                    "Area SEND inspection of Westbury Local Area Partnership",
                    "Inspection dates: 30 September \u2013 4 October 2024",
                    "Date of previous inspection: 6 to 10 March 2017",
                    "Inspection outcome",
                    docs.SEND_OUTCOME_TEXT["inconsistent"]
                    + " The local area partnership must work jointly to make improvements.",
                    "The next full area SEND inspection will be within approximately 3 years. "
                    "Ofsted and CQC ask that the local area partnership updates and publishes "
                    "its strategic plan based on the recommendations set out in this report.",
                    FILLER,
                ],
                [
                    "Area SEND inspection report: Westbury Local Area Partnership, 30 September "
                    "to 4 October 2024 2",
                    FILLER,
                ],
            ]
        ),
        "other",
        start=D(2024, 9, 30),
        end=D(2024, 10, 4),
        signal={"kind": "area_send", "send_outcome": "inconsistent", "next_inspection_months": 36},
        authority="Westbury",
    )
    yield Case3(
        "send3-systemic-reinspection",
        docs.pdf(
            [
                [
                    "Local Area Partnership report",
                    "Area SEND inspection of Eastbridge",
                    "Local Area Partnership",
                    "Inspection dates: 9 to 13 December 2024",
                    "Date of previous inspection: Not previously inspected",
                    "Inspection outcome",
                    docs.SEND_OUTCOME_TEXT["systemic_failings"][:-1]
                    + ", which the local area partnership must address urgently.",
                    "A monitoring inspection will be carried out within approximately 18 months. "
                    "The next full reinspection will be within approximately three years.",
                    "As a result of this inspection, His Majesty\u2019s Chief Inspector requires "
                    "the local area partnership to prepare and submit a priority action plan "
                    "(area SEND) to address the identified areas for priority action.",
                ],
                [
                    "Area SEND inspection report: Eastbridge Local Area Partnership, 9 to 13 "
                    "December 2024 2",
                    FILLER,
                ],
            ]
        ),
        "other",
        start=D(2024, 12, 9),
        end=D(2024, 12, 13),
        signal={
            "kind": "area_send",
            "send_outcome": "systemic_failings",
            "next_inspection_months": 36,
            "monitoring_inspection_months": 18,
        },
        authority="Eastbridge",
    )
    yield Case3(
        "send3-positive-wrapped",
        docs.pdf(
            [
                [
                    "Local Area Partnership report",
                    "Area SEND inspection of Loamshire Local Area Partnership",
                    "Inspection dates: 10\u201314 March 2025",
                    "Dates of previous inspection: 16 to 20 October 2017",
                    "Inspection outcome",
                    "The local area partnership\u2019s special educational needs and/or",
                    "disabilities (SEND) arrangements typically lead to positive experiences and",
                    "outcomes for children and young people with SEND. The local area "
                    "partnership is taking action where improvements are needed.",
                    "The next full area SEND inspection will be within approximately 5 years.",
                    FILLER,
                ],
                ["Area SEND inspection report: Loamshire Local Area Partnership 2", FILLER],
            ]
        ),
        "other",
        start=D(2025, 3, 10),
        end=D(2025, 3, 14),
        signal={"kind": "area_send", "send_outcome": "positive", "next_inspection_months": 60},
        authority="Loamshire",
    )
    # Area SEND, 2016 to 2022 letters.
    yield Case3(
        "send2016-3-wsoa-required",
        docs.pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "Dear Director",
                    "Joint local area special educational needs and/or disabilities (SEND) "
                    "inspection in Eastbridge",
                    "Between 26 February 2018 and 2 March 2018, Ofsted and the Care Quality "
                    "Commission (CQC) conducted a joint inspection of the local area of "
                    "Eastbridge to judge the effectiveness of the area in implementing the "
                    "special educational needs and/or disabilities (SEND) reforms as set out in "
                    "the Children and Families Act 2014.",
                    "As a result of the findings of this inspection and in accordance with the "
                    "Children Act 2004 (Joint Area Reviews) Regulations 2015, Her Majesty\u2019s "
                    "Chief Inspector (HMCI) has determined that a Written Statement of Action "
                    "(WSOA) is required because of significant areas of weakness in the local "
                    "area\u2019s practice. HMCI has also determined that the local authority and "
                    "the area\u2019s clinical commissioning group(s) are jointly responsible for "
                    "submitting the written statement to Ofsted.",
                    FILLER,
                ],
                ["2", "Main findings", FILLER],
            ]
        ),
        "other",
        start=D(2018, 2, 26),
        end=D(2018, 3, 2),
        signal={"kind": "area_send_2016", "written_statement_required": True},
        authority="Eastbridge",
    )
    yield Case3(
        "send2016-3-from-silent",
        docs.pdf(
            [
                [
                    *LETTERHEAD_2019,
                    "Dear Director",
                    "Joint local area SEND inspection in Darrington",
                    "From 14 to 18 January 2019, Ofsted and the Care Quality Commission (CQC) "
                    "conducted a joint inspection of the local area of Darrington to judge the "
                    "effectiveness of the area in implementing the disability and special "
                    "educational needs reforms as set out in the Children and Families Act 2014.",
                    "This letter outlines our findings from the inspection, including some "
                    "areas of strength and areas for further improvement.",
                    FILLER,
                ],
                ["2", "Main findings", FILLER],
            ]
        ),
        "other",
        start=D(2019, 1, 14),
        end=D(2019, 1, 18),
        signal={"kind": "area_send_2016", "written_statement_required": False},
        authority="Darrington",
    )


def cases_3() -> Iterator[Case3]:
    yield from _ilacs_cases()
    yield from _sif_cases()
    yield from _pre_2013_cases()
    yield from _letter_cases()
