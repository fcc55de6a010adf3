"""Benchmark: building the gazetteer and scanning 50 KB of text for every authority.

.venv/bin/python bench/gazetteer.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.wiring import AUTHORITIES_CSV
from ingest.gazetteer import Gazetteer, load_authorities
from tests.test_gazetteer import LONG_PARAGRAPH


def main() -> int:
    started = time.perf_counter()
    gazetteer = Gazetteer(load_authorities(AUTHORITIES_CSV))
    build_ms = (time.perf_counter() - started) * 1000
    text = (LONG_PARAGRAPH * (50_000 // len(LONG_PARAGRAPH) + 1))[:50_000]
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        mentions = gazetteer.find_all(text)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"gazetteer: {len(gazetteer.records)} authorities, built in {build_ms:.1f} ms")
    print(
        f"find_all on 50 KB: median {statistics.median(timings):.2f} ms, "
        f"best {min(timings):.2f} ms, {len(mentions)} mentions"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
