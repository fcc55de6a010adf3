"""The Ofsted reports site: the providers listing and each council's provider page.

Pure functions from a fetched page to records and follow-up URLs; no HTTP, no database.
The page around the links is reconstructed from other people's scrapers (shared/docs/sources.md),
so selectors use the most stable attributes (`/provider/` hrefs, `publication-link` anchors,
`/v1/file/` URLs) and a page that no longer matches raises LayoutChanged instead of returning
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from ingest.models import PublicationKind

SOURCE = "ofsted"
_URN = re.compile(r"^\d{4,9}$")
_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")
_SPACE = re.compile(r"\s+")


class LayoutChanged(Exception):
    """A page no longer looks the way the parser expects; names the URL and what was missing."""

    def __init__(self, url: str, what: str) -> None:
        super().__init__(f"{url}: page layout not recognised: {what}")
        self.url = url


@dataclass(frozen=True)
class ProviderLink:
    urn: str
    name: str
    url: str


@dataclass(frozen=True)
class ListingPage:
    providers: list[ProviderLink]
    next_url: str | None


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


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _text(node: Tag) -> str:
    return _SPACE.sub(" ", node.get_text(" ", strip=True)).strip()


def _next_link(soup: BeautifulSoup, page_url: str) -> str | None:
    """The `li.next` link of a `ul.pagination`, if the page has one."""
    for pagination in soup.select("ul.pagination, nav.pagination, .pagination"):
        link = pagination.select_one("li.next a[href], a[rel~=next][href]")
        if link is not None:
            return urljoin(page_url, str(link["href"]))
    return None


def listing_page_url(search_url: str, start: int) -> str:
    """The search URL with its `start` parameter set (the listing pages by offset)."""
    parts = urlsplit(search_url)
    query = parse_qs(parts.query, keep_blank_values=True)
    query["start"] = [str(start)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def parse_listing(html: str, page_url: str) -> ListingPage:
    """Provider links (URN, name, URL) on one page of the search listing."""
    soup = _soup(html)
    providers: dict[str, ProviderLink] = {}
    for link in soup.select("a[href*='/provider/']"):
        href = urljoin(page_url, str(link["href"]))
        urn = urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]
        name = _text(link)
        if _URN.match(urn) and name and urn not in providers:
            providers[urn] = ProviderLink(urn=urn, name=name, url=href)
    if not providers and not _looks_like_search_page(soup):
        raise LayoutChanged(
            page_url, "no provider links (a[href*='/provider/']) and no result list"
        )
    return ListingPage(providers=list(providers.values()), next_url=_next_link(soup, page_url))


def _looks_like_search_page(soup: BeautifulSoup) -> bool:
    """An empty last page is fine; a page without any search furniture is not."""
    return soup.select_one("form[action*='search'], .search-results, .results-list") is not None


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


def parse_provider_page(html: str, page_url: str) -> ProviderPage:
    """The publications listed on one page of a provider, newest first as the site lists them."""
    soup = _soup(html)
    heading = soup.select_one("h1")
    anchors = soup.select("a.publication-link[href]") or soup.select("a[href*='/v1/file/']")
    publications: list[PublicationLink] = []
    seen: set[str] = set()
    for anchor in anchors:
        url = urljoin(page_url, str(anchor["href"]))
        if url in seen:
            continue
        seen.add(url)
        hidden = anchor.select_one(".nonvisual")
        hidden_text = _text(hidden) if hidden else ""
        if hidden is not None:
            hidden.extract()
        title = _text(anchor) or hidden_text.split(",")[0].strip()
        if not title:
            raise LayoutChanged(page_url, f"publication link {url} has no title")
        publications.append(
            PublicationLink(
                url=url,
                title=title,
                kind=classify(title),
                published=parse_listing_date(hidden_text),
            )
        )
    if not publications and heading is None:
        raise LayoutChanged(page_url, "no publication links and no provider heading (h1)")
    return ProviderPage(
        name=_text(heading) if heading is not None else None,
        publications=publications,
        next_url=_next_link(soup, page_url),
    )
