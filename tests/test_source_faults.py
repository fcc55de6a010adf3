"""Faults a crawl must survive, each test failing without its fix: a server that drips bytes,
a quadratic-entity feed, a malformed GOV.UK result, oversized or XML-invalid text, XHTML."""

from __future__ import annotations

import json
import time

import pytest
from sqlmodel import Session, select

from ingest import news_store
from ingest.http import FetchError, HttpPolicy, PoliteClient
from ingest.models import Article, SourceState
from ingest.news_pipeline import GovukOptions, GovukRun
from ingest.sources import govuk
from ingest.sources.articles import extract_article
from ingest.sources.feeds import FeedError, parse_feed
from ingest.textguard import STRING_CAP, clean_text
from tests.localserver import LocalServer, Reply


def _policy(server: LocalServer, **overrides: object) -> HttpPolicy:
    values: dict[str, object] = {
        "user_agent": "cswatch-tests (tests@example.org)",
        "allowed_hosts": frozenset({server.host}),
        "min_interval_seconds": 0.0,
        "max_retries": 0,
        "read_timeout_seconds": 5.0,
    }
    values.update(overrides)
    return HttpPolicy(**values)  # type: ignore[arg-type]


def test_a_server_dripping_a_byte_every_two_seconds_is_cut_off_at_the_deadline(server):
    # Never idle for the 5 s read timeout, so only an overall deadline stops it (40 s otherwise).
    server.route("/slow", Reply(200, b"x" * 20, drip=2.0))
    started = time.monotonic()
    with (
        PoliteClient(_policy(server, request_deadline_seconds=3.0)) as client,
        pytest.raises(FetchError, match="deadline") as caught,
    ):
        client.get(f"{server.base_url}/slow")
    assert time.monotonic() - started < 8.0
    assert "sends too slowly" in caught.value.reason and caught.value.retryable


def _quadratic_feed(entity_kb: int = 50, references: int = 2000) -> bytes:
    entity = "a" * (entity_kb * 1024)
    title = "&big;" * references  # 100 MB once expanded, from a 150 KB document
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{entity}">]>'
        f"<rss version='2.0'><channel><title>t</title><item><title>{title}</title>"
        "<link>https://example.org/a</link></item></channel></rss>"
    ).encode()


def test_a_feed_declaring_entities_is_refused_before_parsing():
    started = time.monotonic()
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(_quadratic_feed(), "https://example.org/feed", max_items=10)
    assert time.monotonic() - started < 1.0
    utf16 = _quadratic_feed(1, 3).decode().replace('<?xml version="1.0"?>', "")
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(b"\xff\xfe" + utf16.encode("utf-16-le"), "https://x/feed", max_items=10)


def _deep(levels: int) -> str:
    return '{"link": "/deep", "title": ' + "[" * levels + "]" * levels + "}"


def test_one_malformed_govuk_result_fails_alone_in_parsing():
    good = {"title": "Direction issued to Sandwell", "link": "/government/a", "format": "decision"}
    results = [
        json.dumps(good),
        json.dumps({"title": ["not", "a", "string"], "link": "/government/b"}),
        json.dumps({"link": 42}),
        _deep(100_000),  # deeper than any JSON parser will go
        json.dumps(dict(good, link="/government/c", public_timestamp="2026-01-02T03:04:05Z")),
    ]
    body = ('{"results": [' + ", ".join(results) + '], "total": 5, "start": 0}').encode()
    page = govuk.parse_search(body, "https://www.gov.uk/api/search.json")
    assert [r.link for r in page.results] == [
        "https://www.gov.uk/government/a",
        "https://www.gov.uk/government/c",
    ]
    assert page.total == 5
    reasons = " | ".join(page.rejected)
    assert "'title' is list" in reasons and "no 'link'" in reasons and "decoded" in reasons
    assert str(page.results[1].published) == "2026-01-02 03:04:05+00:00"


def test_one_malformed_govuk_result_fails_alone_in_a_run(engine, news):
    good = news.search(type("R", (), {"query": {"q": ["statutory direction"]}})())  # type: ignore[arg-type]
    results = json.loads(good.body)["results"]
    assert results
    body = (
        '{"results": ['
        + ", ".join([_deep(50_000), json.dumps({"link": ["x"]}), *map(json.dumps, results)])
        + f'], "total": {len(results) + 2}, "start": 0}}'
    ).encode()
    news.govuk.route("/api/search.json", Reply(200, body, content_type="application/json"))
    options = GovukOptions(
        search_url=news.search_url, queries=("statutory direction",), count=50, max_pages=1
    )
    with PoliteClient(
        HttpPolicy(
            user_agent="cswatch-tests (tests@example.org)",
            allowed_hosts=news.hosts,
            min_interval_seconds=0.0,
            max_retries=0,
        )
    ) as client:
        summary = GovukRun(engine, client, options)()
    assert summary.status == "partial"
    assert len([e for e in summary.errors if "left out" in e.reason]) == 2
    with Session(engine) as session:
        stored = session.exec(select(Article)).all()
    assert len([a for a in stored if a.text]) >= 1  # the good results were all read


def test_text_is_capped_and_stripped_of_xml_invalid_characters(engine):
    assert clean_text("a\x00b\x0bc\ufffed\U0001f600", 100) == "abcd\U0001f600"
    huge_title = "T\x00" * 50_000
    with Session(engine) as session:
        news_store.store_article(
            session,
            url="https://example.org/a\x01",
            canonical_url=None,
            source="test",
            title=huge_title,
            published=None,
            text="Body with a NUL \x00 and a form feed \x0c." + "x" * 2_000_000,
            digest="d",
            feed="test",
            item_url="https://example.org/a\x01",
        )
        session.add(
            SourceState(url="https://example.org/s", source="t", last_error="e\x00" * 99_999)
        )
        session.commit()  # PostgreSQL refuses NUL bytes: without the guard this raises
    with Session(engine) as session:
        row = session.exec(select(Article)).one()
        assert row.url == "https://example.org/a"
        assert "\x00" not in (row.title or "") and len(row.title or "") <= 2_000
        assert (row.text or "").startswith("Body with a NUL  and a form feed .")
        assert len(row.text or "") <= 1_000_000
        state = session.exec(select(SourceState)).one()
        assert len(state.last_error or "") <= 20_000 and "\x00" not in (state.last_error or "")
    assert STRING_CAP >= 2_000


def test_xhtml_article_with_an_xml_declaration_is_read():
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
        'Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html '
        'xmlns="http://www.w3.org/1999/xhtml"><head><title>Council news</title></head><body>'
        "<article><h1>Children's services improve</h1><p>"
        + "The council said its children's services had improved a great deal this year. " * 4
        + "</p></article></body></html>"
    )
    article = extract_article(page, "https://www.somecouncil.gov.uk/news/1")
    assert article.text.startswith("Children's services improve") or "improved" in article.text
    assert article.title
