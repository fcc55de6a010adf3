"""The Ofsted pipeline end to end over HTTP: replica site -> parse -> storage -> status.

Runs on SQLite and on the machine's PostgreSQL. Bad inputs each fail alone, with a recorded
reason, and lose nothing else.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ingest.http import HttpPolicy, PoliteClient
from ingest.models import (
    Authority,
    Inspection,
    InspectionSignal,
    ItemStatus,
    Judgement,
    Publication,
    PublicationKind,
    Run,
    SourceState,
)
from ingest.pipeline import OfstedOptions, OfstedRun
from ingest.status import current_statuses
from tests.localserver import LocalServer, Reply
from tests.paths import OFSTED_LABELS, OFSTED_PDFS
from tests.replica import OfstedReplica
from tests.test_reports import _encrypted_pdf

JUDGEMENT_COLUMNS = (
    "leaders",
    "help_and_protection",
    "in_care_and_care_leavers",
    "in_care",
    "care_leavers",
    "sif_looked_after_permanence",
    "sif_adoption",
    "sif_care_leavers",
    "sif_leadership",
    "lscb",
)


def _labels() -> list[dict[str, str]]:
    with OFSTED_LABELS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _signal_labels() -> list[dict[str, str]]:
    path = Path(__file__).parent / "data" / "ofsted" / "signal_labels.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _policy(server: LocalServer, **overrides: object) -> HttpPolicy:
    values: dict[str, object] = {
        "user_agent": "cswatch-tests (tests@example.org)",
        "allowed_hosts": frozenset({server.host}),
        "min_interval_seconds": 0.0,
        "max_retries": 1,
        "backoff_seconds": 0.01,
        "read_timeout_seconds": 5.0,
    }
    values.update(overrides)
    return HttpPolicy(**values)  # type: ignore[arg-type]


def _run(engine: Engine, replica: OfstedReplica, policy: HttpPolicy, **options: object):
    with PoliteClient(policy) as client:
        return OfstedRun(engine, client, OfstedOptions(search_url=replica.search_url, **options))()  # type: ignore[arg-type]


def _snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every fact row, for 'a second run changes nothing' comparisons."""
    tables = {
        "authority": Authority,
        "publication": Publication,
        "inspection": Inspection,
        "judgement": Judgement,
    }
    with Session(engine) as session:
        return {
            name: sorted(
                tuple(sorted(row.model_dump().items())) for row in session.exec(select(model))
            )
            for name, model in tables.items()
        }


@pytest.fixture
def replica(server: LocalServer) -> OfstedReplica:
    return OfstedReplica(server)


def test_cold_fetch_parses_every_report_and_status_is_latest_graded(engine, replica, server):
    summary = _run(engine, replica, _policy(server))

    labels = _labels()
    valid = [row for row in labels if row["valid_pdf"] == "true"]
    letters = _signal_labels()  # focused visits and area SEND: parsed for their signals
    assert summary.providers == len(replica.providers)
    assert summary.inspections_parsed == len(valid) + len(letters)
    assert summary.publications_seen == sum(len(p.publications) for p in replica.providers.values())
    # The four 'PDFs' that are the site's 'Report not found' page: recorded, nothing else lost.
    not_found = [e for e in summary.errors if "Report not found" in e.reason]
    assert len(not_found) == len(labels) - len(valid)
    assert len(summary.errors) == len(not_found), summary.errors

    with Session(engine) as session:
        inspections = {
            pub.url: (insp, pub)
            for insp, pub in session.exec(
                select(Inspection, Publication).where(Inspection.publication_id == Publication.id)
            )
        }
        assert len(inspections) == len(valid) + len(letters)
        signals = {
            pub.url: sig
            for sig, pub in session.exec(
                select(InspectionSignal, Publication)
                .join(Inspection, Inspection.id == InspectionSignal.inspection_id)  # type: ignore[arg-type]
                .where(Inspection.publication_id == Publication.id)
            )
        }
        assert len(signals) == len(letters)
        urls = {
            str(p.path.relative_to(OFSTED_PDFS)): replica.file_url(p)
            for p in replica.files.values()
            if p.path is not None
        }
        for row in letters:
            signal = signals[urls[row["file"]]]
            assert signal.kind == row["kind"]
            assert signal.priority_action == (row["priority_action"] or None)
            assert signal.send_outcome == (row["send_outcome"] or None)
            assert signal.authority_id is not None
        failed = session.exec(
            select(Publication).where(Publication.parse_status == ItemStatus.ERROR)
        ).all()
        assert len(failed) == len(not_found)
        assert all("Report not found" in (p.error or "") for p in failed)
        assert not session.exec(
            select(Inspection).where(Inspection.publication_id.in_([p.id for p in failed]))  # type: ignore[attr-defined]
        ).all()
        kinds = {p.kind for p in session.exec(select(Publication))}
        assert {
            PublicationKind.FULL_INSPECTION,
            PublicationKind.FOCUSED_VISIT,
            PublicationKind.AREA_SEND,
        } <= kinds
        run = session.exec(select(Run)).one()
        assert run.status == "partial"
        assert json.loads(run.counts)["inspections_parsed"] == len(valid) + len(letters)

        statuses = {s.slug: s for s in current_statuses(session)}
        urn_to_slug = {
            a.ofsted_urn: a.slug for a in session.exec(select(Authority)) if a.ofsted_urn
        }

    # Each labelled authority's status is its latest graded inspection, with all sub-grades.
    latest: dict[str, dict[str, str]] = {}
    for row in valid:
        if not row["overall"]:
            continue
        current = latest.get(row["urn"])
        if current is None or row["inspection_end"] > current["inspection_end"]:
            latest[row["urn"]] = row
    assert latest
    for urn, row in latest.items():
        status = statuses[urn_to_slug[urn]]
        assert status.overall == row["overall"], row["file"]
        assert status.inspection_end == date.fromisoformat(row["inspection_end"])
        assert status.lead_inspector == row["lead_inspector"]
        assert status.judgements == {k: row[k] for k in JUDGEMENT_COLUMNS if row[k]}
        assert status.report_url and status.report_url.startswith(server.base_url)
        assert status.published is not None  # from the report (SIF) or the listing (ILACS)


def test_second_run_downloads_nothing_and_changes_no_row(engine, replica, server):
    _run(engine, replica, _policy(server))
    before = _snapshot(engine)
    server.requests.clear()

    summary = _run(engine, replica, _policy(server))

    assert not [r for r in server.requests if r.path.startswith("/v1/file/")]
    assert summary.reports_downloaded == 0
    assert summary.publications_new == 0
    assert summary.errors == []
    assert _snapshot(engine) == before
    # Listing and provider pages were asked conditionally and answered 304.
    assert summary.not_modified == summary.listing_pages + len(replica.providers)


def test_new_report_is_fetched_alone_on_the_next_run(engine, replica, server):
    _run(engine, replica, _policy(server))
    doncaster = replica.providers["80462"]
    newest = max(doncaster.publications, key=lambda p: p.published)
    added = replica.add_publication(
        "80462",
        "Children's services inspection",
        newest.published + timedelta(days=400),
        path=newest.path,
    )
    server.requests.clear()

    summary = _run(engine, replica, _policy(server))

    files = [r.path for r in server.requests if r.path.startswith("/v1/file/")]
    assert files == [f"/v1/file/{added.file_id}"]
    assert summary.publications_new == 1
    assert summary.inspections_parsed == 1


def test_authority_filter_and_limit(engine, replica, server):
    summary = _run(engine, replica, _policy(server), only_urns=frozenset({"80545"}))
    assert summary.providers == 1
    with Session(engine) as session:
        urns = {p.provider_urn for p in session.exec(select(Publication))}
    assert urns == {"80545"}

    limited = _run(engine, replica, _policy(server), limit=3)
    assert limited.providers == 3


def _add_bad_reports(replica: OfstedReplica, tmp_path: Path) -> dict[str, object]:
    """Bad report files beside the real ones, all on Kingston's provider page."""
    real = next(
        (OFSTED_PDFS / "80545_kingston upon thames").glob("*inspection - 29 january 2025.pdf")
    )
    data = real.read_bytes()
    day = date(2026, 1, 1)
    bad = {
        "empty": replica.add_publication("80545", "Children's services inspection", day, body=b""),
        "truncated": replica.add_publication(
            "80545", "Children's services inspection", day, body=data[: len(data) // 3]
        ),
        "encrypted": replica.add_publication(
            "80545", "Children's services inspection", day, body=_encrypted_pdf()
        ),
        "random": replica.add_publication(
            "80545",
            "Children's services inspection",
            day,
            body=b"%PDF-1.7\n" + bytes(range(256)) * 40,
        ),
    }
    return bad


def test_bad_report_files_fail_alone(engine, replica, server, tmp_path):
    bad = _add_bad_reports(replica, tmp_path)
    summary = _run(engine, replica, _policy(server), only_urns=frozenset({"80545"}))

    bad_urls = {replica.file_url(p) for p in bad.values()}  # type: ignore[arg-type]
    reasons = {e.url: e.reason for e in summary.errors}
    assert bad_urls <= reasons.keys()
    for url in bad_urls:
        assert "report" in reasons[url].lower() or "pdf" in reasons[url].lower()
    # Kingston's three real graded reports and two focused visits are all parsed despite the
    # bad ones.
    assert summary.inspections_parsed == 5
    with Session(engine) as session:
        rows = {p.url: p for p in session.exec(select(Publication))}
        for url in bad_urls:
            assert rows[url].parse_status == ItemStatus.ERROR
            assert rows[url].error
        assert not session.exec(
            select(Inspection).where(
                Inspection.publication_id.in_([rows[u].id for u in bad_urls])  # type: ignore[attr-defined]
            )
        ).all()
    # A failed report is not fetched again at once (files never change), only after the retry time.
    server.requests.clear()
    again = _run(engine, replica, _policy(server), only_urns=frozenset({"80545"}))
    assert again.reports_downloaded == 0
    retry = _run(
        engine,
        replica,
        _policy(server),
        only_urns=frozenset({"80545"}),
        retry_failed_after=timedelta(0),
    )
    assert retry.reports_downloaded == len(bad_urls)


KINGSTON_LARGEST = max(
    p.stat().st_size for p in (OFSTED_PDFS / "80545_kingston upon thames").iterdir()
)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(404, b"gone"), "404"),
        (Reply(500, b"oops"), "500"),
        (Reply(429, b"slow down", headers={"Retry-After": "3600"}), "retry after 3600"),
        (
            Reply(200, b"%PDF-" + b"x" * (KINGSTON_LARGEST + 10), content_type="application/pdf"),
            "larger than",
        ),
        (Reply(200, b"late", delay=1.5), "timed out"),
    ],
    ids=["404", "500", "429-retry-after", "oversized", "timeout"],
)
def test_http_failures_of_one_report_are_recorded_and_the_rest_survive(
    engine, replica, server, reply, expected
):
    victim = replica.add_publication(
        "80545", "Children's services inspection", date(2026, 2, 1), body=b""
    )
    server.route(f"/v1/file/{victim.file_id}", reply)
    policy = _policy(server, max_body_bytes=KINGSTON_LARGEST, read_timeout_seconds=0.5)

    summary = _run(engine, replica, policy, only_urns=frozenset({"80545"}))

    url = replica.file_url(victim)
    reasons = {e.url: e.reason for e in summary.errors}
    assert url in reasons
    assert expected.lower() in reasons[url].lower()
    with Session(engine) as session:
        row = session.exec(select(Publication).where(Publication.url == url)).one()
        assert row.fetch_status == ItemStatus.ERROR
        assert expected.lower() in (row.error or "").lower()
        state = session.exec(select(SourceState).where(SourceState.url == url)).one()
        assert state.consecutive_failures == 1
        assert state.last_error
        # Everything else on the page was stored, and Kingston's five real reports parsed.
        assert session.exec(select(Publication).where(Publication.provider_urn == "80545")).all()
    assert summary.inspections_parsed == 5


def test_disallowed_host_is_never_contacted(engine, replica, server):
    with LocalServer() as elsewhere:
        elsewhere.route("/v1/file/1", Reply(200, b"%PDF-1.4"))
        doncaster = replica.providers["80462"]
        doncaster.publications.append(
            type(doncaster.publications[0])(999, "Children's services inspection", date(2026, 3, 1))
        )
        original = replica.file_url
        replica.file_url = lambda p: (
            f"{elsewhere.base_url}/v1/file/1" if p.file_id == 999 else original(p)
        )  # type: ignore[method-assign]

        summary = _run(engine, replica, _policy(server), only_urns=frozenset({"80462"}))

        assert elsewhere.requests == []
        reasons = {e.url: e.reason for e in summary.errors}
        assert "not in the allowed hosts" in reasons[f"{elsewhere.base_url}/v1/file/1"]
        assert summary.inspections_parsed == 8  # four graded reports and four focused visits


def test_non_utf8_provider_page_and_changed_layout(engine, replica, server):
    # A provider page in cp1252 without a declared charset still yields its publications.
    name = "Brighton & Hove — Children’s Services".encode("cp1252")
    file_url = replica.file_url(replica.providers["80462"].publications[0])
    page = (
        b"<html><head><title>x</title></head><body><h1>" + name + b"</h1>"
        b"<a class='publication-link' href='" + file_url.encode() + b"'>Children\x92s services "
        b"focused visit <span class='nonvisual'>Children\x92s services focused visit, pdf - "
        b"1 May 2024</span></a></body></html>"
    )
    server.route("/provider/44/80431", Reply(200, page, content_type="text/html"))
    # A provider page that is something else entirely: a layout-changed error for it alone.
    server.route("/provider/44/80490", Reply(200, b"<html><body><p>Maintenance</p></body></html>"))

    summary = _run(
        engine, replica, _policy(server), only_urns=frozenset({"80431", "80490", "80545"})
    )

    reasons = {e.url: e.reason for e in summary.errors}
    assert any("layout" in r and "80490" in u for u, r in reasons.items())
    with Session(engine) as session:
        blackpool = session.exec(
            select(Publication).where(Publication.provider_urn == "80431")
        ).all()
        assert [p.kind for p in blackpool] == [PublicationKind.FOCUSED_VISIT]
        assert blackpool[0].title.startswith("Children’s services focused visit")
        assert blackpool[0].published == date(2024, 5, 1)
        assert session.exec(select(Publication).where(Publication.provider_urn == "80545")).all()


def test_a_report_that_fails_while_being_stored_leaves_no_rows(
    engine, replica, server, monkeypatch
):
    from ingest import store

    real_store = store.store_inspection
    calls = []

    def store_then_fail(session, **kwargs):
        stored = real_store(session, **kwargs)
        session.flush()  # the inspection and its judgements reached the database...
        calls.append(kwargs["publication"].url)
        if len(calls) == 2:
            raise RuntimeError("disk full")  # ...and then the transaction failed
        return stored

    monkeypatch.setattr(store, "store_inspection", store_then_fail)
    summary = _run(engine, replica, _policy(server), only_urns=frozenset({"80545"}))

    failed_url = calls[1]
    assert summary.inspections_parsed == 4
    assert any(e.url == failed_url and "disk full" in e.reason for e in summary.errors)
    with Session(engine) as session:
        failed = session.exec(select(Publication).where(Publication.url == failed_url)).one()
        assert failed.parse_status == ItemStatus.ERROR
        assert "could not be stored" in (failed.error or "")
        assert (
            session.exec(select(Inspection).where(Inspection.publication_id == failed.id)).first()
            is None
        )
        assert len(session.exec(select(Inspection)).all()) == 4
        orphans = session.exec(
            select(Judgement).where(
                Judgement.inspection_id.not_in(select(Inspection.id))  # type: ignore[attr-defined,arg-type]
            )
        ).all()
        assert orphans == []
