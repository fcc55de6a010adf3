"""Build web/maps/england.json, the board's hex map, from Open Innovations' UK hexmap.

The shared file (`shared/data/maps/uk-upper-tier-local-authorities.hexjson`, MIT licence, drawn
in 2020) places England's upper-tier councils of that year. Today's councils differ, so this
script adapts it, reading the gazetteer (config/authorities.csv) for today's ONS codes:

- renamed codes (Buckinghamshire, North Yorkshire, Somerset) follow `former_ons_codes`;
- councils that were split get one hex each, placed by the table `SPLITS` below:
  Cumbria -> Cumberland (a new hex to the north) and Westmorland and Furness (its old hex);
  Northamptonshire -> West and North Northamptonshire, room made by moving Warwickshire and
  Herefordshire one hex west.

It refuses to write a map that misses a current council, places one twice, or puts two on one
hex. Run from the repo root:

    .venv/bin/python -m web.maps.build ../shared/data/maps/uk-upper-tier-local-authorities.hexjson
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "config" / "authorities.csv"
OUTPUT = Path(__file__).with_name("england.json")

# A split council's old code -> (slug, q, r) for each successor.
SPLITS: dict[str, list[tuple[str, int, int]]] = {
    "E10000006": [("westmorland-and-furness", 6, 14), ("cumberland", 6, 15)],  # Cumbria
    "E10000021": [("west-northamptonshire", 6, 6), ("north-northamptonshire", 7, 6)],
}
# Hexes moved to make room for a split: ONS code -> (q, r).
MOVES: dict[str, tuple[int, int]] = {
    "E10000031": (5, 6),  # Warwickshire, one west
    "E06000019": (4, 6),  # Herefordshire, one west
}


class MapError(Exception):
    """The adapted map would be wrong (a council missing, doubled, or two on one hex)."""


def build(hexjson: dict, gazetteer: list[dict[str, str]]) -> dict:
    current = [row for row in gazetteer if not row["valid_to"]]
    by_code = {row["ons_code"]: row for row in current}
    for row in current:
        for old in filter(None, row["former_ons_codes"].split(";")):
            by_code.setdefault(old, row)
    names = {row["slug"]: row["name"] for row in current}
    placed: dict[str, tuple[int, int]] = {}
    for code, cell in hexjson["hexes"].items():
        q, r = MOVES.get(code, (cell["q"], cell["r"]))
        if code in SPLITS:
            for slug, sq, sr in SPLITS[code]:
                placed[slug] = (sq, sr)
            continue
        row = by_code.get(code)
        if row is None:
            raise MapError(f"hex {code} ({cell.get('n')}) is no current council and has no rule")
        if row["slug"] in placed:
            raise MapError(f"{row['slug']} is placed twice")
        placed[row["slug"]] = (q, r)
    missing = sorted(set(names) - set(placed))
    if missing:
        raise MapError(f"current councils without a hex: {', '.join(missing)}")
    cells: dict[tuple[int, int], str] = {}
    for slug, cell in placed.items():
        if cell in cells:
            raise MapError(f"{slug} and {cells[cell]} share the hex {cell}")
        cells[cell] = slug
    return {
        "layout": hexjson["layout"],
        "source": "Open Innovations' UK upper-tier local authorities hexmap (MIT licence), "
        "adapted to today's councils by web/maps/build.py",
        "hexes": {slug: [q, r] for slug, (q, r) in sorted(placed.items())},
    }


def dumps(data: dict) -> str:
    """One council a line: small diffs when a council changes."""
    hexes = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in data["hexes"].items())
    head = {k: v for k, v in data.items() if k != "hexes"}
    return json.dumps(head, indent=1)[:-2] + ',\n "hexes": {\n' + hexes + "\n }\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hexjson", type=Path, help="the shared uk-upper-tier hexjson file")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with GAZETTEER.open(encoding="utf-8", newline="") as handle:
        gazetteer = list(csv.DictReader(handle))
    try:
        data = build(json.loads(args.hexjson.read_text(encoding="utf-8")), gazetteer)
    except MapError as exc:
        print(f"hexmap: {exc}", file=sys.stderr)
        return 1
    args.output.write_text(dumps(data), encoding="utf-8")
    print(f"{args.output}: {len(data['hexes'])} councils")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
