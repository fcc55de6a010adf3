"""The Ofsted reports site: the providers listing and each council's provider page.

Pure functions from a fetched page to records and follow-up URLs; no HTTP, no database.
Selectors follow the recorded live markup (shared/docs/sources.md) and state how many matches
they expect (ingest/sources/html.py); the older markup our replica used to serve is read as a
second layout. A page that fits neither raises LayoutChanged naming the page and the selector;
a provider page that is really Ofsted's 'Report not found' page is an error, not an empty list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from ingest.models import PublicationKind
from ingest.sources.html import (
    LayoutChanged,
    ListingLayout,
    Selector,
    read_listing,
    soup,
    text_of,
)

__all__ = ["LayoutChanged"]

SOURCE = "ofsted"
DEFAULT_ROWS = 100
_URN = re.compile(r"^\d{3,9}$")
_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")

LISTING_LAYOUTS = (
    # Live (recorded): ul.results-list > li > h3 > a, next page a.pagination__next.
    ListingLayout(
        name="results-list",
        anchor=Selector("ul.results-list", min=1, max=1),
        items=Selector("ul.results-list > li", min=0),
        link=Selector("h3 > a[href*='/provider/']", min=0, max=1),
        next_link=Selector("a.pagination__next[href], ul.pagination li.next a[href]", min=0),
    ),
    # Older scrapers' markup: provider links anywhere in the search results.
    ListingLayout(
        name="search-results",
        anchor=Selector(".search-results, form[action*='search']", min=1),
        items=Selector(".search-results a[href*='/provider/'], main a[href*='/provider/']", min=0),
        link=None,
        next_link=Selector("ul.pagination li.next a[href], a[rel~=next][href]", min=0),
    ),
)

PROVIDER_LAYOUTS = (
    # Live (recorded): one page per provider, ol.timeline > li.timeline__day; days that only
    # mark an event (li.timeline__day--opened) have no link and are skipped.
    ListingLayout(
        name="timeline",
        anchor=Selector("ol.timeline", min=1, max=1),
        items=Selector("ol.timeline > li.timeline__day", min=1),
        link=Selector("a.publication-link[href]", min=0),
    ),
    # The markup our replica served before the live one was recorded: publication links under
    # an h1, paged with ul.pagination.
    ListingLayout(
        name="publication-links",
        anchor=Selector("a.publication-link[href]", min=1),
        items=Selector("a.publication-link[href]", min=1),
        link=None,
        next_link=Selector("ul.pagination li.next a[href]", min=0),
    ),
)


class ReportNotFound(LayoutChanged):
    """Ofsted answered 200 with its 'Report not found' page instead of the provider page."""

    def __init__(self, url: str) -> None:
        Exception.__init__(
            self, f"{url}: Ofsted answered with its 'Report not found' page, not a provider page"
        )
        self.url = url
        self.selector = None


@dataclass(frozen=True)
class ProviderLink:
    urn: str
    name: str
    url: str


@dataclass(frozen=True)
class ListingPage:
    providers: list[ProviderLink]
    next_url: str | None
    items: int = 0  # result entries on the page (a short page is the last one)
    layout: str = ""


@dataclass(frozen=True)
class PublicationLink:
    url: str
    title: str
    kind: PublicationKind
    published: date | None


@dataclass(frozen=True)
class ProviderPage:
    name: str | None
    publications: list[PublicationLink]
    next_url: str | None
    layout: str = ""


def listing_page_url(search_url: str, start: int) -> str:
    """The search URL with its `start` parameter set (the listing pages by offset)."""
    parts = urlsplit(search_url)
    query = parse_qs(parts.query, keep_blank_values=True)
    query["start"] = [str(start)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def listing_rows(search_url: str) -> int:
    """Rows per listing page asked for in the search URL (the site's limit is 100)."""
    values = parse_qs(urlsplit(search_url).query).get("rows", [])
    return int(values[0]) if values and values[0].isdigit() else DEFAULT_ROWS


def listing_start(url: str) -> int:
    values = parse_qs(urlsplit(url).query).get("start", [])
    return int(values[0]) if values and values[0].isdigit() else 0


def parse_listing(html: str, page_url: str) -> ListingPage:
    """Provider links (URN, name, URL) on one page of the search listing."""
    read = read_listing(soup(html), page_url, LISTING_LAYOUTS, what="providers listing")
    providers: dict[str, ProviderLink] = {}
    for link in read.links:
        urn = urlsplit(link.url).path.rstrip("/").rsplit("/", 1)[-1]
        if _URN.match(urn) and link.text and urn not in providers:
            providers[urn] = ProviderLink(urn=urn, name=link.text, url=link.url)
    return ListingPage(
        providers=list(providers.values()),
        next_url=read.next_url,
        items=len(read.links),
        layout=read.layout,
    )


_KIND_RULES: tuple[tuple[re.Pattern[str], PublicationKind], ...] = (
    (re.compile(r"focused visit", re.I), PublicationKind.FOCUSED_VISIT),
    (re.compile(r"monitoring visit", re.I), PublicationKind.MONITORING_VISIT),
    (
        re.compile(r"joint targeted|joint area child protection|\bJTAI\b", re.I),
        PublicationKind.JTAI,
    ),
    (re.compile(r"\bSEND\b|special educational needs", re.I), PublicationKind.AREA_SEND),
    (
        re.compile(r"children'?s services inspection|inspection of .*children'?s services", re.I),
        PublicationKind.FULL_INSPECTION,
    ),
)


def classify(title: str) -> PublicationKind:
    """The publication's kind from its title; unknown titles are kept as OTHER, never dropped."""
    normalised = title.replace("’", "'")
    for pattern, kind in _KIND_RULES:
        if pattern.search(normalised):
            return kind
    return PublicationKind.OTHER


def parse_listing_date(text: str) -> date | None:
    """'Area SEND full inspection, pdf - 15 July 2024' -> 2024-07-15 (the last date in the text)."""
    found = None
    for day, month, year in _DATE.findall(text):
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                found = datetime.strptime(f"{day} {month} {year}", fmt).date()
                break
            except ValueError:
                continue
    return found


def _not_found(page: BeautifulSoup) -> bool:
    title = page.title.get_text(" ", strip=True) if page.title else ""
    heading = page.select_one("h1")
    words = f"{title} {text_of(heading) if heading else ''}".lower()
    return "report not found" in words


def parse_provider_page(html: str, page_url: str) -> ProviderPage:
    """The publications listed on a provider's page, newest first as the site lists them."""
    page = soup(html)
    if _not_found(page):
        raise ReportNotFound(page_url)
    read = read_listing(page, page_url, PROVIDER_LAYOUTS, what="provider page")
    heading = page.select_one("h1.heading--title") or page.select_one("h1")
    publications: list[PublicationLink] = []
    seen: set[str] = set()
    for link in read.links:
        if link.url in seen:
            continue
        seen.add(link.url)
        hidden = link.node.select_one(".nonvisual")
        hidden_text = text_of(hidden) if hidden else ""
        if hidden is not None:
            hidden.extract()
        title = text_of(link.node) or hidden_text.split(",")[0].strip()
        if not title:
            raise LayoutChanged(page_url, f"publication link {link.url} has no title")
        publications.append(
            PublicationLink(
                url=link.url,
                title=title,
                kind=classify(title),
                published=parse_listing_date(hidden_text),
            )
        )
    return ProviderPage(
        name=text_of(heading) if heading is not None else None,
        publications=publications,
        next_url=read.next_url,
        layout=read.layout,
    )
