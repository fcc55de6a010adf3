"""Screenshots of the board and a timeline for the README, in headless Debian Chromium.

Fills a temporary database from the Ofsted replica (as the web tests do), serves the app on
127.0.0.1 and writes docs/board.png and docs/timeline.png. Run from the repo root:

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
SHOTS = {
    "board.png": "/?region=Yorkshire+and+the+Humber",
    "timeline.png": "/authority/doncaster",
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
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            for name, path in SHOTS.items():
                page.goto(server.base_url + path)
                page.screenshot(path=str(ROOT / "docs" / name), full_page=False)
                print(f"docs/{name}: {path}")
            browser.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
