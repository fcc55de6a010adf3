"""Benchmark: the event extractor over the shared and our own articles, in articles per second.

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
    for _ in range(ROUNDS):
        started = time.perf_counter()
        events = 0
        for title, body in docs:
            if extractor.relevance(title, body).relevant:
                events += len(extractor.extract(body, title=title))
        rates.append(len(docs) / (time.perf_counter() - started))
    print(f"extract_events: {len(docs)} articles ({size / 1024:.0f} KB), setup {setup_ms:.0f} ms")
    print(
        f"relevance + extract: median {statistics.median(rates):.0f} articles/s, "
        f"best {max(rates):.0f} articles/s over {ROUNDS} rounds; {events} events per round"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
