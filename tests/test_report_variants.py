"""Variants the shared reports lack, as PDFs made at test time (tests/report_documents.py).

This is the set the extractor was tuned on; tests/test_report_heldout.py holds documents it
was never tuned on.
"""

from __future__ import annotations

from datetime import date

import pytest

from ingest.extract import reports
from ingest.extract.reports import ReportConflict, ReportError, parse_report
from tests import report_documents as docs

D = date
RI = "requires_improvement"
box_font = pytest.mark.skipif(
    not docs.has_box_drawing_font(), reason="DejaVu Sans is needed to print box-drawing dashes"
)


def _ilacs(**overrides) -> docs.Ilacs:
    values = {
        "authority": "Northwold",
        "dates": "3 to 14 March 2025",
        "overall": "good",
        "grades": {
            "leaders": "good",
            "help_and_protection": RI,
            "in_care": "good",
            "care_leavers": "outstanding",
        },
    }
    values.update(overrides)
    return docs.Ilacs(**values)


def _parse(data: bytes):
    return parse_report(data, name="made.pdf")


# -- 1. two readings that must agree -----------------------------------------------------


def test_agreeing_readings_give_the_table() -> None:
    report = _parse(_ilacs().pdf())
    assert (report.framework, report.authority, report.overall) == (
        "ilacs_2023",
        "Northwold",
        "good",
    )
    assert report.judgements == _ilacs().grades
    assert (report.inspection_start, report.inspection_end) == (D(2025, 3, 3), D(2025, 3, 14))


def test_table_and_heading_disagree_is_an_error_for_review() -> None:
    body = dict(_ilacs().grades, care_leavers="good")
    with pytest.raises(ReportConflict) as caught:
        _parse(_ilacs(body_grades=body).pdf())
    message = str(caught.value)
    assert "made.pdf" in message and "care_leavers" in message
    assert "'outstanding' in the judgement table" in message and "'good'" in message
    assert isinstance(caught.value, ReportError)  # recorded like any unreadable report


def test_heading_grades_an_area_the_table_lacks() -> None:
    grades = {"leaders": "good", "help_and_protection": "good", "in_care": "good"}
    body = dict(grades, care_leavers="inadequate")
    with pytest.raises(ReportConflict, match="care_leavers is no grade in the judgement table"):
        _parse(_ilacs(grades=grades, body_grades=body).pdf())


def test_2018_headings_without_a_colon_are_read_too() -> None:
    grades = {"leaders": "good", "help_and_protection": "good", "in_care_and_care_leavers": RI}
    ok = _parse(_ilacs(grades=grades, colon=False).pdf())
    assert (ok.framework, ok.judgements) == ("ilacs_2018", grades)
    with pytest.raises(ReportConflict):
        _parse(_ilacs(grades=grades, colon=False, body_grades=dict(grades, leaders=RI)).pdf())


@pytest.mark.parametrize(
    ("grades", "split"),
    [
        ({"leaders": "good", "help_and_protection": RI, "in_care_and_care_leavers": "good"}, 2),
        ({"leaders": "good", "help_and_protection": RI, "in_care_and_care_leavers": "good"}, 3),
        (_ilacs().grades, 2),
        (_ilacs().grades, 3),
        (_ilacs().grades, 4),  # only the overall row on page 2
    ],
)
def test_ilacs_table_running_on_to_page_two(grades: dict[str, str], split: int) -> None:
    # first missed on held-out set 3: a table that fills page 1 ends under page 2's header
    report = _parse(_ilacs(grades=grades, overall="inadequate", table_on_page_two=split).pdf())
    assert (report.overall, report.judgements) == ("inadequate", grades)
    assert report.framework == ("ilacs_2023" if "in_care" in grades else "ilacs_2018")
    assert (report.inspection_start, report.inspection_end) == (D(2025, 3, 3), D(2025, 3, 14))


def test_ilacs_table_run_on_still_checked_against_the_body() -> None:
    body = dict(_ilacs().grades, care_leavers="good")
    with pytest.raises(ReportConflict):
        _parse(_ilacs(body_grades=body, table_on_page_two=3).pdf())


def test_dates_line_and_running_header_disagree() -> None:
    with pytest.raises(ReportConflict, match="2025-03-03 to 2025-03-14 on the first page"):
        _parse(_ilacs(header_dates="3 to 15 March 2025").pdf())


def test_running_header_with_one_day_agrees_and_fills_a_missing_line() -> None:
    assert _parse(_ilacs(header_dates="3 March 2025").pdf()).inspection_end == D(2025, 3, 14)
    report = _parse(_ilacs(dates="", header_dates="3 to 14 March 2025").pdf())
    assert (report.inspection_start, report.inspection_end) == (D(2025, 3, 3), D(2025, 3, 14))


def test_sif_grid_and_sections_disagree() -> None:
    grades = {
        "help_and_protection": "good",
        "sif_looked_after_permanence": "good",
        "sif_adoption": "good",
        "sif_care_leavers": "good",
        "sif_leadership": "good",
    }
    sif = docs.Sif(
        "Eastmere", "1 May 2017 to 25 May 2017", "Children's services in Eastmere are good", grades
    )
    assert _parse(sif.pdf()).judgements == grades
    sif.body_grades = dict(grades, sif_adoption="inadequate")
    with pytest.raises(ReportConflict, match="sif_adoption"):
        _parse(sif.pdf())


# -- 2. date spans of every shape --------------------------------------------------------

SPANS = [
    ("3 to 7 March and 24 to 25 April 2025", D(2025, 3, 3), D(2025, 4, 25)),
    ("3\u20137 March 2025 and 24\u201325 April 2025", D(2025, 3, 3), D(2025, 4, 25)),
    ("24 February \u2014 7 March 2025", D(2025, 2, 24), D(2025, 3, 7)),
    ("24 February\u22127 March 2025", D(2025, 2, 24), D(2025, 3, 7)),
    ("24February-7March 2025", D(2025, 2, 24), D(2025, 3, 7)),
    ("March 3 to March 14, 2025", D(2025, 3, 3), D(2025, 3, 14)),
    ("1 to 5 December 2024 and 6 to 10 January 2025", D(2024, 12, 1), D(2025, 1, 10)),
    ("29 December 2024 to 10 January 2025", D(2024, 12, 29), D(2025, 1, 10)),
]


@pytest.mark.parametrize(("dates", "start", "end"), SPANS, ids=[s[0] for s in SPANS])
def test_ilacs_date_spans(dates: str, start: date, end: date) -> None:
    report = _parse(_ilacs(dates=dates).pdf())
    assert (report.inspection_start, report.inspection_end) == (start, end)


@box_font
@pytest.mark.parametrize("dash", ["\u2500", "\u2501", "\u2013", "\u2014"])
def test_box_drawing_and_other_dashes_spaced_or_not(dash: str) -> None:
    for dates in (f"24 February {dash} 7 March 2025", f"24 February{dash}7 March 2025"):
        report = _parse(_ilacs(dates=dates, unicode_dashes=True).pdf())
        assert (report.inspection_start, report.inspection_end) == (D(2025, 2, 24), D(2025, 3, 7))


# -- 3. SIF first-page variants ----------------------------------------------------------

SIF_GRADES = {
    "help_and_protection": RI,
    "sif_looked_after_permanence": "inadequate",
    "sif_adoption": "good",
    "sif_care_leavers": RI,
    "sif_leadership": "inadequate",
}


@pytest.mark.parametrize(
    "later",
    [
        ("sif_care_leavers", "sif_leadership"),
        ("sif_adoption", "sif_care_leavers", "sif_leadership"),
    ],
)
def test_sif_grid_continued_on_page_two(later: tuple[str, ...]) -> None:
    sif = docs.Sif(
        "Eastmere",
        "1 to 25 May 2017",
        "Children's services in Eastmere are inadequate",
        SIF_GRADES,
        on_page_two=later,
    )
    report = _parse(sif.pdf())
    assert (report.framework, report.overall, report.judgements) == (
        "sif",
        "inadequate",
        SIF_GRADES,
    )


@pytest.mark.parametrize(
    ("sentence", "overall"),
    [
        ("The overall judgement is that children's services are inadequate", "inadequate"),
        ("The overall judgement is inadequate", "inadequate"),
        (
            "The overall judgement is that children's services in Eastmere require "
            "improvement to be good",
            RI,
        ),
        ("Children's services in Eastmere are judged to be good", "good"),
        ("Children\u2019s services in the Isle of Eastmere require improvement to be good", RI),
        ("Overall, children's services in Eastmere are outstanding", "outstanding"),
    ],
)
def test_sif_overall_sentence_worded_differently(sentence: str, overall: str) -> None:
    report = _parse(docs.Sif("Eastmere", "1 to 25 May 2017", sentence, SIF_GRADES).pdf())
    assert (report.overall, report.judgements) == (overall, SIF_GRADES)


@pytest.mark.parametrize("style", ["sentence", "heading"])
def test_sif_lscb_in_a_sentence_or_only_in_a_heading(style: str) -> None:
    sif = docs.Sif(
        "Eastmere",
        "1 to 25 May 2017",
        "Children's services in Eastmere are inadequate",
        SIF_GRADES,
        lscb="good",
        lscb_style=style,
    )
    report = _parse(sif.pdf())
    assert report.judgements == {**SIF_GRADES, "lscb": "good"}
    assert report.lead_inspector == "Robin Example"


@pytest.mark.parametrize(
    "lines",
    [
        ["Section 2: Review of the effectiveness of the Local Safeguarding Children Board: good"],
        ["Section 2 \u2013 The effectiveness of the Local Safeguarding Children Board", "Good"],
        ["2. The Local Safeguarding Children Board (LSCB): good"],
    ],
)
def test_sif_lscb_heading_with_a_section_number(lines: list[str]) -> None:
    # first missed on held-out set 3: 'Section 2:' before the heading that carries the grade
    sif = docs.Sif(
        "Eastmere",
        "1 to 25 May 2017",
        "Children's services in Eastmere are inadequate",
        SIF_GRADES,
        lscb="good",
        lscb_lines=lines,
    )
    assert _parse(sif.pdf()).judgements == {**SIF_GRADES, "lscb": "good"}


# -- 3b. first-page variants first missed on held-out set 4 ------------------------------

COVER = ["Ofsted", "raising standards", "improving lives", "Inspection report", "Northwold"]


def test_ilacs_after_a_cover_page() -> None:
    report = _parse(docs.pdf([COVER, *_ilacs().pages()]))
    assert (report.framework, report.authority, report.overall) == (
        "ilacs_2023",
        "Northwold",
        "good",
    )
    assert report.judgements == _ilacs().grades
    assert (report.inspection_start, report.inspection_end) == (D(2025, 3, 3), D(2025, 3, 14))
    with pytest.raises(ReportConflict):  # page 2 is still the one after page 1
        _parse(docs.pdf([COVER, *_ilacs(header_dates="3 to 15 March 2025").pages()]))


def test_sif_after_a_cover_page() -> None:
    sif = docs.Sif(
        "Eastmere", "1 to 25 May 2017", "Children's services in Eastmere are inadequate", SIF_GRADES
    )
    report = _parse(docs.pdf([COVER, *sif.pages()]))
    assert (report.framework, report.overall, report.judgements) == (
        "sif",
        "inadequate",
        SIF_GRADES,
    )
    assert report.to_json() == _parse(sif.pdf()).to_json()  # every fact as without the cover


def test_ilacs_table_stored_column_by_column_under_a_grade_header() -> None:
    # the text gives every label, then the 'Grade' header and every grade
    page = "\n".join(
        [
            "Inspection of Northwold local authority children\u2019s services",
            "Inspection dates: 3 to 14 March 2025",
            "Lead inspector: Sam Example, His Majesty\u2019s Inspector",
            "Judgement",
            docs.ILACS_LABELS["leaders"],
            docs.ILACS_LABELS["help_and_protection"],
            docs.ILACS_LABELS["in_care"],
            docs.ILACS_LABELS["care_leavers"],
            "Overall effectiveness",
            "Grade",
            "Inadequate",
            "Requires improvement",
            "to be good",
            "Inadequate",
            "Good",
            "Inadequate",
        ]
    )
    report = reports._parse_texts([page], name="made.pdf")
    assert (report.framework, report.overall) == ("ilacs_2023", "inadequate")
    assert report.judgements == {
        "leaders": "inadequate",
        "help_and_protection": RI,
        "in_care": "inadequate",
        "care_leavers": "good",
    }


@pytest.mark.parametrize(
    "wording",
    [
        "Report published:",
        "Published:",
        "Published on:",
        "Date published:",
        "Date of publication:",
        "Publication date:",
    ],
)
def test_publication_date_worded_differently(wording: str) -> None:
    sif = docs.Sif(
        "Eastmere", "1 to 25 May 2017", "Children's services in Eastmere are inadequate", SIF_GRADES
    )
    pages = [[line.replace("Report published:", wording) for line in page] for page in sif.pages()]
    assert _parse(docs.pdf(pages)).published == D(2018, 1, 19)


# -- 4. signals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "late", "expected"),
    [
        (None, False, "none"),
        (None, True, "none"),
        (["Leaders must make sure that risk is assessed promptly."], False, "found"),
        (["Leaders must make sure that risk is assessed promptly."], True, "found"),
        (
            [
                "The areas for priority action identified at the last visit remain. "
                "There are no new ones."
            ],
            True,
            "remain",
        ),
        (["There are no areas for priority action."], True, "none"),
    ],
)
def test_focused_visit_priority_action(priority, late, expected) -> None:
    report = _parse(docs.focused_visit("Westbrook", "4 and 5 June 2024", priority, late=late).pdf())
    assert report.signal and report.signal.to_json() == {
        "kind": "focused_visit",
        "priority_action": expected,
    }
    assert (report.authority, report.inspection_start, report.inspection_end) == (
        "Westbrook",
        D(2024, 6, 4),
        D(2024, 6, 5),
    )


@pytest.mark.parametrize(
    ("outcome", "line", "full", "monitoring"),
    [
        (
            "positive",
            "The next full area SEND inspection will be within approximately five years.",
            60,
            None,
        ),
        (
            "inconsistent",
            "The next full area SEND inspection will be within approximately 3 years.",
            36,
            None,
        ),
        (
            "systemic_failings",
            "A monitoring inspection will be carried out within approximately 18 months. "
            "The next full reinspection will be within approximately three years.",
            36,
            18,
        ),
    ],
)
def test_area_send_outcome_and_next_inspection(outcome, line, full, monitoring) -> None:
    report = _parse(docs.area_send("Westbrook", "9 to 13 June 2025", outcome, line).pdf())
    assert report.signal is not None
    assert (report.signal.kind, report.signal.send_outcome) == ("area_send", outcome)
    assert (report.signal.next_inspection_months, report.signal.monitoring_inspection_months) == (
        full,
        monitoring,
    )
    assert (report.authority, report.inspection_end) == ("Westbrook", D(2025, 6, 13))
    assert report.framework == "other" and report.overall is None


def test_area_send_dates_and_running_header_disagree() -> None:
    line = "The next full area SEND inspection will be within approximately five years."
    letter = docs.area_send("Westbrook", "9 to 13 June 2025", "positive", line, "9 to 12 June 2025")
    with pytest.raises(ReportConflict, match="2025-06-09 to 2025-06-12 in the running header"):
        _parse(letter.pdf())


@pytest.mark.parametrize(
    ("statement", "required"),
    [
        (
            "As a result of the findings of this inspection, Her Majesty's Chief Inspector "
            "(HMCI) has determined that a Written Statement of Action (WSOA) is required "
            "because of significant areas of weakness in the local area's practice.",
            True,
        ),
        (None, False),
    ],
)
def test_older_area_send_written_statement(statement, required) -> None:
    report = _parse(
        docs.area_send_2016("Westbrook", "5 March 2018 and 9 March 2018", statement).pdf()
    )
    assert report.signal is not None
    assert report.signal.to_json() == {
        "kind": "area_send_2016",
        "written_statement_required": required,
    }
    assert (report.authority, report.inspection_start, report.inspection_end) == (
        "Westbrook",
        D(2018, 3, 5),
        D(2018, 3, 9),
    )


def test_monitoring_visit_number_and_headline() -> None:
    letter = docs.monitoring_visit(
        "Westbrook",
        "2 and 3 July 2024",
        "fifth",
        "Leaders have made steady progress in the front door service.",
    )
    report = _parse(letter.pdf())
    assert report.signal is not None
    assert (report.signal.kind, report.signal.visit_number) == ("monitoring_visit", 5)
    assert report.signal.headline == "Leaders have made steady progress in the front door service."
    assert (report.authority, report.inspection_start) == ("Westbrook", D(2024, 7, 2))


@pytest.mark.parametrize(
    "title",
    [
        "Monitoring visit of Westbrook children's services",
        "Monitoring visit of Westbrook local authority children's services",
        "Westbrook: monitoring visit",
    ],
)
def test_monitoring_visit_titled_otherwise_gives_the_dates(title: str) -> None:
    # first missed on held-out set 3: SIF-era letters are titled 'Monitoring visit of ...'
    letter = docs.monitoring_visit("Westbrook", "12 and 13 May 2016", "first", "Progress is slow.")
    letter.pages_text[0][1] = title
    report = _parse(letter.pdf())
    assert (report.inspection_start, report.inspection_end) == (D(2016, 5, 12), D(2016, 5, 13))
    assert report.authority == "Westbrook"
    assert report.signal is not None and report.signal.visit_number == 1


@pytest.mark.parametrize(
    ("theme", "key"),
    [
        ("children's mental health", "mental_health"),
        ("serious youth violence", "serious_youth_violence"),
        ("criminal exploitation of children", "criminal_exploitation"),
        ("children who are victims of domestic abuse", "domestic_abuse"),
        ("children living with adults who misuse alcohol", None),
        # a theme with ' in ' of its own (first missed on the held-out set, then fixed)
        ("children in need of help in the first years of life", "early_years"),
    ],
)
def test_jtai_theme(theme: str, key: str | None) -> None:
    report = _parse(docs.jtai("Westbrook", theme, "9 and 13 October 2023").pdf())
    assert report.signal is not None
    assert (report.signal.kind, report.signal.theme, report.signal.theme_key) == (
        "jtai",
        theme,
        key,
    )
    assert (report.authority, report.inspection_start) == ("Westbrook", D(2023, 10, 9))


# -- first missed on held-out set 5 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "lines"),
    [
        # a word broken at a line-end hyphen: pdfium joins it with U+FFFE
        (
            "The experiences and progress of chil\ufffedren in care",
            ["The experiences and progress of children in care"],
        ),
        ("Requires im\x02provement to be good", ["Requires improvement to be good"]),
        # a printed hyphen at the line end is kept: before a capital, or inside a compound
        ("Stoke-on\ufffeTrent", ["Stoke-on-Trent"]),
        ("Southend\ufffeon-Sea", ["Southend-on-Sea"]),
        ("5\ufffe16 June 2023", ["5-16 June 2023"]),
        # a soft hyphen inside a line prints nothing; at a line end it stays visible
        ("Requires im\u00adprovement to be good", ["Requires improvement to be good"]),
        ("Inade\u00ad\nquate", ["Inade-", "quate"]),
    ],
)
def test_broken_words_and_soft_hyphens(raw: str, lines: list[str]) -> None:
    assert reports._clean_lines(raw) == lines


def test_ilacs_table_with_broken_words_and_soft_hyphens() -> None:
    # each label broken at a line-end hyphen, as pdfium gives it back joined by U+FFFE
    labels = {
        "leaders": "The impact of leaders on social work prac-\ntice with children and families",
        "help_and_protection": (
            "The experiences and progress of chil-\ndren who need help and protection"
        ),
    }
    first = [
        "Inspection of Northwold local authority children's services",
        "Inspection dates: 3 to 14 March 2025",
        "Lead inspector: Sam Example",
        "Judgement Grade",
        *labels["leaders"].split("\n"),
        "Requires im\u00adprovement to be good",
        *labels["help_and_protection"].split("\n"),
        "Good",
        "The experiences and progress of children in care and care leavers",
        "Good",
        "Overall effectiveness Requires im\u00adprovement to be good",
    ]
    report = _parse(docs.pdf([first, ["2", "What needs to improve?"]]))
    assert report.overall == "requires_improvement"
    assert report.judgements == {
        "leaders": "requires_improvement",
        "help_and_protection": "good",
        "in_care_and_care_leavers": "good",
    }


def test_monitoring_visit_number_in_figures_after_the_words() -> None:
    letter = docs.monitoring_visit("Westbrook", "2 and 3 July 2024", "sixth", "Progress is slow.")
    letter.pages_text[0][2] = (
        "This letter summarises the findings of monitoring visit 6 to Westbrook children's "
        "services on 2 and 3 July 2024."
    )
    report = _parse(letter.pdf())
    assert report.signal is not None and report.signal.visit_number == 6
    assert report.inspection_start == D(2024, 7, 2)


def test_monitoring_visit_dates_in_a_sentence_of_their_own() -> None:
    letter = docs.monitoring_visit("Westbrook", "2 and 3 July 2024", "first", "Progress is slow.")
    letter.pages_text[0][2] = (
        "This letter summarises the findings of the first monitoring visit to Westbrook "
        "children's services since the local authority was judged inadequate in March 2024. "
        "The visit was carried out on 2 and 3 July 2024."
    )
    report = _parse(letter.pdf())
    assert (report.inspection_start, report.inspection_end) == (D(2024, 7, 2), D(2024, 7, 3))
    assert report.signal is not None and report.signal.visit_number == 1


def test_older_area_send_titled_without_local_and_a_name_with_commas() -> None:
    letter = docs.area_send_2016(
        "Bournemouth, Christchurch and Poole", "7 March 2022 and 11 March 2022", None
    )
    letter.pages_text[0][1] = "Joint area SEND inspection in Bournemouth, Christchurch and Poole"
    report = _parse(letter.pdf())
    assert report.signal is not None and report.signal.kind == "area_send_2016"
    assert report.authority == "Bournemouth, Christchurch and Poole"


_TABLE_ROWS = [
    (docs.ILACS_LABELS["leaders"], "Good"),
    (docs.ILACS_LABELS["help_and_protection"], "Requires improvement to be good"),
    (docs.ILACS_LABELS["in_care"], "Inadequate"),
    (docs.ILACS_LABELS["care_leavers"], "Outstanding"),
]


@pytest.mark.parametrize(
    "table",
    [
        # the overall row first
        ["Judgement Grade", "Overall effectiveness Good", *(f"{a} {b}" for a, b in _TABLE_ROWS)],
        # 'Judgements Grades', rows reordered, leaders last
        [
            "Judgements Grades",
            *(f"{a} {b}" for a, b in _TABLE_ROWS[1:]),
            f"{_TABLE_ROWS[0][0]} {_TABLE_ROWS[0][1]}",
            "Overall effectiveness Good",
        ],
        # no 'Judgement' header word at all, 'Area Grade', the overall first over two lines
        ["Area Grade", "Overall", "effectiveness Good", *(f"{a} {b}" for a, b in _TABLE_ROWS)],
        # a centred overall cell read line by line: 'Overall Good' / 'effectiveness'
        [
            "Judgement Grade",
            *(f"{a}\n{b}" for a, b in _TABLE_ROWS),
            "Overall Good",
            "effectiveness",
        ],
    ],
    ids=["overall-first", "reordered", "area-header-overall-broken", "overall-grade-between"],
)
def test_ilacs_table_in_any_row_order(table: list[str]) -> None:
    page = "\n".join(
        [
            "Inspection of Northwold local authority children\u2019s services",
            "Inspection dates: 3 to 14 March 2025",
            "Lead inspector: Sam Example, His Majesty\u2019s Inspector",
            *table,
            "Good progress has been made since the last inspection in 2021.",
        ]
    )
    report = reports._parse_texts([page], name="made.pdf")
    assert (report.framework, report.overall) == ("ilacs_2023", "good")
    assert report.judgements == {
        "leaders": "good",
        "help_and_protection": RI,
        "in_care": "inadequate",
        "care_leavers": "outstanding",
    }


def test_ilacs_table_row_worded_as_no_known_label_still_read_to_its_overall() -> None:
    # a row worded differently breaks the run of whole labels: the older reading still serves
    page = "\n".join(
        [
            "Inspection of Northwold local authority children\u2019s services",
            "Inspection dates: 3 to 14 March 2025",
            "Lead inspector: Sam Example, His Majesty\u2019s Inspector",
            "Judgement Grade",
            "The impact of leaders on social work practice with children, young people and "
            "families Good",
            f"{docs.ILACS_LABELS['help_and_protection']} Good",
            f"{docs.ILACS_LABELS['in_care']} Good",
            f"{docs.ILACS_LABELS['care_leavers']} Good",
            "Overall effectiveness Good",
        ]
    )
    report = reports._parse_texts([page], name="made.pdf")
    assert (report.framework, report.overall) == ("ilacs_2023", "good")
    assert report.judgements == dict.fromkeys(
        ("leaders", "help_and_protection", "in_care", "care_leavers"), "good"
    )


# -- set 7's first-run refusals, as page texts (tests/data/ofsted/README.md) ----------------

_HEADER_7 = (
    "Inspection of Northwold local authority children\u2019s services\n3 to 14 March 2025 2\n"
)
_PAGE_2_7 = _HEADER_7 + "What needs to improve?\nPlans are reviewed on time.\n"


def _ilacs_page_1(title: str, table: str) -> str:
    return (
        f"{title}\nInspection dates: 3 to 14 March 2025\n"
        f"Lead inspector: Ann Bee, His Majesty\u2019s Inspector\n{table}\n"
        "Inspectors spoke with children, families and social workers.\n"
    )


def test_ilacs_table_beside_the_summary_with_prose_between_rows() -> None:
    table = (
        "Overall effectiveness Good Children are safe and most plans are good, though\n"
        "The impact of leaders on social\nwork practice with children and families\n"
        "Good leaders know their services and act\n"
        "The experiences and progress of children who need help and protection\n"
        "Requires improvement to be good\nsome care leavers are good at keeping in touch\n"
        "The experiences and progress of children in care and care leavers\nGood"
    )
    title = "Inspection of Northwold local authority children\u2019s services"
    got = reports._parse_texts([_ilacs_page_1(title, table), _PAGE_2_7])
    assert (got.framework, got.overall) == ("ilacs_2018", "good")
    assert got.judgements == {
        "leaders": "good",
        "help_and_protection": RI,
        "in_care_and_care_leavers": "good",
    }


def test_ilacs_abbreviated_labels_and_the_overall_of_childrens_services() -> None:
    table = (
        "Judgement Grade\nImpact of leaders Good\nHelp and protection Requires improvement "
        "to be good\nChildren in care Good\nCare leavers Inadequate\n"
        "Overall effectiveness of children\u2019s services Good"
    )
    title = "Inspection of Northwold local authority children\u2019s services"
    page_1 = _ilacs_page_1(title, table) + "Some care leavers are good at saving.\n"
    got = reports._parse_texts([page_1, _PAGE_2_7])
    assert (got.framework, got.overall) == ("ilacs_2023", "good")
    assert got.judgements == {
        "leaders": "good",
        "help_and_protection": RI,
        "in_care": "good",
        "care_leavers": "inadequate",
    }


@pytest.mark.parametrize(
    "title",
    [
        "Inspection of local authority children\u2019s services",  # named in the header only
        "Inspection of Northwold local\nOfsted\n1\nauthority children\u2019s services",
    ],
)
def test_ilacs_council_from_a_split_or_generic_title(title: str) -> None:
    table = (
        "Judgement Grade\nThe impact of leaders on social work practice Good\n"
        "The experiences and progress of children who need help and protection Good\n"
        "The experiences and progress of children in care and care leavers Good\n"
        "Overall effectiveness Good"
    )
    got = reports._parse_texts([_ilacs_page_1(title, table), _PAGE_2_7])
    assert (got.authority, got.overall, got.judgements["leaders"]) == ("Northwold", "good", "good")


_SIF_TOP_7 = (
    "1\nNorthwold Council\nInspection of services for children in need of help and\n"
    "protection, children looked after and care leavers\n"
    "Inspection date: 12 September 2016 \u2013 5 October 2016\n"
    "Report published: 22 November 2016\n"
)
_SIF_GRID_7 = (
    "1. Experiences and progress of children who need help and protection Good\n"
    "2.1 Adoption performance Good\n"
    "2.2 Experiences and progress of care leavers Requires improvement\n"
    "2. Children looked after and achieving permanence Good\n"
    "3. Leadership, management and governance Good\n"
)
_SIF_WANT_7 = {
    "help_and_protection": "good",
    "sif_looked_after_permanence": "good",
    "sif_adoption": "good",
    "sif_care_leavers": RI,
    "sif_leadership": "good",
}


@pytest.mark.parametrize(
    "page_1",
    [
        # a 'Judgement Grade' header row over the grid is still a SIF grid
        _SIF_TOP_7
        + "Children\u2019s services in Northwold are good\nJudgement Grade\n"
        + _SIF_GRID_7,
        # the grid printed above the overall sentence
        _SIF_TOP_7 + _SIF_GRID_7 + "Children\u2019s services in Northwold\nare good\n",
    ],
)
def test_sif_grid_under_a_header_row_or_above_the_sentence(page_1: str) -> None:
    got = reports._parse_texts([page_1])
    assert (got.framework, got.overall, got.authority) == ("sif", "good", "Northwold Council")
    assert got.judgements == _SIF_WANT_7


def test_sif_grid_beside_the_summary() -> None:
    """What set 7's two-column SIF document meant to print (its helper drew no grid)."""
    page_1 = (
        _SIF_TOP_7 + "Children\u2019s services in Northwold are good\n"
        "1. Children who need help and protection Good Children and families receive help\n"
        "that is well matched. Leaders know their services\n"
        "2. Children looked after and achieving permanence Good well and have acted\n"
        "2.1 Adoption performance Good to strengthen practice, although some\n"
        "2.2 Experiences and progress of care leavers Requires improvement care leavers\n"
        "3. Leadership, management and governance Good do not have support.\n"
    )
    got = reports._parse_texts([page_1])
    assert (got.framework, got.overall) == ("sif", "good")
    assert got.judgements == _SIF_WANT_7
