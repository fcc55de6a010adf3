"""GOV.UK: the search API (JSON pages of results) and the content API (one page as JSON).

Pure functions: URLs in, parsed records out. The search API answers an unknown parameter with
HTTP 422, so the URL is built from a fixed list of parameters and fields only. A result's page
is read through the content API (`/api/content<path>`), whose JSON carries the body HTML without
the site's navigation, so no boilerplate removal is needed.

Statutory directions are typed `decision` (`filter_content_store_document_type=decision`).
Content items come in two shapes: before April 2026 `details.documents` (HTML strings), since
then `details.attachments` (objects with a title, URL and filename); both are read and the
attachments' titles kept. One malformed search result (wrong types, absurd nesting) fails alone:
the others on the page are still read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import html as lxml_html

SOURCE = "govuk"
FIELDS = (
    "title",
    "link",
    "public_timestamp",
    "description",
    "format",
    "content_store_document_type",
)
_SPACE = re.compile(r"[ \t\r\f\v]+")


class GovukError(Exception):
    """A GOV.UK answer is not what the API documents; names the URL and what was wrong."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class SearchResult:
    title: str | None
    link: str  # absolute URL of the page on GOV.UK
    published: datetime | None  # public_timestamp: first published, or last major change
    description: str | None
    format: str | None
    document_type: str | None = None  # content_store_document_type ('decision', ...)


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    total: int
    start: int
    rejected: list[str] = field(default_factory=list)  # why each malformed result was left out


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str | None
    filename: str | None
    content_type: str | None
    attachment_type: str | None


@dataclass(frozen=True)
class ContentPage:
    title: str | None
    text: str
    published: datetime | None
    updated: datetime | None = None
    document_type: str | None = None
    attachments: tuple[Attachment, ...] = ()
    documents: tuple[str, ...] = ()  # the older shape's HTML fragments, as given


def search_url(
    endpoint: str,
    query: str,
    *,
    start: int = 0,
    count: int = 50,
    organisations: tuple[str, ...] = (),
    document_type: str | None = None,
) -> str:
    """One page of a search, newest first, asking only for the fields we read."""
    params: list[tuple[str, str | int]] = [("q", query)] if query else []
    if document_type:
        params.append(("filter_content_store_document_type", document_type))
    params += [("filter_organisations", org) for org in organisations]
    params += [("order", "-public_timestamp"), ("count", count), ("start", start)]
    params += [("fields", name) for name in FIELDS]
    return f"{endpoint}?{urlencode(params)}"


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _json(content: bytes, url: str) -> dict[str, object]:
    try:
        data = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GovukError(url, f"the answer is not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise GovukError(url, "the answer is not a JSON object")
    return data


def _optional_str(result: dict[str, object], key: str) -> str | None:
    value = result.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} is {type(value).__name__}, not a string")
    return value


def _result(result: object, url: str) -> SearchResult:
    if not isinstance(result, dict):
        raise ValueError(f"a {type(result).__name__}, not an object")
    link = result.get("link")
    if not isinstance(link, str) or not link.strip():
        raise ValueError("no 'link' string")
    timestamp = _optional_str(result, "public_timestamp")
    return SearchResult(
        title=_optional_str(result, "title"),
        link=urljoin(url, link.strip()),
        published=_timestamp(timestamp),
        description=_optional_str(result, "description"),
        format=_optional_str(result, "format"),
        document_type=_optional_str(result, "content_store_document_type"),
    )


def _results_one_by_one(text: str, url: str) -> tuple[list[object], int | None, int | None]:
    """The results array read item by item, for an answer too deeply nested to load whole: an
    item that cannot be decoded is replaced by the reason, and the rest are kept."""
    match = re.search(r'"results"\s*:\s*\[', text)
    if match is None:
        raise GovukError(url, "search answer has no 'results' list (API changed?)")
    decoder = json.JSONDecoder()
    items: list[object] = []
    index = match.end()
    while True:
        index = _skip_space(text, index)
        if index >= len(text):
            raise GovukError(url, "search answer ends inside the 'results' list")
        if text[index] == "]":
            break
        try:
            item, index = decoder.raw_decode(text, index)
        except (RecursionError, json.JSONDecodeError) as exc:
            items.append(_Unreadable(f"could not be decoded ({type(exc).__name__})"))
            index = _skip_value(text, index)
        else:
            items.append(item)
        index = _skip_space(text, index)
        if index < len(text) and text[index] == ",":
            index += 1
    totals = [re.search(rf'"{key}"\s*:\s*(\d+)', text) for key in ("total", "start")]
    total, start = (int(m.group(1)) if m else None for m in totals)
    return items, total, start


@dataclass(frozen=True)
class _Unreadable:
    reason: str


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _skip_value(text: str, index: int) -> int:
    """The index just past the JSON value starting at `index` (strings and brackets only)."""
    depth = 0
    in_string = False
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                return index + 1
        elif char == "," and depth == 0:
            return index
        index += 1
    return index


def parse_search(content: bytes, url: str) -> SearchPage:
    """`{"results": [...], "total", "start"}`; a malformed result is left out with its reason."""
    try:
        data: dict[str, object] | None = _json(content, url)
    except RecursionError:
        data = None
    if data is not None:
        results = data.get("results")
        if not isinstance(results, list):
            raise GovukError(url, "search answer has no 'results' list (API changed?)")
        total, start = data.get("total"), data.get("start")
    else:
        text = content.decode("utf-8", errors="replace")
        results, total, start = _results_one_by_one(text, url)
    parsed: list[SearchResult] = []
    rejected: list[str] = []
    for number, result in enumerate(results):
        try:
            if isinstance(result, _Unreadable):
                raise ValueError(result.reason)
            parsed.append(_result(result, url))
        except (ValueError, RecursionError) as exc:
            rejected.append(f"search result {number} at {url} left out: {exc}")
    return SearchPage(
        results=parsed,
        total=total if isinstance(total, int) else len(parsed),
        start=start if isinstance(start, int) else 0,
        rejected=rejected,
    )


def content_api_url(page_url: str) -> str:
    """https://www.gov.uk/government/x -> https://www.gov.uk/api/content/government/x."""
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}/api/content{parts.path}"


def _html_text(fragment: str) -> str:
    """Paragraph text of a body HTML fragment, one block per line."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = []
    for node in root.iter("p", "li", "h2", "h3", "h4", "td"):
        text = _SPACE.sub(" ", node.text_content()).strip()
        if text and not any(text in b for b in blocks[-1:]):
            blocks.append(text)
    return "\n".join(blocks) or _SPACE.sub(" ", root.text_content()).strip()


def _attachments(details: dict[str, object]) -> tuple[Attachment, ...]:
    """`details.attachments` (the 2026 shape): the title of each, and where its file is."""
    found = []
    raw = details.get("attachments")
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            continue
        found.append(
            Attachment(
                title=item["title"].strip(),
                url=item.get("url") if isinstance(item.get("url"), str) else None,
                filename=item.get("filename") if isinstance(item.get("filename"), str) else None,
                content_type=item.get("content_type")
                if isinstance(item.get("content_type"), str)
                else None,
                attachment_type=item.get("attachment_type")
                if isinstance(item.get("attachment_type"), str)
                else None,
            )
        )
    return tuple(found)


def parse_content(content: bytes, url: str) -> ContentPage:
    """A content item: its title, body text, the titles of its documents or attachments (both
    shapes), its type and its first publication and last update dates."""
    try:
        data = _json(content, url)
    except RecursionError as exc:
        raise GovukError(url, "the content item is nested too deeply to read") from exc
    details = data.get("details")
    details = details if isinstance(details, dict) else {}
    parts = []
    if isinstance(data.get("description"), str):
        parts.append(data["description"].strip())  # type: ignore[union-attr]
    body = details.get("body")
    if isinstance(body, str):
        parts.append(_html_text(body))
    raw_documents = details.get("documents")
    documents = tuple(
        d for d in (raw_documents if isinstance(raw_documents, list) else []) if isinstance(d, str)
    )
    parts += [_html_text(document) for document in documents]
    attachments = _attachments(details)
    if attachments:
        parts.append("Attachments:")
        parts += [a.title for a in attachments if a.title]
    text = "\n".join(p for p in parts if p)
    if not text:
        raise GovukError(url, "the content item has no body, description, documents or attachments")
    published = _timestamp(data.get("first_published_at")) or _timestamp(
        data.get("public_updated_at")
    )
    title = data.get("title")
    document_type = data.get("document_type")
    return ContentPage(
        title=title if isinstance(title, str) and title.strip() else None,
        text=text,
        published=published,
        updated=_timestamp(data.get("public_updated_at")),
        document_type=document_type if isinstance(document_type, str) else None,
        attachments=attachments,
        documents=documents,
    )
