"""Article pages: the main text of a news page, its canonical URL and its stated date.

trafilatura finds the story in the page and leaves out what is not part of it: comments
('12 Responses to ...'), related-article links, navigation, newsletter sign-up boxes, tables of
share buttons. The canonical URL (`<link rel=canonical>`, else og:url) lets the same story on
two sites be stored once. Dates come only from what the page states in its metadata; nothing is
guessed from the URL or the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import html as lxml_html

from ingest.sources.html import strip_xml_declaration

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SPACE = re.compile(r"\s+")
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "dc.date.issued",
    "DC.date.issued",
    "date",
)
MIN_TEXT_CHARS = 40
"""Less main text than this is not an article (an index page, a login wall, an empty shell)."""


class ArticleError(Exception):
    """The page is not an article we can read; `reason` is the short recorded explanation."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class ExtractedArticle:
    title: str | None
    text: str
    canonical_url: str | None
    published: datetime | None


def content_hash(text: str) -> str:
    """sha256 of the text with whitespace and case normalised, to spot copies of one story."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().lower().encode("utf-8")).hexdigest()


def is_html(content: bytes, content_type: str) -> bool:
    """True for an HTML page; a PDF, an image or a download is not, whatever it claims."""
    head = content[:1024].lstrip().lower()
    if head.startswith(b"%pdf-") or content[:8].startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return False
    if content_type:
        return content_type in HTML_TYPES
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _metadata(document: lxml_html.HtmlElement, url: str) -> tuple[str | None, datetime | None]:
    """The page's canonical URL and stated publication date, from its head."""
    canonical = None
    for href in document.xpath(
        "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONICAL', "
        "'canonical')), ' '), ' canonical ')]/@href"
    ):
        if href.strip():
            canonical = urljoin(url, href.strip())
            break
    if canonical is None:
        for content in document.xpath("//meta[@property='og:url']/@content"):
            if content.strip():
                canonical = urljoin(url, content.strip())
                break
    if canonical is not None and urlsplit(canonical).scheme not in {"http", "https"}:
        canonical = None
    published = None
    for name in _DATE_META:
        for content in document.xpath(
            f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content"
        ):
            published = _parse_date(content)
            if published:
                return canonical, published
    for value in document.xpath("//time[@itemprop='datePublished']/@datetime"):
        published = _parse_date(value)
        if published:
            break
    return canonical, published


def _title(document: lxml_html.HtmlElement) -> str | None:
    for xpath in ("//meta[@property='og:title']/@content", "//h1//text()", "//title//text()"):
        values = [v.strip() for v in document.xpath(xpath) if v.strip()]
        if values:
            return _SPACE.sub(" ", " ".join(values) if xpath == "//h1//text()" else values[0])
    return None


def main_text(html: str) -> str | None:
    """The story's paragraphs only: comments, tables, links lists and boilerplate left out."""
    return trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        favor_precision=True,
        deduplicate=False,
        with_metadata=False,
    )


def extract_article(html: str, url: str) -> ExtractedArticle:
    """Read one HTML article page, or raise ArticleError saying why it is not one."""
    html = strip_xml_declaration(html)  # XHTML: lxml refuses a decoded str that declares one
    try:
        document = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ArticleError(url, f"the page could not be parsed as HTML ({exc})") from exc
    canonical, published = _metadata(document, url)
    text = main_text(html)
    if not text or len(text.strip()) < MIN_TEXT_CHARS:
        raise ArticleError(url, "no article text found on the page")
    return ExtractedArticle(
        title=_title(document), text=text.strip(), canonical_url=canonical, published=published
    )
