"""The Ofsted crawl on the recorded live markup, and a crawl that heals after faults.

Each fault test fails without its fix: a one-time 503 on listing page two (ETags everywhere),
a layout error met on two runs, a 'Report not found' provider page, a 403 from the host.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from ingest.http import HttpPolicy, PoliteClient
from ingest.models import CrawlState, OfstedProvider, Publication, SourceState
from ingest.pipeline import OfstedOptions, OfstedRun, OfstedRunSummary
from ingest.sources import ofsted
from ingest.sources.html import LayoutChanged
from tests.localserver import LocalServer, Reply, Request
from tests.paths import REPORT_NOT_FOUND_HTML
from tests.replica import OfstedReplica

DONCASTER = "80462"
NO_PROVIDERS: frozenset[str] = frozenset()  # read the listing only


def _policy(server: LocalServer) -> HttpPolicy:
    return HttpPolicy(
        user_agent="cswatch-tests (tests@example.org)",
        allowed_hosts=frozenset({server.host}),
        min_interval_seconds=0.0,
        max_retries=1,
        backoff_seconds=0.01,
        read_timeout_seconds=5.0,
    )


def _run(
    engine: Engine, replica: OfstedReplica, server: LocalServer, **options: object
) -> OfstedRunSummary:
    with PoliteClient(_policy(server)) as client:
        return OfstedRun(engine, client, OfstedOptions(search_url=replica.search_url, **options))()  # type: ignore[arg-type]


def _etagged(body: bytes, etag: str = '"fixed"') -> object:
    def reply(request: Request) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers={"ETag": etag})
        return Reply(200, body, headers={"ETag": etag})

    return reply


# -- parsing the recorded markup ---------------------------------------------------------------


def test_live_provider_page_skips_days_without_a_link_and_has_no_pagination():
    page = (
        "<html><head><title>Doncaster - Ofsted</title></head><body>"
        "<h1 class='heading--title'>Doncaster</h1><ol class='timeline'>"
        "<li class='timeline__day'><a class='publication-link' "
        "href='https://files.ofsted.gov.uk/v1/file/50252437' target='_blank'>Area SEND full "
        "inspection <span class='nonvisual'>Area SEND full inspection, pdf - 15 July 2024</span>"
        "</a></li><li class='timeline__day timeline__day--opened'><p>Opened</p></li>"
        "</ol></body></html>"
    )
    parsed = ofsted.parse_provider_page(page, "https://reports.ofsted.gov.uk/provider/44/80462")
    assert parsed.layout == "timeline"
    assert parsed.name == "Doncaster"
    assert [(p.title, p.kind, str(p.published)) for p in parsed.publications] == [
        ("Area SEND full inspection", "area_send", "2024-07-15")
    ]
    assert parsed.next_url is None


def test_report_not_found_page_is_an_error_not_an_empty_list():
    html = REPORT_NOT_FOUND_HTML.read_text(encoding="utf-8")
    with pytest.raises(LayoutChanged, match="Report not found"):
        ofsted.parse_provider_page(html, "https://reports.ofsted.gov.uk/provider/44/80462")


def test_page_without_a_timeline_names_the_selectors():
    with pytest.raises(LayoutChanged, match=r"ol\.timeline") as caught:
        ofsted.parse_provider_page("<html><h1>Doncaster</h1><p>Soon</p></html>", "https://x/p")
    assert "https://x/p" in str(caught.value)


def test_listing_selector_with_unexpected_count_names_page_and_selector():
    two_lists = "<ul class='results-list'></ul><ul class='results-list'></ul>"
    with pytest.raises(LayoutChanged) as caught:
        ofsted.parse_listing(f"<html><body>{two_lists}</body></html>", "https://x/search")
    assert caught.value.selector == "ul.results-list"
    assert "matched 2" in str(caught.value) and "https://x/search" in str(caught.value)


def test_xhtml_page_with_an_xml_declaration_is_read():
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html><html '
        'xmlns="http://www.w3.org/1999/xhtml"><body><ul class="results-list"><li><h3>'
        '<a href="/provider/44/80462">Doncaster</a></h3></li></ul></body></html>'
    )
    parsed = ofsted.parse_listing(page, "https://reports.ofsted.gov.uk/search")
    assert [p.urn for p in parsed.providers] == ["80462"]


# -- the crawl ---------------------------------------------------------------------------------


@pytest.fixture
def replica(server: LocalServer) -> OfstedReplica:
    return OfstedReplica(server)


def test_replica_lists_every_council_on_two_pages_and_the_crawl_stops_on_the_short_page(
    engine, replica, server
):
    summary = _run(engine, replica, server, only_urns=NO_PROVIDERS)
    assert len(replica.providers) > replica.rows
    assert summary.listing_pages == 2
    assert [r.query.get("start") for r in server.requests if r.path == "/search"] == [
        ["0"],
        ["100"],
    ]
    with Session(engine) as session:
        assert len(session.exec(select(OfstedProvider)).all()) == len(replica.providers)


def test_legacy_markup_is_read_as_a_second_layout(engine, server):
    legacy = OfstedReplica(server, layout="legacy")
    summary = _run(engine, legacy, server, only_urns=frozenset({DONCASTER}))
    assert summary.errors == []
    assert summary.providers == 1
    assert summary.provider_pages >= 2  # the legacy replica pages publications by five
    assert summary.publications_seen == len(legacy.providers[DONCASTER].publications)


def test_one_time_503_on_a_later_listing_page_heals_on_the_next_run(engine, replica, server):
    listing = server.routes["/search"]
    failures = {"left": 2}  # the client tries twice (max_retries=1): the whole first run fails

    def flaky(request: Request) -> Reply:
        if request.query.get("start") == ["100"] and failures["left"] > 0:
            failures["left"] -= 1
            return Reply(503, b"busy")
        return listing(request)

    server.route("/search", flaky)
    first = _run(engine, replica, server, only_urns=NO_PROVIDERS)
    assert any("503" in e.reason for e in first.errors)
    with Session(engine) as session:
        assert len(session.exec(select(OfstedProvider)).all()) == replica.rows
        chain = session.exec(select(CrawlState).where(CrawlState.key == "ofsted:listing")).one()
        assert chain.complete is False

    # Page one has not changed and has an ETag: it must not answer 304 and stop the crawl.
    second = _run(engine, replica, server)
    assert second.errors == [] or all("503" not in e.reason for e in second.errors)
    assert second.providers == len(replica.providers)
    with Session(engine) as session:
        assert len(session.exec(select(OfstedProvider)).all()) == len(replica.providers)
        chain = session.exec(select(CrawlState).where(CrawlState.key == "ofsted:listing")).one()
        assert chain.complete is True

    # Once complete, the chain is revalidated cheaply again: both pages answer 304.
    third = _run(engine, replica, server, only_urns=NO_PROVIDERS)
    assert third.not_modified == 2
    assert third.providers == 0  # only_urns filtered all out, but the listing was read whole


def test_a_new_council_on_page_two_is_found_though_page_one_answers_304(engine, replica, server):
    _run(engine, replica, server, only_urns=NO_PROVIDERS)
    replica.add_provider("99999901", "Zzz New Council")  # sorts last: only page two changes
    summary = _run(engine, replica, server, only_urns=frozenset({"99999901"}))
    assert summary.providers == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><p>Maintenance</p></body></html>",
        REPORT_NOT_FOUND_HTML.read_bytes(),
    ],
    ids=["changed-layout", "report-not-found"],
)
def test_a_provider_page_error_is_reported_on_every_run_until_it_parses(
    engine, replica, server, body
):
    path = f"/provider/44/{DONCASTER}"
    real = server.routes[path]
    server.route(path, _etagged(body))
    for _ in range(2):
        summary = _run(engine, replica, server, only_urns=frozenset({DONCASTER}))
        assert [e.url for e in summary.errors] == [f"{server.base_url}{path}"]
        with Session(engine) as session:
            state = session.exec(
                select(SourceState).where(SourceState.url == f"{server.base_url}{path}")
            ).one()
            assert state.last_error and state.etag is None
            assert session.exec(select(Publication)).all() == []
    server.route(path, real)
    fixed = _run(engine, replica, server, only_urns=frozenset({DONCASTER}))
    assert fixed.errors == []
    assert fixed.publications_seen == len(replica.providers[DONCASTER].publications)


def test_403_from_the_host_stops_the_run_loudly_and_holds_off(engine, replica, server, caplog):
    server.route(f"/provider/44/{DONCASTER}", Reply(403, b"Forbidden"))
    summary = _run(engine, replica, server, only_urns=frozenset({DONCASTER, "80545"}))
    assert summary.status == "partial"
    assert len(summary.errors) == 1 and "403" in summary.errors[0].reason
    assert "probably blocked" in summary.errors[0].reason
    assert any(r.levelname == "ERROR" and "403" in r.getMessage() for r in caplog.records)
    assert summary.reports_downloaded == 0  # nothing more was asked of the host

    server.requests.clear()
    again = _run(engine, replica, server)
    assert server.requests == []  # the backoff holds: not one request
    assert again.status == "failed"
    assert "not asked again until" in again.errors[0].reason


def test_migration_0005_downgrades_and_upgrades_again(engine):
    from alembic import command
    from sqlalchemy import inspect

    from config.database import alembic_config

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    assert "crawl_state" not in inspect(engine).get_table_names()
    assert "listing_url" not in {c["name"] for c in inspect(engine).get_columns("ofsted_provider")}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert "crawl_state" in inspect(engine).get_table_names()
    assert {"doc_type", "updated_at"} <= {c["name"] for c in inspect(engine).get_columns("article")}
