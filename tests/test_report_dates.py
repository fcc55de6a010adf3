"""Date phrases of every shape Ofsted prints, read by ingest.extract.dates."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.extract.dates import date_span, single_date

D = date

SPANS = [
    ("27 September to 8 October 2021 Lead inspector", D(2021, 9, 27), D(2021, 10, 8)),
    ("20 to 31 January 2025", D(2025, 1, 20), D(2025, 1, 31)),
    ("5 and 6 February 2019. The inspectors", D(2019, 2, 5), D(2019, 2, 6)),
    ("between 20 and 22 October 2020.", D(2020, 10, 20), D(2020, 10, 22)),
    ("on 30 June 2021. Her Majesty", D(2021, 6, 30), D(2021, 6, 30)),
    ("3 December 2018 to 14 December 2018", D(2018, 12, 3), D(2018, 12, 14)),
    # several spans: an inspection paused and resumed
    ("3 to 7 March and 24 to 25 April 2025", D(2025, 3, 3), D(2025, 4, 25)),
    ("3 to 7 March 2025 and 24 to 25 April 2025", D(2025, 3, 3), D(2025, 4, 25)),
    ("28 February to 4 March, and 20 to 24 June 2022", D(2022, 2, 28), D(2022, 6, 24)),
    ("1 to 3 July; 8 to 10 July 2019", D(2019, 7, 1), D(2019, 7, 10)),
    ("10, 11 and 18 May 2016", D(2016, 5, 10), D(2016, 5, 18)),
    # any dash, spaced or not
    ("14 \u2013 25 May 2012", D(2012, 5, 14), D(2012, 5, 25)),
    ("14\u201325 May 2012", D(2012, 5, 14), D(2012, 5, 25)),
    ("14 \u2014 25 May 2012", D(2012, 5, 14), D(2012, 5, 25)),
    ("14\u250025 May 2012", D(2012, 5, 14), D(2012, 5, 25)),
    ("14 \u2500 25 May 2012", D(2012, 5, 14), D(2012, 5, 25)),
    ("14\u221225 May 2012", D(2012, 5, 14), D(2012, 5, 25)),
    ("14-25 May 2012", D(2012, 5, 14), D(2012, 5, 25)),
    ("27 February\u201310 March 2023", D(2023, 2, 27), D(2023, 3, 10)),
    ("27February to 10March2023", D(2023, 2, 27), D(2023, 3, 10)),
    # crossing a year
    ("29 December to 9 January 2015", D(2014, 12, 29), D(2015, 1, 9)),
    ("29 December 2014 \u2013 9 January 2015", D(2014, 12, 29), D(2015, 1, 9)),
    ("8 to 12 December and 5 to 9 January 2015", D(2014, 12, 8), D(2015, 1, 9)),
    # day-month-year order variations
    ("March 3 to 7, 2024", D(2024, 3, 3), D(2024, 3, 7)),
    ("March 3rd to March 7th, 2024", D(2024, 3, 3), D(2024, 3, 7)),
    ("3rd of March to 7th of March 2024", D(2024, 3, 3), D(2024, 3, 7)),
    ("1st\u20135th Sept. 2014", D(2014, 9, 1), D(2014, 9, 5)),
    ("03/03/2024 to 07/03/2024", D(2024, 3, 3), D(2024, 3, 7)),
    ("3.3.2024\u20137.3.2024", D(2024, 3, 3), D(2024, 3, 7)),
    # weekdays and ampersands (first missed on the held-out set, then fixed)
    ("Tuesday 4 to Friday 14 March 2025", D(2025, 3, 4), D(2025, 3, 14)),
    ("Wed. 4 June to Thurs 5 June 2025", D(2025, 6, 4), D(2025, 6, 5)),
    ("4-6 June & 9-11 June 2025", D(2025, 6, 4), D(2025, 6, 11)),
]


@pytest.mark.parametrize(("text", "start", "end"), SPANS, ids=[s[0] for s in SPANS])
def test_date_span(text: str, start: date, end: date) -> None:
    assert date_span(text) == (start, end)


@pytest.mark.parametrize(
    "text", ["", "Lead inspector: Steve Lowe", "2021", "31 February 2021", "13/13/2020"]
)
def test_no_date(text: str) -> None:
    assert date_span(text) == (None, None)


def test_stops_at_the_first_phrase() -> None:
    text = "11 to 15 March 2024 Dates of previous inspection: 23 to 27 January 2017"
    assert date_span(text) == (D(2024, 3, 11), D(2024, 3, 15))
    assert date_span("27 September to 8 October 2021 2") == (D(2021, 9, 27), D(2021, 10, 8))


def test_single_date() -> None:
    assert single_date("19 January 2018 Children's") == D(2019 - 1, 1, 19)
    assert single_date(" 3rd of March, 2024") == D(2024, 3, 3)
    assert single_date("March 2024") is None
