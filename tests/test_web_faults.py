"""The web app under faults and abuse (issue 12): bodies bounded before parsing, a cache that
comes back with the database, redirects that never echo the Host header, and a sign-up limit
that only valid sign-ups use up."""

from __future__ import annotations

import select
import socket
import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from tests.conftest import POSTGRES_URL
from tests.test_web import _subscribe, make_client
from tests.webserver import AppServer
from web.app import WebOptions, create_app

KEY = "faults-key-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def served(sqlite_engine):
    options = WebOptions(
        secret_key=KEY, public_base_url="https://cswatch.test", from_address="a@cswatch.test"
    )
    with AppServer(create_app(sqlite_engine, options, lambda *_a: None)) as server:
        yield server


def _status(sock: socket.socket, timeout: float) -> str:
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except TimeoutError:
        return "no answer"
    return data.split(b"\r\n", 1)[0].decode()


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json"],
)
def test_a_declared_huge_body_is_refused_unread(served, content_type):
    """900 MB announced, 1 kB sent: the answer comes at once, without waiting for the rest."""
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.sendall(
            (
                "POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: 900000000\r\n\r\n"
            ).encode()
            + b"email=a%40b.org&" * 64
        )
        assert _status(sock, 10) == "HTTP/1.1 413 Request Entity Too Large"


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_streamed_huge_body_is_cut_off_at_the_limit(served, content_type):
    """Chunked, with no length: the server stops it after ~64 kB, not after the whole body."""
    chunk = b"x" * 16384
    sent = 0
    answer = "no answer"
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.sendall(
            (
                "POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        if content_type.startswith("multipart/"):  # one field that never ends
            head = b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\n'
            sock.sendall(b"%x\r\n%s\r\n" % (len(head), head))
        try:
            while sent < 8_000_000:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                if select.select([sock], [], [], 0.005)[0]:
                    answer = _status(sock, 5)
                    break
            else:
                sock.sendall(b"0\r\n\r\n")
                answer = _status(sock, 10)
        except (BrokenPipeError, ConnectionResetError):
            answer = _status(sock, 5)
    assert answer == "HTTP/1.1 413 Request Entity Too Large"
    assert sent < 1_000_000, sent


def test_trailing_slash_redirects_are_relative(sqlite_engine):
    client, _outbox = make_client(sqlite_engine)
    for path, location in (
        ("/changes/", "/changes"),
        ("/changes/?since=2025-01-01", "/changes?since=2025-01-01"),
        ("/authority/doncaster/", "/authority/doncaster"),
        ("/api/authorities/", "/api/authorities"),
    ):
        answer = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert answer.is_redirect, path
        assert answer.headers["location"] == location, path
    assert client.get("/changes/").status_code == 200  # followed, it lands on the page


def test_a_double_slash_never_redirects_to_another_host(served):
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.sendall(b"GET //evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        sock.settimeout(10)
        head = sock.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 308"), head
    assert "\r\nlocation: /evil.example\r\n" in head.lower(), head


def test_only_valid_sign_ups_count_against_the_limit(sqlite_engine):
    client, outbox = make_client(sqlite_engine, signups_per_client_per_hour=2)
    for _ in range(5):
        typo = _subscribe(client, "not an address")
        assert typo.status_code == 200 and "There is a problem" in typo.text
    first = _subscribe(client, "valid-one@example.org")
    second = _subscribe(client, "valid-two@example.org")
    assert (first.status_code, second.status_code) == (200, 200)
    assert "Check your email" in second.text and len(outbox) == 2
    assert _subscribe(client, "valid-three@example.org").status_code == 429


@pytest.mark.postgres
def test_the_cache_comes_back_after_the_database_drops_its_connections(postgres_engine):
    """One dropped connection turns the cache off for a moment, not until a restart."""
    name = f"cswatch-cache-{uuid.uuid4().hex[:8]}"
    with postgres_engine.connect() as connection:
        current = connection.exec_driver_sql("SELECT current_schema()").scalar()
    engine = create_engine(
        POSTGRES_URL,
        connect_args={"options": f"-csearch_path={current}", "application_name": name},
    )
    admin = create_engine(POSTGRES_URL)
    try:
        client, _outbox = make_client(engine, cache_retry_seconds=0.3)
        context = client.app.state.context  # type: ignore[attr-defined]
        assert client.get("/api/authorities").json()["count"] == 153
        with Session(engine) as s:
            assert context.data_version(s) is not None  # cached: the counter is readable
        with admin.begin() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            ).scalar()
        assert killed and killed >= 1
        answers = [client.get("/api/authorities").status_code for _ in range(3)]
        assert answers == [200, 200, 200]  # the request that meets the dead connection too
        assert context.data_version.failures >= 1  # it noticed the dropped connection
        time.sleep(0.4)
        with Session(engine) as s:
            assert context.data_version(s) is not None  # back on, without a restart
        hits = context.cache.hits
        for _ in range(3):
            assert client.get("/api/authorities").json()["count"] == 153
        assert context.cache.hits + context.cache.misses > hits
    finally:
        engine.dispose()
        admin.dispose()
