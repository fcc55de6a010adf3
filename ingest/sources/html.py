"""The HTML format base: selectors that say how many matches they expect, and layouts.

A scraped page changes without notice. A selector that silently matches nothing turns a changed
page into 'no news', so every selector states the number of matches it expects and raises
`LayoutChanged`, naming the page and the selector, when the page disagrees. A page may be read
by one of several `Layout`s (the live markup, and an older one we still meet); the first layout
whose anchor selector is on the page reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACE = re.compile(r"\s+")


class LayoutChanged(Exception):
    """A page no longer looks the way its parser expects; names the page and the selector."""

    def __init__(self, url: str, what: str, *, selector: str | None = None) -> None:
        super().__init__(f"{url}: page layout not recognised: {what}")
        self.url = url
        self.selector = selector


@dataclass(frozen=True)
class Selector:
    """A CSS selector and how many matches a page of the expected layout has."""

    css: str
    min: int = 1
    max: int | None = None

    def expected(self) -> str:
        if self.max is None:
            return f"at least {self.min}"
        return f"exactly {self.min}" if self.min == self.max else f"{self.min} to {self.max}"

    def select(self, root: Tag, page_url: str) -> list[Tag]:
        """Every match, or LayoutChanged when their number is not what the layout promises."""
        found = root.select(self.css)
        if len(found) < self.min or (self.max is not None and len(found) > self.max):
            raise LayoutChanged(
                page_url,
                f"selector {self.css!r} matched {len(found)} element(s),"
                f" expected {self.expected()}",
                selector=self.css,
            )
        return found

    def one(self, root: Tag, page_url: str) -> Tag | None:
        """The first match (None when the selector allows none and there is none)."""
        found = self.select(root, page_url)
        return found[0] if found else None


def soup(html: str) -> BeautifulSoup:
    """Parse a page; an XHTML page that opens with an XML declaration is read like any other."""
    return BeautifulSoup(_XML_DECLARATION.sub("", html, count=1), "lxml")


def strip_xml_declaration(html: str) -> str:
    """lxml refuses a str that declares its own encoding; the text is already decoded."""
    return _XML_DECLARATION.sub("", html, count=1)


def text_of(node: Tag) -> str:
    return _SPACE.sub(" ", node.get_text(" ", strip=True)).strip()


def href(node: Tag, page_url: str) -> str:
    return urljoin(page_url, str(node.get("href") or ""))


@dataclass(frozen=True)
class ListingLayout:
    """A listing page: items (each a link to a page of its own) and an optional next link.

    `anchor` identifies the layout (it must be on the page); `items` are the repeated entries
    and `link` the anchors inside each entry (`:scope` when the entry is the anchor itself);
    an entry without a link is skipped, not an error, when `link` allows none.
    """

    name: str
    anchor: Selector
    items: Selector
    link: Selector | None  # None: the entry is the anchor itself
    next_link: Selector | None = None

    def matches(self, root: Tag) -> bool:
        return root.select_one(self.anchor.css) is not None


@dataclass(frozen=True)
class ListedLink:
    url: str
    text: str
    node: Tag


@dataclass(frozen=True)
class ListingRead:
    layout: str
    links: list[ListedLink]
    next_url: str | None


def read_listing(
    root: Tag, page_url: str, layouts: tuple[ListingLayout, ...], *, what: str
) -> ListingRead:
    """The links on a listing page by the first layout that fits, else LayoutChanged."""
    for layout in layouts:
        if not layout.matches(root):
            continue
        layout.anchor.select(root, page_url)
        links = []
        for item in layout.items.select(root, page_url):
            anchors = [item] if layout.link is None else layout.link.select(item, page_url)
            for anchor in anchors:
                if anchor.get("href"):
                    links.append(ListedLink(href(anchor, page_url), text_of(anchor), anchor))
        next_url = None
        if layout.next_link is not None:
            node = layout.next_link.one(root, page_url)
            if node is not None and node.get("href"):
                next_url = href(node, page_url)
        return ListingRead(layout.name, links, next_url)
    tried = " or ".join(repr(layout.anchor.css) for layout in layouts)
    raise LayoutChanged(page_url, f"not a {what}: none of {tried} is on the page", selector=tried)
