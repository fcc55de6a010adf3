"""Benchmark: the event extractor over the shared and our own articles, in articles per second,
and its precision and recall on (council, kind, value) over our example sets: the tuning set, the
held-out set (written before tuning for issue 11), heldout2, heldout3, heldout4, heldout5,
heldout6, heldout7 and heldout8 (retold from real sector news, each run once before any tuning on
it: see tests/data/articles/README.md for those first figures), plus the precision of the events
at or above the review threshold and every miss.

.venv/bin/python bench/extract_events.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.extract.events import EventExtractor, ProviderRegistry
from ingest.gazetteer import Gazetteer, load_authorities
from tests import eventsets
from tests.paths import NEWS, REPO

ROUNDS = 20


def articles() -> list[tuple[str, str]]:
    """(title, body) of every shared and own test article: headline on the first line."""
    paths = sorted(NEWS.glob("*.txt")) + sorted(
        (REPO / "tests" / "data" / "articles").glob("*.txt")
    )
    out = []
    for path in paths:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        out.append((title.strip(), body))
    for name in eventsets.SET_NAMES:
        out += [(a.title, a.text) for a in eventsets.load(name)]
    return out


def main() -> int:
    started = time.perf_counter()
    gazetteer = Gazetteer(load_authorities(REPO / "config" / "authorities.csv"))
    extractor = EventExtractor(
        gazetteer, ProviderRegistry.from_csv(REPO / "config" / "providers.csv")
    )
    setup_ms = (time.perf_counter() - started) * 1000
    docs = articles()
    size = sum(len(t) + len(b) for t, b in docs)
    events = 0
    rates = []
    cpu_rates = []  # per CPU second: steadier than wall time on a shared, loaded machine
    for _ in range(ROUNDS):
        started, cpu = time.perf_counter(), time.process_time()
        events = 0
        for title, body in docs:
            if extractor.relevance(title, body).relevant:
                events += len(extractor.extract(body, title=title))
        rates.append(len(docs) / (time.perf_counter() - started))
        cpu_rates.append(len(docs) / max(time.process_time() - cpu, 1e-9))
    print(f"extract_events: {len(docs)} articles ({size / 1024:.0f} KB), setup {setup_ms:.0f} ms")
    print(
        f"relevance + extract: median {statistics.median(rates):.0f} articles/s, "
        f"best {max(rates):.0f} articles/s over {ROUNDS} rounds; {events} events per round"
    )
    print(
        f"per CPU second: median {statistics.median(cpu_rates):.0f} articles/s, "
        f"best {max(cpu_rates):.0f} articles/s"
    )
    for name in eventsets.SET_NAMES:
        result = eventsets.score(eventsets.load(name), extractor)
        print(
            f"{name}: precision {result.precision:.3f} recall {result.recall:.3f} "
            f"(tp {result.tp}, fp {result.fp}, fn {result.fn})"
        )
        for threshold in (0.5, 0.6, 0.7, 0.8):
            share, kept = eventsets.precision_above(result.scored, threshold)
            print(f"  confidence >= {threshold}: {kept} events, {share:.3f} right")
        for article, problem in result.problems.items():
            for what in ("missing", "extra", "negatives"):
                for key in problem[what]:
                    print(f"  {article}: {what} {' '.join(str(k) for k in key)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
