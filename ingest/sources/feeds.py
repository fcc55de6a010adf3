"""RSS 2.0 and Atom feeds: bytes in (fetched by the polite client), feed items out.

feedparser only ever sees bytes, so it never fetches anything itself. A malformed feed is not
all-or-nothing: feedparser's 'bozo' flag says the XML was broken, and whatever entries it could
still read are used, with a warning saying so; a feed with no readable entry is an error.
"""

from __future__ import annotations

import calendar
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


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]
    total: int  # entries in the feed, before the cap
    warning: str | None  # malformed XML that still yielded entries


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    """The item's own date: published (RSS pubDate, Atom published), else Atom's updated."""
    for key in ("published_parsed", "updated_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


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
    content: bytes, url: str, *, max_items: int, content_type: str | None = None
) -> ParsedFeed:
    """The first `max_items` items (feeds list newest first) of an RSS or Atom document."""
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
    for entry in entries[:max_items]:
        link = _link(entry, url)
        if link is None:
            continue
        items.append(
            FeedItem(
                url=link,
                title=(entry.get("title") or "").strip() or None,
                published=_when(entry),
                summary=entry.get("summary") or None,
            )
        )
    return ParsedFeed(
        title=parsed.feed.get("title"), items=items, total=len(entries), warning=warning
    )
