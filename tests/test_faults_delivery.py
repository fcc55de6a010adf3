"""Delivery under faults, through a real SMTP server (aiosmtpd) with scripted faults, on SQLite
and PostgreSQL: a relay down for days, a hung relay, senders whose claims expire.

Each test here failed before its fix: digests failed for good after six attempts, a hung relay
cost the full timeout per message, and a sender whose claim was taken over still sent.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import generate_latest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from alerts.delivery import SmtpBackend, SmtpOptions, deliver
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


def _backend(port: int, timeout: float = 5) -> SmtpBackend:
    return SmtpBackend(SmtpOptions(host="127.0.0.1", port=port, security="none", timeout=timeout))


def _queue(engine: Engine, count: int) -> list[str]:
    emails = [f"reader{i:03d}@example.org" for i in range(count)]
    with Session(engine) as session:
        add_change(session, "sunderland")
        for email in emails:
            subscriber(session, email)
        plan(session, Renderer(digest_options()), now=NOW)
    return emails


def _rows(engine: Engine) -> list[Outbox]:
    with Session(engine) as session:
        return list(session.exec(select(Outbox).order_by(Outbox.id)).all())


def _at(moment: datetime):
    return lambda: moment


def _copies(server: SmtpServer) -> Counter[str]:
    return Counter(r.rcpt_tos[0] for r in server.handler.received)


# -- transient failures never become permanent -------------------------------------------


def test_a_relay_down_for_days_loses_no_digest(engine):
    """Before: a relay down for six attempts failed every pending digest for good."""
    emails = _queue(engine, 20)
    down = free_port()  # nothing listens there: connection refused, every time
    moment = NOW
    for _ in range(10):  # every 6 hours for two and a half days
        summary = deliver(engine, _backend(down), delivery_options(), now=_at(moment))
        assert summary.sent == 0 and not summary.failed
        moment += timedelta(hours=6)
    rows = _rows(engine)
    assert {r.state for r in rows} == {OutboxState.PENDING}
    assert all(r.first_failed_at is not None for r in rows if r.attempts)

    with SmtpServer() as server:  # the relay is back
        back = deliver(engine, _backend(server.port), delivery_options(), now=_at(moment))
        again = deliver(engine, _backend(server.port), delivery_options(), now=_at(moment))
    assert back.sent == 20 and again.sent == 0
    assert _copies(server) == Counter({email: 1 for email in emails})
    assert {r.state for r in _rows(engine)} == {OutboxState.SENT}


def _url(engine: Engine) -> str:
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            schema = connection.execute(text("SHOW search_path")).scalar()
        url += f"?options=-csearch_path%3D{schema}"
    return url


def test_failing_past_the_retry_window_alerts_the_operator_and_retries_go_on(
    engine, smtp, caplog, tmp_path
):
    _queue(engine, 1)
    smtp.handler.script = ["451 4.3.0 try later"] * 3
    options = delivery_options(retry_window_seconds=3600)
    first = deliver(engine, _backend(smtp.port), options, now=_at(NOW))
    assert first.retrying == 1 and first.overdue == 0
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="alerts.delivery"):
        late = deliver(engine, _backend(smtp.port), options, now=_at(NOW + timedelta(hours=2)))
    assert late.retrying == 1 and late.overdue == 1 and not late.failed
    (row,) = _rows(engine)
    assert row.state == OutboxState.PENDING  # still retried, never failed for a 4xx
    loud = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(loud) == 1 and "1 digests undelivered after 1 h" in loud[0].getMessage()
    assert "451 4.3.0 try later" in loud[0].getMessage()

    # `cswatch health` says so (the default window is 72 h; the row failed weeks ago).
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
    env.update({"CSWATCH_DATABASE_URL": _url(engine), "CSWATCH_VAR_DIR": str(tmp_path)})
    health = subprocess.run(
        [sys.executable, "-m", "config.cli", "health", "--json", "--no-daemon"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert health.returncode == 1, health.stdout + health.stderr
    report = json.loads(health.stdout)
    assert report["undelivered_digests"] == 1
    assert any("1 digests undelivered after 72 h" in r for r in report["reasons"])

    # ... and so do the metrics.
    from config.health import Metrics
    from config.settings import load_settings
    from config.wiring import Service

    old = dict(os.environ)
    try:
        os.environ.update(env)
        service = Service(load_settings())
        scraped = generate_latest(Metrics.create(service, []).registry).decode()
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert "cswatch_digests_overdue 1.0" in scraped
    assert 'cswatch_outbox_digests{state="pending"} 1.0' in scraped

    # Once the relay accepts, the digest goes and the alarm clears.
    done = deliver(engine, _backend(smtp.port), options, now=_at(NOW + timedelta(days=1)))
    assert done.sent == 0  # the third scripted 451
    done = deliver(engine, _backend(smtp.port), options, now=_at(NOW + timedelta(days=2)))
    assert done.sent == 1 and len(smtp.handler.received) == 1


# -- the circuit breaker ------------------------------------------------------------------


def test_a_hung_relay_costs_a_few_timeouts_not_one_per_message(engine, smtp):
    """Before: every message waited the full timeout (20 messages x 1 s here)."""
    emails = _queue(engine, 20)
    smtp.handler.connection_script = ["drop", "hang", "drop"]
    smtp.handler.hang_rate = 1.0  # then every connection hangs
    started = time.monotonic()
    summary = deliver(engine, _backend(smtp.port, timeout=1), delivery_options(), now=_at(NOW))
    took = time.monotonic() - started

    assert took < 10, f"{took:.1f} s"  # 3 timeouts of 1 s, not 20
    assert summary.breaker_open and summary.sent == 0 and not summary.failed
    assert summary.retrying == 5 and summary.postponed == 15
    assert smtp.handler.connections == Counter({"hang": 3, "drop": 2})
    rows = _rows(engine)
    assert {r.state for r in rows} == {OutboxState.PENDING}
    tried = [r for r in rows if r.attempts]
    assert len(tried) == 5 and all(
        "relay" in (r.last_error or "") or "connection" in (r.last_error or "") for r in tried
    )
    untried = [r for r in rows if not r.attempts]
    assert len(untried) == 15  # given back untouched, for the next run
    assert {r.next_try_at.replace(tzinfo=UTC) for r in untried} == {NOW + timedelta(seconds=60)}

    smtp.handler.hang_rate = 0.0  # the relay recovers
    later = deliver(
        engine, _backend(smtp.port), delivery_options(), now=_at(NOW + timedelta(hours=1))
    )
    assert later.sent == 20 and not later.breaker_open
    assert _copies(smtp) == Counter({email: 1 for email in emails})


def test_refusals_from_a_relay_that_answers_do_not_open_the_breaker(engine, smtp):
    _queue(engine, 8)
    smtp.handler.script = ["451 4.3.0 try later"] * 8
    summary = deliver(engine, _backend(smtp.port), delivery_options(), now=_at(NOW))
    assert summary.retrying == 8 and not summary.breaker_open and summary.postponed == 0


def test_a_relay_closing_a_used_connection_costs_no_retry(engine, smtp):
    """Relays close a connection after so many messages; the next message reconnects at once."""
    emails = _queue(engine, 7)
    smtp.handler.messages_per_connection = 3
    backend = _backend(smtp.port)
    summary = deliver(engine, backend, delivery_options(), now=_at(NOW))
    assert summary.sent == 7 and summary.retrying == 0
    assert backend.connections == 3
    assert _copies(smtp) == Counter({email: 1 for email in emails})


# -- fencing ------------------------------------------------------------------------------


def test_a_claim_taken_over_is_never_sent_by_its_old_claimer(engine, smtp):
    """Sender A stalls after its first message; its claims expire and B takes them over.

    Before: A went on and sent the second digest too, which B had already sent.
    """
    _queue(engine, 2)
    options = delivery_options(lease_seconds=600)
    later = NOW + timedelta(seconds=601)
    outcome = {}

    def stall(row: Outbox) -> None:  # A: the first message is accepted, A stalls past the lease
        if "b" not in outcome:
            outcome["b"] = deliver(engine, _backend(smtp.port), options, now=_at(later))

    a = deliver(engine, _backend(smtp.port), options, now=_at(NOW), after_send=stall)
    b = outcome["b"]
    copies = _copies(smtp)
    assert copies["reader001@example.org"] == 1  # never sent by A
    assert copies["reader000@example.org"] == 2  # the one A had in flight when it stalled
    assert b.reclaimed == 2 and b.sent == 2
    assert a.sent == 0 and a.taken_over == 2  # not recorded, and the second not sent
    one, two = _rows(engine)
    assert one.state == two.state == OutboxState.SENT
    assert one.attempts == two.attempts == 2 and one.claim_token is None


def test_senders_whose_claim_batches_outlast_the_lease_send_each_digest_once(engine, smtp):
    """Three senders, each claiming 30 rows that take 3 s to send, with a 1.5 s lease.

    Before: the later senders took back rows the first was still working through, and both
    sent them (the issue's 7 of 100 sent twice).
    """
    emails = _queue(engine, 90)
    smtp.handler.delay_seconds = 0.1
    options = delivery_options(lease_seconds=1.5, claim=30)
    summaries = []

    def sender() -> None:
        summaries.append(deliver(engine, _backend(smtp.port), options))

    threads = []
    started = time.monotonic()
    for start_after in (0, 2.0, 4.0):
        time.sleep(max(0.0, started + start_after - time.monotonic()))
        thread = threading.Thread(target=sender)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=120)
    # Whatever a sender left claimed when the others finished is sent by one more run.
    summaries.append(
        deliver(
            engine,
            _backend(smtp.port),
            options,
            now=lambda: datetime.now(UTC) + timedelta(seconds=5),
        )
    )
    assert _copies(smtp) == Counter({email: 1 for email in emails})
    assert sum(s.reclaimed for s in summaries) > 0  # the race did happen
    assert sum(s.taken_over for s in summaries) > 0  # ... and was fenced
    assert {r.state for r in _rows(engine)} == {OutboxState.SENT}


def test_a_lease_shorter_than_one_smtp_transaction_is_refused(monkeypatch):
    """A lease that one slow SMTP transaction could outlast would let a send be taken over."""
    from config.settings import SettingsError, load_settings

    for key in [k for k in os.environ if k.startswith("CSWATCH_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("CSWATCH_MAIL__TIMEOUT_SECONDS", "30")
    monkeypatch.setenv("CSWATCH_MAIL__SENDING_LEASE_SECONDS", "120")
    with pytest.raises(SettingsError, match=r"sending_lease_seconds .* at least 10 x"):
        load_settings()
    monkeypatch.setenv("CSWATCH_MAIL__SENDING_LEASE_SECONDS", "300")
    assert load_settings().mail.sending_lease_seconds == 300
