"""Provenance: which sources may make a fact 'confirmed' (docs/provenance.md says why).

A fact is confirmed only when an official or primary source states it: an Ofsted report, a
GOV.UK page, the council itself (its own site, which for English councils is under gov.uk), or
the reviewed reference data with a source for the date. Anything else, however many news sites
repeat it, is 'reported'. An event's stored `confirmed` flag (set from the feed's `official`
setting) is honoured only for the GOV.UK run's pages or when the article's own address is
primary: a mis-set feed cannot promote news to confirmed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

CONFIRMED = "confirmed"
REPORTED = "reported"

REFERENCE_SOURCE = "reference"  # the reviewed reference data (config/arrangements.csv)

# Hosts whose pages are official or primary for a council's children's services. Councils' own
# sites are under gov.uk, so the one suffix covers GOV.UK, Ofsted and the councils.
PRIMARY_HOST_SUFFIXES = ("gov.uk",)


def is_primary_url(url: str | None) -> bool:
    """Whether the address is an official or primary source (https, under gov.uk)."""
    if not url:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme != "https" or not host:
        return False
    return any(host == suffix or host.endswith("." + suffix) for suffix in PRIMARY_HOST_SUFFIXES)


# Sources that are official by construction: the GOV.UK run reads only GOV.UK's own search and
# content APIs (whatever host serves them, as in the tests' replica).
OFFICIAL_SOURCES = frozenset({"govuk", REFERENCE_SOURCE})


def event_confirmed(stored_confirmed: bool, article_source: str, article_url: str | None) -> bool:
    """An event counts as confirmed only if stored so and its article is a primary source:
    read by an official source's run, or at a primary address (a feed set `official` in the
    settings but serving news pages stays 'reported')."""
    return bool(stored_confirmed) and is_official_article(article_source, article_url)


def is_official_article(article_source: str, article_url: str | None) -> bool:
    """Whether a stored page is an official or primary source."""
    return article_source in OFFICIAL_SOURCES or is_primary_url(article_url)


def label(confirmed: bool | None) -> str | None:
    """'confirmed', 'reported', or None when nothing is known (in house by default)."""
    if confirmed is None:
        return None
    return CONFIRMED if confirmed else REPORTED
