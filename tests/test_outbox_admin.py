"""The operator's side of the outbox: list what is stuck, hold, release and drop digests.

A real SMTP server (aiosmtpd) answers 452 to one mailbox for ever, on SQLite and PostgreSQL.
Before `cswatch outbox`, such a digest was retried for ever and an operator could neither see
who it was for nor settle it; `cswatch health` counted it for ever.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import generate_latest
from sqlalchemy import Engine, text
from sqlmodel import Session, select
from typer.testing import CliRunner

from alerts import subscribers as subs
from alerts.delivery import SmtpBackend, SmtpOptions, deliver
from alerts.digest import Renderer, plan
from alerts.models import Outbox, OutboxAction, OutboxState
from alerts.outbox import Action, OutboxError, settle, undelivered
from config.cli import app
from tests.alerts_factories import add_change, delivery_options, digest_options, subscriber
from tests.smtpserver import SmtpServer

NOW = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)
FULL = "full@example.org"
FINE = "fine@example.org"
MAILBOX_FULL = "452 4.2.2 mailbox full"

runner = CliRunner()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        server.handler.rcpt_replies = {FULL: MAILBOX_FULL}
        yield server


def _backend(server: SmtpServer) -> SmtpBackend:
    return SmtpBackend(SmtpOptions(host=server.host, port=server.port, security="none", timeout=5))


def _queue(engine: Engine, *emails: str) -> dict[str, int]:
    """One digest per address; their outbox ids by address."""
    with Session(engine) as session:
        add_change(session, "sunderland")
        for email in emails:
            subscriber(session, email)
        plan(session, Renderer(digest_options()), now=NOW)
        return {r.recipient: r.id for r in session.exec(select(Outbox)).all()}  # type: ignore[misc]


def _row(engine: Engine, outbox_id: int) -> Outbox:
    with Session(engine) as session:
        row = session.get(Outbox, outbox_id)
        assert row is not None
        return row


def _actions(engine: Engine, outbox_id: int) -> list[OutboxAction]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(OutboxAction)
                .where(OutboxAction.outbox_id == outbox_id)
                .order_by(OutboxAction.id)  # type: ignore[arg-type]
            ).all()
        )


def _at(moment: datetime):
    return lambda: moment


def _url(engine: Engine) -> str:
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            schema = connection.execute(text("SHOW search_path")).scalar()
        url += f"?options=-csearch_path%3D{schema}"
    return url


@pytest.fixture
def cli_env(engine, tmp_path, monkeypatch) -> Engine:
    """The `cswatch` commands (and a Service) on the test's database."""
    for key in [k for k in os.environ if k.startswith("CSWATCH_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("CSWATCH_DATABASE_URL", _url(engine))
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CSWATCH_LOG_LEVEL", "WARNING")
    for source in ("NEWS", "GOVUK", "STATISTICS"):
        monkeypatch.setenv(f"CSWATCH_{source}__ENABLED", "false")
    return engine


def _cswatch(*args: str):
    return runner.invoke(app, list(args))


def _health() -> dict[str, object]:
    from config.health import check_health
    from config.settings import load_settings
    from config.wiring import Service

    return check_health(Service(load_settings()), [], require_daemon=False).to_json()


def _metrics() -> str:
    from config.health import Metrics
    from config.settings import load_settings
    from config.wiring import Service

    return generate_latest(Metrics.create(Service(load_settings()), []).registry).decode()


def _run_for_days(engine: Engine, smtp: SmtpServer, days: int) -> datetime:
    """Delivery every six hours for `days` days, from NOW; returns the moment after the last."""
    moment = NOW
    for _ in range(days * 4):
        summary = deliver(engine, _backend(smtp), delivery_options(), now=_at(moment))
        assert not summary.failed  # a 452 never becomes final on its own
        moment += timedelta(hours=6)
    return moment


# -- the whole story ----------------------------------------------------------------------


def test_a_mailbox_answering_452_for_ever_is_listed_dropped_and_never_sent_again(cli_env, smtp):
    engine = cli_env
    ids = _queue(engine, FULL, FINE)
    moment = _run_for_days(engine, smtp, 4)  # past the 72 h retry window
    assert [r.rcpt_tos for r in smtp.handler.received] == [[FINE]]
    tries = smtp.handler.rcpt_attempts[FULL]
    assert tries >= 10

    # Health says what is stuck: how many, since when, the reply, and for whom.
    report = _health()
    assert report["undelivered_digests"] == 1 and report["healthy"] is False
    (reason,) = [r for r in report["reasons"] if r.startswith("mail:")]  # type: ignore[union-attr]
    assert "1 digests undelivered after 72 h" in reason
    assert MAILBOX_FULL in reason and FULL in reason and "cswatch outbox" in reason

    # The operator lists it: who, since when, attempts, the last SMTP reply.
    listed = _cswatch("outbox", "list", "--json")
    assert listed.exit_code == 0, listed.output
    (item,) = [json.loads(line) for line in listed.output.splitlines()]
    assert item["id"] == ids[FULL] and item["recipient"] == FULL
    assert item["state"] == "pending" and item["attempts"] == tries
    assert item["failing_since"] == NOW.isoformat()
    assert MAILBOX_FULL in item["last_reply"] and item["overdue"] is True
    table = runner.invoke(app, ["outbox", "list"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and FULL in table.output and "452" in table.output

    # ... and drops every undelivered digest of that subscriber, saying why.
    dropped = _cswatch(
        "outbox",
        "drop",
        "--subscriber",
        FULL,
        "--note",
        "mailbox full since October",
        "--by",
        "ops",
    )
    assert dropped.exit_code == 0, dropped.output
    assert f"Dropped digest {ids[FULL]} to {FULL}" in dropped.output

    later = deliver(engine, _backend(smtp), delivery_options(), now=_at(moment + timedelta(days=9)))
    assert later.sent == 0 and later.retrying == 0
    assert smtp.handler.rcpt_attempts[FULL] == tries  # never offered again

    row = _row(engine, ids[FULL])
    assert row.state == OutboxState.DROPPED and row.claim_token is None
    assert MAILBOX_FULL in (row.last_error or "")  # the history stays with the row
    (action,) = _actions(engine, ids[FULL])
    assert (action.action, action.by, action.note) == ("drop", "ops", "mailbox full since October")
    assert action.state_before == "pending" and action.at is not None

    # Health no longer counts it; the metrics agree.
    report = _health()
    assert report["undelivered_digests"] == 0 and report["healthy"] is True
    scraped = _metrics()
    assert "cswatch_digests_overdue 0.0" in scraped
    assert 'cswatch_outbox_digests{state="dropped"} 1.0' in scraped
    assert 'cswatch_outbox_digests{state="sent"} 1.0' in scraped

    # Nothing undelivered is listed now; --all shows the drop with who, when and why.
    assert _cswatch("outbox", "list", "--json").output.strip() == ""
    every = _cswatch("outbox", "list", "--all", "--json").output.splitlines()
    (item,) = [i for i in map(json.loads, every) if i["recipient"] == FULL]
    assert item["state"] == "dropped"
    assert item["actions"][0]["by"] == "ops" and item["actions"][0]["action"] == "drop"
    assert item["actions"][0]["note"] == "mailbox full since October"


def test_a_held_digest_is_not_tried_until_released(cli_env, smtp):
    engine = cli_env
    ids = _queue(engine, FULL, FINE)
    deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW))
    tries = smtp.handler.rcpt_attempts[FULL]

    held = _cswatch(
        "outbox", "hold", str(ids[FULL]), "--note", "asked the school's IT", "--by", "ops"
    )
    assert held.exit_code == 0, held.output
    again = _cswatch("outbox", "hold", str(ids[FULL]), "--note", "twice", "--by", "ops")
    assert again.exit_code == 2 and "already held" in again.output

    deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW + timedelta(days=5)))
    assert smtp.handler.rcpt_attempts[FULL] == tries  # held: not offered
    assert _row(engine, ids[FULL]).state == OutboxState.HELD
    report = _health()
    assert report["undelivered_digests"] == 0 and report["held_digests"] == 1
    assert report["healthy"] is True  # an operator's decision, reported, not a fault
    (item,) = [
        json.loads(line) for line in _cswatch("outbox", "list", "--json").output.splitlines()
    ]
    assert item["state"] == "held" and item["actions"][-1]["note"] == "asked the school's IT"

    smtp.handler.rcpt_replies = {}  # the mailbox is fixed
    released = _cswatch(
        "outbox", "release", "--subscriber", FULL, "--note", "mailbox fixed", "--by", "ops"
    )
    assert released.exit_code == 0, released.output
    sent = deliver(engine, _backend(smtp), delivery_options())  # released for the next run
    assert sent.sent == 1
    assert sorted(r.rcpt_tos[0] for r in smtp.handler.received) == [FINE, FULL]
    assert [a.action for a in _actions(engine, ids[FULL])] == ["hold", "release"]
    assert _row(engine, ids[FULL]).state == OutboxState.SENT


# -- the fence respects the operator ------------------------------------------------------


def test_a_sender_that_claimed_a_digest_before_the_drop_never_sends_it(engine, smtp):
    """Sender A claims three digests at once. While the first is in its SMTP transaction, an
    operator drops the first two and holds the third.

    The first is already on its way: its drop is refused (the operator is told it is being sent
    right now), it is recorded sent. The other two are never sent by A, and A says why.
    """
    smtp.handler.rcpt_replies = {}
    ids = _queue(engine, "a@example.org", "b@example.org", "c@example.org")
    a, b, c = ids["a@example.org"], ids["b@example.org"], ids["c@example.org"]
    outcome: dict[str, object] = {}

    def operator(row: Outbox) -> None:
        if outcome:
            return
        with Session(engine) as session:
            outcome["drop"] = settle(
                session, Action.DROP, ids=[a, b], who="ops", note="wrong list", now=NOW,
                lease_seconds=600,
            )  # fmt: skip
            outcome["hold"] = settle(
                session, Action.HOLD, ids=[c], who="ops", note="check first", now=NOW,
                lease_seconds=600,
            )  # fmt: skip
            session.commit()

    summary = deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW), after_send=operator)

    drop = outcome["drop"]
    assert [r.id for r in drop.done] == [b]  # type: ignore[attr-defined]
    (refused,) = drop.refused  # type: ignore[attr-defined]
    assert refused.outbox_id == a and refused.busy and "being sent right now" in refused.reason
    assert [r.id for r in outcome["hold"].done] == [c]  # type: ignore[attr-defined]
    assert [r.rcpt_tos for r in smtp.handler.received] == [["a@example.org"]]
    assert summary.sent == 1 and summary.withdrawn == 2 and summary.taken_over == 0
    assert _row(engine, a).state == OutboxState.SENT
    assert _row(engine, b).state == OutboxState.DROPPED
    assert _row(engine, c).state == OutboxState.HELD
    assert [_row(engine, i).attempts for i in (a, b, c)] == [1, 0, 0]  # b, c: never tried
    assert _actions(engine, a) == []  # a refused request changes and records nothing

    later = deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW + timedelta(days=1)))
    assert later.sent == 0 and len(smtp.handler.received) == 1


def test_a_drop_takes_over_a_dead_senders_claim_but_not_a_live_one(engine):
    ids = _queue(engine, "dead@example.org", "live@example.org")
    lease = 600
    with Session(engine) as session:
        for recipient, claimed in (
            ("dead@example.org", NOW - timedelta(seconds=2 * lease)),
            ("live@example.org", NOW - timedelta(seconds=5)),
        ):
            row = session.get(Outbox, ids[recipient])
            assert row is not None
            row.state, row.claim_token, row.claimed_by = OutboxState.SENDING, "t", "host pid 1"
            row.claimed_at = row.in_flight_since = claimed
            session.add(row)
        session.commit()
    with Session(engine) as session:
        result = settle(
            session, Action.DROP, subscriber="dead@example.org", who="ops", note="gone",
            now=NOW, lease_seconds=lease,
        )  # fmt: skip
        live = settle(
            session, Action.DROP, subscriber="live@example.org", who="ops", note="gone",
            now=NOW, lease_seconds=lease,
        )  # fmt: skip
        session.commit()
    assert [r.recipient for r in result.done] == ["dead@example.org"]
    assert live.done == [] and live.refused[0].busy
    assert "host pid 1" in live.refused[0].reason
    # The next run takes back the live one's expired claim, never the dropped row.
    after = NOW + timedelta(seconds=lease + 1)
    from alerts.delivery import reclaim

    assert reclaim(engine, now=after, lease_seconds=lease) == 1
    assert _row(engine, ids["dead@example.org"]).state == OutboxState.DROPPED
    assert _row(engine, ids["live@example.org"]).state == OutboxState.PENDING


# -- bad requests -------------------------------------------------------------------------


def test_requests_that_cannot_be_done_say_which_digest_and_why(cli_env, smtp):
    engine = cli_env
    busy = "busy@example.org"
    smtp.handler.rcpt_replies[busy] = "451 4.3.0 try later"
    ids = _queue(engine, FULL, FINE, busy)
    deliver(engine, _backend(smtp), delivery_options(), now=_at(NOW))
    with Session(engine) as session:

        def attempt(action: Action, **selection: object) -> str:
            with pytest.raises(OutboxError) as caught:
                result = settle(
                    session, action, who="ops", note="why", now=NOW, lease_seconds=600,
                    **selection,  # type: ignore[arg-type]
                )  # fmt: skip
                if result.refused:
                    raise OutboxError(result.refused[0].reason)
            return str(caught.value)

        assert "no digest 999" in attempt(Action.DROP, ids=[999])
        assert "already sent" in attempt(Action.DROP, ids=[ids[FINE]])
        assert "not held" in attempt(Action.RELEASE, ids=[ids[FULL]])
        assert "no subscriber nobody@example.org" in attempt(
            Action.DROP, subscriber="nobody@example.org"
        )
        assert f"no undelivered digest to {FINE}" in attempt(Action.HOLD, subscriber=FINE)
        with pytest.raises(OutboxError, match="say why"):
            settle(session, Action.DROP, ids=[ids[FULL]], who="ops", note=" ", now=NOW,
                   lease_seconds=600)  # fmt: skip
        with pytest.raises(OutboxError, match="say who"):
            settle(session, Action.DROP, ids=[ids[FULL]], who="", note="x", now=NOW,
                   lease_seconds=600)  # fmt: skip
        settle(session, Action.DROP, ids=[ids[FULL]], who="ops", note="x", now=NOW,
               lease_seconds=600)  # fmt: skip
        session.commit()
        assert "already dropped by ops" in attempt(Action.RELEASE, ids=[ids[FULL]])
        assert "already dropped by ops" in attempt(Action.HOLD, ids=[ids[FULL]])

    missing = _cswatch("outbox", "drop", "--note", "x", "--by", "ops")
    assert missing.exit_code == 2 and "an ID or --subscriber" in missing.output
    no_note = _cswatch("outbox", "drop", str(ids[FULL]), "--by", "ops")
    assert no_note.exit_code == 2
    unknown = _cswatch("outbox", "hold", "999", "--note", "x", "--by", "ops")
    assert unknown.exit_code == 2 and "no digest 999" in unknown.output
    nobody = _cswatch("outbox", "list", "--subscriber", "nobody@example.org")
    assert nobody.exit_code == 2 and "no subscriber nobody@example.org" in nobody.output

    # A digest in its SMTP transaction right now: exit status 3, who is sending it, try again.
    with Session(engine) as session:
        row = session.get(Outbox, ids[busy])
        assert row is not None
        row.state, row.claim_token, row.claimed_by = OutboxState.SENDING, "t", "relay-1 pid 7"
        row.claimed_at = row.in_flight_since = datetime.now(UTC)
        session.add(row)
        session.commit()
    sending = _cswatch("outbox", "drop", "--subscriber", busy, "--note", "x", "--by", "ops")
    assert sending.exit_code == 3, sending.output
    assert "being sent right now by relay-1 pid 7" in sending.output
    assert "try again" in sending.output
    assert (
        _row(engine, ids[busy]).state == OutboxState.SENDING and _actions(engine, ids[busy]) == []
    )


def test_removing_a_subscriber_removes_their_settled_digests_and_actions(engine, smtp):
    ids = _queue(engine, FULL)
    with Session(engine) as session:
        settle(session, Action.HOLD, ids=[ids[FULL]], who="ops", note="x", now=NOW,
               lease_seconds=600)  # fmt: skip
        session.commit()
        subs.remove(session, subs.get(session, FULL))
        session.commit()
        assert session.exec(select(OutboxAction)).all() == []
        assert undelivered(session, every=True).items == []


def test_the_list_shows_the_oldest_first_and_says_when_it_is_cut(cli_env, smtp):
    """A relay down for a day leaves thousands pending: the table shows the oldest few."""
    engine = cli_env
    ids = _queue(engine, "a@example.org", "b@example.org", "c@example.org")
    cut = _cswatch("outbox", "list", "--limit", "2", "--json")
    assert cut.exit_code == 0, cut.output
    shown = [json.loads(line)["id"] for line in cut.stdout.splitlines()]
    assert shown == sorted(ids.values())[:2]
    assert "the oldest 2 of 3 digests; --limit 0 lists all" in cut.stderr
    everything = _cswatch("outbox", "list", "--json")
    assert len(everything.stdout.splitlines()) == 3 and not everything.stderr
