"""Screenshots of the web app for the README, in headless Debian Chromium.

Fills a temporary database from the Ofsted replica (as the web tests do), serves the app on
127.0.0.1 and writes docs/*.png: the board (summary, search and hex map), the map coloured by
delivery model, a council's page with its grade history, the board at phone width, and the
sign-up form's council picker; and the first screen of a new installation (no source has run).
Run from the repo root:

    .venv/bin/python docs/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from config.database import make_engine
from tests.conftest import _seed
from tests.webdata import fill
from tests.webserver import CHROMIUM, CHROMIUM_ARGS, AppServer
from web.app import WebOptions, create_app

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}
# name: (path, viewport, element to show or None for the top of the page)
SHOTS = {
    "board.png": ("/", DESKTOP, None),
    "map.png": ("/?colour=model", DESKTOP, "#map"),
    "timeline.png": ("/authority/doncaster", DESKTOP, None),
    "phone.png": ("/?region=North+East", PHONE, "#count"),
    "picker.png": ("/subscribe", DESKTOP, "#picker"),
}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        engine = _seed(make_engine(f"sqlite:///{tmp}/shots.db"))
        fill(engine)
        options = WebOptions(
            secret_key="screenshots-only-0123456789abcdefghijklmnopq",
            public_base_url="https://cswatch.example.org",
            from_address="alerts@cswatch.example.org",
        )
        app = create_app(engine, options, lambda *_args: None)
        with AppServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, (path, viewport, element) in SHOTS.items():
                page = browser.new_page(viewport=viewport)
                page.goto(server.base_url + path)
                if name == "picker.png":
                    page.get_by_label("Add a council").fill("Doncaster")
                    page.get_by_role("button", name="Add").click()
                    page.get_by_label("Add a council").fill("Kent")
                    page.get_by_role("button", name="Add").click()
                    page.get_by_label("Add a council").fill("Sunder")
                if element:
                    page.locator(element).scroll_into_view_if_needed()
                    page.evaluate(
                        "selector => document.querySelector(selector).scrollIntoView()", element
                    )
                page.screenshot(path=str(ROOT / "docs" / name), full_page=False)
                print(f"docs/{name}: {path}")
                page.close()
            fresh = _seed(make_engine(f"sqlite:///{tmp}/fresh.db"))
            with AppServer(create_app(fresh, options, lambda *_args: None)) as first:
                page = browser.new_page(viewport=DESKTOP)
                page.goto(first.base_url + "/")
                page.screenshot(path=str(ROOT / "docs" / "first-run.png"), full_page=False)
                print("docs/first-run.png: / of a new installation")
                page.close()
            fresh.dispose()
            browser.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
