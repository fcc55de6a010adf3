"""Each source on recorded fixtures: the real GOV.UK documents in ../shared, the DfE Atom feed,
the registry behind jobs, settings and the CLI, HTML listings, paywalled feeds, pages given by
URL, and the Ofsted statistics source (a GOV.UK attachment downloaded once)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select
from typer.main import get_command

from config.cli import app
from config.jobs import JOBS, SOURCE_OF_JOB
from config.settings import load_settings
from config.sources import SOURCES
from ingest.attachments import StatisticsOptions, StatisticsRun
from ingest.http import HttpPolicy, PoliteClient
from ingest.models import Article, ArticleFeed, SourceState
from ingest.news_pipeline import (
    PAGES,
    FeedSpec,
    GovukOptions,
    GovukRun,
    Listed,
    ListingSpec,
    NewsOptions,
    NewsRun,
)
from ingest.sources import govuk
from ingest.sources.feeds import parse_feed
from ingest.sources.ofsted_statistics import Edition
from tests.localserver import LocalServer, Reply
from tests.news_replica import (
    GOVUK_DOCS,
    GOVUK_MISSING,
    WEST_SUSSEX,
    NewsReplica,
    wordpress_page,
)
from tests.paths import SHARED

GOVUK_DATA = SHARED / "data" / "govuk"
STATISTICS = SHARED / "data" / "ofsted" / "statistics"
API = "https://www.gov.uk/api/content/government/publications/x"


def _client(*hosts: str) -> PoliteClient:
    return PoliteClient(
        HttpPolicy(
            user_agent="cswatch-tests (tests@example.org)",
            allowed_hosts=frozenset(hosts),
            min_interval_seconds=0.0,
            max_retries=0,
            read_timeout_seconds=5.0,
        )
    )


# -- GOV.UK on the real documents --------------------------------------------------------------


def test_real_search_response():
    page = govuk.parse_search(
        (GOVUK_DATA / "search_api_response.json").read_bytes(), "https://www.gov.uk/api/search.json"
    )
    assert page.rejected == [] and page.total == 79464 and page.start == 0
    [result] = page.results
    assert result.link == "https://www.gov.uk/vehicle-tax"
    assert result.title == "Tax your vehicle" and result.format == "transaction"
    assert result.published == datetime(2017, 12, 7, 12, 54, 39, tzinfo=UTC)


def test_decisions_search_asks_for_the_content_type():
    url = govuk.search_url(
        "https://www.gov.uk/api/search.json",
        "",
        organisations=("department-for-education",),
        document_type="decision",
    )
    assert "filter_content_store_document_type=decision" in url
    assert "filter_organisations=department-for-education" in url
    assert "q=" not in url and "filter_document_type" not in url


def test_real_content_items_of_both_shapes():
    def parse(name: str) -> govuk.ContentPage:
        return govuk.parse_content((GOVUK_DATA / name).read_bytes(), API)

    old = parse("content_publication_pre_2026_shape.json")
    new = parse("content_publication_2026_shape.json")
    # The older shape names its document in details.documents: its title is kept.
    assert "Walton Farms limited: application made to abstract (take) water" in old.text
    assert old.documents and new.documents == ()
    # The 2026 shape carries no documents: its body and description are still read.
    assert "Environment Agency" in new.text and new.document_type == "notice"
    attached = parse("content_publication_with_attachments.json")
    [attachment] = attached.attachments
    assert attachment.title == "Number of ex-regular service personnel now part of FR20"
    assert attachment.filename == "PUBLIC_1392629965.pdf"
    assert attachment.url and attachment.url.endswith("/PUBLIC_1392629965.pdf")
    assert attachment.title in attached.text  # kept in the stored text
    paper = parse("content_policy_paper.json")
    assert paper.document_type == "policy_paper"
    assert paper.published == datetime(2013, 5, 23, 12, 52, tzinfo=UTC)
    assert paper.updated == datetime(2017, 12, 6, 7, 8, 5, tzinfo=UTC)


def test_dfe_atom_feed_titles_lose_their_display_type_and_links_are_unique():
    entry = (
        "<entry><id>https://www.gov.uk/government/news/a#{stamp}</id><updated>{stamp}</updated>"
        "<link rel='alternate' type='text/html' href='https://www.gov.uk/government/news/a'/>"
        "<title>Decision: Revised direction issued to Sandwell: March 2026</title></entry>"
    )
    other = (
        "<entry><id>https://www.gov.uk/guidance/b#1</id><updated>2026-03-01T09:00:00Z</updated>"
        "<link rel='alternate' type='text/html' href='https://www.gov.uk/guidance/b'/>"
        "<title>Statutory guidance: Working together: to safeguard children</title></entry>"
    )
    feed = (
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>DfE</title>"
        + entry.format(stamp="2026-03-05T10:00:00Z")
        + entry.format(stamp="2026-03-02T10:00:00Z")
        + other
        + "</feed>"
    ).encode()
    parsed = parse_feed(feed, "https://www.gov.uk/x.atom", max_items=20, titles_have_type=True)
    assert [(i.display_type, i.title) for i in parsed.items] == [
        ("Decision", "Revised direction issued to Sandwell: March 2026"),
        ("Statutory guidance", "Working together: to safeguard children"),
    ]
    assert parsed.items[0].updated == datetime(2026, 3, 5, 10, tzinfo=UTC)
    plain = parse_feed(feed, "https://www.gov.uk/x.atom", max_items=20)
    assert plain.items[0].title == "Decision: Revised direction issued to Sandwell: March 2026"


def test_govuk_run_reads_decisions_with_type_and_dates_and_rereads_an_edited_one(engine, news):
    options = GovukOptions(
        search_url=news.search_url, queries=(), document_types=("decision",), count=50
    )
    with _client(*news.hosts) as client:
        first = GovukRun(engine, client, options)()
    decisions = [d for d in GOVUK_DOCS if d.format == "publication"]
    assert first.listings == 1 and first.items_seen == len(decisions)
    with Session(engine) as session:
        rows = session.exec(select(Article).where(Article.doc_type == "decision")).all()
        readable = {news.govuk_url(d.path) for d in decisions if d.path != GOVUK_MISSING}
        assert {r.url for r in rows} == readable
        assert all(r.updated_at == r.published for r in rows)
        feeds = {link.feed for link in session.exec(select(ArticleFeed))}
    assert feeds == {"govuk:type:decision"}

    with _client(*news.hosts) as client:
        again = GovukRun(engine, client, options)()
    assert again.articles_fetched == 0  # nothing edited: nothing read again


# -- news ---------------------------------------------------------------------------------------


@pytest.fixture
def site(server: LocalServer) -> LocalServer:
    return server


def test_paywalled_feed_keeps_the_item_summary(engine, site):
    summary = (
        "Sandwell's children's services are to leave the trust and return to the council, "
        "the Department for Education confirmed on Monday, after a commissioner's review."
    )
    feed = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>LGC</title>"
        f"<item><title>Sandwell trust to close</title><link>{site.base_url}/story/</link>"
        f"<description>{summary}</description>"
        "<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item></channel></rss>"
    ).encode()
    wall = b"<html><body><h1>Sandwell trust to close</h1><p>Subscribe to read.</p></body></html>"
    site.route("/feed/", Reply(200, feed, content_type="application/rss+xml"))
    site.route("/story/", Reply(200, wall))
    options = NewsOptions(feeds=(FeedSpec("lgc", f"{site.base_url}/feed/", keep_summary=True),))
    with _client(site.host) as client:
        summary_run = NewsRun(engine, client, options)()
    assert summary_run.articles_new == 1 and summary_run.errors == []
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
    # The feed's words first, then whatever the page showed before its wall.
    assert (article.text or "").startswith(summary) and article.title == "Sandwell trust to close"

    # Without keep_summary the same page is an error: there is no article text on it.
    with _client(site.host) as client:
        plain = NewsOptions(feeds=(FeedSpec("plain", f"{site.base_url}/feed/"),))
        engine_rows = NewsRun(engine, client, plain)()
    assert engine_rows.already_stored == 1  # the story is stored once, whichever feed lists it


def test_a_page_given_by_url_is_read_without_any_feed(engine, news: NewsReplica):
    url = news.cyp_url(WEST_SUSSEX.path)
    with _client(*news.hosts) as client:
        summary = NewsRun(engine, client, NewsOptions(feeds=(), pages=(url,)))()
    assert summary.articles_new == 1 and summary.listings == 0
    assert not [r for r in news.cyp.requests if r.path == "/rss/news"]
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
    assert article.url == url and article.text
    cyp = "https://www.cypnow.co.uk/content/news/some-story"
    listed = Listed(feed=PAGES, url=cyp, title=None, published=None)
    assert NewsRun.source_of(None, listed) == "cypnow"  # type: ignore[arg-type]


def _council_page(entries: int) -> bytes:
    items = "".join(
        f"<li class='news-item'><h3><a href='/news/{n}'>Story {n}</a></h3></li>"
        for n in range(entries)
    )
    return f"<html><body><ul class='news-list'>{items}</ul></body></html>".encode()


def test_html_listing_is_one_entry_with_selectors_and_expected_counts(engine, site):
    site.route("/news", Reply(200, _council_page(2), headers={"ETag": '"v1"'}))
    for n in range(2):
        story = WEST_SUSSEX.__class__(
            f"/news/{n}",
            f"Story {n}",
            tuple(f"{p} (Story {n}.)" for p in WEST_SUSSEX.paragraphs),
            WEST_SUSSEX.published,
        )
        site.route(f"/news/{n}", Reply(200, wordpress_page(story, site="Some Council")))
    spec = ListingSpec(
        "somecouncil", f"{site.base_url}/news", items="ul.news-list > li", link="h3 a[href]"
    )
    with _client(site.host) as client:
        summary = NewsRun(engine, client, NewsOptions(feeds=(), listings=(spec,)))()
    assert summary.errors == [] and summary.articles_new == 2

    # The page changes: fewer entries than promised is a layout change, reported on each run.
    site.route("/news", Reply(200, b"<html><body><p>New site!</p></body></html>"))
    for _ in range(2):
        with _client(site.host) as client:
            broken = NewsRun(engine, client, NewsOptions(feeds=(), listings=(spec,)))()
        [error] = broken.errors
        assert "ul.news-list > li" in error.reason and "somecouncil" in error.reason


# -- the registry -------------------------------------------------------------------------------


def test_jobs_settings_and_fetch_commands_all_come_from_the_registry():
    settings = load_settings()
    assert set(SOURCE_OF_JOB) == set(SOURCES)
    assert set(SOURCES) <= set(JOBS)
    assert set(type(settings.schedule.jobs).model_fields) == {*SOURCES, "digests"}
    fetch = get_command(app).commands["fetch"]  # type: ignore[attr-defined]
    assert set(SOURCES) | {"all", "page"} == set(fetch.commands)


# -- Ofsted statistics: a GOV.UK attachment downloaded once --------------------------------------


def _statistics_site(server: LocalServer) -> str:
    path = "/government/statistics/local-authority-inspection-outcomes-as-at-31-march-{}"
    media = "/media/66c5ab3e0808eaf43b50d9a1/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    item = {
        "title": "Local authority inspection outcomes as at 31 March 2025",
        "document_type": "official_statistics",
        "first_published_at": "2025-09-25T09:30:00.000+01:00",
        "details": {
            "body": "<p>Outcomes of inspections of local authority children's services.</p>",
            "attachments": [
                {
                    "attachment_type": "html",
                    "id": "1",
                    "title": "Main findings",
                    "url": "/government/statistics/x/main-findings",
                },
                {
                    "attachment_type": "file",
                    "id": "2",
                    "title": "Local authority inspection outcomes as at 31 March 2025",
                    "url": server.base_url + media,
                    "content_type": "application/vnd.oasis.opendocument.spreadsheet",
                    "filename": "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
                },
            ],
        },
    }
    server.route(
        "/api/content" + path.format(2025),
        Reply(200, json.dumps(item).encode(), content_type="application/json"),
    )
    ods = (STATISTICS / "LA_Inspection_Outcomes_as_at_31_March_2025.ods").read_bytes()
    server.route(
        media, Reply(200, ods, content_type="application/vnd.oasis.opendocument.spreadsheet")
    )
    return server.base_url + "/api/content"


def test_statistics_source_finds_the_newest_edition_and_downloads_it_once(engine, server):
    api = _statistics_site(server)
    handled: list[tuple[str, int]] = []

    def handler(session: Session, data: bytes, edition: Edition) -> str:
        assert data.startswith(b"PK")  # an ODS file is a zip
        handled.append((edition.filename, len(data)))
        session.add(SourceState(url=f"handled:{edition.filename}", source="test"))
        return "stored"

    options = StatisticsOptions(content_api_url=api, newest_year=2026, oldest_year=2024)
    with _client(server.host) as client:
        summary = StatisticsRun(engine, client, options, handler)()
    assert summary.errors == [] and summary.status == "ok"
    assert summary.pages_tried == 2  # 2026 is not published yet (404), 2025 is
    assert handled == [("LA_Inspection_Outcomes_as_at_31_March_2025.ods", handled[0][1])]

    server.requests.clear()
    with _client(server.host) as client:
        again = StatisticsRun(engine, client, options, handler)()
    assert again.files_already_stored == 1 and len(handled) == 1
    assert not [r for r in server.requests if r.path.endswith(".ods")]


def test_a_statistics_file_the_handler_cannot_read_is_tried_again(engine, server):
    api = _statistics_site(server)
    calls = []

    def failing(session: Session, data: bytes, edition: Edition) -> str:
        calls.append(edition.file_url)
        session.add(SourceState(url="half-written", source="test"))
        raise ValueError("sheet 'Inspections_as_at_31_March' not found")

    options = StatisticsOptions(content_api_url=api, newest_year=2025, oldest_year=2024)
    with _client(server.host) as client:
        summary = StatisticsRun(engine, client, options, failing)()
    assert summary.status == "partial" and "not found" in summary.errors[0].reason
    with Session(engine) as session:
        assert (
            session.exec(select(SourceState).where(SourceState.url == "half-written")).first()
            is None
        )
    with _client(server.host) as client:
        StatisticsRun(engine, client, options, failing)()
    assert len(calls) == 2


def test_a_news_site_answering_403_is_held_off_and_the_other_sites_still_read(
    engine, news: NewsReplica
):
    news.cyp.route("/rss/news", Reply(403, b"Forbidden"))
    feeds = (FeedSpec("cypnow", news.cyp_feed_url), FeedSpec("communitycare", news.cc_feed_url))
    with _client(*news.hosts) as client:
        summary = NewsRun(engine, client, NewsOptions(feeds=feeds))()
    assert summary.status == "partial"
    [blocked] = [e for e in summary.errors if "403" in e.reason]
    assert "probably blocked" in blocked.reason
    assert summary.articles_new >= 3  # Community Care's feed was read all the same
    news.cyp.requests.clear()
    with _client(*news.hosts) as client:
        again = NewsRun(engine, client, NewsOptions(feeds=feeds))()
    assert news.cyp.requests == []  # held off: not one request to the blocking site
    assert any("not asked again until" in e.reason for e in again.errors)
