"""The one reader of config/arrangements.csv: who ran each council's children's services, and when.

`load_arrangements` parses the file and checks every rule; it returns typed rows or raises
`ArrangementError` naming the file and, for each bad row, its line and the reason, all at once
(not just the first), so a bad edit is fixed in one pass and nothing half-checked is ever handed
on. Both users read the file through it: the research checker (config/check_arrangements.py, run
as `python -m config.check_arrangements`) and the service's wiring, which stores the rows as the
delivery baseline (config/wiring.py, `load_arrangement_rows`). Why a checker and not a
generator: every row is research (each date was read on the page named beside it, see
docs/arrangements.md), so the file is written by hand and reviewed; what code can do is refuse
a file that breaks the rules a reviewer would otherwise check by eye.

The rules (each has a test that breaks it, tests/test_arrangements_data.py):

- the header is exactly `COLUMNS`; a council is a slug of config/authorities.csv; the model and
  stage are words of the shared vocabulary (`ARRANGEMENT_MODELS`, `ARRANGEMENT_STAGES`);
- a date is YYYY, YYYY-MM or YYYY-MM-DD and a real calendar day, and not after today (the file
  records what happened, never a plan);
- a date has its own source URL (http or https), and a source URL has a date;
- proposed <= decided <= operational <= ended, and the council existed at each date
  (valid_from/valid_to of authorities.csv). A partial date is a span ('2019' is the whole year),
  so it breaks a rule only if the whole span does;
- the stage agrees with the dates: `proposed` has a proposed date and nothing later; `decided`
  a decided date and nothing later; `operational` an operational date and no end; `ended`
  operational and ended dates; `abandoned` a proposed or decided date and never went live;
- one council is never run by two bodies at once: live periods [operational, ended) of a council
  do not overlap (Slough's trust ends on the day its company starts).

A return in house is not a row: it is the `ended` date of the arrangement that ended.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from ingest.gazetteer import AuthorityRecord, load_authorities
from ingest.vocabulary import MODELS, STAGES

__all__ = [
    "ARRANGEMENTS_CSV",
    "ARRANGEMENT_MODELS",
    "ARRANGEMENT_STAGES",
    "AUTHORITIES_CSV",
    "COLUMNS",
    "DATE_FIELDS",
    "Arrangement",
    "ArrangementError",
    "PartialDate",
    "check_rows",
    "load_arrangements",
]

ARRANGEMENTS_CSV = Path(__file__).with_name("arrangements.csv")
AUTHORITIES_CSV = Path(__file__).with_name("authorities.csv")

# The shared vocabulary (ingest/extract/events.py), minus 'in_house': a return in house is the end
# of the arrangement that ended, not an arrangement of its own. 'abandoned' is the one stage only
# reference data has: a plan that was decided or proposed and never went live.
ARRANGEMENT_MODELS: tuple[str, ...] = tuple(m for m in MODELS if m != "in_house")
ARRANGEMENT_STAGES: tuple[str, ...] = (*STAGES, "abandoned")
DATE_FIELDS = ("proposed", "decided", "operational", "ended")
COLUMNS = (
    "council",
    "model",
    "provider",
    "stage",
    *DATE_FIELDS,
    *(f"{f}_source" for f in DATE_FIELDS),
    "note",
)

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day: the span of days it may mean.

    `first` and `last` are the earliest and latest day the text allows ('2019-04' is 1 to 30
    April 2019). Rules compare spans, so a coarse date breaks one only if every day it allows
    does; `first` is the day to use where a single day is needed (a period's start).
    """

    first: date
    last: date
    text: str
    precision: Literal["year", "month", "day"]

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; ValueError with the reason otherwise."""
        m = _DATE.fullmatch(text)
        if not m:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        if month is None:
            return cls(date(year, 1, 1), date(year, 12, 31), text, "year")
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        month_end = calendar.monthrange(year, month)[1]
        if day is None:
            return cls(date(year, month, 1), date(year, month, month_end), text, "month")
        if not 1 <= day <= month_end:
            raise ValueError(f"{text!r} is not a day of that month")
        return cls(date(year, month, day), date(year, month, day), text, "day")

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Arrangement:
    """One researched delivery arrangement: a council, the body that ran (or was to run) its
    children's services, where the change stands today, its dated steps and their sources."""

    line: int
    council: str
    model: str
    provider: str
    stage: str
    proposed: PartialDate | None
    decided: PartialDate | None
    operational: PartialDate | None
    ended: PartialDate | None
    proposed_source: str | None
    decided_source: str | None
    operational_source: str | None
    ended_source: str | None
    note: str

    def date_of(self, step: str) -> PartialDate | None:
        """The date of one step ('proposed', 'decided', 'operational', 'ended')."""
        return getattr(self, _step(step))

    def source_of(self, step: str) -> str | None:
        """The URL of the page the step's date was read on."""
        return getattr(self, f"{_step(step)}_source")

    @property
    def live(self) -> bool:
        """True if the body runs the council's services today."""
        return self.stage == "operational"

    def describe(self) -> str:
        return f"line {self.line} ({self.council}, {self.provider})"

    def cells(self) -> dict[str, str | None]:
        """The row as the file states it, by column (None for an empty cell): the form the
        database stores (ingest.delivery.ArrangementRow), dates as written ('2019-04')."""
        values = {column: getattr(self, column) for column in COLUMNS}
        return {column: str(v) if v else None for column, v in values.items()}


def _step(step: str) -> str:
    if step not in DATE_FIELDS:
        raise ValueError(f"unknown step {step!r}; expected one of {', '.join(DATE_FIELDS)}")
    return step


class ArrangementError(ValueError):
    """The arrangements file breaks one or more rules; `problems` names each row and reason."""

    def __init__(self, path: str | Path, problems: Sequence[str]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.path}: {len(self.problems)} problem(s):\n{shown}")


def load_arrangements(
    path: str | Path = ARRANGEMENTS_CSV,
    authorities: Iterable[AuthorityRecord] | str | Path = AUTHORITIES_CSV,
    *,
    today: date | None = None,
) -> list[Arrangement]:
    """Read and check an arrangements file; every row, or ArrangementError naming every problem.

    `authorities` is the authorities table (records, or the path of a CSV in its format).
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = tuple(reader.fieldnames or ())
            rows = [(reader.line_num, row) for row in reader]
    except OSError as exc:
        raise ArrangementError(path, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ArrangementError(path, [f"not a UTF-8 CSV file: {exc}"]) from exc
    if header != COLUMNS:
        raise ArrangementError(
            path,
            [f"header is {', '.join(header) or '(none)'}; expected {', '.join(COLUMNS)}"],
        )
    records = load_authorities(authorities) if isinstance(authorities, (str, Path)) else authorities
    arrangements, problems = check_rows(rows, records, today=today)
    if problems:
        raise ArrangementError(path, problems)
    return arrangements


def check_rows(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    authorities: Iterable[AuthorityRecord],
    *,
    today: date | None = None,
) -> tuple[list[Arrangement], list[str]]:
    """Check (line number, CSV row) pairs; return the rows that parsed and every problem found."""
    today = today or date.today()
    known = {a.slug: a for a in authorities}
    arrangements: list[Arrangement] = []
    problems: list[str] = []
    for line, row in rows:
        arrangement, row_problems = _check_row(line, row, known, today)
        problems.extend(row_problems)
        if arrangement is not None:
            arrangements.append(arrangement)
    problems.extend(_overlaps(arrangements))
    return arrangements, problems


def _text(row: Mapping[str, str | None], key: str) -> str:
    value = row.get(key)
    return value.strip() if isinstance(value, str) else ""


def _check_row(
    line: int,
    row: Mapping[str, str | None],
    known: Mapping[str, AuthorityRecord],
    today: date,
) -> tuple[Arrangement | None, list[str]]:
    council, model, provider, stage = (
        _text(row, k) for k in ("council", "model", "provider", "stage")
    )
    where = f"line {line} ({council or '?'}, {provider or '?'})"
    problems: list[str] = []
    if None in row:  # csv puts surplus cells under the key None
        problems.append(f"{where}: more cells than the {len(COLUMNS)} columns")
    authority = known.get(council)
    if authority is None:
        problems.append(f"{where}: council {council!r} is not a slug of config/authorities.csv")
    if model not in ARRANGEMENT_MODELS:
        problems.append(
            f"{where}: model {model!r} is not one of {', '.join(ARRANGEMENT_MODELS)}"
            + (" (a return in house is the 'ended' date of a row)" if model == "in_house" else "")
        )
    if stage not in ARRANGEMENT_STAGES:
        problems.append(f"{where}: stage {stage!r} is not one of {', '.join(ARRANGEMENT_STAGES)}")
    if not provider:
        problems.append(f"{where}: provider is empty")

    dates: dict[str, PartialDate | None] = {}
    sources: dict[str, str | None] = {}
    for step in DATE_FIELDS:
        text, source = _text(row, step), _text(row, f"{step}_source")
        parsed: PartialDate | None = None
        if text:
            try:
                parsed = PartialDate.parse(text)
            except ValueError as exc:
                problems.append(f"{where}: {step} {exc}")
            if not source:
                problems.append(f"{where}: {step} {text} has no {step}_source URL")
        elif source:
            problems.append(f"{where}: {step}_source is given but {step} has no date")
        if source and not _is_url(source):
            problems.append(f"{where}: {step}_source {source!r} is not an http(s) URL")
        if parsed is not None:
            if parsed.first > today:
                problems.append(f"{where}: {step} {parsed} is after today ({today.isoformat()})")
            if authority is not None:
                problems.extend(_existence(where, step, parsed, authority))
        dates[step] = parsed
        sources[step] = source or None

    previous: tuple[str, PartialDate] | None = None
    for step in DATE_FIELDS:
        current = dates[step]
        if current is None:
            continue
        if previous is not None and previous[1].first > current.last:
            problems.append(f"{where}: {step} {current} is before {previous[0]} {previous[1]}")
        previous = (step, current)

    if stage in ARRANGEMENT_STAGES:
        problems.extend(f"{where}: {p}" for p in _stage_problems(stage, dates))

    if problems:
        return None, problems
    return (
        Arrangement(
            line=line,
            council=council,
            model=model,
            provider=provider,
            stage=stage,
            proposed=dates["proposed"],
            decided=dates["decided"],
            operational=dates["operational"],
            ended=dates["ended"],
            proposed_source=sources["proposed"],
            decided_source=sources["decided"],
            operational_source=sources["operational"],
            ended_source=sources["ended"],
            note=_text(row, "note"),
        ),
        [],
    )


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


def _existence(where: str, step: str, when: PartialDate, authority: AuthorityRecord) -> list[str]:
    if authority.valid_from and when.last < authority.valid_from:
        return [
            f"{where}: {step} {when} is before {authority.slug} existed "
            f"(from {authority.valid_from.isoformat()})"
        ]
    if authority.valid_to and when.first > authority.valid_to:
        heirs = ", ".join(authority.successors) or "its successors"
        return [
            f"{where}: {step} {when} is after {authority.slug} was abolished "
            f"({authority.valid_to.isoformat()}); record it against {heirs}"
        ]
    return []


def _stage_problems(stage: str, dates: Mapping[str, PartialDate | None]) -> list[str]:
    has = {step: dates[step] is not None for step in DATE_FIELDS}
    later = {
        "proposed": ("decided", "operational", "ended"),
        "decided": ("operational", "ended"),
        "operational": ("ended",),
        "ended": (),
        "abandoned": ("operational", "ended"),
    }[stage]
    needs = {
        "proposed": ("proposed",),
        "decided": ("decided",),
        "operational": ("operational",),
        "ended": ("operational", "ended"),
        "abandoned": (),
    }[stage]
    problems = [f"stage {stage} needs a {step} date" for step in needs if not has[step]]
    if stage == "abandoned" and not (has["proposed"] or has["decided"]):
        problems.append("stage abandoned needs a proposed or decided date")
    problems += [
        f"stage {stage} cannot have a {step} date"
        + (" (it never went live)" if stage == "abandoned" else "")
        for step in later
        if has[step]
    ]
    return problems


def _overlaps(arrangements: Sequence[Arrangement]) -> list[str]:
    """Two bodies running one council's services at once: overlapping [operational, ended)."""
    periods: dict[str, list[Arrangement]] = {}
    for a in arrangements:
        if a.operational is not None:
            periods.setdefault(a.council, []).append(a)
    problems = []
    for council_rows in periods.values():
        council_rows.sort(key=lambda a: a.operational.first if a.operational else date.min)
        for earlier, later in pairwise(council_rows):
            assert earlier.operational is not None and later.operational is not None
            if earlier.ended is None or earlier.ended.first > later.operational.last:
                until = f"until {earlier.ended}" if earlier.ended else "with no end"
                problems.append(
                    f"{later.describe()}: operational from {later.operational} while "
                    f"{earlier.describe()} still runs the service ({until})"
                )
    return problems
