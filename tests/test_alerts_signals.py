"""Signals become changes subscribers can choose: SEND outcome, priority action found, ...

End to end over the Ofsted replica: a baseline ingest, then new letters whose signals are
parsed, stored and turned into one change each (beside the visit's own change).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from alerts import describe
from alerts.changes import detect
from alerts.models import Change, ChangeKind
from alerts.subscribers import Filters
from config.demo import text_pdf
from ingest.http import HttpPolicy, PoliteClient
from ingest.models import InspectionSignal
from ingest.pipeline import OfstedOptions, OfstedRun
from tests.localserver import LocalServer
from tests.replica import OfstedReplica

SUNDERLAND, KENT = "80566", "80476"
DAY = date(2026, 6, 1)


def _ingest(engine: Engine, replica: OfstedReplica, server: LocalServer, only: frozenset[str]):
    policy = HttpPolicy(
        user_agent="cswatch-tests (tests@example.org)",
        allowed_hosts=frozenset({server.host}),
        min_interval_seconds=0.0,
        max_retries=1,
        backoff_seconds=0.01,
    )
    with PoliteClient(policy) as client:
        OfstedRun(engine, client, OfstedOptions(search_url=replica.search_url, only_urns=only))()
    with Session(engine) as session:
        return detect(session)


def _focused_visit(council: str, priority: list[str]) -> bytes:
    return text_pdf(
        [
            f"Focused visit to {council} children's services",
            f"This letter summarises the findings of the focused visit to {council} children's",
            "services on 3 and 4 March 2026. The inspectors were A Person and B Person.",
            "Headline findings",
            "Children are seen quickly.",
            *priority,
            "What needs to improve in this area of social work practice?",
            "Plans for children.",
        ]
    )


def _area_send(council: str) -> bytes:
    return text_pdf(
        [
            "Local area partnership report",
            f"Area SEND inspection of {council} Local Area Partnership",
            "Inspection dates: 2 to 6 March 2026",
            "Inspection outcome",
            "There are widespread and/or systemic failings leading to significant concerns",
            "about the experiences and outcomes of children and young people with SEND.",
            "A monitoring inspection will be carried out within approximately 18 months.",
            "The next full reinspection will be within approximately three years.",
        ]
    )


def _monitoring_visit(council: str) -> bytes:
    return text_pdf(
        [
            f"Monitoring visit to {council} children's services",
            f"This letter summarises the findings of the fourth monitoring visit to {council}",
            "children's services on 10 and 11 March 2026.",
            "Headline findings",
            "Children in care now have stable homes and their plans are reviewed on time.",
            "Leaders know where practice is still weak.",
        ]
    )


@pytest.fixture
def replica(server: LocalServer) -> OfstedReplica:
    return OfstedReplica(server)


def test_signals_become_changes_once_and_subscribers_can_choose_them(engine, replica, server):
    only = frozenset({SUNDERLAND, KENT})
    assert _ingest(engine, replica, server, only).quiet_start  # baseline: no signal news
    with Session(engine) as session:
        assert session.exec(select(Change)).all() == []
        assert session.exec(select(InspectionSignal)).all()  # Kent's letters were parsed

    found = replica.add_publication(
        SUNDERLAND,
        "Children's services focused visit",
        DAY,
        body=_focused_visit(
            "Sunderland",
            ["Areas for priority action", "Leaders must make sure that risk is assessed."],
        ),
    )
    calm = replica.add_publication(
        KENT, "Children's services focused visit", DAY, body=_focused_visit("Kent", [])
    )
    send = replica.add_publication(
        SUNDERLAND, "Area SEND full inspection", DAY, body=_area_send("Sunderland")
    )
    monitoring = replica.add_publication(
        KENT, "Children's services monitoring visit", DAY, body=_monitoring_visit("Kent")
    )

    result = _ingest(engine, replica, server, only)

    with Session(engine) as session:
        changes = {(c.kind, c.key): c for c in session.exec(select(Change))}
    kinds = sorted(str(kind) for kind, _ in changes)
    assert kinds == sorted(
        [ChangeKind.VISIT_PUBLISHED] * 4
        + [
            ChangeKind.PRIORITY_ACTION_FOUND,
            ChangeKind.SEND_OUTCOME,
            ChangeKind.MONITORING_VISIT_FINDING,
        ]
    ), kinds
    assert len(result.changes) == 7
    priority = changes[(ChangeKind.PRIORITY_ACTION_FOUND, replica.file_url(found))]
    assert priority.new_value == "found"
    assert (ChangeKind.PRIORITY_ACTION_FOUND, replica.file_url(calm)) not in changes
    outcome = changes[(ChangeKind.SEND_OUTCOME, replica.file_url(send))]
    assert (outcome.old_value, outcome.new_value) == (None, "systemic_failings")
    visit = changes[(ChangeKind.MONITORING_VISIT_FINDING, replica.file_url(monitoring))]
    assert visit.new_value == "4"
    assert visit.title == (
        "Children in care now have stable homes and their plans are reviewed on time."
    )
    assert describe.headline(outcome) == "SEND: widespread or systemic failings"
    assert describe.headline(priority) == "areas for priority action found"
    assert describe.headline(visit) == "monitoring visit 4"
    assert "stable homes" in describe.sentence(visit, "Kent")

    # A subscriber who chose only 'priority action found' gets only that change.
    only_priority = Filters(kinds=(ChangeKind.PRIORITY_ACTION_FOUND,))
    assert [c.kind for c in changes.values() if only_priority.matches(c, None)] == [
        ChangeKind.PRIORITY_ACTION_FOUND
    ]

    # Detecting again over the same data writes nothing.
    assert _ingest(engine, replica, server, only).changes == []

    # A letter parsed long after its visit change (a backfill) makes no signal change.
    with Session(engine) as session:
        session.delete(session.get(Change, priority.id))
        seen = session.exec(
            select(Change).where(
                Change.kind == ChangeKind.VISIT_PUBLISHED, Change.key == replica.file_url(found)
            )
        ).one()
        seen.detected_at = datetime.now(UTC) - timedelta(days=60)
        session.add(seen)
        session.commit()
        assert detect(session).changes == []


def test_every_signal_kind_has_a_label_for_the_subscription_form() -> None:
    for kind in (
        ChangeKind.SEND_OUTCOME,
        ChangeKind.SEND_WRITTEN_STATEMENT,
        ChangeKind.PRIORITY_ACTION_FOUND,
        ChangeKind.MONITORING_VISIT_FINDING,
        ChangeKind.JTAI_THEME,
    ):
        assert describe.KIND_LABELS[kind]
