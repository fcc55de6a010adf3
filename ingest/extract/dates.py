"""Read the dates an Ofsted report prints: one day, one span, or several spans.

Inspections are printed as '27 September to 8 October 2021', '5 and 6 February 2019', '3 to 7
March and 24 to 25 April 2025' (paused and resumed), '29 December 2014 – 9 January 2015', with
any dash (hyphen, en, em, minus, box-drawing), with or without spaces, and now and then month
first ('March 3 to 7, 2024') or in figures ('03/03/2024'). The phrase is read as a list of date
items joined by separators; months and years missing from an item come from the next item that
has them (a month later than that item's means the year before). The inspection starts at the
first item and ends at the last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
YEAR = r"(?:19|20)\d\d(?!\d)"
# Every dash Ofsted's PDFs have been seen to use, and a few more of the same family:
# hyphen-minus, hyphen, non-breaking hyphen, figure dash, en, em, horizontal bar, minus,
# box-drawing light and heavy horizontals, small em dash, full-width hyphen.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\uff0d"

_ITEM_RES = (
    # 03/03/2024, 3.3.2024 (day first, as printed in England)
    re.compile(rf"(?P<d>[0-3]?\d)[/.](?P<mn>[01]?\d)[/.](?P<y>{YEAR})"),
    # 3 March 2024, 3rd of March, 2024, 3 March
    re.compile(rf"(?P<d>{DAY})(?:\s+of)?\s*(?P<m>{MONTH})(?![a-z])(?:,?\s*(?P<y>{YEAR}))?", re.I),
    # March 3, 2024; March 3rd
    re.compile(rf"(?P<m>{MONTH})\s*(?P<d>{DAY})(?![a-z])(?:,?\s*(?P<y>{YEAR}))?", re.I),
    # a bare day, its month to come ('3' of '3 to 7 March') or gone before ('7' of 'March 3 to 7')
    re.compile(rf"(?P<d>{DAY})(?![a-z])(?:,?\s*(?P<y>{YEAR}))?", re.I),
)
_SEPARATOR_RE = re.compile(
    rf"\s*(?:,?\s*(?:(?:to|until|till|through|and)\b|&)|[{DASHES}]+|,|;)\s*", re.I
)
_LEAD_RE = re.compile(r"\s*(?:(?:from|between|on)\s+)?", re.I)
# 'Monday 3 March to Friday 14 March': a weekday before an item is skipped
_WEEKDAY_RE = re.compile(
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+", re.I
)
_SPACE_RE = re.compile(r"\s*")


@dataclass
class _Item:
    day: int
    month: int | None
    year: int | None


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")[:3]]


def _day(text: str) -> int:
    return int(text.rstrip("stndrhSTNDRH"))


def make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _item_at(text: str, pos: int) -> tuple[_Item, int] | None:
    for pattern in _ITEM_RES:
        m = pattern.match(text, pos)
        if m:
            groups = m.groupdict()
            month = groups.get("m")
            number = groups.get("mn")
            if number is not None:
                found = int(number)
                if not 1 <= found <= 12:
                    continue
            else:
                found = _month(month) if month else None
            year = groups.get("y")
            return _Item(_day(m["d"]), found, int(year) if year else None), m.end()
    return None


def _items(text: str) -> list[_Item]:
    """The date items at the start of `text`, up to the last one that carries a year."""
    pos = _LEAD_RE.match(text).end()  # type: ignore[union-attr]
    items: list[_Item] = []
    while True:
        weekday = _WEEKDAY_RE.match(text, pos)
        got = _item_at(text, weekday.end() if weekday else pos)
        if got is None:
            break
        items.append(got[0])
        pos = got[1]
        sep = _SEPARATOR_RE.match(text, pos)
        if not sep or sep.end() == pos:
            break
        pos = sep.end()
    while items and items[-1].year is None:
        items.pop()
    return items


def _resolve(items: list[_Item]) -> list[date | None]:
    """Fill each item's month and year from the next item that has them.

    A month missing to the right comes from the left instead ('March 3 to 7, 2024').
    """
    months: list[int | None] = [item.month for item in items]
    following: int | None = None
    for i in range(len(items) - 1, -1, -1):
        months[i] = following = months[i] or following
    before: int | None = None
    for i, month in enumerate(months):
        months[i] = before = month or before
    out: list[date | None] = [None] * len(items)
    month: int | None = None
    year: int | None = None
    for i in range(len(items) - 1, -1, -1):
        m, y = months[i], items[i].year
        if y is None and year is not None and m is not None:
            y = year - 1 if month is not None and m > month else year
        if m is None or y is None:
            continue
        out[i] = make_date(y, m, items[i].day)
        month, year = m, y
    return out


def date_span(text: str) -> tuple[date | None, date | None]:
    """The first and last day of the date phrase at the start of `text` (None, None if none)."""
    dates = _resolve(_items(text[:160]))
    known = [d for d in dates if d]
    if not known or dates[0] is None:
        return (known[0], known[-1]) if known else (None, None)
    return dates[0], dates[-1] or known[-1]


def single_date(text: str) -> date | None:
    """One full date at the start of `text` ('19 January 2018')."""
    got = _item_at(text, _SPACE_RE.match(text).end())  # type: ignore[union-attr]
    if got is None or got[0].month is None or got[0].year is None:
        return None
    item = got[0]
    return make_date(item.year, item.month, item.day)  # type: ignore[arg-type]
