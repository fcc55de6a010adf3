"""Time the report extractor over every shared Ofsted PDF: per-report median/p95, total, peak RSS.

Run from the repo root: `.venv/bin/python bench/parse_reports.py [--passes N]`. One cold pass
warms the OS page cache and pdfium, then N warm passes are timed; each report's time is its
median over the warm passes, so one scheduling hiccup does not move the figures. The median
CPU time and the pages read are printed too: on a shared, loaded machine they say what the
extractor costs when the wall time mostly says how busy the machine was.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import resource
import statistics
import time

from ingest.extract import reports
from ingest.extract.reports import parse_report_file
from tests.paths import OFSTED_PDFS


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: no interpolation, so p95 is a time some report really took."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _pages_read(files: list[Path]) -> list[int]:
    """Pages whose text each report needed (counted on an untimed pass)."""
    original = reports._pdf_reader
    counts: list[int] = []

    def counting(doc, name):  # type: ignore[no-untyped-def]
        inner = original(doc, name)

        def read(index: int) -> str:
            counts[-1] += 1
            return inner(index)

        return read

    reports._pdf_reader = counting  # type: ignore[assignment]
    try:
        for f in files:
            counts.append(0)
            parse_report_file(f)
    finally:
        reports._pdf_reader = original  # type: ignore[assignment]
    return counts


def _family(line: dict) -> str:
    """'ilacs_2018', 'sif', 'focused_visit', ...: the framework, or a letter's kind of signal."""
    if "error" in line:
        return "error"
    signal = line.get("signal") or {}
    return signal.get("kind") or line["framework"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3, help="warm passes to time (default 3)")
    args = parser.parse_args()

    files = sorted(OFSTED_PDFS.rglob("*.pdf"))
    if not files:
        print(f"no PDFs under {OFSTED_PDFS}", file=sys.stderr)
        return 1
    cold = {f: parse_report_file(f) for f in files}
    errors = sum("error" in line for line in cold.values())

    samples: dict[Path, list[float]] = {f: [] for f in files}
    cpu: dict[Path, list[float]] = {f: [] for f in files}
    wall = []
    for _ in range(max(1, args.passes)):
        started = time.perf_counter()
        for f in files:
            t0, c0 = time.perf_counter(), time.process_time()
            parse_report_file(f)
            samples[f].append((time.perf_counter() - t0) * 1000)
            cpu[f].append((time.process_time() - c0) * 1000)
        wall.append(time.perf_counter() - started)

    per_report = [statistics.median(ms) for ms in samples.values()]
    pages_read = _pages_read(files)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"reports:            {len(files)} ({errors} returned an error line)")
    print(f"warm passes:        {len(wall)}")
    print(f"median per report:  {statistics.median(per_report):.2f} ms")
    per_report_cpu = [statistics.median(ms) for ms in cpu.values()]
    print(f"median CPU time:    {statistics.median(per_report_cpu):.2f} ms per report (wall time")
    print("                    on a loaded machine includes waiting for a core; CPU time does not)")
    print(f"p95 per report:     {_percentile(per_report, 95):.2f} ms")
    print(f"max per report:     {max(per_report):.2f} ms")
    print(f"total per pass:     {statistics.median(wall):.3f} s")
    print(f"peak RSS:           {peak_kb / 1024:.1f} MiB")
    print(f"pages read:         median {statistics.median(pages_read):g} per report, ")
    print(f"                    {sum(pages_read)} in all (a figure the machine's load cannot move)")
    print("by family:          reports, median ms, median pages read")
    families: dict[str, list[int]] = {}
    for i, f in enumerate(files):
        families.setdefault(_family(cold[f]), []).append(i)
    for family, members in sorted(families.items()):
        ms = statistics.median(per_report[i] for i in members)
        pages = statistics.median(pages_read[i] for i in members)
        print(f"  {family:<22}{len(members):>3} {ms:>8.2f} ms {pages:>5g} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
