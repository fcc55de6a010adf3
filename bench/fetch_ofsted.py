"""Benchmark: a cold `fetch ofsted` of the replica, then a second run with nothing new.

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
        for label in ("cold", "second"):
            server.requests.clear()
            started = time.perf_counter()
            with PoliteClient(policy) as client:
                summary = OfstedRun(engine, client, options)()
            elapsed = time.perf_counter() - started
            files = sum(1 for r in server.requests if r.path.startswith("/v1/file/"))
            results.append((label, elapsed, len(server.requests), files, summary))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label, elapsed, requests, files, summary in results:
        print(
            f"{label} run: {elapsed:.2f} s, {requests} requests, {files} reports "
            f"downloaded, {summary.inspections_parsed} inspections parsed, "
            f"{summary.providers} providers, {summary.publications_seen} publications, "
            f"{len(summary.errors)} errors"
        )
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
