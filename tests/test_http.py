"""The polite client against a real local HTTP server: what it sends, retries, and refuses.

Sleeps are recorded instead of slept (and, where intervals matter, a fake clock advances by
them), so the whole file runs in a few seconds.
"""

from __future__ import annotations

import gzip
import itertools
import logging
import pickle
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from ingest.http import (
    DisallowedByRobots,
    FetchError,
    HostNotAllowed,
    HttpPolicy,
    PoliteClient,
    _parse_retry_after,
)
from tests.localserver import LocalServer, Reply, Request

UA = "cswatch-test/0.1 (Children's Services Watch; contact ops@example.org)"
BACKOFF = 0.001


@pytest.fixture(scope="module")
def _servers() -> Iterator[tuple[LocalServer, LocalServer]]:
    # Shared by the module: stopping a LocalServer takes ~0.5 s (serve_forever's poll interval).
    with LocalServer() as first, LocalServer() as second:
        yield first, second


def _fresh(srv: LocalServer) -> LocalServer:
    srv.routes.clear()
    srv.requests.clear()
    return srv


@pytest.fixture
def server(_servers: tuple[LocalServer, LocalServer]) -> LocalServer:
    return _fresh(_servers[0])


@pytest.fixture
def other_server(_servers: tuple[LocalServer, LocalServer]) -> LocalServer:
    """A second server that is never in the allow-list (unless a test says so)."""
    return _fresh(_servers[1])


def make_policy(server: LocalServer, **overrides: object) -> HttpPolicy:
    values: dict[str, object] = {
        "user_agent": UA,
        "allowed_hosts": frozenset({server.host}),
        "min_interval_seconds": 0.0,
        "connect_timeout_seconds": 2.0,
        "read_timeout_seconds": 2.0,
        "max_retries": 2,
        "backoff_seconds": BACKOFF,
        "max_retry_after_seconds": 10.0,
        "max_body_bytes": 10_000,
        "respect_robots_txt": True,
    }
    values.update(overrides)
    return HttpPolicy(**values)  # type: ignore[arg-type]


class Recorder:
    """A fake clock and sleep: sleeping advances the clock and is recorded, never waited."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


def client_for(
    server: LocalServer, rec: Recorder, **overrides: object
) -> Callable[[], PoliteClient]:
    return lambda: PoliteClient(make_policy(server, **overrides), sleep=rec.sleep, clock=rec.clock)


def sequence(*replies: Reply) -> Callable[[Request], Reply]:
    """A handler answering with each reply in turn, then repeating the last."""
    remaining = list(replies)

    def handler(_request: Request) -> Reply:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return handler


# -- success, headers, status errors ---------------------------------------------------------


def test_200_sends_honest_user_agent_on_page_and_robots(server: LocalServer, rec: Recorder) -> None:
    server.route("/page", Reply(body=b"<p>hello</p>", headers={"ETag": '"v1"'}))
    with client_for(server, rec)() as client:
        fetched = client.get(f"{server.base_url}/page")

    assert fetched.status == 200
    assert fetched.content == b"<p>hello</p>"
    assert fetched.text() == "<p>hello</p>"
    assert fetched.content_type == "text/html"
    assert fetched.etag == '"v1"'
    assert not fetched.not_modified
    assert fetched.url == f"{server.base_url}/page"
    assert [r.path for r in server.requests] == ["/robots.txt", "/page"]
    assert all(r.headers["user-agent"] == UA for r in server.requests)
    assert rec.sleeps == []


def test_accept_header_is_sent(server: LocalServer, rec: Recorder) -> None:
    server.route("/report.pdf", Reply(body=b"%PDF-1.7", content_type="application/pdf"))
    with client_for(server, rec, respect_robots_txt=False)() as client:
        fetched = client.get(f"{server.base_url}/report.pdf", accept="application/pdf")
    assert fetched.content_type == "application/pdf"
    assert server.requests[-1].headers["accept"] == "application/pdf"


def test_404_fails_at_once_with_a_clear_message(server: LocalServer, rec: Recorder) -> None:
    url = f"{server.base_url}/missing"
    with client_for(server, rec)() as client, pytest.raises(FetchError) as info:
        client.get(url)

    err = info.value
    assert err.status == 404
    assert err.reason == "not found (HTTP 404)"
    assert str(err) == f"GET {url} failed: not found (HTTP 404)"
    assert err.url == url
    assert not err.retryable
    assert server.hits("/missing") == 1
    assert rec.sleeps == []


def test_fetch_error_survives_pickling() -> None:
    err = pickle.loads(pickle.dumps(HostNotAllowed("http://x/", "because", 403, True)))
    assert isinstance(err, HostNotAllowed)
    assert (err.url, err.reason, err.status, err.retryable) == ("http://x/", "because", 403, True)
    assert str(err) == "GET http://x/ failed: because"


# -- retries ----------------------------------------------------------------------------------


def test_500_then_200_is_retried_after_backoff(server: LocalServer, rec: Recorder) -> None:
    server.route("/flaky", sequence(Reply(500, b"oops"), Reply(200, b"ok")))
    with client_for(server, rec, respect_robots_txt=False)() as client:
        fetched = client.get(f"{server.base_url}/flaky")

    assert fetched.content == b"ok"
    assert server.hits("/flaky") == 2
    assert len(rec.sleeps) == 1
    assert BACKOFF <= rec.sleeps[0] <= BACKOFF * 1.1


def test_500_forever_gives_up_after_max_retries_plus_one(
    server: LocalServer, rec: Recorder
) -> None:
    server.route("/down", Reply(500, b"oops"))
    url = f"{server.base_url}/down"
    with client_for(server, rec, max_retries=3)() as client, pytest.raises(FetchError) as info:
        client.get(url)

    assert server.hits("/down") == 4
    assert info.value.status == 500
    assert info.value.retryable
    assert "internal server error (HTTP 500)" in str(info.value)
    assert "gave up after 4 attempts" in str(info.value)
    # Exponential backoff: 1x, 2x, 4x the base (plus under 10% jitter).
    assert len(rec.sleeps) == 3
    for attempt, slept in enumerate(rec.sleeps):
        assert BACKOFF * 2**attempt <= slept <= BACKOFF * 2**attempt * 1.1


def test_429_honours_retry_after_seconds(server: LocalServer, rec: Recorder) -> None:
    server.route(
        "/busy", sequence(Reply(429, b"slow down", headers={"Retry-After": "2"}), Reply(200, b"ok"))
    )
    with client_for(server, rec, respect_robots_txt=False)() as client:
        assert client.get(f"{server.base_url}/busy").content == b"ok"
    assert server.hits("/busy") == 2
    assert len(rec.sleeps) == 1
    assert rec.sleeps[0] >= 2


def test_503_honours_retry_after_http_date(server: LocalServer, rec: Recorder) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    server.route(
        "/maint", sequence(Reply(503, b"", headers={"Retry-After": when}), Reply(200, b"ok"))
    )
    with client_for(server, rec, respect_robots_txt=False)() as client:
        assert client.get(f"{server.base_url}/maint").content == b"ok"
    assert len(rec.sleeps) == 1
    assert 3 <= rec.sleeps[0] <= 5


def test_retry_after_parsing() -> None:
    assert _parse_retry_after(None) is None
    assert _parse_retry_after("120") == 120.0
    assert _parse_retry_after("soon") is None
    assert _parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


def test_huge_retry_after_fails_fast(server: LocalServer, rec: Recorder) -> None:
    server.route("/busy", Reply(429, b"", headers={"Retry-After": "86400"}))
    with (
        client_for(server, rec, respect_robots_txt=False)() as client,
        pytest.raises(FetchError) as info,
    ):
        client.get(f"{server.base_url}/busy")

    assert server.hits("/busy") == 1
    assert rec.sleeps == []
    assert info.value.status == 429
    assert info.value.retryable
    assert "retry after 86400 s" in info.value.reason


def test_read_timeout_is_retried_then_fails(server: LocalServer, rec: Recorder) -> None:
    server.route("/slow", Reply(body=b"late", delay=0.5))
    policy = {"read_timeout_seconds": 0.2, "max_retries": 1, "respect_robots_txt": False}
    with client_for(server, rec, **policy)() as client, pytest.raises(FetchError) as info:
        client.get(f"{server.base_url}/slow")

    assert server.hits("/slow") == 2
    assert len(rec.sleeps) == 1
    assert info.value.retryable
    assert info.value.status is None
    assert "timed out reading" in info.value.reason


def test_dropped_connection_is_retried(server: LocalServer, rec: Recorder) -> None:
    server.route("/drop", sequence(Reply(drop=True), Reply(200, b"ok")))
    with client_for(server, rec, respect_robots_txt=False)() as client:
        assert client.get(f"{server.base_url}/drop").content == b"ok"
    assert server.hits("/drop") == 2
    assert len(rec.sleeps) == 1


def test_dropped_connection_forever_fails(server: LocalServer, rec: Recorder) -> None:
    server.route("/drop", Reply(drop=True))
    with (
        client_for(server, rec, respect_robots_txt=False)() as client,
        pytest.raises(FetchError) as info,
    ):
        client.get(f"{server.base_url}/drop")
    assert server.hits("/drop") == 3
    assert info.value.retryable
    assert "connection failed" in info.value.reason


# -- body size ----------------------------------------------------------------------------------


def test_body_over_cap_by_content_length(server: LocalServer, rec: Recorder) -> None:
    server.route("/big", Reply(body=b"x" * 20_000))
    with client_for(server, rec)() as client, pytest.raises(FetchError) as info:
        client.get(f"{server.base_url}/big")
    assert "body larger than 10000 bytes" in info.value.reason
    assert not info.value.retryable
    assert server.hits("/big") == 1


def test_body_over_cap_while_streaming(server: LocalServer, rec: Recorder) -> None:
    """A gzip body whose Content-Length (compressed) is small but which decodes to far more."""
    bomb = gzip.compress(b"a" * 2_000_000)
    assert len(bomb) < 10_000
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    with client_for(server, rec)() as client, pytest.raises(FetchError) as info:
        client.get(f"{server.base_url}/bomb")
    assert "body larger than 10000 bytes" in info.value.reason
    assert "stopped reading" in info.value.reason


def test_gzip_body_within_cap_is_decoded(server: LocalServer, rec: Recorder) -> None:
    server.route(
        "/small", Reply(body=gzip.compress(b"b" * 5000), headers={"Content-Encoding": "gzip"})
    )
    with client_for(server, rec)() as client:
        assert client.get(f"{server.base_url}/small").content == b"b" * 5000


# -- allow-list and redirects -------------------------------------------------------------------


def test_host_not_allowed_makes_no_request(
    server: LocalServer, other_server: LocalServer, rec: Recorder
) -> None:
    url = f"{other_server.base_url}/page"
    with client_for(server, rec)() as client, pytest.raises(HostNotAllowed) as info:
        client.get(url)
    assert other_server.requests == []
    assert server.requests == []
    assert info.value.url == url
    assert other_server.host in info.value.reason
    assert not info.value.retryable


def test_non_http_scheme_is_refused(server: LocalServer, rec: Recorder) -> None:
    with client_for(server, rec)() as client, pytest.raises(FetchError, match="http"):
        client.get(f"ftp://{server.host}/file")
    assert server.requests == []


def test_allowed_host_without_port_matches_only_default_port() -> None:
    policy = HttpPolicy(user_agent=UA, allowed_hosts=frozenset({"127.0.0.1"}))
    with PoliteClient(policy, sleep=lambda _s: None) as client, pytest.raises(HostNotAllowed):
        client.get("http://127.0.0.1:1/x")


def test_redirect_within_allowed_host_is_followed(server: LocalServer, rec: Recorder) -> None:
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=b"moved here"))
    with client_for(server, rec)() as client:
        fetched = client.get(f"{server.base_url}/old")
    assert fetched.url == f"{server.base_url}/new"
    assert fetched.content == b"moved here"


def test_redirect_to_unlisted_host_is_refused_without_contacting_it(
    server: LocalServer, other_server: LocalServer, rec: Recorder
) -> None:
    target = f"{other_server.base_url}/elsewhere"
    server.route("/go", Reply(302, headers={"Location": target}))
    url = f"{server.base_url}/go"
    with client_for(server, rec)() as client, pytest.raises(HostNotAllowed) as info:
        client.get(url)
    assert other_server.requests == []
    assert info.value.url == url
    assert target in info.value.reason


def test_redirect_loop_stops(server: LocalServer, rec: Recorder) -> None:
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with client_for(server, rec)() as client, pytest.raises(FetchError, match="redirects"):
        client.get(f"{server.base_url}/loop")
    assert server.hits("/loop") == 6  # the first request and 5 followed redirects


def test_404_after_redirect_names_the_final_url(server: LocalServer, rec: Recorder) -> None:
    server.route("/old", Reply(301, headers={"Location": "/gone"}))
    with client_for(server, rec)() as client, pytest.raises(FetchError) as info:
        client.get(f"{server.base_url}/old")
    assert info.value.reason == f"not found (HTTP 404) at {server.base_url}/gone"


# -- robots.txt -----------------------------------------------------------------------------------


def robots(text: str) -> Reply:
    return Reply(body=text.encode(), content_type="text/plain")


def test_robots_disallow_is_obeyed_and_fetched_once(server: LocalServer, rec: Recorder) -> None:
    server.route("/robots.txt", robots("User-agent: *\nDisallow: /private\n"))
    server.route("/public", Reply(body=b"ok"))
    server.route("/private/x", Reply(body=b"secret"))
    with client_for(server, rec)() as client:
        assert client.get(f"{server.base_url}/public").content == b"ok"
        with pytest.raises(DisallowedByRobots) as info:
            client.get(f"{server.base_url}/private/x")
        assert client.get(f"{server.base_url}/public").content == b"ok"

    assert server.hits("/private/x") == 0
    assert server.hits("/robots.txt") == 1
    assert not info.value.retryable
    assert "robots.txt" in info.value.reason


def test_robots_group_for_our_product_token(server: LocalServer, rec: Recorder) -> None:
    server.route("/robots.txt", robots("User-agent: cswatch-test\nDisallow: /\n\nUser-agent: *\n"))
    with client_for(server, rec)() as client, pytest.raises(DisallowedByRobots):
        client.get(f"{server.base_url}/anything")
    assert server.hits("/anything") == 0


def test_robots_404_means_everything_allowed(server: LocalServer, rec: Recorder) -> None:
    server.route("/page", Reply(body=b"ok"))
    with client_for(server, rec)() as client:
        assert client.get(f"{server.base_url}/page").content == b"ok"
        assert client.get(f"{server.base_url}/page").content == b"ok"
    assert server.hits("/robots.txt") == 1


def test_robots_5xx_means_disallow_all(server: LocalServer, rec: Recorder) -> None:
    server.route("/robots.txt", Reply(503, b"down"))
    server.route("/page", Reply(body=b"ok"))
    with client_for(server, rec, max_retries=1)() as client:
        with pytest.raises(DisallowedByRobots) as info:
            client.get(f"{server.base_url}/page")
        with pytest.raises(DisallowedByRobots):
            client.get(f"{server.base_url}/page")

    assert server.hits("/page") == 0
    assert server.hits("/robots.txt") == 2  # one attempt and one retry, then cached
    assert info.value.retryable
    assert "unavailable" in info.value.reason


def test_robots_ignored_when_not_respected(server: LocalServer, rec: Recorder) -> None:
    server.route("/robots.txt", robots("User-agent: *\nDisallow: /\n"))
    server.route("/page", Reply(body=b"ok"))
    with client_for(server, rec, respect_robots_txt=False)() as client:
        assert client.get(f"{server.base_url}/page").content == b"ok"
    assert server.hits("/robots.txt") == 0


def test_robots_crawl_delay_lengthens_the_interval(server: LocalServer, rec: Recorder) -> None:
    server.route("/robots.txt", robots("User-agent: *\nCrawl-delay: 5\n"))
    server.route("/page", Reply(body=b"ok"))
    with client_for(server, rec, min_interval_seconds=1.0)() as client:
        client.get(f"{server.base_url}/page")
    assert rec.sleeps == [5.0]  # between the robots.txt request and the page


# -- politeness -------------------------------------------------------------------------------


def test_min_interval_between_requests_to_one_host(
    server: LocalServer, other_server: LocalServer, rec: Recorder
) -> None:
    server.route("/page", Reply(body=b"ok"))
    other_server.route("/page", Reply(body=b"ok"))
    policy = make_policy(server, min_interval_seconds=1.0, respect_robots_txt=False)
    policy = replace(policy, allowed_hosts=frozenset({server.host, other_server.host}))
    with PoliteClient(policy, sleep=rec.sleep, clock=rec.clock) as client:
        client.get(f"{server.base_url}/page")
        assert rec.sleeps == []
        client.get(f"{other_server.base_url}/page")  # another host: no wait
        assert rec.sleeps == []
        rec.now += 0.25
        client.get(f"{server.base_url}/page")
        assert rec.sleeps == [0.75]  # the rest of the interval since the last request ended
        rec.now += 5
        client.get(f"{server.base_url}/page")
        assert rec.sleeps == [0.75]


def test_threads_share_the_per_host_interval(server: LocalServer) -> None:
    """Real clock and sleep: four threads at once still go one at a time, spaced out."""
    server.route("/page", Reply(body=b"ok"))
    starts: list[float] = []
    lock = threading.Lock()

    def note_start(_request: Request) -> Reply:
        with lock:
            starts.append(time.monotonic())
        return Reply(body=b"ok")

    server.route("/page", note_start)
    policy = make_policy(server, min_interval_seconds=0.05, respect_robots_txt=False)
    with PoliteClient(policy) as client:
        threads = [
            threading.Thread(target=client.get, args=(f"{server.base_url}/page",)) for _ in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    starts.sort()
    assert len(starts) == 4
    assert all(b - a >= 0.045 for a, b in itertools.pairwise(starts))


# -- conditional GET ----------------------------------------------------------------------------


def test_conditional_get_returns_304(server: LocalServer, rec: Recorder) -> None:
    def handler(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(
            body=b"report",
            headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"},
        )

    server.route("/report", handler)
    url = f"{server.base_url}/report"
    with client_for(server, rec)() as client:
        first = client.get(url)
        second = client.get(url, etag=first.etag, last_modified=first.last_modified)

    assert first.status == 200
    assert first.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert second.status == 304
    assert second.not_modified
    assert second.content == b""
    assert second.text() == ""
    assert second.etag == '"v1"'
    assert second.last_modified == first.last_modified  # echoed back: the 304 did not send it
    last = server.requests[-1]
    assert last.headers["if-none-match"] == '"v1"'
    assert last.headers["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


# -- decoding ------------------------------------------------------------------------------------

CP1252_TEXT = "Café – “naïve” £5 report"


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=windows-1252",
        "text/html; charset=ISO-8859-1",
        "text/html",
        "text/html; charset=utf-8",  # wrong declaration: still decodes
        "text/html; charset=no-such-charset",
    ],
)
def test_cp1252_page_decodes(server: LocalServer, rec: Recorder, content_type: str) -> None:
    server.route("/old", Reply(body=CP1252_TEXT.encode("cp1252"), content_type=content_type))
    with client_for(server, rec)() as client:
        assert client.get(f"{server.base_url}/old").text() == CP1252_TEXT


def test_undecodable_bytes_never_raise(server: LocalServer, rec: Recorder) -> None:
    server.route("/junk", Reply(body=b"a\x81b\x9dc", content_type="text/plain"))
    with client_for(server, rec)() as client:
        assert client.get(f"{server.base_url}/junk").text() == "a\x81b\x9dc"


def test_utf8_page_decodes(server: LocalServer, rec: Recorder) -> None:
    server.route("/new", Reply(body=CP1252_TEXT.encode("utf-8"), content_type="text/html"))
    with client_for(server, rec)() as client:
        assert client.get(f"{server.base_url}/new").text() == CP1252_TEXT


# -- policy -------------------------------------------------------------------------------------


def test_policy_normalises_and_validates_hosts() -> None:
    policy = HttpPolicy(user_agent=UA, allowed_hosts=["WWW.GOV.UK."])  # type: ignore[arg-type]
    assert policy.allowed_hosts == frozenset({"www.gov.uk"})
    assert policy.robots_agent == "cswatch-test"
    with pytest.raises(TypeError):
        HttpPolicy(user_agent=UA, allowed_hosts="www.gov.uk")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        HttpPolicy(user_agent=UA, allowed_hosts=frozenset({"https://www.gov.uk/"}))
    with pytest.raises(ValueError):
        HttpPolicy(user_agent=" ", allowed_hosts=frozenset({"www.gov.uk"}))


def test_retries_are_logged(
    server: LocalServer, rec: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/flaky", sequence(Reply(502), Reply(200, b"ok")))
    with (
        caplog.at_level(logging.WARNING, logger="ingest.http"),
        client_for(server, rec)() as client,
    ):
        client.get(f"{server.base_url}/flaky")
    assert any("retry 1/2" in r.getMessage() for r in caplog.records)
