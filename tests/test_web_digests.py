"""Digest wording that links back to the web app (issue 13): each council's page linked, the
evidence sentence quoted (and escaped), and 'since <date>' true on a first digest too."""

from __future__ import annotations

import json
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

from sqlmodel import Session, select

from alerts.digest import Renderer, plan, quotes
from alerts.models import Change, Outbox
from tests.alerts_factories import T0, delivery_change, digest_options, subscriber


def _bodies(session: Session) -> list[tuple[str, str]]:
    out = []
    for row in session.exec(select(Outbox).order_by(Outbox.id)).all():  # type: ignore[arg-type]
        message = message_from_bytes(row.message, policy=default)
        out.append(
            (
                message.get_body(("plain",)).get_content(),  # type: ignore[union-attr]
                message.get_body(("html",)).get_content(),  # type: ignore[union-attr]
            )
        )
    return out


def _with_sentence(session: Session, change: Change, sentence: str) -> None:
    evidence = json.loads(change.evidence)
    evidence[0]["sentence"] = sentence
    change.evidence = json.dumps(evidence)
    session.add(change)
    session.commit()


def test_a_digest_quotes_the_evidence_and_links_each_council(sqlite_engine):
    with Session(sqlite_engine) as session:
        change = delivery_change(session, "west-sussex", stage="decided")
        _with_sentence(
            session, change, 'The council voted to set up a <b>trust</b> "within a year".'
        )
        subscriber(session, "quote@example.org", now=T0 - timedelta(days=2))
        plan(session, Renderer(digest_options()), now=T0)
        [(text, html)] = _bodies(session)
    assert "https://cswatch.test/authority/west-sussex" in text
    assert 'The source says: "The council voted to set up a <b>trust</b> "within a year"."' in (
        text
    )
    assert '<a href="https://cswatch.test/authority/west-sussex">West Sussex</a>' in html
    assert "&lt;b&gt;trust&lt;/b&gt;" in html and "<b>trust</b>" not in html  # escaped


def test_the_first_digest_says_since_when_and_later_ones_since_the_last(sqlite_engine):
    renderer = Renderer(digest_options())
    with Session(sqlite_engine) as session:
        delivery_change(session, "west-sussex", detected_at=T0 - timedelta(hours=1))
        subscriber(session, "first@example.org", now=T0 - timedelta(days=3))
        plan(session, renderer, now=T0)
        delivery_change(session, "kent", stage="proposed", detected_at=T0 + timedelta(hours=1))
        plan(session, renderer, now=T0 + timedelta(hours=2))
        (first, _html), (second, _html2) = _bodies(session)
    assert "since your last digest" not in first
    assert "Your first digest: 1 change in children's services since 19 October 2026" in first
    assert "since your last digest on 22 October 2026" in second


def test_an_earlier_change_moves_since_back_so_it_stays_true(sqlite_engine):
    with Session(sqlite_engine) as session:
        delivery_change(session, "west-sussex", detected_at=T0 - timedelta(days=10))
        subscriber(session, "late@example.org", now=T0 - timedelta(days=1))  # cursor at 0
        plan(session, Renderer(digest_options()), now=T0)
        [(text, _html)] = _bodies(session)
    assert "since 12 October 2026" in text  # the change's own day, not the sign-up's


def test_quotes_are_cleaned_cut_and_never_doubled():
    long = "word " * 100
    change = Change(
        authority_id=1,
        kind="delivery_model_changed",
        key="k",
        evidence=json.dumps(
            [
                {"url": "https://a.example/1", "title": "A", "sentence": "Same\x00 thing."},
                {"url": "https://b.example/2", "title": "B", "sentence": "Same thing."},
                {"url": "https://c.example/3", "title": "C", "sentence": None},
                {"url": "https://d.example/4", "title": "D", "sentence": long},
            ]
        ),
        confirmed=True,
        detected_at=T0,
    )
    found = quotes(change)
    assert found[0] == "Same thing." and len(found) == 2
    assert found[1].endswith("\u2026") and len(found[1]) <= 301
