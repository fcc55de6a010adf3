"""Check config/arrangements.csv and summarise it: the research checker.

    .venv/bin/python -m config.check_arrangements          # check the shipped file, summarise it
    .venv/bin/python -m config.check_arrangements FILE [--authorities CSV] [--today YYYY-MM-DD]

Exit 0 and a summary (counts, who runs each council's services today, what ended), or exit 1
and every problem, each naming the line and the reason. The reading and the rules are
config/arrangements.py's, the same the service uses when it stores the rows.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date

from config.arrangements import (
    ARRANGEMENT_MODELS,
    ARRANGEMENT_STAGES,
    ARRANGEMENTS_CSV,
    AUTHORITIES_CSV,
    Arrangement,
    ArrangementError,
    load_arrangements,
)

__all__ = ["main", "summary"]


def summary(arrangements: Sequence[Arrangement]) -> str:
    """A short human summary: counts, and who runs each council's services today."""
    councils = {a.council for a in arrangements}
    by_stage = Counter(a.stage for a in arrangements)
    by_model = Counter(a.model for a in arrangements)
    lines = [
        f"{len(arrangements)} arrangements across {len(councils)} councils",
        "by stage: " + ", ".join(f"{s} {by_stage[s]}" for s in ARRANGEMENT_STAGES if by_stage[s]),
        "by model: " + ", ".join(f"{m} {by_model[m]}" for m in ARRANGEMENT_MODELS if by_model[m]),
        "running today:",
    ]
    lines += [
        f"  {a.council}: {a.provider} ({a.model}) since {a.operational}"
        for a in sorted(arrangements, key=lambda a: a.council)
        if a.live
    ]
    ended = [a for a in arrangements if a.stage == "ended"]
    lines.append("ended (back in house or moved on):")
    lines += [
        f"  {a.council}: {a.provider} ({a.model}) {a.operational} to {a.ended}"
        for a in sorted(ended, key=lambda a: (a.council, a.operational or a.ended))
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check config/arrangements.csv and summarise it.")
    parser.add_argument("path", nargs="?", default=str(ARRANGEMENTS_CSV))
    parser.add_argument("--authorities", default=str(AUTHORITIES_CSV))
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    try:
        arrangements = load_arrangements(args.path, args.authorities, today=args.today)
    except ArrangementError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:  # the authorities table itself is missing
        print(f"{args.authorities}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(summary(arrangements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
