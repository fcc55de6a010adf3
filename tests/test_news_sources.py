"""News parsers without a database: feeds, article pages, GOV.UK answers, settings, body cap."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from config.settings import SettingsError, load_settings
from ingest.http import FetchError, HttpPolicy, PoliteClient
from ingest.sources import govuk
from ingest.sources.articles import ArticleError, content_hash, extract_article, is_html
from ingest.sources.feeds import FeedError, parse_feed
from tests.localserver import LocalServer, Reply
from tests.news_replica import (
    COMMENTS,
    DONCASTER,
    GOVUK_DOCS,
    RELATED,
    SLOUGH_UNDATED,
    SUNDERLAND,
    NewsReplica,
    Story,
    wordpress_page,
)
from tests.paths import NEWS


def test_rss_items_in_order_with_dates_and_missing_dates_left_empty(news: NewsReplica):
    parsed = parse_feed(news.cc_feed(), news.cc_feed_url, max_items=50)
    assert parsed.warning is None
    assert parsed.items[0].url == news.cc_url(SUNDERLAND.path)
    assert parsed.items[0].published == SUNDERLAND.published
    undated = next(i for i in parsed.items if i.url == news.cc_url(SLOUGH_UNDATED.path))
    assert undated.published is None


def test_atom_feed_links_and_updated_dates(news: NewsReplica):
    parsed = parse_feed(news.atom(), news.govuk_feed_url, max_items=50)
    assert [i.url for i in parsed.items] == [news.govuk_url(d.path) for d in GOVUK_DOCS[:2]]
    assert parsed.items[0].published == datetime(2017, 10, 2, 9, 30, tzinfo=UTC)


def test_malformed_feed_keeps_readable_items_and_says_so(news: NewsReplica):
    parsed = parse_feed(news.malformed_feed(), "http://x/feed/", max_items=50)
    assert parsed.warning and "malformed XML" in parsed.warning
    assert "used the 3 items that could still be read" in parsed.warning
    assert len(parsed.items) == 3


@pytest.mark.parametrize(
    "body",
    [b"<html><body><h1>Maintenance</h1></body></html>", b"", b"\x00\x01garbage", b"<rss"],
)
def test_unreadable_feed_is_an_error(body: bytes):
    with pytest.raises(FeedError, match="feed http://x/feed/"):
        parse_feed(body, "http://x/feed/", max_items=50, content_type="text/html")


def test_cap_on_items_of_a_huge_feed(news: NewsReplica):
    parsed = parse_feed(news.big_feed(), "http://x/feed/", max_items=25)
    assert parsed.total == 10_000
    assert len(parsed.items) == 25


def test_main_text_excludes_comments_related_nav_and_signup():
    article = extract_article(wordpress_page(SUNDERLAND).decode(), "http://x/a/")
    for paragraph in SUNDERLAND.paragraphs:
        assert paragraph in article.text
    for unwanted in (*COMMENTS, *RELATED, "Responses to", "Sign up", "newsletter", "Privacy"):
        assert unwanted not in article.text, unwanted
    assert "Workforce" not in article.text and "Tagged" not in article.text
    assert article.title == SUNDERLAND.title
    assert article.published == SUNDERLAND.published
    assert article.canonical_url is None


def test_canonical_from_link_or_og_url_and_no_invented_date():
    page = wordpress_page(SLOUGH_UNDATED, canonical="https://www.example.org/original/")
    article = extract_article(page.decode(), "http://copy/x/")
    assert article.canonical_url == "https://www.example.org/original/"
    assert article.published is None
    og_only = page.replace(b"<link rel='canonical' href='https://www.example.org/original/'>", b"")
    assert extract_article(og_only.decode(), "http://copy/x/").canonical_url == (
        "https://www.example.org/original/"
    )


def test_syndicated_copies_have_the_same_hash():
    original = extract_article(wordpress_page(DONCASTER).decode(), "http://a/")
    copy = extract_article(wordpress_page(DONCASTER, site="CYP Now").decode(), "http://b/")
    assert content_hash(original.text) == content_hash(copy.text)
    assert content_hash("A  b\n") == content_hash("a b")


def test_page_without_story_is_an_error():
    with pytest.raises(ArticleError, match="no article text"):
        extract_article("<html><body><nav><a href='/'>Home</a></nav></body></html>", "http://x/")


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b"<!DOCTYPE html><html></html>", "text/html", True),
        (b"<html><body>x</body></html>", "", True),
        (b"%PDF-1.7 ...", "text/html", False),  # a PDF that claims to be HTML
        (b"%PDF-1.7 ...", "application/pdf", False),
        (b"\x89PNG\r\n", "image/png", False),
        (b"<html></html>", "application/octet-stream", False),
    ],
)
def test_is_html(content: bytes, content_type: str, expected: bool):
    assert is_html(content, content_type) is expected


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("path", sorted(NEWS.glob("*.txt")), ids=lambda p: p.name)
def test_real_article_texts_survive_a_wordpress_page(path):
    """The shared real articles, wrapped in our WordPress page: the story comes back whole."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    story = Story("/real/", lines[0], tuple(lines[1:]))
    text = _squeeze(extract_article(wordpress_page(story).decode(), "http://x/real/").text)
    missing = [line for line in lines[1:] if _squeeze(line) not in text]
    assert not missing
    assert not any(comment in text for comment in COMMENTS)
    assert not any(headline in text for headline in RELATED)


def test_search_url_asks_only_for_known_parameters():
    url = govuk.search_url(
        "https://www.gov.uk/api/search.json",
        "children's services trust",
        start=50,
        count=50,
        organisations=("department-for-education",),
    )
    assert url.startswith("https://www.gov.uk/api/search.json?q=children%27s+services+trust&")
    assert "filter_organisations=department-for-education" in url
    assert "order=-public_timestamp" in url and "start=50" in url
    assert url.count("fields=") == 6


def test_search_and_content_parsing():
    body = json.dumps(
        {
            "results": [
                {"title": "A", "link": "/government/a", "public_timestamp": "2017-10-02T09:30:00Z"},
                {"title": "no link"},
            ],
            "total": 7,
            "start": 0,
        }
    ).encode()
    page = govuk.parse_search(body, "https://www.gov.uk/api/search.json?q=x")
    assert page.total == 7 and len(page.results) == 1
    assert page.results[0].link == "https://www.gov.uk/government/a"
    assert page.results[0].published == datetime(2017, 10, 2, 9, 30, tzinfo=UTC)
    assert govuk.content_api_url(page.results[0].link) == (
        "https://www.gov.uk/api/content/government/a"
    )
    with pytest.raises(govuk.GovukError, match="no 'results' list"):
        govuk.parse_search(b'{"error": "x"}', "u")
    with pytest.raises(govuk.GovukError, match="not JSON"):
        govuk.parse_search(b"<html>", "u")
    content = govuk.parse_content(NewsReplica.content_json(GOVUK_DOCS[1]), "u")
    assert "Torbay commissioner report" in content.text
    assert content.published == datetime(2018, 11, 20, 9, 30, tzinfo=UTC)
    with pytest.raises(govuk.GovukError, match="no body"):
        govuk.parse_content(b'{"title": "x", "details": {}}', "u")


def test_per_request_body_cap():
    with LocalServer() as server:
        server.route("/big", Reply(200, b"x" * 5000))
        server.route("/robots.txt", Reply(404))
        policy = HttpPolicy(
            user_agent="t (t@example.org)",
            allowed_hosts=frozenset({server.host}),
            min_interval_seconds=0,
        )
        with PoliteClient(policy) as client:
            assert len(client.get(server.base_url + "/big").content) == 5000
            with pytest.raises(FetchError, match="body larger than 1000 bytes"):
                client.get(server.base_url + "/big", max_bytes=1000)


def _news(**overrides: object) -> dict[str, object]:
    news: dict[str, object] = {
        "enabled": True,
        "feeds": [{"name": "cc", "url": "https://www.communitycare.co.uk/feed/"}],
        "max_items_per_feed": 10,
        "article_max_bytes": 1000,
        "retry_failed_after_hours": 1,
    }
    news.update(overrides)
    return news


def test_default_settings_have_news_and_govuk():
    settings = load_settings()
    feeds = {f.name: f for f in settings.news.feeds}
    # Community Care's site and children's feeds, LGC (paywalled: the item's summary is kept)
    # and the DfE Atom feed; CYP Now has no feed and is not polled (its host stays allowed, so a
    # page given by URL still reads).
    assert list(feeds) == ["communitycare", "communitycare-children", "lgc", "govuk-dfe"]
    assert [f.official for f in feeds.values()] == [False, False, False, True]
    assert feeds["lgc"].keep_summary and feeds["govuk-dfe"].titles_have_type
    assert "www.cypnow.co.uk" in settings.http.allowed_hosts
    assert settings.govuk.count == 50 and settings.govuk.queries
    assert settings.govuk.document_types == ["decision"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"news": _news(feeds=[{"name": "x", "url": "ftp://x/"}])}, "not an absolute http"),
        ({"news": _news(max_items_per_feed=0)}, "news.max_items_per_feed"),
        (
            {"news": _news(feeds=[{"name": "a", "url": "https://www.gov.uk/a"}] * 2)},
            "feed names must be unique",
        ),
        (
            {"news": _news(feeds=[{"name": "a", "url": "https://news.example.com/feed"}])},
            "host news.example.com is not in http.allowed_hosts",
        ),
        ({"news": _news(surprise=1)}, "unknown setting"),
    ],
)
def test_bad_news_settings_fail_at_boot(overrides: dict[str, object], message: str):
    with pytest.raises(SettingsError, match=message):
        load_settings(**overrides)


def test_bad_govuk_settings_fail_at_boot(monkeypatch):
    monkeypatch.setenv("CSWATCH_GOVUK__COUNT", "5000")
    with pytest.raises(SettingsError, match=r"govuk\.count"):
        load_settings()
    monkeypatch.setenv("CSWATCH_GOVUK__COUNT", "10")
    monkeypatch.setenv("CSWATCH_GOVUK__SEARCH_URL", "https://www.gov.uk/api/search.json?q=x")
    with pytest.raises(SettingsError, match="bare endpoint"):
        load_settings()
