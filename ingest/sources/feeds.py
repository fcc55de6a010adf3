"""RSS 2.0 and Atom feeds: bytes in (fetched by the polite client), feed items out.

feedparser only ever sees bytes, so it never fetches anything itself. A malformed feed is not
all-or-nothing: feedparser's 'bozo' flag says the XML was broken, and whatever entries it could
still read are used, with a warning saying so; a feed with no readable entry is an error.

A feed that declares entities is refused before any parser sees it: expat refuses to expand
them, but feedparser then falls back to a loose parser that does, and a 100 KB 'billion laughs'
feed became a 2 GB string. No real news feed declares entities.

Items are de-duplicated by link (GOV.UK's Atom feed gives an edited page a new entry id, so the
same page can be listed twice). GOV.UK prefixes every title with its display type ('Decision:
Revised direction issued to ...'); `titles_have_type` strips it into `FeedItem.display_type`.
"""

from __future__ import annotations

import calendar
import codecs
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser


class FeedError(Exception):
    """The bytes are not a feed we can read anything from; names the URL and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"feed {url}: {reason}")
        self.url = url


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None
    published: datetime | None  # None when the item states no date: never invented
    summary: str | None
    updated: datetime | None = None  # Atom's updated, when the feed states it
    display_type: str | None = None  # GOV.UK's 'Decision', 'News story', ...


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]
    total: int  # entries in the feed, before the cap
    warning: str | None  # malformed XML that still yielded entries


def _when(entry: feedparser.FeedParserDict, *keys: str) -> datetime | None:
    """The first of the item's own dates that it states (never invented)."""
    for key in keys:
        parsed: time.struct_time | None = dict.get(entry, key)  # no legacy key aliasing
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_DISPLAY_TYPE = re.compile(r"^(?P<type>[A-Z][A-Za-z ,()'-]{1,40}):\s+(?P<title>\S.*)$", re.S)


def _declares_entities(content: bytes) -> bool:
    if _ENTITY_DECLARATION.search(content):
        return True
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if content.startswith(bom):
            text = content[len(bom) :].decode(codec, errors="replace")
            return "<!entity" in text.lower()
    return False


def split_display_type(title: str) -> tuple[str | None, str]:
    """'Decision: Revised direction issued to X' -> ('Decision', 'Revised direction ...')."""
    match = _DISPLAY_TYPE.match(title)
    if match is None:
        return None, title
    return match["type"].strip(), match["title"].strip()


def _link(entry: feedparser.FeedParserDict, feed_url: str) -> str | None:
    """The item's page: its link (Atom rel=alternate first), else a permalink guid."""
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return urljoin(feed_url, link["href"])
    if entry.get("link"):
        return urljoin(feed_url, entry["link"])
    guid = entry.get("id") or ""
    if entry.get("guidislink") and guid.startswith(("http://", "https://")):
        return guid
    return None


# feedparser also raises 'bozo' for a missing or unusual Content-Type and for an encoding it had
# to guess; the XML itself was fine then, so that is not worth a warning.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def parse_feed(
    content: bytes,
    url: str,
    *,
    max_items: int,
    content_type: str | None = None,
    titles_have_type: bool = False,
) -> ParsedFeed:
    """The first `max_items` items (feeds list newest first) of an RSS or Atom document."""
    if _declares_entities(content):
        raise FeedError(
            url,
            "refused: the feed declares XML entities (<!ENTITY>), which can expand without"
            " bound; no news feed needs them",
        )
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers)
    entries = parsed.entries
    warning = None
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), _HARMLESS):
        reason = str(parsed.get("bozo_exception") or "unreadable").strip()
        if not entries:
            raise FeedError(url, f"malformed feed, no item could be read ({reason})")
        warning = (
            f"feed {url}: malformed XML ({reason}); used the {len(entries)} "
            f"item{'s' if len(entries) != 1 else ''} that could still be read"
        )
    elif not entries and not parsed.get("version"):
        raise FeedError(url, "not an RSS or Atom feed")
    items = []
    links: set[str] = set()
    for entry in entries[:max_items]:
        link = _link(entry, url)
        if link is None or link in links:
            continue
        links.add(link)
        title = (entry.get("title") or "").strip() or None
        display_type = None
        if titles_have_type and title:
            display_type, title = split_display_type(title)
        items.append(
            FeedItem(
                url=link,
                title=title,
                published=_when(entry, "published_parsed", "updated_parsed"),
                summary=entry.get("summary") or None,
                updated=_when(entry, "updated_parsed"),
                display_type=display_type,
            )
        )
    return ParsedFeed(
        title=parsed.feed.get("title"), items=items, total=len(entries), warning=warning
    )
