"""Time the delivery-model histories and intervention statuses of every council.

Run from the repo root: `.venv/bin/python bench/facts.py [--events N]`. A SQLite database in a
temporary folder gets the gazetteer, the reference arrangements (config/arrangements.csv) and N
synthetic news events spread over the councils; then `delivery_statuses` and
`intervention_statuses` (what the board, the API and change detection call) are timed, median of
five runs each, wall and CPU time; `--profile` adds cProfile's view of one delivery_statuses.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from config.database import make_engine, upgrade_schema
from config.wiring import AUTHORITIES_CSV, load_arrangement_rows
from ingest import store
from ingest.delivery import delivery_statuses, sync_arrangements
from ingest.gazetteer import load_authorities
from ingest.interventions import intervention_statuses
from ingest.models import Article, Authority, Event

MODELS = ("trust", "company", "in_house", "partnership")
STAGES = ("proposed", "decided", "operational")
ACTIONS = ("statutory_direction", "commissioner", "improvement_notice")


def _median(fn, runs: int = 5) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall and CPU seconds of `runs` calls (CPU time is steadier on a shared machine)."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000, help="synthetic events (default 5000)")
    parser.add_argument(
        "--profile", action="store_true", help="also print cProfile's top 20 for delivery_statuses"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade_schema(engine)
        now = datetime.now(UTC)
        with Session(engine) as session:
            store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
            session.flush()
            sync_arrangements(session, load_arrangement_rows())
            ids = [a.id for a in session.exec(select(Authority)) if a.valid_to is None]
            for n in range(args.events):
                article = Article(
                    url=f"https://news.example/{n}",
                    canonical_url=f"https://news.example/{n}",
                    source="bench",
                    published=now - timedelta(days=n % 4000),
                    fetched_at=now,
                )
                session.add(article)
                session.flush()
                intervention = n % 3 == 0
                session.add(
                    Event(
                        article_id=article.id,  # type: ignore[arg-type]
                        authority_id=ids[n % len(ids)],
                        kind="intervention" if intervention else "delivery_model",
                        model=None if intervention else MODELS[n % 4],
                        stage=None if intervention else STAGES[n % 3],
                        action=ACTIONS[n % 3] if intervention else None,
                        confidence=0.9,
                        created_at=now,
                    )
                )
            session.commit()
        with Session(engine) as session:
            delivery = _median(lambda: delivery_statuses(session))
            interventions = _median(lambda: intervention_statuses(session))
            if args.profile:
                profile = cProfile.Profile()
                profile.runcall(delivery_statuses, session)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
        engine.dispose()
    print(f"councils: {len(ids)}, events: {args.events}")
    for name, (wall, cpu) in (
        ("delivery_statuses", delivery),
        ("intervention_statuses", interventions),
    ):
        print(f"{name} (every council): {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
