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
    page.get_by_role("link", name="Council", exact=True).click()  # sorted by name: this reverses it
    page.wait_for_url(re.compile(r"sort=name&order=desc"))
    expect(page.locator("#board thead th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    names = page.locator("#board tbody th").all_inner_texts()
    assert names == sorted(names, reverse=True) and len(names) == shown

    page.goto(server.base_url + "/?model=trust")
    page.locator("#board").get_by_role("link", name="Birmingham", exact=True).click()
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
    for name in ("Doncaster", "Kent"):
        page.get_by_label("Add a council").fill(name)
        page.get_by_role("button", name="Add", exact=True).click()
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
    for name in ("Doncaster", "Kent"):
        page.get_by_label(name, exact=True).uncheck()
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


# -- the board people read first, in a real browser (issue 13) -------------------------------


@pytest.fixture(scope="module")
def fresh_site(tmp_path_factory):
    """A new installation: the gazetteer only, no source has run."""
    path = tmp_path_factory.mktemp("fresh") / "web.db"
    engine = _seed(make_engine(f"sqlite:///{path}"))
    options = WebOptions(
        secret_key=KEY, public_base_url="http://127.0.0.1", from_address="alerts@cswatch.test"
    )
    with AppServer(create_app(engine, options, lambda *_a: None)) as server:
        yield server
    engine.dispose()


def test_a_first_run_shows_a_banner_and_no_data_as_of(fresh_site, browser, site):
    page = browser.new_page()
    page.goto(fresh_site.base_url + "/")
    banner = page.locator("#first-run")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("No data has been fetched yet")
    expect(page.locator("#data-as-of")).to_contain_text("Ofsted reports not fetched yet")
    server, _smtp, _engine = site
    page.goto(server.base_url + "/")
    expect(page.locator("#first-run")).to_have_count(0)
    assert page.locator("#data-as-of time").count() == 1  # Ofsted has run; news has not
    page.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_search_with_type_ahead_and_without_javascript(site, browser, javascript):
    server, _smtp, _engine = site
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(server.base_url + "/")
    search = page.get_by_role("combobox", name="Find a council")  # input + datalist
    if javascript:  # the browser's own suggestions come from the datalist it is tied to
        names = page.evaluate(
            "() => Array.from(document.getElementById('q').list.options).map(o => o.value)"
        )
        assert len(names) == 153 and "Doncaster" in names
    search.fill("donc")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=donc"))
    assert page.locator("#board tbody th").all_inner_texts() == ["Doncaster"]
    expect(page.locator("#count")).to_contain_text("Showing 1 of 153 councils matching ‘donc’")
    page.get_by_role("combobox", name="Find a council").fill("Atlantis")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#no-match")).to_contain_text("No council matches ‘Atlantis’")
    context.close()


def test_the_hex_map_is_coloured_and_leads_to_each_council(site, browser):
    server, _smtp, _engine = site
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(server.base_url + "/")
    hexes = page.locator("#hexmap polygon")
    assert hexes.count() == 153
    expect(page.locator("#hexmap")).to_be_visible()

    def fill(slug: str) -> str:
        return page.locator(f'#hexmap a[data-slug="{slug}"] polygon').evaluate(
            "p => getComputedStyle(p).fill"
        )

    assert fill("doncaster") != fill("barnet")  # good, not graded
    page.locator("#map").get_by_role("link", name="Delivery model", exact=True).click()
    page.wait_for_url(re.compile(r"colour=model"))
    expect(page.locator(".legend")).to_contain_text("Trust")
    assert fill("birmingham") != fill("barnet")  # a trust, in house
    assert fill("doncaster") == fill("barnet")  # back in house since 2022
    box = page.locator('#hexmap a[data-slug="doncaster"] polygon').bounding_box()
    assert box and box["width"] > 5
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/authority/doncaster$"))
    page.close()


def test_a_council_page_draws_its_grade_history(site, browser):
    server, _smtp, _engine = site
    page = browser.new_page()
    page.goto(server.base_url + "/authority/doncaster")
    chart = page.locator("#grade-history")
    expect(chart).to_be_visible()
    dots = chart.locator("circle")
    assert dots.count() == 4
    heights = [float(dots.nth(i).get_attribute("cy") or 0) for i in range(4)]
    xs = [float(dots.nth(i).get_attribute("cx") or 0) for i in range(4)]
    assert xs == sorted(xs)  # oldest on the left
    assert heights[0] > heights[1] < heights[2] and heights[3] == heights[1]  # low, good, RI, good
    assert dots.first.locator("title").text_content() == "8 Oct 2015: Inadequate"
    expect(page.locator("#history-list")).to_contain_text("31 Jan 2025: Good")
    page.close()


def test_the_board_is_cards_at_phone_width(site, browser):
    server, _smtp, _engine = site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server.base_url + "/?region=North+East")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    expect(page.locator("#board thead")).not_to_be_in_viewport()
    rows = page.locator("#board tbody tr")
    assert rows.count() >= 10
    first = rows.first.bounding_box()
    second = rows.nth(1).bounding_box()
    assert first and second and first["width"] <= 390
    assert second["y"] >= first["y"] + first["height"]  # stacked, one card a row
    assert rows.first.evaluate("r => getComputedStyle(r).display") == "block"
    label = rows.first.locator("td").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert "Region" in label
    expect(page.locator("#hexmap")).to_be_visible()
    assert page.locator("#hexmap").bounding_box()["width"] <= 390  # type: ignore[index]
    page.close()


def test_the_council_picker_works_by_keyboard_and_tells_screen_readers(site, browser):
    server, _smtp, engine = site
    page = browser.new_page()
    page.goto(server.base_url + "/subscribe")
    picker = page.get_by_role("combobox", name="Add a council")
    picker.focus()
    page.keyboard.type("Doncaster")
    page.keyboard.press("Enter")  # adds; does not send the form
    status = page.get_by_role("status").filter(has_text="chosen")
    expect(status).to_have_text("Doncaster added. 1 council chosen.")
    expect(page.get_by_role("checkbox", name="Doncaster")).to_be_checked()
    assert page.url.endswith("/subscribe")
    page.keyboard.type("Gotham")
    page.keyboard.press("Enter")
    expect(picker).to_have_attribute("aria-invalid", "true")
    expect(status).to_contain_text("There is no council called ‘Gotham’")
    picker.fill("kent")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(status).to_have_text("Kent added. 2 councils chosen.")
    page.get_by_role("checkbox", name="Kent").focus()
    page.keyboard.press("Space")
    expect(status).to_have_text("Kent removed. 1 council chosen.")
    page.get_by_label("Email address").fill("picker.reader@example.org")
    page.get_by_label("Email address").press("Enter")  # Enter elsewhere still sends the form
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    with Session(engine) as session:
        row = session.exec(
            select(Subscriber).where(Subscriber.email == "picker.reader@example.org")
        ).one()
        assert row.authorities == '["doncaster"]'
    page.close()


def test_the_council_picker_without_javascript(site, browser):
    server, _smtp, _engine = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.base_url + "/subscribe")
    page.get_by_label("Add a council").fill("Sunderland")
    page.get_by_role("button", name="Add", exact=True).click()  # a round trip
    expect(page.get_by_role("checkbox", name="Sunderland")).to_be_checked()
    expect(page.locator("#chosen-status")).to_have_text("1 council chosen.")
    expect(page.locator(".error-summary")).to_have_count(0)
    context.close()
