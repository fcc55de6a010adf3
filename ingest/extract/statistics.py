"""Ofsted's official statistics: 'Local authority inspection outcomes as at 31 March' (ODS).

Every edition lays its sheets out differently (2025: long tables with ONS codes; 2024: short
column names and a wide history sheet with a second table for abolished councils; the 2023
'Children's social care data in England' file: every framework since 2009 in one wide sheet), so
nothing here reads a position: sheets are chosen by name, the header row is found by its
column names, and each column is recognised by words in its header. A file that matches none of
this is a `StatisticsError` naming the file and what is missing, never an empty result.

python-calamine reads the ODS (a maintained Rust reader, about 20 times faster than the pure-Python
ODS readers on the 2 MB 2023 file); this module is pure: bytes in, records out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from python_calamine import CalamineWorkbook

from ingest.extract.reports import GRADES


class StatisticsError(ValueError):
    """The file is not an edition we can read; the message names the file and the reason."""


@dataclass(frozen=True)
class StatedInspection:
    """One graded inspection as the official statistics state it."""

    authority: str  # the name as printed
    ons_code: str | None
    region: str | None
    framework: str  # ilacs_2023, ilacs_2018 or sif
    inspection_type: str | None  # 'ILACS Standard Inspection', 'ILACS Short Inspection', ...
    inspection_date: date | None  # the start of the inspection, where the sheet gives it
    published: date | None
    overall: str | None
    judgements: dict[str, str] = field(default_factory=dict)
    still_exists: bool = True  # False for councils the sheet lists as 'no longer exists'


@dataclass(frozen=True)
class StatisticsEdition:
    title: str
    as_at: date  # the 31 March the edition describes
    published: date | None
    latest: tuple[StatedInspection, ...]  # each council's latest graded inspection
    history: tuple[StatedInspection, ...]  # every graded inspection the edition lists


# -- the layout, as data ---------------------------------------------------------------------
# Sheet roles by sheet name (case-insensitive search). The first matching sheet is used.
LATEST_SHEETS = (r"^Inspections_as_at", r"^Inspections_31_March", r"^LA_level_at_31_Mar")
HISTORY_SHEETS = (r"ILACS_inspection_history", r"^ILACS_inspections_", r"^LA_inspections_\d{4}")

# A column is recognised by words in its header, tried in this order (first match wins), so
# 'children in care and care leavers' is tested before 'children in care' and 'care leavers'.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", r"local authority name"),
    ("ons_code", r"local authority area code"),
    ("status", r"local authority status"),
    ("region", r"\bregion\b"),
    ("authority_type", r"authority type"),
    ("published", r"publication date"),
    ("inspection_date", r"inspection(?:/visit)? date"),
    ("inspection_type", r"inspection(?:/visit)? type"),
    ("overall", r"overall (?:effectiveness|judgement)"),
    ("leaders", r"impact of leaders|leadership, management and governance"),
    ("help_and_protection", r"need help and protection"),
    ("in_care_and_care_leavers", r"children in care and care leavers"),
    ("looked_after", r"looked after and achieving permanence"),
    ("adoption", r"adoption performance"),
    ("care_leavers", r"care leavers"),
    ("in_care", r"children in care"),
    ("web_link", r"web link"),
)
_FIELD_RES = tuple((name, re.compile(pattern, re.I)) for name, pattern in FIELDS)
# Columns of a wide history sheet belong to a group named before the field words ('First
# ILACS', 'Second ILACS framework', 'SIF Re-inspection'). Only these groups are graded
# inspections of the current frameworks; older families (SLAC, CPI, TLAC) are left out.
_GROUP_RE = re.compile(
    r"^(?:(?:first|second|third|fourth|fifth)\s+)?(?:ilacs|sif)\b(?:\s+re-inspection)?", re.I
)
# Older inspection families in the 2023 file's wide sheet: not graded on today's scale, skipped.
_OLDER_FAMILY_RE = re.compile(
    r"^(?:slac|cpi|cpri|tlac|safeguarding|child protection|targeted looked after)", re.I
)
SKIPPED = "skipped"
_SIF_PREFIX_RE = re.compile(r"^single inspection of la children's services \(sif\)\s*", re.I)
_LSCB_RE = re.compile(r"^lscb overall effectiveness", re.I)
_TITLE_DATE_RE = re.compile(
    r"(\d{1,2}) (January|February|March|April|May|June|July|August|"
    r"September|October|November|December) (\d{4})",
    re.I,
)
_MONTHS = "january february march april may june july august september october november december"
_GRADED_AREAS_ILACS = (
    "leaders",
    "help_and_protection",
    "in_care_and_care_leavers",
    "in_care",
    "care_leavers",
)
_SIF_AREAS = {
    "help_and_protection": "help_and_protection",
    "looked_after": "sif_looked_after_permanence",
    "adoption": "sif_adoption",
    "care_leavers": "sif_care_leavers",
    "leaders": "sif_leadership",
    "lscb": "lscb",
}


def _clean(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip()


def _field(header: str) -> tuple[str, str] | None:
    """(field, the words before it) for a header, or None if it is not a column we read."""
    if _LSCB_RE.match(header):
        return "lscb", ""
    header = _SIF_PREFIX_RE.sub("", header)
    for name, regex in _FIELD_RES:
        found = regex.search(header)
        if found:
            return name, header[: found.start()].strip()
    return None


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise StatisticsError(f"{where}: {text!r} is not a date")


def _grade(value: Any, where: str) -> str | None:
    text = _clean(value)
    if not text or text.lower() in {"not judged", "n/a", "-", "not applicable"}:
        return None
    grade = (
        "requires_improvement"
        if text.lower().startswith("requires improvement")
        else (text.lower().replace(" ", "_"))
    )
    if grade not in GRADES:
        raise StatisticsError(f"{where}: {text!r} is not an Ofsted grade")
    return grade


def _text(value: Any) -> str | None:
    return _clean(value) or None


@dataclass
class _Table:
    sheet: str
    header_row: int
    columns: dict[int, tuple[str, str]]  # column index -> (field, group)
    rows: list[list[Any]]


def _tables(sheet: str, rows: list[list[Any]]) -> list[_Table]:
    """Every table on a sheet: a header row naming 'Local authority name', then its rows up to
    the next title or header row (the 2024 history sheet has a second table below the first)."""
    starts = [
        i
        for i, row in enumerate(rows)
        if any(_clean(c).lower() == "local authority name" for c in row)
    ]
    tables = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(rows)
        columns: dict[int, tuple[str, str]] = {}
        group = ""
        for index, header in enumerate(rows[start]):
            found = _field(_clean(header))
            if found is None:
                continue
            name, prefix = found
            in_group = _GROUP_RE.match(prefix)
            if in_group:
                group = in_group.group(0).lower()
            elif _OLDER_FAMILY_RE.match(prefix):
                group = SKIPPED
            columns[index] = (
                name,
                group
                if name
                not in {"name", "ons_code", "region", "status", "authority_type", "web_link"}
                else "",
            )
        body = [row for row in rows[start + 1 : end] if any(_clean(c) for c in row)]
        # A title row between two tables ('ILACS inspections of local authorities that ...')
        # has text in its first cell only.
        body = [row for row in body if sum(1 for c in row if _clean(c)) > 1]
        tables.append(_Table(sheet, start, columns, body))
    return tables


def _inspection(
    values: dict[str, Any], *, where: str, group: str, common: dict[str, Any]
) -> StatedInspection | None:
    """One inspection from the values of one group of columns, or None when the group is
    empty (a council with no second ILACS inspection yet)."""
    overall = _grade(values.get("overall"), where)
    if overall is None:  # 'Not yet inspected', or no second inspection yet
        return None
    sif = "sif" in group.lower() or ("looked_after" in values and "ilacs" not in group.lower())
    judgements: dict[str, str] = {}
    if sif:
        for name, area in _SIF_AREAS.items():
            grade = _grade(values.get(name), where)
            if grade:
                judgements[area] = grade
        framework = "sif"
    else:
        grades = {name: _grade(values.get(name), where) for name in _GRADED_AREAS_ILACS}
        split = grades.get("care_leavers") is not None
        if not split and grades.get("in_care") and not grades.get("in_care_and_care_leavers"):
            # The 2018 framework judged children in care and care leavers together; later
            # editions print that judgement in the 'children in care' column.
            grades["in_care_and_care_leavers"], grades["in_care"] = grades["in_care"], None
        judgements = {name: grade for name, grade in grades.items() if grade}
        framework = "ilacs_2023" if split else "ilacs_2018"
    status = _text(common.get("status"))
    return StatedInspection(
        authority=_clean(common.get("name")),
        ons_code=_text(common.get("ons_code")),
        region=_text(common.get("region")),
        framework=framework,
        inspection_type=_text(values.get("inspection_type")),
        inspection_date=_date(values.get("inspection_date"), where),
        published=_date(values.get("published"), where),
        overall=overall,
        judgements=judgements,
        still_exists=not (status and "no longer" in status.lower()),
    )


def _read_table(
    table: _Table, filename: str, *, still_exists: bool = True
) -> list[StatedInspection]:
    found = {name for name, _group in table.columns.values()}
    if "overall" not in found:
        raise StatisticsError(
            f"{filename}: sheet {table.sheet!r} has no 'Overall effectiveness' column "
            f"in its header row {table.header_row + 1}"
        )
    out = []
    for offset, row in enumerate(table.rows):
        where = f"{filename}, sheet {table.sheet!r}, row {table.header_row + offset + 2}"
        common: dict[str, Any] = {}
        groups: dict[str, dict[str, Any]] = {}
        for index, (name, group) in table.columns.items():
            value = row[index] if index < len(row) else None
            if group or name not in common:
                (
                    groups.setdefault(group, {})
                    if group
                    or name
                    not in {"name", "ons_code", "region", "status", "authority_type", "web_link"}
                    else common
                )[name] = value
        if not _clean(common.get("name")):
            raise StatisticsError(f"{where}: no local authority name")
        if not still_exists:
            common.setdefault("status", "No longer exists")
        for group, values in groups.items():
            if group == SKIPPED:
                continue
            inspection = _inspection(values, where=where, group=group, common=common)
            if inspection is not None:
                out.append(inspection)
    return out


def _sheet(
    workbook: CalamineWorkbook, patterns: tuple[str, ...], filename: str, role: str
) -> tuple[str, list[list[Any]]]:
    for pattern in patterns:
        for name in workbook.sheet_names:
            if re.search(pattern, name, re.I):
                return name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    raise StatisticsError(
        f"{filename}: no sheet of {role} (looked for {', '.join(patterns)}; "
        f"the file has {', '.join(workbook.sheet_names)})"
    )


def _edition_title(
    workbook: CalamineWorkbook, latest_rows: list[list[Any]], filename: str
) -> tuple[str, date, date | None]:
    title = ""
    published: date | None = None
    if "Cover" in workbook.sheet_names:
        cover = workbook.get_sheet_by_name("Cover").to_python(skip_empty_area=False)
        title = _clean(cover[0][0]) if cover and cover[0] else ""
        if title.lower().startswith("cover sheet"):  # the 2023 file: the sheet title says more
            title = ""
        for row in cover:
            if row and _clean(row[0]).lower().startswith("published on") and len(row) > 1:
                published = _date(row[1], f"{filename}, cover")
    sheet_title = _clean(latest_rows[0][0]) if latest_rows and latest_rows[0] else ""
    for text in (sheet_title, title):
        found = _TITLE_DATE_RE.search(text)
        if found:
            month = _MONTHS.split().index(found.group(2).lower()) + 1
            as_at = date(int(found.group(3)), month, int(found.group(1)))
            return (title or sheet_title).split(" - ")[0], as_at, published
    raise StatisticsError(f"{filename}: no 'as at' date in the titles {sheet_title!r}, {title!r}")


def parse_outcomes(data: bytes, *, filename: str) -> StatisticsEdition:
    """Read one edition of the official statistics from the bytes of its ODS file."""
    if not data.startswith(b"PK"):
        raise StatisticsError(f"{filename}: not an ODS file (it does not start as a zip archive)")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own types for every broken archive
        raise StatisticsError(f"{filename}: not a readable spreadsheet ({error})") from None
    latest_name, latest_rows = _sheet(workbook, LATEST_SHEETS, filename, "latest inspections")
    title, as_at, published = _edition_title(workbook, latest_rows, filename)
    latest_tables = _tables(latest_name, latest_rows)
    if not latest_tables:
        raise StatisticsError(
            f"{filename}: sheet {latest_name!r} has no header row naming 'Local authority name'"
        )
    latest = _read_table(latest_tables[0], filename)
    history_name, history_rows = _sheet(workbook, HISTORY_SHEETS, filename, "inspection history")
    history: list[StatedInspection] = []
    for n, table in enumerate(_tables(history_name, history_rows)):
        history.extend(_read_table(table, filename, still_exists=n == 0))
    if len(latest) < 100:
        raise StatisticsError(
            f"{filename}: sheet {latest_name!r} lists {len(latest)} councils; an edition lists "
            "about 153, so the layout has probably changed"
        )
    return StatisticsEdition(title, as_at, published, tuple(latest), tuple(history))
