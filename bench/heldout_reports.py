"""Quality on the held-out documents (tests/heldout_reports.py), which the extractor was never
tuned on: overall grades, sub-judgements, dates and signals right, as counts and percentages.

Run from the repo root:
`.venv/bin/python bench/heldout_reports.py [--set 1|2|3|4|5|6|7] [--verbose]`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse

from ingest.extract.reports import ReportConflict, ReportError, parse_report
from tests.heldout_reports import cases, cases_2
from tests.heldout_reports_3 import cases_3
from tests.heldout_reports_4 import cases_4
from tests.heldout_reports_5 import cases_5
from tests.heldout_reports_6 import cases_6
from tests.heldout_reports_7 import cases_7


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument(
        "--set", choices=("1", "2", "3", "4", "5", "6", "7"), default="2", help="which held-out set"
    )
    args = parser.parse_args()
    chosen = {
        "1": cases,
        "2": cases_2,
        "3": cases_3,
        "4": cases_4,
        "5": cases_5,
        "6": cases_6,
        "7": cases_7,
    }[args.set]
    kinds = ["framework", "overall", "judgements", "dates", "signals"]
    # sets 3 to 7 also label these, and have documents that must conflict
    if args.set in ("3", "4", "5", "6", "7"):
        kinds += ["authority", "published", "lead_inspector", "conflicts"]
    tally = {k: [0, 0] for k in kinds}
    false_conflicts = 0
    misses: list[str] = []

    def score(kind: str, ok: bool, what: str) -> None:
        tally[kind][0] += ok
        tally[kind][1] += 1
        if not ok:
            misses.append(what)

    # set 5 labels an overall of None on purpose (a report with no one overall grade): scored
    every_overall = args.set == "5"

    def lost(case) -> None:  # type: ignore[no-untyped-def]
        """A document refused (error or false conflict): every field it states is missed."""
        for kind in ("framework", "dates"):
            score(kind, False, f"{case.name}: {kind}")
        if case.overall or every_overall:
            score("overall", False, f"{case.name}: overall")
        for area in case.judgements:
            score("judgements", False, f"{case.name}: {area}")
        if case.signal:
            score("signals", False, f"{case.name}: signal")

    documents = 0
    for case in chosen():
        documents += 1
        expect_conflict = getattr(case, "conflict", False)
        try:
            got = parse_report(case.data, name=case.name)
        except ReportConflict as exc:
            if expect_conflict:
                score("conflicts", True, "")
                continue
            false_conflicts += 1
            misses.append(f"{case.name}: false conflict: {exc}")
            lost(case)
            continue
        except ReportError as exc:
            misses.append(f"{case.name}: error: {exc}")
            lost(case)
            if expect_conflict:
                score("conflicts", False, f"{case.name}: error, not a conflict")
            continue
        if expect_conflict:
            score("conflicts", False, f"{case.name}: no conflict raised, gave {got.to_json()}")
            continue
        score("framework", got.framework == case.framework, f"{case.name}: {got.framework}")
        if case.overall or every_overall:
            score("overall", got.overall == case.overall, f"{case.name}: overall {got.overall}")
        for area, grade in case.judgements.items():
            have = got.judgements.get(area)
            score("judgements", have == grade, f"{case.name}: {area} {have} != {grade}")
        extra = set(got.judgements) - set(case.judgements)
        for area in sorted(extra):
            score("judgements", False, f"{case.name}: unexpected {area}")
        dates = (got.inspection_start, got.inspection_end)
        score("dates", dates == (case.start, case.end), f"{case.name}: dates {dates}")
        if case.signal:
            have = got.signal.to_json() if got.signal else None
            score("signals", have == case.signal, f"{case.name}: signal {have}")
        for fact in ("authority", "published", "lead_inspector"):
            want = getattr(case, fact, None)
            if want is not None:
                have = getattr(got, fact)
                score(fact, have == want, f"{case.name}: {fact} {have!r} != {want!r}")

    print(f"held-out set {args.set}:      {documents} documents")
    for kind, (right, total) in tally.items():
        share = 100 * right / total if total else 100.0
        print(f"{kind + ':':<20} {right}/{total} right ({share:.1f}%)")
    if "conflicts" in tally:
        print(f"{'false conflicts:':<20} {false_conflicts}")
    if args.verbose:
        for line in misses:
            print("  miss:", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
