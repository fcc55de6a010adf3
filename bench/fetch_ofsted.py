"""Benchmark: a cold `fetch ofsted` of the replica, then a warm run with nothing new.

The replica lists every council (153 in the shared provider lookup, plus the providers of the
shared report folders) on two listing pages of 100 on the live markup, with ETags on every
page. The cold run reads everything; the warm run asks every page conditionally (304s) and
downloads no report. Prints requests (by kind and status), seconds and peak memory per run.

Targets (issue 2): cold run 15 s or less with politeness delays off; the second run downloads no
report and takes 2 s or less; peak memory 300 MB or less. Run from the repo root:

    .venv/bin/python bench/fetch_ofsted.py [--database-url URL]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session

from config.database import make_engine, upgrade_schema
from config.wiring import AUTHORITIES_CSV
from ingest import store
from ingest.gazetteer import load_authorities
from ingest.http import HttpPolicy, PoliteClient
from ingest.pipeline import OfstedOptions, OfstedRun
from tests.localserver import LocalServer
from tests.replica import OfstedReplica


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, LocalServer() as server:
        replica = OfstedReplica(server)
        engine = make_engine(args.database_url or f"sqlite:///{tmp}/bench.db")
        upgrade_schema(engine)
        with Session(engine) as session:
            store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
            session.commit()
        policy = HttpPolicy(
            user_agent="cswatch-bench (bench@example.org)",
            allowed_hosts=frozenset({server.host}),
            min_interval_seconds=0.0,
        )
        options = OfstedOptions(search_url=replica.search_url)
        results = []
        for label in ("cold", "warm"):
            server.requests.clear()
            started = time.perf_counter()
            with PoliteClient(policy) as client:
                summary = OfstedRun(engine, client, options)()
            elapsed = time.perf_counter() - started
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            kinds = Counter(_kind(r.path) for r in server.requests)
            results.append((label, elapsed, len(server.requests), kinds, rss_mb, summary))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"replica: {len(replica.providers)} providers, {replica.rows} rows a listing page")
    for label, elapsed, requests, kinds, rss_mb, summary in results:
        by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        print(
            f"{label} run: {elapsed:.2f} s, {requests} requests ({by_kind}), "
            f"{summary.not_modified} answered 304, {summary.reports_downloaded} reports "
            f"downloaded, {summary.inspections_parsed} inspections parsed, "
            f"{summary.providers} providers, {summary.publications_seen} publications, "
            f"{len(summary.errors)} errors; peak RSS so far {rss_mb:.0f} MB"
        )
    print(f"peak RSS of the whole benchmark: {peak_mb:.0f} MB (tracemalloc is left off: it slows")
    print("the run fourfold)")
    return 0


def _kind(path: str) -> str:
    if path.startswith("/v1/file/"):
        return "reports"
    if path.startswith("/provider/"):
        return "provider pages"
    if path == "/search":
        return "listing pages"
    return path.strip("/") or "other"


if __name__ == "__main__":
    raise SystemExit(main())
