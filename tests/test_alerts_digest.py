"""Digests: content, headers, escaping, caps, subscribers' input, filters and schedules."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import Session, select

from alerts import mime
from alerts import subscribers as subs
from alerts.changes import list_changes
from alerts.digest import Renderer, is_due, last_slot, plan, preview
from alerts.models import ChangeKind, Frequency, Outbox
from tests.alerts_factories import (
    T0,
    add_change,
    delivery_change,
    digest_options,
    subscriber,
)

LONDON = ZoneInfo("Europe/London")


def _planned_messages(session: Session):
    return {
        row.recipient: message_from_bytes(row.message, policy=default)
        for row in session.exec(select(Outbox))
    }


def test_digest_parts_headers_subject_and_links(engine):
    with Session(engine) as session:
        add_change(session, "sunderland", old="inadequate", new="requires_improvement")
        delivery_change(session, "west-sussex", stage="decided", confirmed=False)
        reader = subscriber(session, "Reader@Example.ORG", name="Ada Reader")
        renderer = Renderer(digest_options())
        plan(session, renderer, now=T0)
        row = session.exec(select(Outbox)).one()
        token = reader.token
    assert row.recipient == "Reader@example.org"  # the domain normalised, the local part kept
    message = message_from_bytes(row.message, policy=default)
    assert message["Subject"] == "Sunderland now requires improvement; West Sussex: trust decided"
    assert message["To"] == "Ada Reader <Reader@example.org>"
    assert message["From"] == "Children's Services Watch <alerts@cswatch.test>"
    assert message["Date"] == "Thu, 22 Oct 2026 09:00:00 +0000"
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(
        "@cswatch.test>"
    )
    assert message["List-Id"] == "Children's Services Watch <alerts.cswatch.test>"
    assert message["List-Unsubscribe"] == (
        f"<mailto:unsubscribe@cswatch.test?subject=unsubscribe%20{token}>, "
        f"<https://cswatch.test/unsubscribe/{token}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Sunderland" in body and "West Sussex" in body
        assert "from inadequate to requires improvement" in body
        assert "https://files.ofsted.gov.uk/v1/file/1" in body
        assert "https://www.communitycare.co.uk/2026/10/21/trust" in body
        assert f"https://cswatch.test/manage/{token}" in body
        assert "reported, not yet confirmed" in body
    assert '<a href="https://cswatch.test/manage/' in html
    assert text.index("Sunderland") < text.index("West Sussex")


def test_message_id_is_stable_per_subscriber_and_digest_and_unique_across(engine):
    with Session(engine) as session:
        add_change(session, "sunderland")
        first = subscriber(session, "one@example.org")
        second = subscriber(session, "two@example.org")
        renderer = Renderer(digest_options())
        rows = list_changes(session)
        a1 = renderer.render(first, rows, digest_key="daily:1-1", now=T0)
        a2 = renderer.render(first, rows, digest_key="daily:1-1", now=T0 + timedelta(1))
        b = renderer.render(second, rows, digest_key="daily:1-1", now=T0)
        c = renderer.render(first, rows, digest_key="daily:2-2", now=T0)
    assert a1.message_id == a2.message_id == a1.parsed()["Message-ID"]
    assert len({a1.message_id, b.message_id, c.message_id}) == 3


def test_scraped_script_is_escaped_in_html(engine):
    evil = '<script>alert("x")</script> & <b>bold</b>'
    with Session(engine) as session:
        add_change(
            session,
            "kent",
            ChangeKind.VISIT_PUBLISHED,
            old=None,
            new="focused_visit",
            title=evil,
            url='https://files.ofsted.gov.uk/v1/file/2"><script>x()</script>',
        )
        add_change(
            session,
            "kent",
            ChangeKind.VISIT_PUBLISHED,
            old=None,
            new="monitoring_visit",
            title="Monitoring visit",
            url="javascript:alert(1)",
            key="js",
        )
        subscriber(session, "reader@example.org")
        plan(session, Renderer(digest_options()), now=T0)
        message = _planned_messages(session)["reader@example.org"]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "javascript:" not in html and "javascript:" not in text  # only http(s) evidence
    assert evil in text  # plain text is not HTML: shown as written
    assert "<" not in message["Subject"]


def test_many_changes_are_capped_with_and_n_more(engine):
    with Session(engine) as session:
        for i in range(30):
            add_change(
                session,
                "kent",
                ChangeKind.VISIT_PUBLISHED,
                old=None,
                new="monitoring_visit",
                title=f"Monitoring visit {i}",
                key=f"visit-{i}",
            )
        subscriber(session, "reader@example.org")
        plan(session, Renderer(digest_options(max_changes=5)), now=T0)
        message = _planned_messages(session)["reader@example.org"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.count("Ofsted published a monitoring visit") == 5
    assert "and 25 more: https://cswatch.test/changes?since=2026-10-22" in text
    assert "and 25 more" in html and 'href="https://cswatch.test/changes?since=' in html
    assert "30 changes" in text


@pytest.mark.parametrize(
    "name",
    ["Eve\r\nBcc: victim@example.org", "Eve\nBcc: victim@example.org", "Eve\x00", "x" * 101],
)
def test_header_injection_in_names_is_rejected(engine, name):
    with Session(engine) as session, pytest.raises(subs.SubscriberError):
        subs.add(session, "eve@example.org", name=name)


@pytest.mark.parametrize(
    "address",
    [
        "eve@example.org\r\nBcc: victim@example.org",
        "eve@example.org\nBcc: victim@example.org",
        "eve@example.org, victim@example.org",
        "Eve <eve@example.org>",
        "not-an-address",
        "eve@",
        "josé@example.org",
    ],
)
def test_bad_addresses_are_rejected(engine, address):
    with Session(engine) as session, pytest.raises(subs.SubscriberError):
        subs.add(session, address)


def test_addresses_are_normalised_and_unique(engine):
    with Session(engine) as session:
        row = subs.add(session, "  Someone@EXAMPLE.org ")
        assert row.email == "Someone@example.org"
        assert subs.add(session, "eve@bücher.example").email == "eve@xn--bcher-kva.example"
        with pytest.raises(subs.SubscriberError, match="already subscribed"):
            subs.add(session, "Someone@example.ORG")


def test_unknown_token_is_rejected_and_the_right_one_unsubscribes(engine):
    with Session(engine) as session:
        row = subscriber(session, "reader@example.org")
        token = row.token
        assert len(token) >= 32
        for bad in ("", "nope", token[:-1], token + "x", token.upper(), "x" * 500, "a\r\nb"):
            with pytest.raises(subs.UnknownToken):
                subs.unsubscribe(session, bad)
        assert subs.unsubscribe(session, token) == "reader@example.org"
        session.commit()
        with pytest.raises(subs.UnknownToken):
            subs.by_token(session, token)


def test_filters_and_kinds_are_validated(engine):
    with Session(engine) as session:
        for filters in (
            subs.Filters(authorities=("atlantis",)),
            subs.Filters(regions=("Middle Earth",)),
            subs.Filters(kinds=("weather_changed",)),
        ):
            with pytest.raises(subs.SubscriberError):
                subs.add(session, "reader@example.org", filters=filters)


def test_preview_changes_nothing(engine):
    with Session(engine) as session:
        add_change(session, "sunderland")
        reader = subscriber(session, "reader@example.org")
        message = preview(session, reader, Renderer(digest_options()), T0)
        assert message is not None and "Sunderland" in message.parsed()["Subject"]
        session.refresh(reader)
        assert reader.last_change_id == 0 and reader.last_digest_at is None
        assert session.exec(select(Outbox)).all() == []


def test_slots_keep_seven_oclock_london_across_the_clock_change():
    options = digest_options()
    # 25 October 2026: clocks go back at 02:00 BST.
    before = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    after = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    assert last_slot(Frequency.DAILY, before, options) == datetime(2026, 10, 24, 6, 0, tzinfo=UTC)
    assert last_slot(Frequency.DAILY, after, options) == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert last_slot(Frequency.WEEKLY, after, options) == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert last_slot(Frequency.WEEKLY, before, options) == datetime(2026, 10, 19, 6, 0, tzinfo=UTC)


def test_a_simulated_week_honours_filters_and_frequencies(engine):
    """Thursday 22 to Thursday 29 October 2026, hour by hour, over the clock change."""
    options = digest_options()
    renderer = Renderer(options)
    start = datetime(2026, 10, 22, 0, 30, tzinfo=UTC)
    events = {  # hour offset from start -> change to add
        10: ("sunderland", ChangeKind.RATING_CHANGED, True),  # Thu 10:30 UTC
        39: ("west-sussex", ChangeKind.DELIVERY_MODEL_CHANGED, False),  # Fri, reported only
        60: ("doncaster", ChangeKind.VISIT_PUBLISHED, True),  # Sat 12:30
        105: ("sunderland", ChangeKind.VISIT_PUBLISHED, True),  # Mon 26th 09:30 GMT
    }
    with Session(engine) as session:
        people = {
            "all-immediate": subscriber(session, "all@example.org", now=start),
            "sunderland-daily": subscriber(
                session,
                "sunderland@example.org",
                frequency=Frequency.DAILY,
                authorities=("sunderland",),
                include_reported=False,
                now=start,
            ),
            "north-east-weekly": subscriber(
                session,
                "ne@example.org",
                frequency=Frequency.WEEKLY,
                regions=("North East",),
                now=start,
            ),
            "ratings-daily": subscriber(
                session,
                "ratings@example.org",
                frequency=Frequency.DAILY,
                kinds=(ChangeKind.RATING_CHANGED,),
                now=start,
            ),
            "confirmed-daily": subscriber(
                session,
                "confirmed@example.org",
                frequency=Frequency.DAILY,
                include_reported=False,
                now=start,
            ),
            "unconfirmed": subscriber(session, "pending@example.org", confirmed=False, now=start),
        }
        emails = {p.email: key for key, p in people.items()}
        sent: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
        seen: set[int] = set()
        with time_machine.travel(start, tick=False) as traveller:
            for hour in range(24 * 7):
                traveller.move_to(start + timedelta(hours=hour))
                now = datetime.now(UTC)
                if hour in events:
                    slug, kind, confirmed = events[hour]
                    if kind == ChangeKind.DELIVERY_MODEL_CHANGED:
                        delivery_change(session, slug, confirmed=confirmed, detected_at=now)
                    else:
                        add_change(
                            session,
                            slug,
                            kind,
                            old=None if kind == ChangeKind.VISIT_PUBLISHED else "inadequate",
                            new="focused_visit" if kind == ChangeKind.VISIT_PUBLISHED else "good",
                            confirmed=confirmed,
                            detected_at=now,
                        )
                plan(session, renderer, now=now)
                for row in session.exec(select(Outbox)):
                    if row.id not in seen:
                        seen.add(row.id)  # type: ignore[arg-type]
                        subject = message_from_bytes(row.message, policy=default)["Subject"]
                        sent[emails[row.recipient]].append((now, row.changes, subject))

    def local_hours(key: str) -> list[tuple[str, int]]:
        return [(f"{t.astimezone(LONDON):%a %d %H:%M}", n) for t, n, _s in sent[key]]

    assert local_hours("all-immediate") == [
        ("Thu 22 11:30", 1),
        ("Fri 23 16:30", 1),
        ("Sat 24 13:30", 1),
        ("Mon 26 09:30", 1),
    ]
    # Daily at 07:00 London time: 06:00 UTC before the clock change, 07:00 UTC after it.
    assert [(t.hour, n) for t, n, _s in sent["sunderland-daily"]] == [(6, 1), (7, 1)]
    assert local_hours("sunderland-daily") == [("Fri 23 07:30", 1), ("Tue 27 07:30", 1)]
    assert local_hours("north-east-weekly") == [("Mon 26 07:30", 1)]
    assert local_hours("ratings-daily") == [("Fri 23 07:30", 1)]
    assert sent["ratings-daily"][0][2] == "Sunderland now good"
    # Confirmed only: the reported trust news never arrives; Saturday's visit does on Sunday.
    assert local_hours("confirmed-daily") == [
        ("Fri 23 07:30", 1),
        ("Sun 25 07:30", 1),
        ("Tue 27 07:30", 1),
    ]
    assert "unconfirmed" not in sent
    assert all(
        "West Sussex" not in subject
        for key in ("confirmed-daily", "sunderland-daily")
        for _t, _n, subject in sent[key]
    )


def test_due_uses_created_time_for_a_new_subscriber(engine):
    options = digest_options()
    with Session(engine) as session:
        created = datetime(2026, 10, 22, 8, 0, tzinfo=UTC)  # Thursday 09:00 BST
        row = subscriber(session, "daily@example.org", frequency=Frequency.DAILY, now=created)
        assert not is_due(row, created + timedelta(hours=20), options)  # Fri 05:00 BST
        assert is_due(row, created + timedelta(hours=22, minutes=1), options)  # Fri 07:01 BST


def test_dry_run_plans_nothing(engine):
    with Session(engine) as session:
        add_change(session, "sunderland")
        subscriber(session, "reader@example.org")
        planned = plan(session, Renderer(digest_options()), now=T0, dry_run=True)
        assert [p.changes for p in planned] == [1]
        assert session.exec(select(Outbox)).all() == []
        again = plan(session, Renderer(digest_options()), now=T0)
        assert [p.changes for p in again] == [1]
        assert len(session.exec(select(Outbox)).all()) == 1
        assert [p.changes for p in plan(session, Renderer(digest_options()), now=T0)] == [0]
        assert len(session.exec(select(Outbox)).all()) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Subject", "Sunderland\r\nBcc: victim@example.org"),
        ("Subject", "Sunderland\nBcc: victim@example.org"),
        ("To", "a@example.org\rBcc: victim@example.org"),
        ("Subject", "nul\x00"),
        ("Bad Name", "x"),
        ("Bcc:", "x"),
    ],
)
def test_mime_refuses_header_injection(name, value):
    with pytest.raises(mime.HeaderError):
        mime.header(name, value)


def test_a_bad_name_that_bypassed_validation_still_cannot_inject(engine):
    with Session(engine) as session:
        add_change(session, "sunderland")
        reader = subscriber(session, "reader@example.org")
        reader.name = "Eve\r\nBcc: victim@example.org"  # as if written to the table by hand
        with pytest.raises(mime.HeaderError):
            Renderer(digest_options()).render(reader, list_changes(session), digest_key="k", now=T0)


def test_non_ascii_names_and_text_are_encoded(engine):
    with Session(engine) as session:
        add_change(session, "sunderland")
        reader = subscriber(session, "zoe@example.org", name="Zoë Brontë")
        rendered = Renderer(digest_options()).render(
            reader, list_changes(session), digest_key="k", now=T0
        )
    assert rendered.data.isascii()
    message = rendered.parsed()
    assert message["To"] == "Zoë Brontë <zoe@example.org>"
    assert "Hello Zoë Brontë," in message.get_body(("plain",)).get_content()
    assert all(len(line) <= 998 for line in rendered.data.split(b"\r\n"))
