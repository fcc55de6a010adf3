"""A council's grade history as a small SVG step chart, laid out here and drawn by a template.

Grades run down from Outstanding to Inadequate ('adequate', the pre-2013 third grade, sits
with Requires improvement); time runs right, from the first graded inspection's year to this
year. Each inspection is a dot with its own title; the page also lists them as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from web.board import GradePoint

LEVELS = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement"),
    ("inadequate", "Inadequate"),
]
LEVEL = {"outstanding": 0, "good": 1, "requires_improvement": 2, "adequate": 2, "inadequate": 3}
WIDTH, HEIGHT = 560.0, 150.0
LEFT, RIGHT, TOP, BOTTOM = 150.0, 15.0, 12.0, 26.0
ROW = (HEIGHT - TOP - BOTTOM) / (len(LEVELS) - 1)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    grade: str
    title: str


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    dots: list[Dot]
    path: str  # the step line through the dots, to today
    levels: list[tuple[float, str]]  # (y, label)
    years: list[tuple[float, str]]  # (x, label) ticks
    left: float
    right: float


def grade_chart(points: list[GradePoint], today: date) -> Chart | None:
    graded = [p for p in points if p.grade in LEVEL]
    if not graded:
        return None
    first = date(graded[0].when.year, 1, 1)
    last = date(max(today.year, graded[-1].when.year) + 1, 1, 1)
    span = (last - first).days or 1

    def x(when: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (when - first).days / span

    def y(grade: str) -> float:
        return TOP + ROW * LEVEL[grade]

    dots = [
        Dot(
            round(x(p.when), 1),
            round(y(p.grade), 1),
            p.grade,
            f"{p.when.day} {p.when:%b %Y}: {p.label}",
        )
        for p in graded
    ]
    steps = [f"M{dots[0].x},{dots[0].y}"]
    for dot in dots[1:]:
        steps.append(f"H{dot.x}V{dot.y}")
    steps.append(f"H{round(x(min(today, last)), 1)}")
    step = max(1, (last.year - first.year) // 6)
    years = [
        (round(x(date(year, 1, 1)), 1), str(year))
        for year in range(first.year, last.year + 1, step)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        dots=dots,
        path="".join(steps),
        levels=[(round(TOP + ROW * i, 1), label) for i, (_key, label) in enumerate(LEVELS)],
        years=years,
        left=LEFT,
        right=WIDTH - RIGHT,
    )
