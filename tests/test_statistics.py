"""Ofsted's official statistics: the three real editions in shared, broken files of our own,
storage once per file, and the reconciliation with the reports we read."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from functools import cache

import pytest
from sqlmodel import Session, select

from config.wiring import AUTHORITIES_CSV
from ingest.extract.statistics import StatisticsEdition, StatisticsError, parse_outcomes
from ingest.gazetteer import Gazetteer, load_authorities
from ingest.models import Authority, Inspection, Judgement, OfficialInspection, Publication
from ingest.statistics import open_discrepancies, reconcile, store_edition
from ingest.status import current_statuses
from tests.paths import SHARED

STATISTICS = SHARED / "data" / "ofsted" / "statistics"
EDITION_2025 = STATISTICS / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
EDITION_2024 = STATISTICS / "LA_Inspection_Outcomes_as_at_March_2024.ods"
EDITION_2023 = STATISTICS / "Childrens_social_care_in_England_2023_underlying_data.ods"
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@cache
def edition(path) -> StatisticsEdition:
    return parse_outcomes(path.read_bytes(), filename=path.name)


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer(load_authorities(AUTHORITIES_CSV))


def by_name(inspections, name):
    return [i for i in inspections if i.authority == name]


# -- the real editions --------------------------------------------------------------------------


def test_2025_edition_long_tables_with_ons_codes():
    e = edition(EDITION_2025)
    assert (e.as_at, e.published) == (date(2025, 3, 31), date(2025, 9, 25))
    assert e.title == "Local authority inspection outcomes as at 31 March 2025"
    assert len(e.latest) == 153
    barnet = by_name(e.latest, "Barnet")[0]
    assert barnet.ons_code == "E09000003"
    assert (barnet.inspection_date, barnet.published) == (date(2024, 6, 10), date(2024, 7, 23))
    assert barnet.overall == "good"
    assert barnet.framework == "ilacs_2023"
    assert barnet.judgements == {
        "leaders": "good",
        "help_and_protection": "good",
        "in_care": "outstanding",
        "care_leavers": "good",
    }
    history = by_name(e.history, "Barking and Dagenham")
    assert [(i.inspection_date, i.framework) for i in history] == [
        (date(2019, 2, 18), "ilacs_2018"),
        (date(2023, 7, 10), "ilacs_2023"),
    ]
    # A 2018-framework inspection printed in the 'children in care' column is the combined one.
    assert history[0].judgements["in_care_and_care_leavers"] == "requires_improvement"
    assert "in_care" not in history[0].judgements
    gone = {i.authority for i in e.history if not i.still_exists}
    assert gone == {"Bournemouth", "Cumbria", "Northamptonshire"}


def test_2024_edition_short_names_wide_history_and_a_second_table():
    e = edition(EDITION_2024)
    assert (e.as_at, e.published) == (date(2024, 3, 31), date(2024, 8, 30))
    # Cumberland and Westmorland and Furness were 'Not yet inspected': no graded row.
    assert len(e.latest) == 151
    assert not by_name(e.latest, "Cumberland")
    barking = by_name(e.history, "Barking and Dagenham")
    assert [(i.published, i.overall) for i in barking] == [
        (date(2019, 4, 1), "requires_improvement"),
        (date(2023, 9, 4), "requires_improvement"),
    ]
    cumbria = by_name(e.history, "Cumbria")
    assert len(cumbria) == 1 and not cumbria[0].still_exists
    assert cumbria[0].judgements["in_care_and_care_leavers"] == "good"


def test_2023_file_every_framework_since_2009():
    e = edition(EDITION_2023)
    assert e.as_at == date(2023, 3, 31)
    assert e.published == date(2023, 7, 6)
    assert len(e.latest) == 152
    frameworks = {i.framework for i in e.history}
    assert frameworks == {"sif", "ilacs_2018", "ilacs_2023"}
    barking = by_name(e.history, "Barking and Dagenham")
    sif = [i for i in barking if i.framework == "sif"]
    assert sif[0].published == date(2014, 7, 7)
    assert sif[0].judgements["sif_adoption"] == "requires_improvement"
    assert sif[0].judgements["lscb"] == "requires_improvement"
    northants = [i for i in by_name(e.history, "Northamptonshire") if i.framework != "sif"]
    assert [(i.published, i.overall, i.still_exists) for i in northants] == [
        (date(2019, 7, 29), "inadequate", False)
    ]
    assert northants[0].judgements == {
        "leaders": "requires_improvement",
        "help_and_protection": "inadequate",
        "in_care_and_care_leavers": "inadequate",
    }


@pytest.mark.parametrize("path", [EDITION_2025, EDITION_2024, EDITION_2023], ids=lambda p: p.name)
def test_every_council_of_every_edition_resolves(path):
    e = edition(path)
    g = gazetteer()
    unresolved = []
    for stated in (*e.latest, *e.history):
        on = stated.inspection_date or stated.published or e.as_at
        try:
            record = g.by_ons(stated.ons_code) if stated.ons_code else None
            record = record or g.resolve(stated.authority, on=on)
        except LookupError:
            unresolved.append(stated.authority)
            continue
        assert record.valid_on(on), (stated.authority, on)
    assert unresolved == []


# -- files that are not editions ----------------------------------------------------------------


def ods(sheets: dict[str, list[list[str]]]) -> bytes:
    """A minimal OpenDocument spreadsheet of our own: enough for calamine to read."""
    cells = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{c}</text:p>'
                "</table:table-cell>"
                for c in row
            )
            + "</table:table-row>"
            for row in rows
        )
        cells.append(f'<table:table table:name="{name}">{body}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(cells)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


HEADER = [
    "Web link",
    "Local authority name",
    "Ofsted region",
    "Inspection date",
    "Overall effectiveness",
]


def latest_sheet(grade: str = "Good", councils: int = 153) -> list[list[str]]:
    rows = [["Local authority inspection judgements as at 31 March 2026"], ["A note."], HEADER]
    return rows + [["link", f"Council {n}", "London", "2024-06-10", grade] for n in range(councils)]


def test_a_file_that_is_not_a_spreadsheet_is_named():
    with pytest.raises(StatisticsError, match=r"outcomes\.ods: not an ODS file"):
        parse_outcomes(b"<html>Report not found</html>", filename="outcomes.ods")


def test_a_broken_archive_is_named():
    with pytest.raises(StatisticsError, match=r"outcomes\.ods: not a readable spreadsheet"):
        parse_outcomes(b"PK\x03\x04 truncated", filename="outcomes.ods")


def test_missing_sheets_are_named_with_what_the_file_has():
    data = ods({"Cover": [["Something else"]], "Data": [["a", "b"]]})
    with pytest.raises(StatisticsError, match=r"no sheet of latest inspections.*Cover, Data"):
        parse_outcomes(data, filename="x.ods")


def test_an_unknown_grade_names_the_row():
    data = ods(
        {
            "Inspections_as_at_31_March": latest_sheet("Excellent"),
            "ILACS_inspection_history": latest_sheet(),
        }
    )
    with pytest.raises(StatisticsError, match=r"row 4: 'Excellent' is not an Ofsted grade"):
        parse_outcomes(data, filename="x.ods")


def test_a_short_latest_sheet_is_a_layout_change_not_an_empty_result():
    data = ods(
        {
            "Inspections_as_at_31_March": latest_sheet(councils=3),
            "ILACS_inspection_history": latest_sheet(),
        }
    )
    with pytest.raises(StatisticsError, match="lists 3 councils"):
        parse_outcomes(data, filename="x.ods")


def test_a_header_without_overall_effectiveness_is_named():
    rows = latest_sheet()
    rows[2] = [*HEADER[:-1], "Verdict"]
    data = ods({"Inspections_as_at_31_March": rows, "ILACS_inspection_history": latest_sheet()})
    with pytest.raises(StatisticsError, match="no 'Overall effectiveness' column"):
        parse_outcomes(data, filename="x.ods")


def test_our_own_minimal_edition_reads_in_any_column_order():
    rows = latest_sheet()
    rows[2] = [
        "Overall effectiveness",
        "Inspection date",
        "Local authority name",
        "Web link",
        "Ofsted region",
    ]
    rows[3:] = [["Good", "10/06/2024", "Barnet", "link", "London"]] * 153
    data = ods({"Inspections_as_at_31_March": rows, "ILACS_inspection_history": latest_sheet()})
    e = parse_outcomes(data, filename="x.ods")
    assert e.as_at == date(2026, 3, 31)
    assert (e.latest[0].authority, e.latest[0].overall) == ("Barnet", "good")
    assert e.latest[0].inspection_date == date(2024, 6, 10)


# -- storage and reconciliation -----------------------------------------------------------------


def stored(engine, path=EDITION_2025, url="https://assets.example/2025.ods"):
    with Session(engine) as session:
        result = store_edition(
            session,
            edition(path),
            url=url,
            content=path.read_bytes(),
            gazetteer=gazetteer(),
            now=NOW,
        )
        session.commit()
    return result


def test_an_edition_is_stored_once_and_every_council_matched(engine):
    first = stored(engine)
    assert first.new and first.latest == 153 and first.history == 271
    assert first.unresolved == []
    again = stored(engine)
    assert not again.new
    with Session(engine) as session:
        rows = session.exec(select(OfficialInspection)).all()
        assert len(rows) == 153 + 271
        northants = session.exec(
            select(Authority).where(Authority.slug == "northamptonshire")
        ).one()
        assert any(r.authority_id == northants.id and r.role == "history" for r in rows)


def add_report(session, slug, *, start, overall, judgements=None):
    authority = session.exec(select(Authority).where(Authority.slug == slug)).one()
    publication = Publication(
        url=f"https://files.example/{slug}/{start}",
        authority_id=authority.id,
        provider_urn=authority.ofsted_urn or "0",
        title="Children's services inspection",
        kind="full_inspection",
        first_seen_at=NOW,
    )
    session.add(publication)
    session.flush()
    inspection = Inspection(
        publication_id=publication.id,
        authority_id=authority.id,
        framework="ilacs_2023",
        inspection_start=start,
        overall=overall,
    )
    session.add(inspection)
    session.flush()
    for area, grade in (judgements or {}).items():
        session.add(Judgement(inspection_id=inspection.id, area=area, grade=grade))
    return inspection


def test_reconciliation_records_each_difference_and_never_overwrites(engine):
    stored(engine)
    with Session(engine) as session:
        # Barnet: the same inspection, read the same: no discrepancy.
        add_report(
            session,
            "barnet",
            start=date(2024, 6, 10),
            overall="good",
            judgements={"leaders": "good", "in_care": "outstanding"},
        )
        # Barking and Dagenham: the same inspection, a different grade.
        barking = add_report(
            session, "barking-and-dagenham", start=date(2023, 7, 11), overall="good"
        )
        # Barnsley: we only hold an older report than the statistics list.
        add_report(session, "barnsley", start=date(2019, 1, 7), overall="requires_improvement")
        found = reconcile(session, now=NOW)
        session.commit()
        kinds = {(d.kind, d.official) for d in found}
        assert ("grade_differs", "requires improvement (inspection of 2023-07-10)") in kinds
        assert ("missing_inspection", "good (inspection of 2023-09-11)") in kinds
        assert len(found) == 2
        listed = open_discrepancies(session)
        assert [name for name, _row in listed] == ["Barking and Dagenham", "Barnsley"]
        # Nothing we read was changed.
        assert session.get(Inspection, barking.id).overall == "good"

        # The report is corrected (read again): the discrepancy closes, it is not deleted.
        session.get(Inspection, barking.id).overall = "requires_improvement"
        session.commit()
        found = reconcile(session, now=NOW)
        session.commit()
        assert [d.kind for d in found] == ["missing_inspection"]
        assert [name for name, _row in open_discrepancies(session)] == ["Barnsley"]


def test_sub_judgement_differences_are_named(engine):
    stored(engine)
    with Session(engine) as session:
        add_report(
            session,
            "barnet",
            start=date(2024, 6, 10),
            overall="good",
            judgements={"leaders": "good", "in_care": "good"},
        )
        found = reconcile(session, now=NOW)
        assert len(found) == 1
        assert found[0].ours.endswith("sub-judgements differ: in_care")


def test_a_fresh_install_gets_every_grade_from_one_edition_and_reports_take_over(engine):
    stored(engine)
    with Session(engine) as session:
        statuses = {s.slug: s for s in current_statuses(session)}
        assert sum(1 for s in statuses.values() if s.overall) == 153
        barnet = statuses["barnet"]
        assert (barnet.overall, barnet.grade_source) == ("good", "official_statistics")
        assert barnet.inspection_start == date(2024, 6, 10)
        assert barnet.judgements["in_care"] == "outstanding"
        add_report(session, "barnet", start=date(2025, 10, 6), overall="outstanding")
        session.commit()
        barnet = {s.slug: s for s in current_statuses(session)}["barnet"]
        assert (barnet.overall, barnet.grade_source) == ("outstanding", "report")


def test_open_discrepancies_are_shown_on_the_board_and_in_health(engine, tmp_path):
    from tests.test_web import make_client

    stored(engine)
    with Session(engine) as session:
        add_report(session, "barking-and-dagenham", start=date(2023, 7, 11), overall="good")
        reconcile(session, now=NOW)
        session.commit()
    client, _outbox = make_client(engine)
    page = client.get("/").text
    assert "1 council where our reading differs from Ofsted's official statistics" in page
    assert "the statistics say requires improvement (inspection of 2023-07-10)" in page
    assert 'href="/authority/barking-and-dagenham"' in page

    from config.health import check_health
    from config.settings import load_settings
    from config.wiring import Service

    service = Service(load_settings(var_dir=str(tmp_path)))
    service.__dict__["engine"] = engine  # the test's database (cached_property)
    report = check_health(service, [], require_daemon=False)
    assert report.healthy  # a discrepancy is for review, not a fault of the service
    assert report.to_json()["official_discrepancies"] == [
        "Barking and Dagenham: official statistics say requires improvement (inspection of "
        "2023-07-10); we hold good (inspection of 2023-07-11)"
    ]
