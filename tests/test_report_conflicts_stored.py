"""A report whose two readings disagree is recorded for review by the Ofsted run: an error on
its publication with both readings named, no inspection row, the rest of the run unharmed.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from ingest.http import HttpPolicy, PoliteClient
from ingest.models import Inspection, ItemStatus, Publication
from ingest.pipeline import OfstedOptions, OfstedRun
from tests import report_documents as docs
from tests.localserver import LocalServer
from tests.replica import OfstedReplica

KINGSTON = "80545"


@pytest.fixture
def replica(server: LocalServer) -> OfstedReplica:
    return OfstedReplica(server)


def test_conflicting_report_is_an_error_for_review(engine, replica, server) -> None:
    grades = {"leaders": "good", "help_and_protection": "good", "in_care_and_care_leavers": "good"}
    report = docs.Ilacs(
        "Kingston upon Thames",
        "3 to 14 March 2025",
        "good",
        grades,
        body_grades=dict(grades, leaders="inadequate"),
    )
    added = replica.add_publication(
        KINGSTON, "Children's services inspection", date(2025, 5, 1), body=report.pdf()
    )
    policy = HttpPolicy(
        user_agent="cswatch-tests (tests@example.org)",
        allowed_hosts=frozenset({server.host}),
        min_interval_seconds=0.0,
        max_retries=1,
        backoff_seconds=0.01,
    )
    with PoliteClient(policy) as client:
        summary = OfstedRun(
            engine,
            client,
            OfstedOptions(search_url=replica.search_url, only_urns=frozenset({KINGSTON})),
        )()

    url = replica.file_url(added)
    (error,) = [e for e in summary.errors if e.url == url]
    assert "disagree" in error.reason and "leaders is 'good'" in error.reason
    assert "'inadequate'" in error.reason
    assert summary.inspections_parsed == 5  # Kingston's own three reports and two letters
    with Session(engine) as session:
        row = session.exec(select(Publication).where(Publication.url == url)).one()
        assert row.parse_status == ItemStatus.ERROR
        assert "recorded for review" in (row.error or "")
        assert (
            session.exec(select(Inspection).where(Inspection.publication_id == row.id)).first()
            is None
        )
