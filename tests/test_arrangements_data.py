"""config/arrangements.csv: the shipped research passes every rule; each rule catches a bad row.

The real file is checked against the real authorities table. Each rule is then broken on its own
in a small file written for the test (one good row, changed in one way), and the error must name
the line and the reason, so a reviewer editing the CSV learns what to fix.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from config.arrangements import (
    ARRANGEMENT_MODELS,
    ARRANGEMENT_STAGES,
    ARRANGEMENTS_CSV,
    AUTHORITIES_CSV,
    COLUMNS,
    ArrangementError,
    PartialDate,
    load_arrangements,
)
from ingest.extract.events import MODELS, STAGES
from ingest.gazetteer import load_authorities
from tests.paths import REPO

TODAY = date(2026, 11, 29)


# --- the shipped file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_arrangements(ARRANGEMENTS_CSV, AUTHORITIES_CSV, today=TODAY)


def _one(shipped, council, provider):
    found = [a for a in shipped if a.council == council and a.provider == provider]
    assert len(found) == 1, (council, provider, found)
    return found[0]


def test_shipped_file_passes_every_rule(shipped):
    assert len(shipped) >= 22
    assert len({a.council for a in shipped}) >= 20


def test_shipped_file_records_the_changes_the_board_got_wrong(shipped):
    """The facts issue 10 names: each must be in the data with the date its source gives."""
    worcs = _one(shipped, "worcestershire", "Worcestershire Children First")
    assert (worcs.stage, str(worcs.ended)) == ("ended", "2024-10-01")
    reading = _one(shipped, "reading", "Brighter Futures for Children")
    assert (reading.stage, str(reading.ended)) == ("ended", "2025-10-01")
    bradford = _one(shipped, "bradford", "Bradford Children and Families Trust")
    assert (bradford.stage, str(bradford.operational)) == ("operational", "2023-04-01")
    for council, provider in [
        ("isle-of-wight", "Hampshire County Council"),
        ("torbay", "Plymouth City Council"),
        ("kirklees", "Leeds City Council"),
    ]:
        ended = _one(shipped, council, provider)
        assert ended.stage == "ended" and ended.ended is not None, council


def test_doncaster_trust_then_council_owned_company_then_back_in_house(shipped):
    rows = sorted(
        (a for a in shipped if a.council == "doncaster"), key=lambda a: a.operational.first
    )
    assert [(a.model, str(a.operational), str(a.ended)) for a in rows] == [
        ("trust", "2014-10-01", "2019-04-01"),
        ("company", "2019-04-01", "2022-09-01"),
    ]


def test_slough_trust_hands_over_to_its_company_on_the_same_day(shipped):
    trust = _one(shipped, "slough", "Slough Children's Services Trust")
    company = _one(shipped, "slough", "Slough Children First")
    assert trust.ended == company.operational == PartialDate.parse("2021-04-01")
    assert (trust.model, company.model) == ("trust", "company")


def test_northamptonshire_trust_is_recorded_once_against_the_county(shipped):
    """The successors inherit it in code; a second row for them would double it."""
    rows = [a for a in shipped if a.provider == "Northamptonshire Children's Trust"]
    assert [a.council for a in rows] == ["northamptonshire"]
    assert rows[0].live and rows[0].ended is None


def test_every_date_has_a_source_and_every_row_a_note(shipped):
    for a in shipped:
        for step in ("proposed", "decided", "operational", "ended"):
            if a.date_of(step) is not None:
                assert a.source_of(step).startswith(("https://", "http://")), (a, step)
        assert a.note, a.describe()


def test_steps_are_checked_by_name(shipped):
    with pytest.raises(ValueError, match="unknown step 'start'"):
        shipped[0].date_of("start")


def test_vocabulary_is_the_shared_one():
    assert set(ARRANGEMENT_MODELS) == set(MODELS) - {"in_house"}
    assert set(ARRANGEMENT_STAGES) == set(STAGES) | {"abandoned"}


# --- every rule fails on a bad row -----------------------------------------------------------

GOOD = {
    "council": "slough",
    "model": "trust",
    "provider": "Slough Children's Services Trust",
    "stage": "ended",
    "proposed": "",
    "decided": "2014",
    "operational": "2015-10-01",
    "ended": "2021-04-01",
    "proposed_source": "",
    "decided_source": "https://example.org/decided",
    "operational_source": "https://example.org/live",
    "ended_source": "https://example.org/ended",
    "note": "test row",
}


def _write(tmp_path: Path, *rows: dict[str, str], header=COLUMNS) -> Path:
    path = tmp_path / "arrangements.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(c, "") for c in header])
    return path


def _problems(tmp_path: Path, *rows: dict[str, str], header=COLUMNS) -> list[str]:
    path = _write(tmp_path, *rows, header=header)
    with pytest.raises(ArrangementError) as info:
        load_arrangements(path, AUTHORITIES_CSV, today=TODAY)
    assert info.value.path == str(path)
    return info.value.problems


def test_the_good_row_passes(tmp_path):
    [row] = load_arrangements(_write(tmp_path, GOOD), AUTHORITIES_CSV, today=TODAY)
    assert (row.line, row.council, str(row.operational)) == (2, "slough", "2015-10-01")


BROKEN = {
    "unknown council": ({"council": "slow"}, "council 'slow' is not a slug"),
    "model outside the vocabulary": ({"model": "charity"}, "model 'charity' is not one of"),
    "in house as a row": ({"model": "in_house"}, "a return in house is the 'ended' date"),
    "stage outside the vocabulary": ({"stage": "live"}, "stage 'live' is not one of"),
    "empty provider": ({"provider": ""}, "provider is empty"),
    "bad date form": ({"operational": "1/10/2015"}, "not a date of the form"),
    "impossible day": ({"operational": "2015-02-30"}, "not a day of that month"),
    "impossible month": ({"operational": "2015-13"}, "has no month 13"),
    "date without source": ({"ended_source": ""}, "ended 2021-04-01 has no ended_source URL"),
    "source without date": (
        {"proposed_source": "https://example.org/p"},
        "proposed_source is given but proposed has no date",
    ),
    "source not a URL": ({"decided_source": "Community Care"}, "is not an http(s) URL"),
    "dates out of order": ({"ended": "2015-09"}, "ended 2015-09 is before operational 2015-10-01"),
    "date in the future": ({"ended": "2027-01-01"}, "ended 2027-01-01 is after today"),
    "ended without end date": (
        {"ended": "", "ended_source": ""},
        "stage ended needs a ended date",
    ),
    "operational with an end": ({"stage": "operational"}, "stage operational cannot have a ended"),
    "decided but live": ({"stage": "decided"}, "stage decided cannot have a operational date"),
    "proposed but decided": (
        {
            "stage": "proposed",
            "operational": "",
            "ended": "",
            "operational_source": "",
            "ended_source": "",
        },
        "stage proposed needs a proposed date",
    ),
    "abandoned yet went live": ({"stage": "abandoned"}, "it never went live"),
    "abandoned without a date": (
        {
            "stage": "abandoned",
            "decided": "",
            "decided_source": "",
            "operational": "",
            "operational_source": "",
            "ended": "",
            "ended_source": "",
        },
        "stage abandoned needs a proposed or decided date",
    ),
    "before the council existed": (
        {"council": "west-northamptonshire", "decided": "", "decided_source": ""},
        "operational 2015-10-01 is before west-northamptonshire existed (from 2021-04-01)",
    ),
    "after the council was abolished": (
        {
            "council": "northamptonshire",
            "decided": "",
            "decided_source": "",
            "operational": "2021-06",
            "ended": "2022",
        },
        "operational 2021-06 is after northamptonshire was abolished (2021-03-31); "
        "record it against north-northamptonshire, west-northamptonshire",
    ),
}


@pytest.mark.parametrize("change, message", BROKEN.values(), ids=BROKEN.keys())
def test_each_rule_rejects_a_bad_row(tmp_path, change, message):
    problems = _problems(tmp_path, {**GOOD, **change})
    assert any(message in p and p.startswith("line 2 ") for p in problems), problems


def test_partial_dates_are_spans_not_days(tmp_path):
    """'2014' ends no earlier than 2014-10-01: a coarse date breaks order only if it must."""
    row = {**GOOD, "decided": "2015", "operational": "2015-10-01"}
    assert load_arrangements(_write(tmp_path, row), AUTHORITIES_CSV, today=TODAY)
    row = {
        **GOOD,
        "council": "northamptonshire",
        "decided": "2021",
        "decided_source": "https://e.org/d",
        "operational": "2021-03-01",
        "ended": "",
        "ended_source": "",
        "stage": "operational",
    }
    assert load_arrangements(_write(tmp_path, row), AUTHORITIES_CSV, today=TODAY)


def test_two_bodies_running_one_council_at_once_is_refused(tmp_path):
    company = {
        **GOOD,
        "model": "company",
        "provider": "Slough Children First",
        "stage": "operational",
        "decided": "",
        "decided_source": "",
        "operational": "2021-03",
        "ended": "",
        "ended_source": "",
    }
    problems = _problems(tmp_path, GOOD, company)
    assert any(
        "line 3 (slough, Slough Children First): operational from 2021-03 while line 2" in p
        for p in problems
    ), problems
    # handing over on the day the other ends is fine
    ok = {**company, "operational": "2021-04-01"}
    assert len(load_arrangements(_write(tmp_path, GOOD, ok), AUTHORITIES_CSV, today=TODAY)) == 2


def test_every_problem_is_reported_at_once(tmp_path):
    problems = _problems(tmp_path, {**GOOD, "council": "nowhere"}, {**GOOD, "model": "charity"})
    assert [p.split(":")[0] for p in problems] == [
        "line 2 (nowhere, Slough Children's Services Trust)",
        "line 3 (slough, Slough Children's Services Trust)",
    ]


def test_wrong_header_and_extra_cells_are_refused(tmp_path):
    [problem] = _problems(tmp_path, GOOD, header=(*COLUMNS[:-1], "comment"))
    assert "header is" in problem and "expected council, model" in problem
    path = tmp_path / "extra.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ",".join([*(GOOD[c] for c in COLUMNS), "x"]) + "\n")
    with pytest.raises(ArrangementError, match="more cells than the 13 columns"):
        load_arrangements(path, AUTHORITIES_CSV, today=TODAY)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ArrangementError, match="cannot read the file"):
        load_arrangements(tmp_path / "absent.csv", AUTHORITIES_CSV)


def test_synthetic_authorities_can_be_passed_as_records(tmp_path):
    records = [r for r in load_authorities(AUTHORITIES_CSV) if r.slug != "slough"]
    with pytest.raises(ArrangementError, match="council 'slough' is not a slug"):
        load_arrangements(_write(tmp_path, GOOD), records, today=TODAY)


# --- the script ------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "config.check_arrangements", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_script_summarises_the_shipped_file():
    done = _run("--today", TODAY.isoformat())
    assert done.returncode == 0, done.stderr
    assert "running today:" in done.stdout
    assert "bradford: Bradford Children and Families Trust (trust) since 2023-04-01" in done.stdout
    assert "reading: Brighter Futures for Children (company) 2018-12 to 2025-10-01" in done.stdout


def test_script_exits_non_zero_naming_the_bad_row(tmp_path):
    done = _run(str(_write(tmp_path, {**GOOD, "ended": "2014"})), "--today", TODAY.isoformat())
    assert done.returncode == 1
    assert (
        "line 2 (slough, Slough Children's Services Trust): ended 2014 is before operational"
        in done.stderr
    )
    assert "Traceback" not in done.stderr


def test_live_bodies_in_september_2024_match_community_cares_count(shipped):
    """Community Care (24 September 2024): nine companies ran twelve councils' services.

    An independent count the data must agree with: every body live that day, with the former
    Northamptonshire counted as its two successors (the trust serves both).
    """
    day = date(2024, 9, 24)
    live = [
        a
        for a in shipped
        if a.model != "partnership"
        and a.operational is not None
        and a.operational.last <= day
        and (a.ended is None or a.ended.first > day)
    ]
    councils = {a.council for a in live}
    if "northamptonshire" in councils:
        councils = (councils - {"northamptonshire"}) | {
            "north-northamptonshire",
            "west-northamptonshire",
        }
    assert len({a.provider for a in live}) == 9
    assert len(councils) == 12
