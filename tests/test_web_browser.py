"""The web app in a real Chromium (Debian's package, driven by Playwright; no browser download).

A person filters the board, opens a timeline, signs up, receives the confirmation email on a
local aiosmtpd server, follows its link, confirms, changes preferences, and unsubscribes with
the link a digest carries (GET shows a form; only its POST unsubscribes).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from alerts.delivery import SmtpBackend, SmtpOptions
from alerts.digest import Renderer
from alerts.models import Subscriber
from config.database import make_engine
from tests.alerts_factories import digest_options
from tests.conftest import _seed
from tests.smtpserver import SmtpServer, free_port
from tests.webdata import fill
from tests.webserver import CHROMIUM, CHROMIUM_ARGS, AppServer
from web.app import WebOptions, create_app

KEY = "browser-test-key-0123456789abcdefghijklmnopqrstuv"

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "web.db"
    engine = _seed(make_engine(f"sqlite:///{path}"))
    fill(engine)
    port = free_port()
    with SmtpServer() as smtp:
        backend = SmtpBackend(SmtpOptions(host=smtp.host, port=smtp.port, security="none"))

        def send(recipient: str, message_id: str, data: bytes) -> None:
            with backend:
                backend.send("alerts@cswatch.test", recipient, message_id, data)

        options = WebOptions(
            secret_key=KEY,
            public_base_url=f"http://127.0.0.1:{port}",
            from_address="Children's Services Watch <alerts@cswatch.test>",
        )
        with AppServer(create_app(engine, options, send), port=port) as server:
            yield server, smtp, engine
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _mail(smtp: SmtpServer, count: int, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while len(smtp.handler.received) < count:
        assert time.monotonic() < deadline, "no confirmation email arrived"
        time.sleep(0.05)
    return smtp.handler.received[count - 1]


def test_board_filtered_and_a_timeline_opened(site, browser):
    server, _smtp, _engine = site
    page = browser.new_page()
    page.goto(server.base_url + "/")
    assert page.locator("#count").inner_text().startswith("Showing 153 of 153")
    page.select_option("#region", "London")
    page.select_option("#grade", "good")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"region=London"))
    shown = page.locator("#board tbody tr").count()
    assert 0 < shown < 33
    expect(page.locator("#count")).to_contain_text(f"Showing {shown} of 153")
    grades = page.locator("#board tbody td:nth-child(3)").all_inner_texts()
    assert {g.strip().upper() for g in grades} == {"GOOD"}
    page.get_by_role("link", name="Authority").click()  # sorted by name: this reverses it
    page.wait_for_url(re.compile(r"sort=name&order=desc"))
    expect(page.locator("#board thead th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    names = page.locator("#board tbody th").all_inner_texts()
    assert names == sorted(names, reverse=True) and len(names) == shown

    page.goto(server.base_url + "/?model=trust")
    page.get_by_role("link", name="Birmingham", exact=True).click()
    page.wait_for_url(re.compile(r"/authority/birmingham$"))
    expect(page.get_by_role("heading", name="Birmingham", level=1)).to_be_visible()
    timeline = page.locator("ol.timeline > li")
    assert timeline.count() >= 2
    # The current period of the delivery-model history, with its dates.
    periods = page.locator("ol.timeline").inner_text()
    assert "Delivery model: Trust (Birmingham Children's Trust)" in periods
    assert "Since 2018-04-01, current" in periods
    assert page.locator("ol.timeline a").first.get_attribute("href").startswith("http")
    page.close()


def test_sign_up_confirm_change_preferences_and_unsubscribe(site, browser):
    server, smtp, engine = site
    page = browser.new_page()
    page.goto(server.base_url + "/subscribe")
    page.get_by_label("Email address").fill("browser.reader@example.org")
    page.get_by_label("North West").check()
    page.select_option("#authorities", ["doncaster", "kent"])
    page.get_by_label("Ofsted grade changed").check()
    page.get_by_label("Also what the news reports").check()
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    message = _mail(smtp, 1).message()
    assert message["To"] == "browser.reader@example.org"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://127\.0\.0\.1:\d+/confirm/\S+", text)
    assert link, text
    page.goto(link.group(0))
    with Session(engine) as session:
        row = session.exec(
            select(Subscriber).where(Subscriber.email == "browser.reader@example.org")
        ).one()
        assert not row.confirmed  # opening the link is not confirming
        assert row.authorities == '["doncaster", "kent"]' and row.frequency == "weekly"
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_text("Your subscription is confirmed.")).to_be_visible()
    page.wait_for_url(re.compile(r"/manage/"))

    page.get_by_label("North West").uncheck()
    page.get_by_label("London").check()
    page.select_option("#authorities", [])
    page.get_by_label("Only confirmed facts").check()
    page.get_by_label("A daily digest").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    with Session(engine) as session:
        row = session.exec(
            select(Subscriber).where(Subscriber.email == "browser.reader@example.org")
        ).one()
        assert row.confirmed and row.regions == '["London"]' and row.authorities == "[]"
        assert row.frequency == "daily" and not row.include_reported
        # The link a digest carries in List-Unsubscribe (RFC 8058) is this app's route.
        rendered = Renderer(digest_options(public_base_url=server.base_url)).render(
            row, [], digest_key="test", now=row.created_at
        )
    header = rendered.parsed()["List-Unsubscribe"]
    unsubscribe = re.search(r"<(http://[^>]+)>", header).group(1)  # type: ignore[union-attr]

    page.goto(unsubscribe)  # a GET (what a link scanner does) shows a form, nothing more
    expect(page.get_by_role("heading", name="Unsubscribe")).to_be_visible()
    with Session(engine) as session:
        assert session.exec(
            select(Subscriber).where(Subscriber.email == "browser.reader@example.org")
        ).first()
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    with Session(engine) as session:
        assert not session.exec(
            select(Subscriber).where(Subscriber.email == "browser.reader@example.org")
        ).first()
    page.close()
