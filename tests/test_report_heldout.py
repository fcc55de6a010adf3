"""The held-out documents (tests/heldout_reports.py) each give exactly what they print.

These were never tuned on; a failure here is a finding to fix with a new case in
tests/test_report_variants.py, not by changing the held-out document.
"""

from __future__ import annotations

import pytest

from ingest.extract.reports import parse_report
from tests.heldout_reports import Case, cases, cases_2

ALL = [*cases(), *cases_2()]


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_heldout_document(case: Case) -> None:
    got = parse_report(case.data, name=case.name)
    assert got.framework == case.framework
    assert got.overall == case.overall
    assert got.judgements == case.judgements
    assert (got.inspection_start, got.inspection_end) == (case.start, case.end)
    assert (got.signal.to_json() if got.signal else None) == case.signal
