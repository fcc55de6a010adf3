"""The report extractor against the team's ground truth, bad inputs, and layout variants.

Real files are read where they lie (tests/paths.py); bad inputs are made in tmp_path. The
variant tests feed page texts (what pdfium returns) straight to the layout code, so that the
phrasings seen in unseen reports are pinned down without needing a PDF of each.
"""

from __future__ import annotations

import csv
import ctypes
import io
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from ingest.extract import reports
from ingest.extract.reports import (
    FRAMEWORKS,
    GRADES,
    JUDGEMENT_AREAS,
    ReportError,
    parse_report,
    parse_report_file,
)
from tests.paths import OFSTED_LABELS, OFSTED_PDFS, REPORT_NOT_FOUND_HTML

CONTRACT_KEYS = {
    "file",
    "framework",
    "authority",
    "inspection_start",
    "inspection_end",
    "published",
    "lead_inspector",
    "overall",
    "judgements",
}


def _labels() -> list[dict[str, str]]:
    if not OFSTED_LABELS.exists():
        return []
    with OFSTED_LABELS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


LABELS = _labels()
LABELLED = {row["file"] for row in LABELS}
needs_shared = pytest.mark.skipif(not LABELS, reason=f"shared data not found at {OFSTED_LABELS}")


def _expected(row: dict[str, str]) -> dict:
    """The CLI line labels.csv implies for one row (empty cell = null / judgement absent)."""
    return {
        "framework": row["framework"],
        "authority": row["la_name_in_report"] or None,
        "inspection_start": row["inspection_start"] or None,
        "inspection_end": row["inspection_end"] or None,
        "published": row["published"] or None,
        "lead_inspector": row["lead_inspector"] or None,
        "overall": row["overall"] or None,
        "judgements": {area: row[area] for area in JUDGEMENT_AREAS if row[area]},
    }


# --------------------------------------------------------------------------------------------
# Ground truth: every field of every labelled row.


@needs_shared
@pytest.mark.parametrize("row", LABELS, ids=[row["file"] for row in LABELS])
def test_labelled_report(row: dict[str, str]) -> None:
    path = OFSTED_PDFS / row["file"]
    line = parse_report_file(path)
    assert line["file"] == str(path)
    if row["valid_pdf"] == "false":
        assert set(line) == {"file", "error"}
        assert Path(row["file"]).name in line["error"]
        assert "HTML page titled 'Report not found" in line["error"]
        return
    assert "error" not in line, line.get("error")
    assert set(line) == CONTRACT_KEYS
    got = {key: line[key] for key in CONTRACT_KEYS - {"file"}}
    assert got == _expected(row)
    assert parse_report(path.read_bytes(), name=path.name).pages == int(row["pages"])


def _unlabelled_pdfs() -> list[Path]:
    if not OFSTED_PDFS.exists():
        return []
    return sorted(
        p for p in OFSTED_PDFS.rglob("*.pdf") if str(p.relative_to(OFSTED_PDFS)) not in LABELLED
    )


UNLABELLED = _unlabelled_pdfs()


@needs_shared
def test_unlabelled_files_exist() -> None:
    assert len(UNLABELLED) >= 40  # the focused visits and area SEND reports


@needs_shared
@pytest.mark.parametrize(
    "path", UNLABELLED, ids=[str(p.relative_to(OFSTED_PDFS)) for p in UNLABELLED]
)
def test_unlabelled_report_is_other_or_error(path: Path) -> None:
    """Focused visits and area SEND: framework 'other' with no grade, or a clear error."""
    try:
        report = parse_report(path.read_bytes(), name=path.name)
    except ReportError as exc:
        assert path.name in str(exc)
        return
    assert report.framework == "other"
    assert report.overall is None
    assert report.judgements == {}
    line = parse_report_file(path)
    assert set(line) == CONTRACT_KEYS | {"signal"}


@needs_shared
def test_focused_visit_keeps_council_and_visit_dates() -> None:
    path = next(p for p in UNLABELLED if "focused visit - 22 june 2023" in p.name)
    report = parse_report(path.read_bytes(), name=path.name)
    assert (report.framework, report.authority) == ("other", "Dorset")
    assert (report.inspection_start, report.inspection_end) == (
        date(2023, 5, 17),
        date(2023, 5, 18),
    )


@needs_shared
def test_ilacs_reads_each_page_once_and_skips_pages_between_headings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Speed comes from reading few pages: page 1, page 2, then where each heading usually is."""
    read: list[int] = []
    original = reports._pdf_reader

    def counting(doc: pdfium.PdfDocument, name: str):
        inner = original(doc, name)

        def read_page(index: int) -> str:
            read.append(index)
            return inner(index)

        return read_page

    monkeypatch.setattr(reports, "_pdf_reader", counting)
    row = next(r for r in LABELS if r["framework"] == "ilacs_2023")
    parse_report((OFSTED_PDFS / row["file"]).read_bytes())
    assert read[:2] == [0, 1] and len(set(read)) == len(read)  # table, header page, each once
    assert 3 <= len(read) <= int(row["pages"]) // 2  # the body was read, not page by page


def test_outward_order_tries_every_page_once_nearest_the_guess_first() -> None:
    assert list(reports._outward(2, 9, 5)) == [5, 6, 4, 7, 3, 8, 2]
    assert list(reports._outward(2, 9, 0)) == [2, 3, 4, 5, 6, 7, 8]  # a guess before the range
    assert sorted(reports._outward(0, 12, 11)) == list(range(12))
    assert list(reports._outward(4, 4, 4)) == []


def test_a_heading_far_from_where_it_usually_falls_is_still_read_and_checked() -> None:
    """The usual place only orders the reading: a heading on an unusual page still counts."""
    table = (
        "Inspection of Anyshire County Council children's services\n"
        "Inspection dates: 3 to 14 March 2025\nJudgement Grade\n"
        "The impact of leaders on social work practice with children and families Good\n"
        "The experiences and progress of children who need help and protection Good\n"
        "The experiences and progress of children in care Good\n"
        "The experiences and progress of care leavers Good\nOverall effectiveness Good"
    )
    body = ["Inspection of Anyshire County Council children's services 3 to 14 March 2025 2"]
    body += ["Narrative about practice."] * 12
    body[1] = "The experiences and progress of children who need help and protection: good"
    body[2] = "The experiences and progress of children in care: good"
    body[3] = "The experiences and progress of care leavers: good"
    body[12] = (
        "The impact of leaders on social work practice with children and families: inadequate"
    )
    pages = [table, "\n".join(body[:2]), *body[2:]]
    with pytest.raises(reports.ReportConflict, match=r"leaders is 'good'.*'inadequate'"):
        reports._parse_texts(pages, name="unusual.pdf")


# --------------------------------------------------------------------------------------------
# Bad inputs.


def _real_pdf() -> Path:
    row = next(r for r in LABELS if r["valid_pdf"] == "true")
    return OFSTED_PDFS / row["file"]


def _encrypted_pdf() -> bytes:
    """A tiny PDF whose trailer names a standard /Encrypt dictionary (pypdfium2 cannot write one).

    The /U entry does not match the empty user password, so any reader must ask for a password.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    file_id = b"<" + b"ab" * 16 + b">"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\n" % (
        len(objects) + 1,
        file_id,
        file_id,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with the given lines of text per page (Helvetica), written with pdfium itself."""
    pdf = pdfium.PdfDocument.new()
    for lines in pages:
        page = pdf.new_page(595, 842)
        y = 800
        for line in lines:
            obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 11)
            encoded = (line + "\0").encode("utf-16-le")
            buffer = ctypes.create_string_buffer(encoded, len(encoded))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 50, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
            y -= 16
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _blank_pdf() -> bytes:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _bad_input(kind: str) -> bytes:
    if kind == "empty":
        return b""
    if kind == "truncated":
        data = _real_pdf().read_bytes()
        return data[: len(data) // 2]
    if kind == "encrypted":
        return _encrypted_pdf()
    if kind == "random":
        return bytes((i * 7919 + 13) % 251 for i in range(4096))
    if kind == "html":
        return REPORT_NOT_FOUND_HTML.read_bytes()
    if kind == "no_text":
        return _blank_pdf()
    if kind == "unrecognised":
        return _text_pdf([["Minutes of the allotment society", "Held on 3 May 2024"]])
    raise AssertionError(kind)


BAD_INPUTS = {
    "empty": "is an empty file (0 bytes), not a PDF",
    "truncated": "truncated or corrupt",
    "encrypted": "encrypted PDF that needs a password",
    "random": "not a PDF",
    "html": "is an HTML page titled 'Report not found - Find an Inspection Report - Ofsted', "
    "not a PDF",
    "no_text": "no extractable text",
    "unrecognised": "layout is not recognised",
}


@needs_shared
@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_sentence(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"children's services inspection - {kind}.pdf"
    path.write_bytes(_bad_input(kind))
    with pytest.raises(ReportError) as caught:
        parse_report(path.read_bytes(), name=path.name)
    message = str(caught.value)
    assert message.startswith(path.name + " ")
    assert BAD_INPUTS[kind] in message
    assert "\n" not in message and message.count(". ") == 0

    line = parse_report_file(path)
    assert line == {"file": str(path), "error": message}


def test_missing_file_is_an_error_line(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.pdf"
    line = parse_report_file(path)
    assert set(line) == {"file", "error"}
    assert line["file"] == str(path)
    assert "nowhere.pdf cannot be read" in line["error"]


def test_parse_report_file_accepts_str_and_keeps_the_path_as_given(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"")
    assert parse_report_file(str(path))["file"] == str(path)


def test_text_pdf_end_to_end() -> None:
    """A whole synthetic ILACS first page through pdfium, with wrapped rows."""
    data = _text_pdf(
        [
            [
                "Inspection of Testshire local authority",
                "children’s services",
                "Inspection dates: 27 February – 10 March 2023",
                "Lead inspector: Ann Example, His Majesty’s Inspector",
                "Judgement Grade",
                "The impact of leaders on social work",
                "practice with children and families",
                "Good",
                "The experiences and progress of",
                "children who need help and protection",
                "Requires improvement to be good",
                "The experiences and progress of",
                "children in care",
                "Good",
                "The experiences and progress of care",
                "leavers",
                "Outstanding",
                "Overall effectiveness Good",
            ]
        ]
    )
    report = parse_report(data, name="t.pdf")
    assert report.to_json() == {
        "framework": "ilacs_2023",
        "authority": "Testshire",
        "inspection_start": "2023-02-27",
        "inspection_end": "2023-03-10",
        "published": None,
        "lead_inspector": "Ann Example",
        "overall": "good",
        "judgements": {
            "leaders": "good",
            "help_and_protection": "requires_improvement",
            "in_care": "good",
            "care_leavers": "outstanding",
        },
    }
    assert report.pages == 1


# --------------------------------------------------------------------------------------------
# Layout variants, as page text.


def _ilacs_page(dates: str, lead: str, rows: str) -> str:
    return (
        "Inspection of Exampleton local authority\nchildren's services\n"
        f"Inspection dates: {dates}\n{lead}\nJudgement Grade\n{rows}\n"
        "Since the last inspection, children in care are good and care leavers outstanding.\n"
    )


ROWS_2018 = (
    "The impact of leaders on social work practice with children \nand families Outstanding\n"
    "The experiences and progress of children who need help and \nprotection Requires "
    "improvement\nto be good\nThe experiences and progress of children in care and care \n"
    "leavers Good\nOverall effectiveness Requires Improvement to be good"
)


@pytest.mark.parametrize(
    ("dates", "start", "end"),
    [
        ("20 to 31 January 2025", date(2025, 1, 20), date(2025, 1, 31)),
        ("29 November to 3 December 2021", date(2021, 11, 29), date(2021, 12, 3)),
        ("27 February – 10 March 2023", date(2023, 2, 27), date(2023, 3, 10)),
        ("3 December 2018 to 14 December 2018", date(2018, 12, 3), date(2018, 12, 14)),
        ("19 November–30 November 2018", date(2018, 11, 19), date(2018, 11, 30)),
        ("9–24 November 2017", date(2017, 11, 9), date(2017, 11, 24)),
        ("1st to 12th July 2024", date(2024, 7, 1), date(2024, 7, 12)),
        ("29 December 2014 to 9 January 2015", date(2014, 12, 29), date(2015, 1, 9)),
        ("29 December to 9 January 2015", date(2014, 12, 29), date(2015, 1, 9)),
        ("15 December 2014 –\n9 January 2015", date(2014, 12, 15), date(2015, 1, 9)),
        ("11 July 2022", date(2022, 7, 11), date(2022, 7, 11)),
    ],
)
def test_inspection_date_variants(dates: str, start: date, end: date) -> None:
    page = _ilacs_page(dates, "Lead inspector: Ann Example, Her Majesty’s Inspector", ROWS_2018)
    report = reports._parse_texts([page])
    assert (report.inspection_start, report.inspection_end) == (start, end)


@pytest.mark.parametrize(
    "lead",
    [
        "Lead inspector: Ann Example, His Majesty’s Inspector",
        "Lead inspector: Ann Example, Her Majesty's Inspector",
        "Lead inspector: Ann Example\nHer Majesty’s Inspector",
        "Lead Inspector: Ann Example HMI",
        "Lead inspector: Ann Example, Senior HMI",
        "Lead inspector:\nAnn Example",
        "Lead inspector Ann Example (HMI)",
    ],
)
def test_lead_inspector_variants(lead: str) -> None:
    report = reports._parse_texts([_ilacs_page("9 to 20 May 2022", lead, ROWS_2018)])
    assert report.lead_inspector == "Ann Example"


def test_ilacs_2018_grades_wrapped_and_capitalised() -> None:
    report = reports._parse_texts([_ilacs_page("9 to 20 May 2022", "", ROWS_2018)])
    assert report.framework == "ilacs_2018"
    assert report.authority == "Exampleton"
    assert report.overall == "requires_improvement"
    assert report.judgements == {
        "leaders": "outstanding",
        "help_and_protection": "requires_improvement",
        "in_care_and_care_leavers": "good",
    }
    assert report.published is None


def test_ilacs_table_extracted_column_by_column() -> None:
    rows = (
        "The impact of leaders on social work practice with children and families\n"
        "The experiences and progress of children who need help and protection\n"
        "The experiences and progress of children in care and care leavers\n"
        "Overall effectiveness\nGood\nInadequate\nGood\nRequires improvement to be good"
    )
    report = reports._parse_texts([_ilacs_page("9 to 20 May 2022", "", rows)])
    assert report.overall == "requires_improvement"
    assert report.judgements == {
        "leaders": "good",
        "help_and_protection": "inadequate",
        "in_care_and_care_leavers": "good",
    }


def test_ilacs_old_cover_name_above_title() -> None:
    page = (
        "1\nRoyal Borough of Exampleton upon\nSea\nInspection of children’s social care services\n"
        "Inspection dates: 21 October to 25 October 2019\nLead inspector: Ann Example\n"
        f"Her Majesty’s Inspector\nJudgement Grade\n{ROWS_2018}\n"
    )
    report = reports._parse_texts([page])
    assert report.authority == "Royal Borough of Exampleton upon Sea"
    assert report.inspection_start == date(2019, 10, 21)


def test_ilacs_without_overall_grade_is_an_error_not_a_silent_null() -> None:
    rows = ROWS_2018.rsplit("Overall", 1)[0] + "Overall effectiveness"
    with pytest.raises(ReportError, match="no 'Overall effectiveness' grade"):
        reports._parse_texts([_ilacs_page("9 to 20 May 2022", "", rows)], name="x.pdf")


def _sif_pages(overall: str, grid: str, *, lscb: bool) -> list[str]:
    title = "Inspection of services for children in need of help and \nprotection, children "
    title += "looked after and care leavers\n"
    if lscb:
        title += "and\nReview of the effectiveness of the Local Safeguarding Children \nBoard1\n"
    first = (
        f"1\nExampleton Council\n{title}Inspection date: 29 December 2014 – 22 January 2015\n"
        f"Report published: 2nd March 2015\n{overall}\n{grid}\n"
    )
    contents = (
        "2\nContents\nThe local authority 3\nThe experiences and progress of children who need "
        "help and \nprotection 3\nThe Local Safeguarding Children Board (LSCB) 4\n"
        "Information about this inspection 5\n"
    )
    body = "3\nChildren in care are good. An LSCB requires improvement if it is weak.\n"
    lscb_page = "4\nThe Local Safeguarding Children Board (LSCB)\nThe Local Safeguarding "
    lscb_page += "Children Board is judged to be outstanding\nThe LSCB is outstanding because:\n"
    team = (
        "5\nInformation about this inspection\nThe inspection team\n"
        "Lead inspector: Ann Example HMI\nDeputy lead inspector: Bob Other HMI\n"
    )
    return [first, contents, body, lscb_page, team, "6\nPiccadilly Gate\n"]


SIF_GRID = (
    "1. Children who need help and protection Requires \nImprovement\n"
    "2. Children looked after and achieving \npermanence\nNot Judged\n"
    "2.1 Adoption performance Good1\n2.2 Experiences and progress of care leavers\nOutstanding\n"
    "3. Leadership, management and governance Inadequate\n"
)


@pytest.mark.parametrize(
    ("sentence", "grade"),
    [
        (
            "Children’s services in Exampleton require improvement to be good",
            "requires_improvement",
        ),
        ("Children's services in the Exampleton are inadequate", "inadequate"),
        (
            "The overall judgement is that children’s services require \nimprovement.2",
            "requires_improvement",
        ),
        ("The overall judgement is that children’s services are \ngood.\n2", "good"),
        ("The overall judgement is Outstanding", "outstanding"),
    ],
)
def test_sif_overall_sentence_variants(sentence: str, grade: str) -> None:
    report = reports._parse_texts(_sif_pages(sentence, SIF_GRID, lscb=False))
    assert report.framework == "sif"
    assert report.overall == grade


def test_sif_grid_not_judged_lscb_and_team_via_contents() -> None:
    pages = _sif_pages("Children’s services in Exampleton are good", SIF_GRID, lscb=True)
    report = reports._parse_texts(pages)
    assert report.authority == "Exampleton Council"
    assert (report.inspection_start, report.inspection_end) == (
        date(2014, 12, 29),
        date(2015, 1, 22),
    )
    assert report.published == date(2015, 3, 2)
    assert report.lead_inspector == "Ann Example"
    assert report.judgements == {
        "help_and_protection": "requires_improvement",
        "sif_adoption": "good",
        "sif_care_leavers": "outstanding",
        "sif_leadership": "inadequate",
        "lscb": "outstanding",
    }


def test_sif_lscb_on_the_first_page() -> None:
    grid = (
        SIF_GRID + "The effectiveness of the Local Safeguarding Children Board (LSCB)\nis good.\n"
    )
    pages = _sif_pages("The overall judgement is inadequate", grid, lscb=True)
    report = reports._parse_texts(pages)
    assert report.judgements["lscb"] == "good"
    assert report.judgements["sif_leadership"] == "inadequate"


def test_sif_without_lscb_review_has_no_lscb() -> None:
    pages = _sif_pages("Children’s services in Exampleton are good", SIF_GRID, lscb=False)
    assert "lscb" not in reports._parse_texts(pages).judgements


def test_pre_2013_record_of_main_findings() -> None:
    """Services graded apart (safeguarding adequate, looked after good): the overall is the
    first, safeguarding's. A convention, kept on purpose: the earlier unseen-report measure
    (377 of 379 overall grades right) was taken with it, and Ofsted's statistics keep both."""
    cover = (
        "Inspection of safeguarding and looked\nafter children services\nExampleton City Council\n"
        "Inspection dates: 10 – 21 September 2012\nReporting inspector Ann Example HMI\n"
        "Age group: All\nPublished: 19 October 2012\n"
    )
    record = (
        "Exampleton Inspection of safeguarding and looked after children services 30\n"
        "Record of main findings\nSafeguarding services\nOverall effectiveness Adequate\n"
        "Capacity for improvement Good\nLooked after children services\n"
        "Overall effectiveness Good\n"
    )
    report = reports._parse_texts([cover, "© Crown copyright", "body", record])
    assert report.framework == "pre_2013"
    assert report.authority == "Exampleton City Council"
    assert report.lead_inspector == "Ann Example"
    assert report.published == date(2012, 10, 19)
    assert (report.inspection_start, report.inspection_end) == (
        date(2012, 9, 10),
        date(2012, 9, 21),
    )
    assert report.overall == "adequate"
    assert report.judgements == {}


def test_pre_2013_grade_in_body_when_no_record_table() -> None:
    cover = (
        "Inspection of local authority arrangements for the protection of children\nExampleton\n"
        "Inspection dates: 11 – 20 June 2012\nLead inspector: Ann Example HMI\nAge group: All\n"
        "Published: 13 July 2012\n"
    )
    body = (
        "Overall effectiveness\n1. The overall effectiveness of the arrangements to protect "
        "children in Exampleton is inadequate.\n"
    )
    report = reports._parse_texts([cover, "Contents\nOverall effectiveness 4\n", body, "end"])
    assert report.overall == "inadequate"
    assert report.authority == "Exampleton"


def test_lscb_review_alone_is_other_with_lscb_grade() -> None:
    page = (
        "1\nExampleton Safeguarding Children Board\nReview of the effectiveness of the Local "
        "Safeguarding Children \nBoard\nInspection date: 15 June 2015 – 17 June 2015\n"
        "Report published: 3 August 2015\nThe Local Safeguarding Children Board is inadequate\n"
    )
    team = "2\nInformation about this review\nLead inspector: Ann Example, HMI\n"
    report = reports._parse_texts([page, team])
    assert report.framework == "other"
    assert report.overall is None
    assert report.judgements == {"lscb": "inadequate"}
    assert report.authority == "Exampleton Safeguarding Children Board"
    assert report.lead_inspector == "Ann Example"


def test_letter_citing_sif_title_is_still_other() -> None:
    page = (
        "Dear Ms Example\nFocused visit to Exampleton children’s services\nThis letter "
        "summarises the findings of a focused visit to Exampleton children’s services on 8 and "
        "9 October 2019. Since the previous inspection of services for children in need of help "
        "and protection, children looked after and care leavers, services are good.\n"
    )
    report = reports._parse_texts([page])
    assert (report.framework, report.overall, report.authority) == ("other", None, "Exampleton")
    assert report.inspection_start == date(2019, 10, 8)


def test_constants_are_the_contract() -> None:
    assert FRAMEWORKS == ("ilacs_2023", "ilacs_2018", "sif", "pre_2013", "other")
    assert GRADES == ("outstanding", "good", "requires_improvement", "inadequate", "adequate")
    assert len(JUDGEMENT_AREAS) == 10


# --------------------------------------------------------------------------------------------
# Second-reading heading variants seen in real reports (2015-2019), on made-up councils.


def _ilacs_with_body(rows: str, body: list[str]) -> list[str]:
    header = "Inspection of Exampleton local authority children's services 9 to 20 May 2022 2"
    return [_ilacs_page("9 to 20 May 2022", "", rows), header + "\n" + body[0], *body[1:]]


@pytest.mark.parametrize(
    ("heading", "grade"),
    [
        ("The experiences and progress of children who need help and \nprotection is inadequate",
         "inadequate"),
        ("The experiences and progress of children who need help and \nprotection are: good",
         "good"),
        ("The experiences and progress of children who need help and protection: good", "good"),
    ],
)  # fmt: skip
def test_ilacs_body_heading_with_a_verb_is_a_second_reading(heading: str, grade: str) -> None:
    rows = ROWS_2018.replace("protection Requires improvement\nto be good", f"protection {grade}")
    assert (
        reports._parse_texts(_ilacs_with_body(rows, [heading])).judgements["help_and_protection"]
        == grade
    )
    other = "good" if grade != "good" else "inadequate"
    with pytest.raises(reports.ReportConflict, match="help_and_protection"):
        reports._parse_texts(
            _ilacs_with_body(rows.replace(f"protection {grade}", f"protection {other}"), [heading])
        )


def test_a_sentence_starting_with_an_area_and_a_verb_is_not_a_heading() -> None:
    """Only the heading's full wording may take a verb: narrative about children in care is no
    reading of the grade."""
    body = [
        "Children in care are good at keeping in touch with their families.",
        "Children who need help and protection are inadequately supported at night.",
    ]
    report = reports._parse_texts(_ilacs_with_body(ROWS_2018, body))
    assert report.judgements["in_care_and_care_leavers"] == "good"
    assert report.judgements["help_and_protection"] == "requires_improvement"


def _sif_with_sections(adoption: str, care_leavers: str) -> list[str]:
    """A SIF report whose contents page has one entry for all judgements (2014-2015)."""
    pages = _sif_pages("Children’s services in Exampleton are good", SIF_GRID, lscb=False)
    contents = "2\nContents\nInspection judgements about the local authority 3\n"
    sections = [
        "3\nChildren who need help and protection Requires improvement\nSummary",
        "4\nChildren looked after and achieving permanence Not judged",
        "5\nNarrative about fostering.",
        f"6\n{adoption}\nNarrative about adoption.",
        f"7\n{care_leavers}\nNarrative about care leavers.",
        "8\nLeadership, management and\ngovernance\nInadequate\nSummary",
        "9\nInformation about this inspection\nLead inspector: Ann Example HMI",
    ]
    return [pages[0], contents, *sections]


def test_sif_sub_sections_by_their_short_names_are_a_second_reading() -> None:
    agree = _sif_with_sections(
        "The graded judgement for adoption is good",
        "The graded judgement about the experience and progress of care leavers\n"
        "is that they are outstanding",
    )
    assert reports._parse_texts(agree).judgements["sif_care_leavers"] == "outstanding"
    for adoption, care_leavers, area in (
        ("for adoption is inadequate", "for care leavers is outstanding", "sif_adoption"),
        (
            "for adoption is good",
            "about the experience and progress of care leavers\nis that they require improvement",
            "sif_care_leavers",
        ),
    ):
        pages = _sif_with_sections(
            f"The graded judgement {adoption}", f"The graded judgement {care_leavers}"
        )
        with pytest.raises(reports.ReportConflict, match=rf"\({area} is '(good|outstanding)'"):
            reports._parse_texts(pages)


@needs_shared
def test_the_body_confirms_every_graded_area_of_the_shared_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second reading is only worth something where it finds the headings: all of them here."""
    seen: list[tuple[str, set[str], set[str]]] = []
    check = reports._check_judgements

    def spy(first: dict[str, str], body: dict[str, tuple[str, int]], name: str) -> None:
        seen.append((name, set(first), set(body)))
        check(first, body, name)

    monkeypatch.setattr(reports, "_check_judgements", spy)
    for path in sorted(OFSTED_PDFS.rglob("*.pdf")):
        parse_report_file(path)
    unconfirmed = {name: table - body for name, table, body in seen if table - body}
    assert sum(len(table) for _, table, _ in seen) >= 190
    assert unconfirmed == {}
