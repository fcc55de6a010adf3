"""Soak benchmark: `cswatch run` on the replica with schedules compressed to seconds.

Runs the real daemon process for `--minutes` (30 by default) against the local replica, then
reports: job runs per job against the slots the schedule had, duplicated slots, failures, and the
daemon's resident memory at start and end (sampled every 10 s). Run from the repo root:

    .venv/bin/python bench/soak.py [--minutes 30] [--interval 5]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, select

from config.database import make_engine
from config.ops import JobRun
from tests.localserver import LocalServer
from tests.news_replica import NewsReplica
from tests.replica import OfstedReplica

REPO = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between job runs")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalServer() as server,
        LocalServer() as cc,
        LocalServer() as cyp,
        LocalServer() as govuk,
    ):
        replica = OfstedReplica(server)
        news = NewsReplica(cc, cyp, govuk)
        feeds = [
            {"name": "communitycare", "url": news.cc_feed_url},
            {"name": "cypnow", "url": news.cyp_feed_url},
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
        env.update(
            {
                "CSWATCH_DATABASE_URL": f"sqlite:///{tmp}/soak.db",
                "CSWATCH_VAR_DIR": f"{tmp}/var",
                "CSWATCH_OFSTED__SEARCH_URL": replica.search_url,
                "CSWATCH_HTTP__ALLOWED_HOSTS": json.dumps([server.host, *sorted(news.hosts)]),
                "CSWATCH_NEWS__FEEDS": json.dumps(feeds),
                "CSWATCH_GOVUK__SEARCH_URL": news.search_url,
                "CSWATCH_HTTP__MIN_INTERVAL_SECONDS": "0",
                "CSWATCH_DAEMON__HEALTH_PORT": "0",
                "CSWATCH_LOG_LEVEL": "WARNING",
            }
        )
        for job in ("ofsted", "news", "govuk", "digests"):
            env[f"CSWATCH_SCHEDULE__JOBS__{job.upper()}__INTERVAL_SECONDS"] = str(args.interval)
            env[f"CSWATCH_SCHEDULE__JOBS__{job.upper()}__JITTER_SECONDS"] = "0"
        log = Path(tmp) / "daemon.log"
        with log.open("w") as out:
            daemon = subprocess.Popen(
                [sys.executable, "-m", "config.cli", "run"],
                env=env,
                cwd=REPO,
                stdout=out,
                stderr=out,
            )
            time.sleep(5)
            samples = [rss_mb(daemon.pid)]
            started = time.monotonic()
            end = started + args.minutes * 60
            while time.monotonic() < end and daemon.poll() is None:
                time.sleep(min(10, max(0.0, end - time.monotonic())))
                samples.append(rss_mb(daemon.pid))
            elapsed = time.monotonic() - started
            daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(timeout=15)
        log_text = log.read_text()
        engine = make_engine(env["CSWATCH_DATABASE_URL"])
        with Session(engine) as session:
            runs = session.exec(select(JobRun)).all()
        engine.dispose()
    by_job = Counter(r.job for r in runs)
    slots = Counter((r.job, r.scheduled_for) for r in runs)
    duplicates = sum(n - 1 for n in slots.values() if n > 1)
    statuses = Counter(r.status for r in runs)
    expected = int((elapsed + 5) // args.interval) + 1  # from the daemon's start
    busy: Counter[str] = Counter()
    for line in log_text.splitlines():
        try:
            message = json.loads(line).get("message", "")
        except json.JSONDecodeError:
            continue
        if "maximum number of running instances reached" in message:
            busy[message.split('"')[1].split(" ", 1)[0]] += 1
    print(f"soak: {elapsed / 60:.1f} min, every job every {args.interval:g} s, exit code {code}")
    for job, count in sorted(by_job.items()):
        print(
            f"  {job}: {count} runs for about {expected} slots; "
            f"{busy.get(job, 0)} skipped because its previous run was still going"
        )
    print(f"  statuses: {dict(statuses)}; duplicated slots: {duplicates}")
    print(
        f"  daemon RSS: start {samples[0]:.1f} MB, end {samples[-1]:.1f} MB, "
        f"max {max(samples):.1f} MB ({len(samples)} samples)"
    )
    quarters = [samples[len(samples) * q // 4] for q in range(4)] + [samples[-1]]
    print("  RSS by quarter: " + ", ".join(f"{mb:.1f}" for mb in quarters) + " MB")
    for run in runs:
        if run.status not in {"ok", "partial"}:
            print(f"  {run.job} {run.status} at {run.started_at}: {(run.error or '')[:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
