"""The requests a day the default schedule makes, per source and per host.

Computed from the settings (config/settings.toml, or CSWATCH_SETTINGS_FILE) and what one run
asks of each site. A run is one process with its own polite client, so it reads each host's
robots.txt once. What is new each day is estimated from what the sites publish (stated below);
everything else is fixed by the settings. Run from the repo root:

    .venv/bin/python bench/fetch_schedule.py
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.settings import Settings, load_settings

COUNCILS = 153  # providers on Ofsted's listing
NEW_REPORTS_A_DAY = 1  # graded reports: a few a week across all councils
NEW_ARTICLES_A_DAY = {"communitycare": 8, "communitycare-children": 0, "lgc": 15, "govuk-dfe": 10}
"""New items a day per feed (the children's feed repeats the site feed's items: no new page)."""
NEW_GOVUK_RESULTS_A_DAY = 3
SEARCH_TOTAL = 1000  # results of a free-text search: more than max_pages pages of them


def _runs_a_day(settings: Settings, job: str) -> float:
    schedule = getattr(settings.schedule.jobs, job)
    if not schedule.enabled:
        return 0.0
    if schedule.interval_seconds:
        return 86400 / schedule.interval_seconds
    return 1.0  # a cron line: the defaults have none for sources


def main() -> int:
    settings = load_settings()
    per_host: Counter[str] = Counter()
    rows = []

    def add(source: str, what: str, host: str, count: float) -> None:
        per_host[host] += count
        rows.append((source, what, host, count))

    ofsted = _runs_a_day(settings, "ofsted")
    reports_host = urlsplit(settings.ofsted.search_url).netloc
    rows_a_page = 100
    listing_pages = math.ceil(COUNCILS / rows_a_page)
    add("ofsted", f"{listing_pages} listing pages a run", reports_host, ofsted * listing_pages)
    add("ofsted", f"{COUNCILS} provider pages a run (304s)", reports_host, ofsted * COUNCILS)
    add("ofsted", "robots.txt a run", reports_host, ofsted)
    add("ofsted", "new report files", "files.ofsted.gov.uk", NEW_REPORTS_A_DAY)
    add("ofsted", "robots.txt, runs with a new report", "files.ofsted.gov.uk", NEW_REPORTS_A_DAY)

    if settings.news.enabled:
        news = _runs_a_day(settings, "news")
        hosts = set()
        for feed in settings.news.feeds:
            host = urlsplit(feed.url).netloc
            hosts.add(host)
            add("news", f"feed {feed.name}", host, news)
            add("news", f"new articles of {feed.name}", host, NEW_ARTICLES_A_DAY.get(feed.name, 5))
        for listing in settings.news.listings:
            hosts.add(urlsplit(listing.url).netloc)
            add("news", f"listing {listing.name}", urlsplit(listing.url).netloc, news)
        for host in sorted(hosts):
            add("news", "robots.txt a run", host, news)

    if settings.govuk.enabled:
        govuk = _runs_a_day(settings, "govuk")
        host = urlsplit(settings.govuk.search_url).netloc
        pages = min(settings.govuk.max_pages, math.ceil(SEARCH_TOTAL / settings.govuk.count))
        searches = len(settings.govuk.queries) + len(settings.govuk.document_types)
        add("govuk", f"{searches} searches x {pages} pages a run", host, govuk * searches * pages)
        add("govuk", "robots.txt a run", host, govuk)
        add("govuk", "new results' content items", host, NEW_GOVUK_RESULTS_A_DAY)

    if settings.statistics.enabled:
        statistics = _runs_a_day(settings, "statistics")
        host = urlsplit(settings.statistics.content_api_url).netloc
        add(
            "statistics",
            "this year's page (404 until published) and last year's",
            host,
            2 * statistics,
        )
        add("statistics", "robots.txt a run", host, statistics)

    width = max(len(r[1]) for r in rows)
    for source, what, host, count in rows:
        print(f"{source:<10} {what:<{width}} {host:<28} {count:7.0f}/day")
    print()
    for host, count in per_host.most_common():
        print(
            f"{host:<32} {count:6.0f} requests/day  (one every {86400 / count:5.0f} s on average)"
        )
    print(f"{'total':<32} {sum(per_host.values()):6.0f} requests/day")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
