"""Held-out set 7: 30 documents written blind (without reading the extractor, its rules, its
tests or the notes of its misses), concentrating on GRADED reports whose first pages are read in
another order than the usual: ILACS first pages laid out in two columns (the summary paragraph
extracted between the table's rows), a title split by the page header, the council named only
in the running header, judgement labels abbreviated or worded differently ('The impact of
leaders on social work practice' alone, 'Overall effectiveness of children's services'), the
table exported column by column; SIF reports with a cover page (so 'Children's services in X
are good' is on the PDF's page 2), grids whose numbered rows say 'Experiences and progress of
children who need help and protection', grids column-wise or reordered; pre-2013 inspections;
and three documents whose two readings genuinely disagree.

Councils' grades and people are invented. Written and committed before the extractor was run
on them; bench/heldout_reports.py --set 7 prints the figures.

NO LONGER HELD OUT: after its first run (figures in tests/data/ofsted/README.md: overall 20/27,
6 refusals and 1 false conflict, no wrong grade) the extractor was fixed from its misses, so
these now measure regressions. No document or label was changed after the first run; one
document (sif7-2017-twocol-grid) draws no grid, its helper ignoring the two-column item, and is
rightly refused.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from tests import report_documents as docs
from tests.heldout_reports_3 import Case3
from tests.heldout_reports_4 import (
    FOOTNOTE,
    SEC_HP,
    SEC_LA,
    SEC_LEAD,
    SEC_LSCB,
    SIF_LSCB_TITLE,
    SIF_TITLE,
    _sif,
)
from tests.heldout_reports_6 import (
    CL,
    CS,
    HMI,
    HP,
    IC,
    ICCL,
    INAD,
    LEAD,
    MORE,
    OUT,
    RI,
    G,
    _j2018,
    _j2023,
    _pre,
)

D = date
FILLER = docs._FILLER
LEAD_SHORT = "The impact of leaders on social work practice"
SUMMARY = (
    "Children and families in this council receive help that is well matched to their needs. "
    "Leaders know their services well and have acted to strengthen practice since the last "
    "inspection, although some care leavers do not yet have the support they need."
)


def pdf7(pages: Sequence[Sequence[object]]) -> bytes:
    """As set 4's pdf(), plus ("twocol", rows, text): a narrow table on the left (label, grade
    side by side) and a paragraph in the right column, drawn interleaved so that text
    extraction gives a row, some summary lines, the next row, more summary lines..."""
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
                for label, _grade in rows:
                    tops.append(y)
                    lines = simpleSplit(label, font, 10, 300)
                    for i, line in enumerate(lines):
                        c.drawString(60, y - 13 * i, line)
                    y -= 13 * len(lines) + 6
                for top, (_, grade) in zip(tops, rows, strict=True):
                    c.drawString(390, top, grade)
            elif item[0] == "twocol":
                _, rows, text = item
                c.setFont(font, 9)
                para = simpleSplit(text, font, 9, 200)
                per = max(1, -(-len(para) // max(1, len(rows))))
                top = y
                for k, (label, grade) in enumerate(rows):
                    lines = simpleSplit(label, font, 9, 150)
                    for i, line in enumerate(lines):
                        c.drawString(50, y - 11 * i, line)
                    c.drawString(210, y, grade)
                    for j, line in enumerate(para[k * per : (k + 1) * per]):
                        c.drawString(330, top - 11 * (k * per + j), line)
                    y -= 11 * len(lines) + 6
                y = min(y, top - 11 * len(para)) - 8
            if y < 50:
                break
        c.showPage()
    c.save()
    return out.getvalue()


def _ilacs7(
    first: list[object],
    header: tuple[str, str | None] | None,
    headings: list[list[str]],
    cover: list[object] | None = None,
) -> bytes:
    """As set 6's ILACS document (page 1, page 2 'What needs to improve?', a page per body
    heading under the running header), built with pdf7, with a cover page if given."""

    def top(n: int) -> list[str]:
        if header is None:
            return [str(n)]
        title, dates = header
        return [title, f"{dates} {n}" if dates else str(n)]

    pages: list[list[object]] = [first, [*top(2), "What needs to improve?", MORE]]
    for n, lines in enumerate(headings, 3):
        pages.append([*top(n), *lines, FILLER, MORE])
    return pdf7([cover, *pages] if cover else pages)


def _body2023(lead: str, hp: str, ic: str, cl: str, lead_heading: str = LEAD) -> list[list[str]]:
    return [
        [f"{HP}: {hp.lower()}"],
        [f"{IC}: {ic.lower()}"],
        [f"{CL}: {cl.lower()}"],
        [f"{lead_heading}: {lead.lower()}"],
    ]


def _body2018(lead: str, hp: str, iccl: str, lead_heading: str = LEAD) -> list[list[str]]:
    return [
        [f"{HP}: {hp.lower()}"],
        [f"{ICCL}: {iccl.lower()}"],
        [f"{lead_heading}: {lead.lower()}"],
    ]


def _ilacs_cases() -> Iterator[Case3]:
    # 1. 2023 two columns: the table on the left, the summary on the right, text extracted
    # row, summary lines, row, summary lines...
    title = f"Inspection of Fenshire local authority {CS}"
    rows = [(LEAD, G), (HP, G), (IC, RI), (CL, RI), ("Overall effectiveness", G)]
    yield Case3(
        "ilacs7-2023-twocol-summary-between",
        _ilacs7(
            [
                title,
                "Inspection dates: 13 to 24 January 2025",
                f"Lead inspector: Kay Marsh, {HMI}",
                ("twocol", [("Judgement", "Grade"), *rows], SUMMARY + " " + SUMMARY),
                FILLER,
            ],
            (title, "13 to 24 January 2025"),
            _body2023(G, G, RI, RI),
        ),
        "ilacs_2023",
        "good",
        _j2023(G, G, RI, RI),
        D(2025, 1, 13),
        D(2025, 1, 24),
        authority="Fenshire",
        lead_inspector="Kay Marsh",
    )
    # 2. 2018 two columns, the overall row first; summary between rows.
    title = f"Inspection of Dunmore local authority {CS}"
    rows = [("Overall effectiveness", RI), (LEAD, RI), (HP, RI), (ICCL, G)]
    yield Case3(
        "ilacs7-2018-twocol-overall-first",
        _ilacs7(
            [
                title,
                "Inspection dates: 4 to 15 February 2019",
                f"Lead inspector: Neil Bright, {HERS}",
                ("twocol", rows, SUMMARY),
                FILLER,
            ],
            (title, "4 to 15 February 2019"),
            _body2018(RI, RI, G),
        ),
        "ilacs_2018",
        "requires_improvement",
        _j2018(RI, RI, G),
        D(2019, 2, 4),
        D(2019, 2, 15),
        authority="Dunmore",
        lead_inspector="Neil Bright",
    )
    # 3. The title split by the page header: 'Ofsted' and the page number between its lines.
    title = f"Inspection of Holmford local authority {CS}"
    yield Case3(
        "ilacs7-2023-title-split-header",
        _ilacs7(
            [
                "Inspection of Holmford local",
                "Ofsted",
                "1",
                f"authority {CS}",
                "Inspection dates: 2 to 13 December 2024",
                f"Lead inspector: Rita Pond, {HMI}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD, RI),
                ("row", HP, G),
                ("row", IC, RI),
                ("row", CL, INAD),
                ("row", "Overall effectiveness", RI),
                FILLER,
            ],
            (title, "2 to 13 December 2024"),
            _body2023(RI, G, RI, INAD),
        ),
        "ilacs_2023",
        "requires_improvement",
        _j2023(RI, G, RI, INAD),
        D(2024, 12, 2),
        D(2024, 12, 13),
        authority="Holmford",
        lead_inspector="Rita Pond",
    )
    # 4. The council named only in the running header; page 1's title is generic.
    title = f"Inspection of Marlshire local authority {CS}"
    yield Case3(
        "ilacs7-2019-council-only-in-header",
        _ilacs7(
            [
                f"Inspection of local authority {CS}",
                "Inspection dates: 11 to 22 November 2019",
                f"Lead inspector: Olu Adeyemi, {HERS}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD, G),
                ("row", HP, G),
                ("row", ICCL, G),
                ("row", "Overall effectiveness", G),
                FILLER,
            ],
            (title, "11 to 22 November 2019"),
            _body2018(G, G, G),
        ),
        "ilacs_2018",
        "good",
        _j2018(G, G, G),
        D(2019, 11, 11),
        D(2019, 11, 22),
        authority="Marlshire",
        lead_inspector="Olu Adeyemi",
    )
    # 5. Leaders' row and heading without 'with children and families'.
    title = f"Inspection of Penwith Vale local authority {CS}"
    yield Case3(
        "ilacs7-2023-leaders-short",
        _ilacs7(
            [
                title,
                "Inspection dates: 10 to 21 March 2025",
                f"Lead inspector: Gus Hale, {HMI}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD_SHORT, OUT),
                ("row", HP, G),
                ("row", IC, OUT),
                ("row", CL, G),
                ("row", "Overall effectiveness", OUT),
                FILLER,
            ],
            (title, "10 to 21 March 2025"),
            _body2023(OUT, G, OUT, G, lead_heading=LEAD_SHORT),
        ),
        "ilacs_2023",
        "outstanding",
        _j2023(OUT, G, OUT, G),
        D(2025, 3, 10),
        D(2025, 3, 21),
        authority="Penwith Vale",
        lead_inspector="Gus Hale",
    )
    # 6. 'Overall effectiveness of children's services' as the overall row.
    title = f"Inspection of Coldridge local authority {CS}"
    yield Case3(
        "ilacs7-2018-overall-of-childrens-services",
        _ilacs7(
            [
                title,
                "Inspection dates: 23 September to 4 October 2019",
                f"Lead inspector: Ian Frost, {HERS}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD, INAD),
                ("row", HP, INAD),
                ("row", ICCL, RI),
                ("row", f"Overall effectiveness of {CS}", INAD),
                FILLER,
            ],
            (title, "23 September to 4 October 2019"),
            _body2018(INAD, INAD, RI),
        ),
        "ilacs_2018",
        "inadequate",
        _j2018(INAD, INAD, RI),
        D(2019, 9, 23),
        D(2019, 10, 4),
        authority="Coldridge",
        lead_inspector="Ian Frost",
    )
    # 7. Labels without the leading 'The', and the table column-wise.
    title = f"Inspection of Ashbourne Marsh local authority {CS}"
    rows = [
        ("Impact of leaders on social work practice with children and families", G),
        ("Experiences and progress of children who need help and protection", RI),
        ("Experiences and progress of children in care", G),
        ("Experiences and progress of care leavers", G),
        ("Overall effectiveness", G),
    ]
    yield Case3(
        "ilacs7-2023-no-the-cols",
        _ilacs7(
            [
                title,
                "Inspection dates: 16 to 27 June 2025",
                f"Lead inspector: Pip Rowe, {HMI}",
                ("row", "Judgement", "Grade"),
                ("cols", rows),
                FILLER,
            ],
            (title, "16 to 27 June 2025"),
            _body2023(G, RI, G, G),
        ),
        "ilacs_2023",
        "good",
        _j2023(G, RI, G, G),
        D(2025, 6, 16),
        D(2025, 6, 27),
        authority="Ashbourne Marsh",
        lead_inspector="Pip Rowe",
    )
    # 8. Cover page first; the title in three lines; 'City of' council.
    title = f"Inspection of City of Wexcaster local authority {CS}"
    yield Case3(
        "ilacs7-2022-cover-title-three-lines",
        _ilacs7(
            [
                "Inspection of City of",
                "Wexcaster local authority",
                CS,
                "Inspection dates: 7 to 18 March 2022",
                f"Lead inspector: Bea Lund, {HMI}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD, RI),
                ("row", HP, RI),
                ("row", ICCL, RI),
                ("row", "Overall effectiveness", RI),
                FILLER,
            ],
            (title, "7 to 18 March 2022"),
            _body2018(RI, RI, RI),
            cover=["Ofsted", "Inspection report", "City of Wexcaster", "March 2022"],
        ),
        "ilacs_2018",
        "requires_improvement",
        _j2018(RI, RI, RI),
        D(2022, 3, 7),
        D(2022, 3, 18),
        authority="City of Wexcaster",
        lead_inspector="Bea Lund",
    )
    # 9. The summary paragraph (full width) between every two rows, 2023 four rows; the
    # overall row last with its grade on the next line.
    title = f"Inspection of Ravensmoor local authority {CS}"
    yield Case3(
        "ilacs7-2023-summary-between-rows",
        _ilacs7(
            [
                title,
                "Inspection dates: 30 September to 11 October 2024",
                f"Lead inspector: Tess Ng, {HMI}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD, G),
                "Leaders have a clear understanding of the quality of practice.",
                ("row", HP, G),
                "Children at risk of harm are protected quickly.",
                ("row", IC, G),
                "Most children in care live in stable homes.",
                ("row", CL, RI),
                "Some care leavers do not have suitable accommodation.",
                "Overall effectiveness",
                "Good",
                FILLER,
            ],
            (title, "30 September to 11 October 2024"),
            _body2023(G, G, G, RI),
        ),
        "ilacs_2023",
        "good",
        _j2023(G, G, G, RI),
        D(2024, 9, 30),
        D(2024, 10, 11),
        authority="Ravensmoor",
        lead_inspector="Tess Ng",
    )
    # 10. Abbreviated labels ('Help and protection', 'Children in care', 'Care leavers',
    # 'Leadership'), headings in full in the body.
    title = f"Inspection of Tarnside local authority {CS}"
    yield Case3(
        "ilacs7-2024-abbreviated-labels",
        _ilacs7(
            [
                title,
                "Inspection dates: 20 to 31 May 2024",
                f"Lead inspector: Abe Cross, {HMI}",
                ("row", "Judgement", "Grade"),
                ("row", "Impact of leaders", RI),
                ("row", "Help and protection", RI),
                ("row", "Children in care", G),
                ("row", "Care leavers", RI),
                ("row", "Overall effectiveness", RI),
                FILLER,
            ],
            (title, "20 to 31 May 2024"),
            _body2023(RI, RI, G, RI),
        ),
        "ilacs_2023",
        "requires_improvement",
        _j2023(RI, RI, G, RI),
        D(2024, 5, 20),
        D(2024, 5, 31),
        authority="Tarnside",
        lead_inspector="Abe Cross",
    )
    # 11. Two columns, 2023, each label wrapped to four lines, the header row 'Judgements'.
    title = f"Inspection of Eastwold local authority {CS}"
    rows = [("Judgements", ""), (LEAD, INAD), (HP, RI), (IC, INAD), (CL, INAD)]
    rows.append(("Overall effectiveness", INAD))
    yield Case3(
        "ilacs7-2024-twocol-inadequate",
        _ilacs7(
            [
                title,
                "Inspection dates: 15 to 26 April 2024",
                f"Lead inspector: Wyn Price, {HMI}",
                ("twocol", rows, SUMMARY + " " + FILLER),
            ],
            (title, "15 to 26 April 2024"),
            _body2023(INAD, RI, INAD, INAD),
        ),
        "ilacs_2023",
        "inadequate",
        _j2023(INAD, RI, INAD, INAD),
        D(2024, 4, 15),
        D(2024, 4, 26),
        authority="Eastwold",
        lead_inspector="Wyn Price",
    )
    # 12. 2018 short inspection, leaders' wording short, the running header without dates.
    title = f"Inspection of Brackenfield local authority {CS}"
    yield Case3(
        "ilacs7-2021-short-leaders-short",
        _ilacs7(
            [
                title,
                "Inspection dates: 22 to 26 November 2021",
                f"Lead inspector: Cal Reed, {HMI}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD_SHORT, G),
                ("row", HP, G),
                ("row", ICCL, G),
                ("row", "Overall effectiveness", G),
                "This was a short inspection. " + FILLER,
            ],
            (title, None),
            _body2018(G, G, G, lead_heading=LEAD_SHORT),
        ),
        "ilacs_2018",
        "good",
        _j2018(G, G, G),
        D(2021, 11, 22),
        D(2021, 11, 26),
        authority="Brackenfield",
        lead_inspector="Cal Reed",
    )
    # 13. CONFLICT: 2018 two columns; the table says leaders good, the body requires
    # improvement.
    title = f"Inspection of Sandmere local authority {CS}"
    rows = [(LEAD, G), (HP, G), (ICCL, G), ("Overall effectiveness", G)]
    yield Case3(
        "ilacs7-conflict-leaders",
        _ilacs7(
            [
                title,
                "Inspection dates: 8 to 19 July 2019",
                f"Lead inspector: Lou Vance, {HERS}",
                ("twocol", rows, SUMMARY),
                FILLER,
            ],
            (title, "8 to 19 July 2019"),
            _body2018(RI, G, G),
        ),
        "ilacs_2018",
        conflict=True,
    )
    # 14. CONFLICT: page 1 dates 4 to 15 November 2024; the running header 11 to 22.
    title = f"Inspection of Greyhaven local authority {CS}"
    yield Case3(
        "ilacs7-conflict-dates",
        _ilacs7(
            [
                title,
                "Inspection dates: 4 to 15 November 2024",
                f"Lead inspector: Nia Ward, {HMI}",
                ("row", "Judgement", "Grade"),
                ("row", LEAD, G),
                ("row", HP, G),
                ("row", IC, G),
                ("row", CL, G),
                ("row", "Overall effectiveness", G),
                FILLER,
            ],
            (title, "11 to 22 November 2024"),
            _body2023(G, G, G, G),
        ),
        "ilacs_2023",
        conflict=True,
    )


HERS = "Her Majesty\u2019s Inspector"

# -- SIF ------------------------------------------------------------------------------------

SIF_BODY_GOOD = [
    [SEC_HP, "Good"],
    [
        SEC_LA,
        "Good",
        "The graded judgement about adoption performance is that it is good",
        "The graded judgement about the experiences and progress of care leavers is that it is "
        "good",
    ],
    [SEC_LEAD, "Good"],
]


def _sif_body(hp: str, la: str, ad: str, cl: str, lead: str, lscb: str | None) -> list[list[str]]:
    def that(g: str) -> str:
        return "requires improvement" if g == "Requires improvement" else f"is {g.lower()}"

    out = [
        [SEC_HP, hp],
        [
            SEC_LA,
            la,
            f"The graded judgement about adoption performance is that it {that(ad)}",
            "The graded judgement about the experiences and progress of care leavers is that "
            f"it {that(cl)}",
        ],
        [SEC_LEAD, lead],
    ]
    if lscb:
        out.append([SEC_LSCB, f"The effectiveness of the LSCB {that(lscb)}"])
    return out


def _sj(hp: str, la: str, ad: str, cl: str, lead: str, lscb: str | None = None) -> dict:
    lab = {
        "Good": "good",
        "Outstanding": "outstanding",
        "Inadequate": "inadequate",
        "Requires improvement": "requires_improvement",
    }
    out = {
        "help_and_protection": lab[hp],
        "sif_looked_after_permanence": lab[la],
        "sif_adoption": lab[ad],
        "sif_care_leavers": lab[cl],
        "sif_leadership": lab[lead],
    }
    if lscb:
        out["lscb"] = lab[lscb]
    return out


SR = "Requires improvement"


def _sif_cases() -> Iterator[Case3]:
    # 1. A cover page, so 'Children's services in X are good' is on the PDF's page 2; the
    # grid's rows say 'Experiences and progress of children who need help and protection'.
    yield Case3(
        "sif7-2016-cover-experiences-grid",
        _sif(
            [
                "1",
                "Tidworth County Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 11 January 2016 \u2013 3 February 2016",
                "Report published: 16 March 2016",
                "Children\u2019s services in Tidworth are good",
                FILLER,
                "1. Experiences and progress of children who need help and protection Good",
                "2. Experiences and progress of children looked after and achieving",
                "permanence",
                "Good",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Good",
                "3. Leadership, management and governance Good",
                "The Local Safeguarding Children Board is good.",
                ("small", FOOTNOTE),
            ],
            _sif_body(G, G, G, G, G, G),
            "Lead inspector: Hal Innes",
            cover=["Ofsted", "Tidworth County Council", "Inspection report", "March 2016"],
        ),
        "sif",
        "good",
        _sj(G, G, G, G, G, G),
        D(2016, 1, 11),
        D(2016, 2, 3),
        authority="Tidworth County Council",
        published=D(2016, 3, 16),
        lead_inspector="Hal Innes",
    )
    # 2. 'Experiences and progress' grid wrapped, the grade on the line after each label.
    yield Case3(
        "sif7-2015-experiences-grid-next-line",
        _sif(
            [
                "1",
                "Oakhampton Borough Council",
                *SIF_TITLE,
                "Inspection date: 9 March 2015 \u2013 1 April 2015",
                "Report published: 19 May 2015",
                "Children\u2019s services in Oakhampton require improvement",
                FILLER,
                "1. Experiences and progress of children who need help and",
                "protection",
                "Requires improvement",
                "2. Experiences and progress of children looked after and",
                "achieving permanence",
                "Requires improvement",
                "2.1 Adoption performance",
                "Good",
                "2.2 Experiences and progress of care leavers",
                "Requires improvement",
                "3. Leadership, management and governance",
                "Requires improvement",
            ],
            _sif_body(SR, SR, G, SR, SR, None),
            "Lead inspector: Jen Kidd",
        ),
        "sif",
        "requires_improvement",
        _sj(SR, SR, G, SR, SR),
        D(2015, 3, 9),
        D(2015, 4, 1),
        authority="Oakhampton Borough Council",
        published=D(2015, 5, 19),
        lead_inspector="Jen Kidd",
    )
    # 3. The grid column-wise: every label, then every grade.
    yield Case3(
        "sif7-2017-grid-cols",
        _sif(
            [
                "1",
                "Riverton City Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 27 February 2017 \u2013 22 March 2017",
                "Report published: 5 May 2017",
                "Children\u2019s services in Riverton are inadequate",
                FILLER,
                (
                    "cols",
                    [
                        ("1. Children who need help and protection", INAD),
                        ("2. Children looked after and achieving permanence", SR),
                        ("2.1 Adoption performance", SR),
                        ("2.2 Experiences and progress of care leavers", INAD),
                        ("3. Leadership, management and governance", INAD),
                    ],
                ),
                "The Local Safeguarding Children Board requires improvement.",
                ("small", FOOTNOTE),
            ],
            _sif_body(INAD, SR, SR, INAD, INAD, SR),
            "Lead inspector: Liz Moss",
        ),
        "sif",
        "inadequate",
        _sj(INAD, SR, SR, INAD, INAD, SR),
        D(2017, 2, 27),
        D(2017, 3, 22),
        authority="Riverton City Council",
        published=D(2017, 5, 5),
        lead_inspector="Liz Moss",
    )
    # 4. Cover page and the grid on a separate page 2 (PDF page 3); 'the Royal Borough of'.
    yield Case3(
        "sif7-2014-cover-royal-borough-grid-later",
        _sif(
            [
                "1",
                "Royal Borough of Kingsmead",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 2 June 2014 \u2013 25 June 2014",
                "Report published: 8 August 2014",
                "Children\u2019s services in the Royal Borough of Kingsmead are good.",
                FILLER,
                MORE,
            ],
            _sif_body(G, OUT, G, G, G, G),
            "Lead inspector: Max Nolan",
            second=[
                "2",
                "The judgements on areas of the service that contribute to overall "
                "effectiveness are:",
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving permanence Outstanding",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Good",
                "3. Leadership, management and governance Good",
                "The Local Safeguarding Children Board is good.",
            ],
            cover=["Ofsted", "Royal Borough of Kingsmead", "Inspection report"],
        ),
        "sif",
        "good",
        _sj(G, OUT, G, G, G, G),
        D(2014, 6, 2),
        D(2014, 6, 25),
        authority="Royal Borough of Kingsmead",
        published=D(2014, 8, 8),
        lead_inspector="Max Nolan",
    )
    # 5. The overall sentence after the grid, wrapped; 2.1 and 2.2 before 2.
    yield Case3(
        "sif7-2016-sentence-after-grid",
        _sif(
            [
                "1",
                "Hartbury Council",
                *SIF_TITLE,
                "Inspection date: 12 September 2016 \u2013 5 October 2016",
                "Report published: 22 November 2016",
                "1. Children who need help and protection Requires improvement",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "2. Children looked after and achieving permanence Good",
                "3. Leadership, management and governance Requires improvement",
                "Children\u2019s services in Hartbury",
                "require improvement to be good",
                FILLER,
            ],
            _sif_body(SR, G, G, SR, SR, None),
            "Lead inspector: Ned Oakes",
        ),
        "sif",
        "requires_improvement",
        _sj(SR, G, G, SR, SR),
        D(2016, 9, 12),
        D(2016, 10, 5),
        authority="Hartbury Council",
        published=D(2016, 11, 22),
        lead_inspector="Ned Oakes",
    )
    # 6. Outstanding; the grid with 'Experiences and progress' and a table header 'Judgement'.
    yield Case3(
        "sif7-2018-outstanding-header-row",
        _sif(
            [
                "1",
                "Westmere County Council",
                *SIF_TITLE,
                "Inspection date: 15 January 2018 \u2013 8 February 2018",
                "Report published: 23 March 2018",
                "Children\u2019s services in Westmere are outstanding",
                FILLER,
                ("row", "Judgement", "Grade"),
                (
                    "row",
                    "1. Experiences and progress of children who need help and protection",
                    OUT,
                ),
                (
                    "row",
                    "2. Experiences and progress of children looked after and achieving permanence",
                    OUT,
                ),
                ("row", "2.1 Adoption performance", OUT),
                ("row", "2.2 Experiences and progress of care leavers", G),
                ("row", "3. Leadership, management and governance", OUT),
            ],
            _sif_body(OUT, OUT, OUT, G, OUT, None),
            "Lead inspector: Ola Penn",
        ),
        "sif",
        "outstanding",
        _sj(OUT, OUT, OUT, G, OUT),
        D(2018, 1, 15),
        D(2018, 2, 8),
        authority="Westmere County Council",
        published=D(2018, 3, 23),
        lead_inspector="Ola Penn",
    )
    # 7. The summary sentence split with 'Overall,' and a cover page.
    yield Case3(
        "sif7-2015-cover-inadequate-lscb-inadequate",
        _sif(
            [
                "1",
                "Stourmouth Borough Council",
                *SIF_TITLE,
                *SIF_LSCB_TITLE,
                "Inspection date: 5 October 2015 \u2013 28 October 2015",
                "Report published: 11 December 2015",
                "Children\u2019s services in Stourmouth are",
                "inadequate",
                FILLER,
                "1. Children who need help and protection Inadequate",
                "2. Children looked after and achieving permanence Inadequate",
                "2.1 Adoption performance Requires improvement",
                "2.2 Experiences and progress of care leavers Inadequate",
                "3. Leadership, management and governance Inadequate",
                "The Local Safeguarding Children Board is inadequate.",
                ("small", FOOTNOTE),
            ],
            _sif_body(INAD, INAD, SR, INAD, INAD, INAD),
            "Lead inspector: Ray Quinn",
            cover=["Stourmouth Borough Council", "Inspection report"],
        ),
        "sif",
        "inadequate",
        _sj(INAD, INAD, SR, INAD, INAD, INAD),
        D(2015, 10, 5),
        D(2015, 10, 28),
        authority="Stourmouth Borough Council",
        published=D(2015, 12, 11),
        lead_inspector="Ray Quinn",
    )
    # 8. Two columns on page 1: the grid on the left, the summary on the right.
    yield Case3(
        "sif7-2017-twocol-grid",
        _sif(
            [
                "1",
                "Lynbridge Council",
                *SIF_TITLE,
                "Inspection date: 3 July 2017 \u2013 26 July 2017",
                "Report published: 12 September 2017",
                "Children\u2019s services in Lynbridge are good",
                (
                    "twocol",
                    [
                        ("1. Children who need help and protection", G),
                        ("2. Children looked after and achieving permanence", G),
                        ("2.1 Adoption performance", G),
                        ("2.2 Experiences and progress of care leavers", SR),
                        ("3. Leadership, management and governance", G),
                    ],
                    SUMMARY,
                ),
            ],
            _sif_body(G, G, G, SR, G, None),
            "Lead inspector: Sid Tull",
        ),
        "sif",
        "good",
        _sj(G, G, G, SR, G),
        D(2017, 7, 3),
        D(2017, 7, 26),
        authority="Lynbridge Council",
        published=D(2017, 9, 12),
        lead_inspector="Sid Tull",
    )
    # 9. CONFLICT: the grid says leadership good, the section says inadequate.
    yield Case3(
        "sif7-conflict-leadership",
        _sif(
            [
                "1",
                "Cranleigh County Council",
                *SIF_TITLE,
                "Inspection date: 7 November 2016 \u2013 30 November 2016",
                "Report published: 20 January 2017",
                "Children\u2019s services in Cranleigh are good",
                FILLER,
                "1. Children who need help and protection Good",
                "2. Children looked after and achieving permanence Good",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Good",
                "3. Leadership, management and governance Good",
            ],
            _sif_body(G, G, G, G, INAD, None),
            "Lead inspector: Una Vyse",
        ),
        "sif",
        conflict=True,
    )


# -- pre-2013 -------------------------------------------------------------------------------


def _pre_cases() -> Iterator[Case3]:
    # 1. 2010 safeguarding, outstanding; the grade written 'Grade 1 (Outstanding)'.
    yield Case3(
        "pre7-safeguarding-2010-outstanding",
        _pre(
            ["Inspection of safeguarding services"],
            "Elmbridge Borough Council",
            "Inspection dates: 8 \u2013 19 November 2010",
            "Reporting inspector Amy Birch HMI",
            "Published: 24 December 2010",
            [
                [
                    "4",
                    "Overall effectiveness",
                    "Grade 1 (Outstanding)",
                    "7. The overall effectiveness of safeguarding services in Elmbridge is "
                    "outstanding. " + FILLER,
                    "Capacity for improvement",
                    "Grade 1 (Outstanding)",
                ],
            ],
        ),
        "pre_2013",
        "outstanding",
        {},
        D(2010, 11, 8),
        D(2010, 11, 19),
        authority="Elmbridge Borough Council",
        published=D(2010, 12, 24),
        lead_inspector="Amy Birch",
    )
    # 2. 2012 looked after children, inadequate; the record of findings as rows.
    yield Case3(
        "pre7-lac-2012-inadequate-record",
        _pre(
            ["Inspection of looked after children services"],
            "Norbury City Council",
            "Inspection dates: 16 \u2013 27 January 2012",
            "Reporting inspector Cath Dale HMI",
            "Published: 2 March 2012",
            [
                [
                    "5",
                    "Overall effectiveness",
                    "Grade 4 (Inadequate)",
                    "12. The overall effectiveness of services for looked after children in "
                    "Norbury is inadequate. " + FILLER,
                ],
                [
                    "20",
                    "Record of main findings",
                    ("row", "Looked after children services", ""),
                    ("row", "Overall effectiveness", "Inadequate"),
                    ("row", "Capacity for improvement", "Adequate"),
                ],
            ],
        ),
        "pre_2013",
        "inadequate",
        {},
        D(2012, 1, 16),
        D(2012, 1, 27),
        authority="Norbury City Council",
        published=D(2012, 3, 2),
        lead_inspector="Cath Dale",
    )
    # 3. 2011 safeguarding and looked after children together; dates across months.
    yield Case3(
        "pre7-slac-2011-across-months",
        _pre(
            ["Inspection of safeguarding and looked after children services"],
            "Fordham County Council",
            "Inspection dates: 28 February \u2013 11 March 2011",
            "Reporting inspector Dev Ellis HMI",
            "Published: 15 April 2011",
            [
                [
                    "6",
                    "Safeguarding services",
                    "Overall effectiveness Grade 2 (Good)",
                    "9. The overall effectiveness of safeguarding services in Fordham is good. "
                    + FILLER,
                ],
                [
                    "20",
                    "Services for looked after children",
                    "Overall effectiveness Grade 2 (Good)",
                    FILLER,
                ],
            ],
        ),
        "pre_2013",
        "good",
        {},
        D(2011, 2, 28),
        D(2011, 3, 11),
        authority="Fordham County Council",
        published=D(2011, 4, 15),
        lead_inspector="Dev Ellis",
    )
    # 4. 2012 safeguarding, adequate; 'Overall effectiveness' and its grade on one row.
    yield Case3(
        "pre7-safeguarding-2012-adequate-row",
        _pre(
            ["Inspection of safeguarding services"],
            "Thornley Metropolitan Borough Council",
            "Inspection dates: 10 \u2013 21 September 2012",
            "Reporting inspector Eve Fry HMI",
            "Published: 26 October 2012",
            [
                [
                    "4",
                    ("row", "Overall effectiveness", "Grade 3 (Adequate)"),
                    "8. The overall effectiveness of safeguarding services in Thornley is "
                    "adequate. " + FILLER,
                ],
            ],
        ),
        "pre_2013",
        "adequate",
        {},
        D(2012, 9, 10),
        D(2012, 9, 21),
        authority="Thornley Metropolitan Borough Council",
        published=D(2012, 10, 26),
        lead_inspector="Eve Fry",
    )


def _more_cases() -> Iterator[Case3]:
    # 1. 2018 two columns, 'Overall effectiveness of children's services' and the short
    # leaders' label.
    title = f"Inspection of Brookvale local authority {CS}"
    rows = [
        (LEAD_SHORT, OUT),
        (HP, G),
        (ICCL, OUT),
        (f"Overall effectiveness of {CS}", OUT),
    ]
    yield Case3(
        "ilacs7-2019-twocol-overall-of-cs-leaders-short",
        _ilacs7(
            [
                title,
                "Inspection dates: 14 to 25 October 2019",
                f"Lead inspector: Fay Grant, {HERS}",
                ("twocol", rows, SUMMARY),
                FILLER,
            ],
            (title, "14 to 25 October 2019"),
            _body2018(OUT, G, OUT, lead_heading=LEAD_SHORT),
        ),
        "ilacs_2018",
        "outstanding",
        _j2018(OUT, G, OUT),
        D(2019, 10, 14),
        D(2019, 10, 25),
        authority="Brookvale",
        lead_inspector="Fay Grant",
    )
    # 2. 2024, a cover page, the council only in the running header, next-line grades.
    title = f"Inspection of Kestrel Bay local authority {CS}"
    yield Case3(
        "ilacs7-2024-cover-council-in-header-next-line",
        _ilacs7(
            [
                f"Inspection of local authority {CS}",
                "Inspection dates: 9 to 20 September 2024",
                f"Lead inspector: Hugh Best, {HMI}",
                "Judgement Grade",
                "The impact of leaders on social work",
                "practice with children and families",
                RI,
                "The experiences and progress of",
                "children who need help and protection",
                RI,
                "The experiences and progress of",
                "children in care",
                RI,
                "The experiences and progress of",
                "care leavers",
                G,
                "Overall effectiveness",
                RI,
                FILLER,
            ],
            (title, "9 to 20 September 2024"),
            _body2023(RI, RI, RI, G),
            cover=["Ofsted", "Inspection report", "September 2024"],
        ),
        "ilacs_2023",
        "requires_improvement",
        _j2023(RI, RI, RI, G),
        D(2024, 9, 9),
        D(2024, 9, 20),
        authority="Kestrel Bay",
        lead_inspector="Hugh Best",
    )
    # 3. SIF 2017 re-inspection after a cover; the 'Experiences and progress' grid; the
    # overall sentence 'require improvement to be good'.
    yield Case3(
        "sif7-2017-reinspection-cover-experiences",
        _sif(
            [
                "1",
                "Ashcombe Council",
                "Re-inspection of services for children in need of help and",
                "protection, children looked after and care leavers",
                "Inspection date: 4 September 2017 \u2013 15 September 2017",
                "Report published: 27 October 2017",
                "Children\u2019s services in Ashcombe require improvement to be good",
                FILLER,
                "1. Experiences and progress of children who need help and protection",
                "Requires improvement",
                "2. Experiences and progress of children looked after and achieving",
                "permanence Good",
                "2.1 Adoption performance Good",
                "2.2 Experiences and progress of care leavers Requires improvement",
                "3. Leadership, management and governance Requires improvement",
            ],
            _sif_body(SR, G, G, SR, SR, None),
            "Lead inspector: Jo Lamb",
            cover=["Ofsted", "Ashcombe Council", "Re-inspection report"],
        ),
        "sif",
        "requires_improvement",
        _sj(SR, G, G, SR, SR),
        D(2017, 9, 4),
        D(2017, 9, 15),
        authority="Ashcombe Council",
        published=D(2017, 10, 27),
        lead_inspector="Jo Lamb",
    )


def cases_7() -> Iterator[Case3]:
    yield from _ilacs_cases()
    yield from _sif_cases()
    yield from _pre_cases()
    yield from _more_cases()
