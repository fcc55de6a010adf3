"""Benchmark: a cold `fetch news` + `fetch govuk` of the news replica, then a second run.

The replica's three feeds, its malformed and 10,000-item feeds (capped at --max-items) and the
GOV.UK search, with politeness delays off. The second run should fetch no article page and
change no row. Run from the repo root:

    .venv/bin/python bench/fetch_news.py [--max-items N] [--database-url URL] [--no-extractor]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session

from config.database import make_engine, upgrade_schema
from config.settings import load_settings
from config.wiring import AUTHORITIES_CSV, Service
from ingest import store
from ingest.gazetteer import load_authorities
from ingest.http import HttpPolicy, PoliteClient
from ingest.news_pipeline import FeedSpec, GovukOptions, GovukRun, NewsOptions, NewsRun
from tests.localserver import LocalServer
from tests.news_replica import NewsReplica


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--max-items", type=int, default=500, help="items per feed (default 500)")
    parser.add_argument("--no-extractor", action="store_true", help="store articles unjudged")
    args = parser.parse_args()
    extractor = None if args.no_extractor else Service(load_settings()).extractor
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalServer() as cc,
        LocalServer() as cyp,
        LocalServer() as govuk,
    ):
        news = NewsReplica(cc, cyp, govuk)
        engine = make_engine(args.database_url or f"sqlite:///{tmp}/bench.db")
        upgrade_schema(engine)
        with Session(engine) as session:
            store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
            session.commit()
        policy = HttpPolicy(
            user_agent="cswatch-bench (bench@example.org)",
            allowed_hosts=news.hosts,
            min_interval_seconds=0.0,
            max_retries=0,
        )
        feeds = (
            FeedSpec("communitycare", news.cc_feed_url),
            FeedSpec("cypnow", news.cyp_feed_url),
            FeedSpec("govuk-dfe", news.govuk_feed_url, official=True),
            FeedSpec("malformed", news.cc_url("/feed/malformed/")),
            FeedSpec("archive", news.cc_url("/feed/big/")),
        )
        news_options = NewsOptions(
            feeds=feeds, max_items_per_feed=args.max_items, article_max_bytes=200_000
        )
        govuk_options = GovukOptions(
            search_url=news.search_url,
            queries=("statutory direction", "commissioner", "trust"),
            count=2,
        )
        results = []
        for label in ("cold", "second"):
            for server in (cc, cyp, govuk):
                server.requests.clear()
            started = time.perf_counter()
            with PoliteClient(policy) as client:
                summary = NewsRun(engine, client, news_options, extractor=extractor)()
                official = GovukRun(engine, client, govuk_options, extractor=extractor)()
            elapsed = time.perf_counter() - started
            requests = sum(len(s.requests) for s in (cc, cyp, govuk))
            results.append((label, elapsed, requests, summary, official))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label, elapsed, requests, summary, official in results:
        fetched = summary.articles_fetched + official.articles_fetched
        stored = summary.articles_new + official.articles_new
        print(
            f"{label} run: {elapsed:.2f} s, {requests} requests, {fetched} articles fetched "
            f"({fetched / elapsed:.1f} articles/s), {stored} new, "
            f"{summary.duplicates + official.duplicates} duplicates, "
            f"{summary.already_stored + official.already_stored} already stored, "
            f"{summary.events_added + official.events_added} events added, "
            f"{len(summary.errors) + len(official.errors)} recorded errors"
        )
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
