"""Interventions with a lifecycle, read from GOV.UK decision pages (the confirmed record)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from config.wiring import AUTHORITIES_CSV, load_decision_rules
from ingest.decisions import DecisionRule, read_decisions
from ingest.gazetteer import Gazetteer, UnknownName, load_authorities
from ingest.http import HttpPolicy, PoliteClient
from ingest.interventions import intervention_statuses
from ingest.models import Article, Authority, ExtractionStatus, InterventionStep
from ingest.news_pipeline import GovukOptions, GovukRun
from tests.localserver import LocalServer, Reply, Request
from tests.news_replica import GovukDoc, NewsReplica
from tests.test_delivery import say

GAZETTEER = Gazetteer(load_authorities(AUTHORITIES_CSV))


def _page(session: Session, path: str, title: str, text: str, published: str) -> None:
    """A GOV.UK page as the GOV.UK run stores it (the text in our own words)."""
    url = f"https://www.gov.uk/government/publications/{path}"
    session.add(
        Article(
            url=url,
            canonical_url=url,
            source="govuk",
            title=title,
            text=text,
            published=datetime.fromisoformat(published).replace(tzinfo=UTC),
            fetched_at=datetime.now(UTC),
            extraction_status=ExtractionStatus.OK,
            relevant=True,
        )
    )
    session.commit()


def _read(session: Session) -> int:
    ids = {a.slug: a.id for a in session.exec(select(Authority))}

    def resolve(name: str, on: date | None) -> int | None:
        try:
            return ids.get(GAZETTEER.resolve(name, on=on).slug)
        except UnknownName:
            return None

    added = read_decisions(session, load_decision_rules(), resolve)
    session.commit()
    return added


def test_a_direction_issued_revised_and_closed(engine):
    with Session(engine) as session:
        _page(
            session,
            "direction-issued-to-halton-borough-council",
            "Direction issued to Halton Borough Council",
            "A statutory direction to the council about its children's services. The council "
            "must co-operate with the DfE-appointed children's services commissioner.",
            "2024-08-30",
        )
        assert _read(session) == 2
        status = intervention_statuses(session)["halton"]
        assert status.actions == ("commissioner", "direction")
        assert status.since == date(2024, 8, 30) and status.confirmed

        _page(
            session,
            "revised-direction-issued-to-halton-borough-council-february-2025",
            "Revised direction issued to Halton Borough Council: February 2025",
            "This direction replaces the earlier one. The council must keep working with the "
            "Department for Education\u2019s children\u2019s services improvement adviser.",
            "2025-02-07",
        )
        assert _read(session) == 2
        status = intervention_statuses(session)["halton"]
        assert status.actions == ("adviser", "commissioner", "direction")
        direction = [e for e in status.episodes if e.action == "direction"]
        assert [(s.step, s.on) for s in direction[0].steps] == [
            ("issued", date(2024, 8, 30)),
            ("revised", date(2025, 2, 1)),
        ]

        # The revised page is later updated to say the direction has closed.
        _page(
            session,
            "halton-direction-closed",
            "Revised direction issued to Halton Borough Council: February 2025 (closed)",
            "This direction was closed on 14 October 2026.",
            "2025-02-07",
        )
        _read(session)
        assert _read(session) == 0  # reading the same pages again adds nothing
        status = intervention_statuses(session)["halton"]
    assert status.actions == ()  # closed: nothing in force, no lapse rule needed
    assert status.since == date(2026, 10, 14) and status.confirmed
    ended = {e.action: (e.end, e.end_step) for e in status.episodes}
    assert ended["direction"] == (date(2026, 10, 14), "closed")
    assert ended["commissioner"] == (date(2026, 10, 14), "closed")


def test_a_direction_stays_in_force_however_old_until_it_closes(engine):
    with Session(engine) as session:
        say(session, "2012-01-01", "surrey", action="improvement_notice")
        _page(
            session,
            "direction-issued-to-surrey",
            "Direction issued to Surrey County Council",
            "A direction about children's services.",
            "2015-06-01",
        )
        _read(session)
        status = intervention_statuses(session)["surrey"]
        # The 2012 notice (news) and the 2015 direction (GOV.UK) are both in force in 2026.
        assert status.actions == ("direction", "improvement_notice")
        assert not status.confirmed  # the notice is only reported
        _page(
            session,
            "surrey-direction-revoked",
            "Direction issued to Surrey County Council (closed)",
            "This direction was revoked by DfE on 13 January 2022.",
            "2015-06-01",
        )
        _read(session)
        status = intervention_statuses(session)["surrey"]
    assert status.actions == ("improvement_notice",)


def test_every_decision_rule_matches_its_example_and_a_bad_rule_is_refused():
    rules = load_decision_rules()
    assert {(r.action, r.step) for r in rules} >= {
        ("direction", "issued"),
        ("direction", "revised"),
        ("direction", "closed"),
        ("direction", "revoked"),
        ("improvement_notice", "lifted"),
        ("commissioner", "reported"),
    }
    with pytest.raises(ValueError, match="does not match its example"):
        DecisionRule.build("title", "^nothing$", "commissioner", "appointed", "something")
    with pytest.raises(ValueError, match="unknown action"):
        DecisionRule.build("title", "x", "inspection", "issued", "x")


def test_news_pages_are_not_read_as_decisions(engine):
    with Session(engine) as session:
        url = "https://news.example/direction"
        session.add(
            Article(
                url=url,
                canonical_url=url,
                source="communitycare",
                title="Direction issued to Halton Borough Council",
                text="Story.",
                fetched_at=datetime.now(UTC),
                extraction_status=ExtractionStatus.OK,
            )
        )
        session.commit()
        assert _read(session) == 0
        assert session.exec(select(InterventionStep)).all() == []


class _Govuk:
    """A small GOV.UK (search and content APIs) on a real local server, whose pages can be
    updated between runs the way GOV.UK updates a direction page when it closes."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.docs: dict[str, GovukDoc] = {}
        server.route("/robots.txt", Reply(200, b"User-agent: *\n", content_type="text/plain"))
        server.route("/api/search.json", self.search)

    def publish(self, doc: GovukDoc) -> None:
        self.docs[doc.path] = doc
        self.server.route(
            f"/api/content{doc.path}",
            lambda _r, doc=doc: Reply(
                200, NewsReplica.content_json(doc), content_type="application/json"
            ),
        )

    def search(self, request: Request) -> Reply:
        results = [
            {"title": d.title, "link": d.path, "public_timestamp": d.published.isoformat()}  # type: ignore[union-attr]
            for d in self.docs.values()
        ]
        body = {"results": results, "total": len(results), "start": 0}
        return Reply(200, json.dumps(body).encode(), content_type="application/json")


def _run_govuk(engine, govuk: _Govuk) -> None:
    policy = HttpPolicy(
        user_agent="cswatch-tests (tests@example.org)",
        allowed_hosts=frozenset({govuk.server.host}),
        min_interval_seconds=0.0,
        max_retries=0,
    )
    with PoliteClient(policy) as client:
        GovukRun(
            engine,
            client,
            GovukOptions(search_url=govuk.server.base_url + "/api/search.json", queries=("x",)),
            extractor=None,
        )()
    with Session(engine) as session:
        _read(session)


def test_a_closure_published_as_an_update_of_the_page_ends_the_direction(engine):
    path = "/government/publications/direction-issued-to-halton-borough-council"
    issued = datetime(2024, 8, 30, 10, 0, tzinfo=UTC)
    with LocalServer() as server:
        govuk = _Govuk(server)
        govuk.publish(
            GovukDoc(
                path,
                "Direction issued to Halton Borough Council",
                "A statutory direction about children's services.",
                "<p>The council must co-operate with the children's services commissioner.</p>",
                published=issued,
            )
        )
        _run_govuk(engine, govuk)
        with Session(engine) as session:
            status = intervention_statuses(session)["halton"]
            assert status.actions == ("commissioner", "direction") and status.confirmed

        # GOV.UK updates the same page: the listing's timestamp moves, the text says closed.
        govuk.publish(
            GovukDoc(
                path,
                "Direction issued to Halton Borough Council (closed)",
                "A statutory direction about children's services.",
                "<p>The council must co-operate with the children's services commissioner.</p>"
                "<p>This direction was closed on 3 November 2026.</p>",
                published=datetime.now(UTC),
            )
        )
        _run_govuk(engine, govuk)
        assert server.hits(f"/api/content{path}") == 2  # read again because it changed
        _run_govuk(engine, govuk)
        assert server.hits(f"/api/content{path}") == 2  # and not again while unchanged
    with Session(engine) as session:
        status = intervention_statuses(session)["halton"]
    assert status.actions == () and status.since == date(2026, 11, 3)
