"""Delivery through a real SMTP server on localhost (aiosmtpd) and through .eml files.

Runs on SQLite and PostgreSQL: retries with backoff, permanent failures, one connection per
batch, and the crash between send and commit (a subprocess killed with SIGKILL).
"""

from __future__ import annotations

import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from alerts.delivery import FileBackend, SmtpBackend, SmtpOptions, deliver
from alerts.digest import Renderer, plan
from alerts.models import Outbox, OutboxState
from tests.alerts_factories import add_change, delivery_options, digest_options, subscriber
from tests.paths import REPO
from tests.smtpserver import SmtpServer, free_port

NOW = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def _backend(server: SmtpServer) -> SmtpBackend:
    return SmtpBackend(SmtpOptions(host=server.host, port=server.port, security="none", timeout=5))


def _queue(engine: Engine, *emails: str) -> None:
    with Session(engine) as session:
        add_change(session, "sunderland")
        for email in emails:
            subscriber(session, email)
        plan(session, Renderer(digest_options()), now=NOW)


def _rows(engine: Engine) -> list[Outbox]:
    with Session(engine) as session:
        return list(session.exec(select(Outbox).order_by(Outbox.id)).all())


def _at(moment: datetime):
    return lambda: moment


def test_smtp_delivers_every_part_and_header_over_one_connection(engine, smtp):
    _queue(engine, "one@example.org", "two@example.org", "three@example.org")
    backend = _backend(smtp)

    summary = deliver(engine, backend, delivery_options(), now=_at(NOW))

    assert summary.sent == 3 and not summary.failed and summary.retrying == 0
    assert backend.connections == 1
    received = smtp.handler.received
    assert [r.rcpt_tos for r in received] == [
        ["one@example.org"],
        ["two@example.org"],
        ["three@example.org"],
    ]
    assert {r.mail_from for r in received} == {"alerts@cswatch.test"}
    rows = _rows(engine)
    assert [r.state for r in rows] == [OutboxState.SENT] * 3
    assert all(r.attempts == 1 and r.sent_at is not None for r in rows)
    for row, got in zip(rows, received, strict=True):
        message = got.message()
        assert got.data.rstrip(b"\r\n") == row.message.rstrip(b"\r\n")
        assert message["Message-ID"] == row.message_id
        assert message["Subject"] == "Sunderland now requires improvement"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["List-Id"] and message["Date"]
        assert (
            "<mailto:unsubscribe@cswatch.test?subject=unsubscribe%20" in message["List-Unsubscribe"]
        )
        assert "<https://cswatch.test/unsubscribe/" in message["List-Unsubscribe"]
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "from inadequate to requires improvement" in plain
        assert "<h2" in html and "Sunderland" in html
    # Nothing is sent twice.
    assert deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW)).sent == 0
    assert len(smtp.handler.received) == 3


def test_a_4xx_is_retried_after_backoff_and_delivered_once(engine, smtp):
    _queue(engine, "one@example.org")
    smtp.handler.script = ["451 4.3.0 mailbox busy, try later"]

    first = deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW))
    (row,) = _rows(engine)
    assert first.sent == 0 and first.retrying == 1
    assert row.state == OutboxState.PENDING and row.attempts == 1
    assert row.last_error and "451" in row.last_error
    assert row.next_try_at.replace(tzinfo=UTC) == NOW + timedelta(seconds=60)

    early = deliver(
        engine, _backend(smtp), delivery_options(), now=_at(NOW + timedelta(seconds=59))
    )
    assert early.sent == 0 and smtp.handler.attempts == 1  # not due yet: not even tried

    later = deliver(
        engine, _backend(smtp), delivery_options(), now=_at(NOW + timedelta(seconds=60))
    )
    (row,) = _rows(engine)
    assert later.sent == 1
    assert row.state == OutboxState.SENT and row.attempts == 2
    assert len(smtp.handler.received) == 1


def test_a_dropped_connection_is_retried_and_the_batch_reconnects(engine, smtp):
    _queue(engine, "one@example.org", "two@example.org")
    smtp.handler.script = ["drop"]
    backend = _backend(smtp)

    first = deliver(engine, backend, delivery_options(), now=_at(NOW))

    assert first.sent == 1 and first.retrying == 1
    assert backend.connections == 2  # reconnected for the second message
    one, two = _rows(engine)
    assert one.state == OutboxState.PENDING and "connection" in (one.last_error or "")
    assert two.state == OutboxState.SENT
    later = deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW + timedelta(hours=1)))
    assert later.sent == 1
    assert sorted(r.rcpt_tos[0] for r in smtp.handler.received) == [
        "one@example.org",
        "two@example.org",
    ]


def test_a_5xx_marks_the_digest_failed_and_it_is_never_retried(engine, smtp):
    _queue(engine, "gone@example.org", "fine@example.org", "spam@example.org")
    smtp.handler.refuse_rcpt = {"gone@example.org"}
    smtp.handler.script = ["ok", "554 5.7.1 rejected as spam"]

    summary = deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW))

    assert summary.sent == 1
    assert sorted(f.recipient for f in summary.failed) == ["gone@example.org", "spam@example.org"]
    gone, fine, spam = _rows(engine)
    assert gone.state == OutboxState.FAILED and "550" in (gone.last_error or "")
    assert spam.state == OutboxState.FAILED and "554" in (spam.last_error or "")
    assert fine.state == OutboxState.SENT
    attempts = smtp.handler.attempts
    again = deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW + timedelta(days=30)))
    assert again.sent == 0 and not again.failed and smtp.handler.attempts == attempts
    assert gone.attempts == 1 and spam.attempts == 1


def test_temporary_failures_back_off_up_to_the_cap_and_never_become_final(engine, smtp):
    _queue(engine, "one@example.org")
    smtp.handler.script = ["452 4.2.2 mailbox full"] * 12
    options = delivery_options(backoff_seconds=60, max_backoff_seconds=600)
    moment = NOW
    delays = []
    for _ in range(12):
        summary = deliver(engine, _backend(smtp), options, now=_at(moment))
        assert summary.retrying == 1 and not summary.failed
        (row,) = _rows(engine)
        delays.append((row.next_try_at.replace(tzinfo=UTC) - moment).total_seconds())
        moment = row.next_try_at.replace(tzinfo=UTC)
    assert delays == [60, 120, 240, 480] + [600] * 8  # doubling, then capped
    (row,) = _rows(engine)
    assert row.state == OutboxState.PENDING and row.attempts == 12
    assert row.first_failed_at is not None and row.first_failed_at.replace(tzinfo=UTC) == NOW
    assert deliver(engine, _backend(smtp), options, now=_at(moment)).sent == 1
    assert len(smtp.handler.received) == 1


def test_no_server_is_a_temporary_failure(engine):
    _queue(engine, "one@example.org")
    backend = SmtpBackend(SmtpOptions(host="127.0.0.1", port=free_port(), security="none"))
    summary = deliver(engine, backend, delivery_options(), now=_at(NOW))
    (row,) = _rows(engine)
    assert summary.retrying == 1 and row.state == OutboxState.PENDING


def test_file_backend_writes_eml_files_once_per_digest(engine, tmp_path):
    _queue(engine, "one@example.org")
    backend = FileBackend(tmp_path / "outbox")
    deliver(engine, backend, delivery_options(), now=_at(NOW))
    (row,) = _rows(engine)
    (path,) = (tmp_path / "outbox").iterdir()
    assert path.suffix == ".eml" and path.read_bytes() == row.message
    assert row.state == OutboxState.SENT


def _process_url(engine: Engine) -> str:
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            schema = connection.execute(text("SHOW search_path")).scalar()
        url += f"?options=-csearch_path%3D{schema}"
    return url


def test_a_crash_between_send_and_commit_resends_the_identical_message(engine, smtp, tmp_path):
    """The README's promise: never lost; at worst delivered twice, byte for byte the same."""
    _queue(engine, "one@example.org", "two@example.org")
    flag = tmp_path / "sent"
    sender = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.crash_sender",
            _process_url(engine),
            smtp.host,
            str(smtp.port),
            str(flag),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert sender.poll() is None, "the sender stopped before sending"
            assert time.monotonic() < deadline, "the sender never sent"
            time.sleep(0.05)
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=10)
    finally:
        if sender.poll() is None:
            sender.kill()
    assert sender.returncode == -signal.SIGKILL
    assert len(smtp.handler.received) == 1
    one, two = _rows(engine)
    assert one.state == OutboxState.SENDING and one.attempts == 1  # sent, not recorded
    assert two.state == OutboxState.SENDING and two.attempts == 1  # claimed with it, not sent

    # A restart within the lease leaves claimed rows alone (their sender might be alive).
    soon = deliver(engine, _backend(smtp), delivery_options(), now=lambda: datetime.now(UTC))
    assert soon.reclaimed == 0 and soon.sent == 0
    # After the lease, the restart takes the rows back and sends them.
    after = datetime.now(UTC) + timedelta(seconds=601)
    restart = deliver(engine, _backend(smtp), delivery_options(), now=lambda: after)
    assert restart.reclaimed == 2 and restart.sent == 2

    one, two = _rows(engine)
    assert one.state == two.state == OutboxState.SENT
    assert one.attempts == 2
    copies = [r for r in smtp.handler.received if r.rcpt_tos == ["one@example.org"]]
    assert len(copies) == 2  # at least once: the duplicate ...
    assert copies[0].data == copies[1].data  # ... is byte-identical
    assert copies[0].message()["Message-ID"] == copies[1].message()["Message-ID"] == one.message_id
    assert [r.rcpt_tos for r in smtp.handler.received].count(["two@example.org"]) == 1
    final = deliver(engine, _backend(smtp), delivery_options(), now=lambda: after)
    assert final.sent == 0 and final.reclaimed == 0 and len(smtp.handler.received) == 3


def test_reclaim_does_not_touch_rows_of_a_live_sender(engine, tmp_path):
    _queue(engine, "one@example.org")
    with Session(engine) as session:
        row = session.exec(select(Outbox)).one()
        row.state = OutboxState.SENDING
        row.claimed_at = NOW
        session.add(row)
        session.commit()
    backend = FileBackend(tmp_path / "outbox")
    summary = deliver(engine, backend, delivery_options(), now=_at(NOW + timedelta(seconds=10)))
    assert summary.reclaimed == 0 and summary.sent == 0


# -- TLS and login ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"cswatch",
        b"s3cret",
    )
    return AuthResult(success=ok)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_and_login_with_a_private_certificate_authority(sqlite_engine, certificate, security):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    if security == "tls":
        tls = {"ssl_context": context, "auth_require_tls": False}  # all TLS: aiosmtpd must be told
    _queue(sqlite_engine, "one@example.org")
    with SmtpServer(authenticator=_authenticator, **tls) as server:
        options = SmtpOptions(
            host="127.0.0.1",
            port=server.port,
            security=security,
            username="cswatch",
            password="s3cret",
            timeout=5,
            ca_file=str(cert),
        )
        untrusted = SmtpOptions(**{**options.__dict__, "ca_file": None})
        assert (
            deliver(
                sqlite_engine, SmtpBackend(untrusted), delivery_options(), now=_at(NOW)
            ).retrying
            == 1
        )
        later = NOW + timedelta(hours=1)
        summary = deliver(sqlite_engine, SmtpBackend(options), delivery_options(), now=_at(later))
    assert summary.sent == 1
    assert [r.rcpt_tos for r in server.handler.received] == [["one@example.org"]]
