"""Change detection over ingest's real tables, end to end with the Ofsted replica.

Runs on SQLite and PostgreSQL. Delivery-model and intervention statuses come from issue 3's
functions in ingest.delivery, replaced here through that module's seam.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from alerts import describe
from alerts.changes import detect
from alerts.digest import Renderer, plan
from alerts.models import Change, ChangeKind, Outbox, Snapshot
from config.demo import ilacs_report, text_pdf
from ingest import delivery
from ingest.delivery import DeliveryStatus, Evidence, InterventionStatus
from ingest.http import HttpPolicy, PoliteClient
from ingest.pipeline import OfstedOptions, OfstedRun
from ingest.status import current_statuses
from tests.alerts_factories import digest_options, subscriber
from tests.localserver import LocalServer
from tests.replica import OfstedReplica

DONCASTER, KENT, SUNDERLAND = "80462", "80476", "80566"


def _policy(server: LocalServer) -> HttpPolicy:
    return HttpPolicy(
        user_agent="cswatch-tests (tests@example.org)",
        allowed_hosts=frozenset({server.host}),
        min_interval_seconds=0.0,
        max_retries=1,
        backoff_seconds=0.01,
    )


def _ingest(engine: Engine, replica: OfstedReplica, server: LocalServer, **options: object):
    with PoliteClient(_policy(server)) as client:
        OfstedRun(engine, client, OfstedOptions(search_url=replica.search_url, **options))()  # type: ignore[arg-type]
    with Session(engine) as session:
        return detect(session)


def _grades(overall: str) -> dict[str, str]:
    return {
        "leaders": overall,
        "help_and_protection": overall,
        "in_care_and_care_leavers": overall,
        "overall": overall,
    }


@pytest.fixture
def replica(server: LocalServer) -> OfstedReplica:
    return OfstedReplica(server)


def test_quiet_start_then_identical_ingest_records_and_sends_nothing(engine, replica, server):
    first = _ingest(engine, replica, server)

    assert first.changes == []
    assert first.quiet_start
    with Session(engine) as session:
        assert session.exec(select(Change)).all() == []
        snapshots = session.exec(select(Snapshot)).all()
        assert len(snapshots) >= 100  # every authority on the replica, recorded silently
        subscriber(session, "everything@example.org")
        planned = plan(session, Renderer(digest_options()), now=datetime.now(UTC))
        assert [p.changes for p in planned] == [0]
        before = sorted((s.authority_id, s.aspect, s.state) for s in snapshots)

    second = _ingest(engine, replica, server)

    assert second.changes == [] and second.baselined == []
    with Session(engine) as session:
        assert session.exec(select(Change)).all() == []
        after = sorted((s.authority_id, s.aspect, s.state) for s in session.exec(select(Snapshot)))
        assert after == before
        planned = plan(session, Renderer(digest_options()), now=datetime.now(UTC))
        assert [p.changes for p in planned] == [0]
        assert session.exec(select(Outbox)).all() == []


def test_new_reports_and_visits_become_changes_once(engine, replica, server):
    only = frozenset({DONCASTER, KENT, SUNDERLAND})
    _ingest(engine, replica, server, only_urns=only)
    with Session(engine) as session:
        before = {s.slug: s for s in current_statuses(session, ["doncaster", "kent", "sunderland"])}
    doncaster_old = before["doncaster"].overall
    kent_old = before["kent"].overall
    assert doncaster_old and kent_old
    assert before["sunderland"].overall is None  # listed, read, nothing published yet
    new_grade = "inadequate" if doncaster_old != "inadequate" else "good"
    day = date(2026, 6, 1)
    graded = replica.add_publication(
        DONCASTER,
        "Children's services inspection",
        day,
        body=ilacs_report(
            "Doncaster", day - timedelta(days=60), day - timedelta(days=50), _grades(new_grade)
        ),
    )
    same = replica.add_publication(
        KENT,
        "Children's services inspection",
        day,
        body=ilacs_report(
            "Kent", day - timedelta(days=60), day - timedelta(days=50), _grades(kent_old)
        ),
    )
    with Session(engine) as session:
        subscriber(session, "everything@example.org", name="Reader")
    visit = replica.add_publication(
        SUNDERLAND,
        "Focused visit to Sunderland local authority children's services",
        day + timedelta(days=7),
        body=text_pdf(["Focused visit to Sunderland local authority children's services"]),
    )

    result = _ingest(engine, replica, server, only_urns=only)

    assert len(result.changes) == 3, [(c.kind, c.key) for c in result.changes]
    with Session(engine) as session:
        by_kind = {c.kind: c for c in session.exec(select(Change))}
    rating = by_kind[ChangeKind.RATING_CHANGED]
    assert (rating.old_value, rating.new_value) == (doncaster_old, new_grade)
    assert json.loads(rating.evidence)[0]["url"] == replica.file_url(graded)
    assert rating.confirmed and rating.occurred_on == day and rating.detected_at
    inspection = by_kind[ChangeKind.INSPECTION_PUBLISHED]
    assert (inspection.old_value, inspection.new_value) == (kent_old, kent_old)
    assert inspection.key == replica.file_url(same)
    seen = by_kind[ChangeKind.VISIT_PUBLISHED]
    assert seen.new_value == "focused_visit" and seen.key == replica.file_url(visit)
    assert seen.title and "Focused visit" in seen.title

    # The digest names every change with its evidence, grade change first.
    with Session(engine) as session:
        planned = plan(session, Renderer(digest_options()), now=datetime.now(UTC))
        (row,) = session.exec(select(Outbox)).all()
    assert [p.changes for p in planned] == [3]
    message = message_from_bytes(row.message, policy=default)
    assert message["Subject"] == (
        f"Doncaster now {describe.GRADES[new_grade]}; "
        f"Kent: inspected again, still {describe.GRADES[kent_old]}; "
        "Sunderland: focused visit published"
    )
    html = message.get_body(("html",)).get_content()
    for publication in (graded, same, visit):
        assert f'href="{replica.file_url(publication)}"' in html

    again = _ingest(engine, replica, server, only_urns=only)
    assert again.changes == []
    with Session(engine) as session:
        assert len(session.exec(select(Change)).all()) == 3
        assert [
            p.changes for p in plan(session, Renderer(digest_options()), now=datetime.now(UTC))
        ] == [0]
        assert len(session.exec(select(Outbox)).all()) == 1


def test_detect_twice_on_the_same_data_records_once(engine, replica, server):
    only = frozenset({DONCASTER})
    _ingest(engine, replica, server, only_urns=only)
    with Session(engine) as session:
        recorded = {s.id: s.state for s in session.exec(select(Snapshot))}
    replica.add_publication(
        DONCASTER,
        "Focused visit to Doncaster local authority children's services",
        date(2026, 6, 1),
        body=text_pdf(["Focused visit"]),
    )
    with PoliteClient(_policy(server)) as client:
        OfstedRun(engine, client, OfstedOptions(search_url=replica.search_url, only_urns=only))()
    with Session(engine) as session:
        first = detect(session)
    with Session(engine) as session:
        second = detect(session)
        # Even with the snapshots wound back to before the visit, the change stays single.
        for snap in session.exec(select(Snapshot)):
            snap.state = recorded[snap.id]
            session.add(snap)
        session.commit()
        third = detect(session)
        assert len(session.exec(select(Change)).all()) == 1
    assert len(first.changes) == 1 and second.changes == [] and third.changes == []


def _delivery(slug: str, stage: str, *, confirmed: bool) -> DeliveryStatus:
    return DeliveryStatus(
        authority_slug=slug,
        model="trust",
        provider="West Sussex Children's Trust",
        stage=stage,
        since=date(2026, 3, 1),
        evidence=(
            Evidence(
                "https://www.communitycare.co.uk/west-sussex-trust",
                "West Sussex to move to a trust",
                "The council will set up a trust.",
            ),
        ),
        confirmed=confirmed,
    )


def test_delivery_and_intervention_changes_with_their_own_quiet_start(engine, monkeypatch):
    statuses = {"west-sussex": _delivery("west-sussex", "proposed", confirmed=False)}
    interventions = {
        "sunderland": InterventionStatus(
            "sunderland",
            ("improvement_notice",),
            date(2026, 1, 5),
            (Evidence("https://www.gov.uk/notice", "Improvement notice", None),),
            True,
        )
    }
    monkeypatch.setattr(delivery, "delivery_statuses", lambda session: dict(statuses))
    monkeypatch.setattr(delivery, "intervention_statuses", lambda session: dict(interventions))

    with Session(engine) as session:
        first = detect(session)
        assert first.changes == [] and set(first.baselined) == {"delivery", "intervention"}

        statuses["west-sussex"] = _delivery("west-sussex", "decided", confirmed=True)
        interventions["sunderland"] = InterventionStatus(
            "sunderland",
            ("commissioner", "direction"),
            date(2026, 4, 1),
            (Evidence("https://www.gov.uk/direction", "Statutory direction", None),),
            True,
        )
        statuses["doncaster"] = _delivery("doncaster", "proposed", confirmed=False)
        second = detect(session)
        third = detect(session)

    kinds = sorted((c.kind, c.authority_id) for c in second.changes)
    assert len(kinds) == 3
    assert third.changes == []
    with Session(engine) as session:
        rows = session.exec(select(Change).order_by(Change.id)).all()
    west = [r for r in rows if r.kind == ChangeKind.DELIVERY_MODEL_CHANGED and r.old_value]
    assert len(west) == 1
    assert json.loads(west[0].old_value or "{}")["stage"] == "proposed"
    assert json.loads(west[0].new_value or "{}")["stage"] == "decided"
    assert west[0].confirmed
    assert json.loads(west[0].evidence)[0]["sentence"] == "The council will set up a trust."
    doncaster = [r for r in rows if r.kind == ChangeKind.DELIVERY_MODEL_CHANGED and not r.old_value]
    assert len(doncaster) == 1 and not doncaster[0].confirmed  # reported, not confirmed
    intervention = [r for r in rows if r.kind == ChangeKind.INTERVENTION_CHANGED]
    assert len(intervention) == 1
    assert json.loads(intervention[0].new_value or "{}")["actions"] == [
        "commissioner",
        "direction",
    ]


def test_nothing_ingested_records_no_baseline(engine):
    with Session(engine) as session:
        result = detect(session)
        assert result.changes == [] and result.baselined == []
        assert session.exec(select(Snapshot)).all() == []
