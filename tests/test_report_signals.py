"""Signals between inspections: our own labels of the 43 shared letters and area SEND reports,
and the phrasing file's own examples.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.extract.reports import parse_report
from ingest.extract.signals import PRIORITY_ACTIONS, SEND_OUTCOMES, SIGNAL_KINDS, phrases
from tests.paths import OFSTED_PDFS

LABELS_FILE = Path(__file__).parent / "data" / "ofsted" / "signal_labels.csv"
with LABELS_FILE.open(newline="", encoding="utf-8") as fh:
    LABELS = list(csv.DictReader(fh))
needs_shared = pytest.mark.skipif(
    not OFSTED_PDFS.exists(), reason=f"shared data not found at {OFSTED_PDFS}"
)

_INTS = ("next_inspection_months", "monitoring_inspection_months", "visit_number")


def _expected(row: dict[str, str]) -> dict:
    signal: dict = {"kind": row["kind"]}
    for key in ("priority_action", "send_outcome", "theme_key"):
        if row[key]:
            signal[key] = row[key]
    for key in _INTS:
        if row[key]:
            signal[key] = int(row[key])
    if row["written_statement_required"]:
        signal["written_statement_required"] = row["written_statement_required"] == "true"
    return {
        "authority": row["authority"],
        "start": row["visit_start"],
        "end": row["visit_end"],
        "signal": signal,
    }


def test_labels_cover_the_43_letters_and_area_reports() -> None:
    assert len(LABELS) == 43
    assert {row["kind"] for row in LABELS} == {"focused_visit", "area_send"}
    assert all(row["kind"] in SIGNAL_KINDS for row in LABELS)
    assert all(row["priority_action"] in ("", *PRIORITY_ACTIONS) for row in LABELS)
    assert all(row["send_outcome"] in ("", *SEND_OUTCOMES) for row in LABELS)


@needs_shared
@pytest.mark.parametrize("row", LABELS, ids=[row["file"] for row in LABELS])
def test_labelled_signal(row: dict[str, str]) -> None:
    path = OFSTED_PDFS / row["file"]
    report = parse_report(path.read_bytes(), name=path.name)
    assert (report.framework, report.overall, report.judgements) == ("other", None, {})
    assert report.signal is not None
    got = {
        "authority": report.authority,
        "start": report.inspection_start.isoformat() if report.inspection_start else None,
        "end": report.inspection_end.isoformat() if report.inspection_end else None,
        "signal": report.signal.to_json(),
    }
    assert got == _expected(row)


# -- the phrasing file's examples: each must give its value ---------------------------------

P = phrases()


def _examples(section: str) -> list[tuple[object, str]]:
    return [(rule["value"], ex) for rule in P.raw[section] for ex in rule["examples"]]


@pytest.mark.parametrize(("value", "text"), _examples("send_outcome"))
def test_send_outcome_examples(value: str, text: str) -> None:
    assert next(r.value for r in P.send_outcome if r.pattern.search(text)) == value


@pytest.mark.parametrize(("value", "text"), _examples("written_statement"))
def test_written_statement_examples(value: bool, text: str) -> None:
    assert next(r.value for r in P.written_statement if r.pattern.search(text)) is value


@pytest.mark.parametrize(
    ("value", "text"),
    [(r["value"], ex) for r in P.raw["priority_action"]["rules"] for ex in r["examples"]],
)
def test_priority_action_examples(value: str, text: str) -> None:
    assert next(r.value for r in P.priority_rules if r.pattern.match(text)) == value


@pytest.mark.parametrize("example", P.raw["next_inspection"]["examples"])
def test_next_inspection_examples(example: dict) -> None:
    from ingest.extract.signals import _months

    assert _months(P.next_full.search(example["text"])) == example.get("full_months")
    assert _months(P.next_monitoring.search(example["text"])) == example.get("monitoring_months")


@pytest.mark.parametrize("example", P.raw["monitoring"]["examples"])
def test_visit_number_examples(example: dict) -> None:
    from ingest.extract.signals import visit_number

    m = P.visit_number.search(example["text"])
    assert m and visit_number(m) == example["visit_number"]
