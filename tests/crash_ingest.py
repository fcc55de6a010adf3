"""Run by the SIGKILL test: one ingest run that stops dead in the middle of an item.

    python -m tests.crash_ingest KIND DATABASE_URL FLAG_FILE N ARGS_JSON

KIND is `ofsted` or `news`. At the N-th row the run writes for an item (a publication of a
provider page, an article of a feed), before that item's transaction commits, this writes
FLAG_FILE and waits; the test then kills the process with SIGKILL, as a crash or an OOM kill
would. N = 0 runs to the end without stopping.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from config.database import make_engine
from ingest import news_store, store
from ingest.http import HttpPolicy, PoliteClient
from ingest.news_pipeline import FeedSpec, NewsOptions, NewsRun
from ingest.pipeline import OfstedOptions, OfstedRun


def _stop_at(module: Any, name: str, n: int, flag: Path) -> None:
    real = getattr(module, name)
    calls = [0]

    def hooked(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls[0] += 1
        if calls[0] == n:
            flag.write_text(str(n))
            time.sleep(120)  # killed here, inside the item's open transaction
        return result

    setattr(module, name, hooked)


def main() -> None:
    kind, url, flag, n, raw = sys.argv[1:6]
    args = json.loads(raw)
    engine = make_engine(url)
    policy = HttpPolicy(
        user_agent="cswatch-tests (tests@example.org)",
        allowed_hosts=frozenset(args["hosts"]),
        min_interval_seconds=0.0,
        max_retries=0,
    )
    with PoliteClient(policy) as client:
        if kind == "ofsted":
            if int(n):
                _stop_at(store, "upsert_publication", int(n), Path(flag))
            options = OfstedOptions(
                search_url=args["search_url"], only_urns=frozenset(args["urns"])
            )
            OfstedRun(engine, client, options)()
        else:
            if int(n):
                _stop_at(news_store, "store_article", int(n), Path(flag))
            feeds = tuple(FeedSpec(name, feed_url) for name, feed_url in args["feeds"])
            NewsRun(engine, client, NewsOptions(feeds=feeds))()


if __name__ == "__main__":
    main()
