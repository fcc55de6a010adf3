"""The board's hex map of England, drawn as SVG on the server (no JavaScript, no library).

Each council is one hex of the committed layout web/maps/england.json (built from the shared
hexjson by web/maps/build.py); the page colours it by Ofsted grade or by delivery model. The
layout is odd-r with pointy-top hexes and rows counted from the south, as in the hexjson.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from web.board import GRADE_LABELS, MODEL_LABELS, BoardRow

SIZE = 10.0  # a hex's circumradius, in SVG units
WIDTH = math.sqrt(3) * SIZE
COLOURINGS = {"grade": "Ofsted grade", "model": "Delivery model"}


@dataclass(frozen=True)
class Hex:
    slug: str
    name: str
    points: str  # the polygon's points
    css: str  # colour class: grade-good, model-trust, ...
    title: str  # 'Doncaster: Good'
    shown: bool  # matches the board's filters


@dataclass(frozen=True)
class HexMap:
    hexes: list[Hex]
    width: float
    height: float
    colour_by: str
    legend: list[tuple[str, str, int]]  # (css class, label, number of councils)


@cache
def layout() -> dict[str, tuple[int, int]]:
    text = resources.files("web.maps").joinpath("england.json").read_text(encoding="utf-8")
    return {slug: (q, r) for slug, (q, r) in json.loads(text)["hexes"].items()}


def _centre(q: int, r: int, top: int) -> tuple[float, float]:
    x = WIDTH * (q + 0.5 * (r & 1)) + WIDTH / 2
    y = 1.5 * SIZE * (top - r) + SIZE
    return x, y


def _points(x: float, y: float) -> str:
    corners = []
    for i in range(6):
        angle = math.radians(60 * i - 30)
        corners.append(f"{x + SIZE * math.cos(angle):.1f},{y + SIZE * math.sin(angle):.1f}")
    return " ".join(corners)


def _colour(row: BoardRow, colour_by: str) -> tuple[str, str]:
    if colour_by == "model":
        return f"model-{row.model}", row.model_label
    return f"grade-{row.overall or 'none'}", row.grade_label


def hex_map(rows: list[BoardRow], shown: set[str], colour_by: str = "grade") -> HexMap:
    """The map of every council in `rows`; those not in `shown` are drawn faded."""
    cells = layout()
    placed = [(row, cells[row.slug]) for row in rows if row.slug in cells]
    top = max((r for _row, (_q, r) in placed), default=0)
    right = max((q for _row, (q, _r) in placed), default=0)
    hexes = []
    counts: dict[tuple[str, str], int] = {}
    for row, (q, r) in sorted(placed, key=lambda item: (-item[1][1], item[1][0])):
        css, label = _colour(row, colour_by)
        counts[(css, label)] = counts.get((css, label), 0) + 1
        hexes.append(
            Hex(
                slug=row.slug,
                name=row.name,
                points=_points(*_centre(q, r, top)),
                css=css,
                title=f"{row.name}: {label}",
                shown=row.slug in shown,
            )
        )
    order = (
        [f"model-{k}" for k in MODEL_LABELS]
        if colour_by == "model"
        else [f"grade-{k}" for k in GRADE_LABELS] + ["grade-none"]
    )
    legend = sorted(
        ((css, label, n) for (css, label), n in counts.items()),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    return HexMap(
        hexes=hexes,
        width=WIDTH * (right + 1.5) + 1,
        height=1.5 * SIZE * top + 2 * SIZE + 1,
        colour_by=colour_by,
        legend=legend,
    )
