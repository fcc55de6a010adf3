"""GOV.UK: the search API (JSON pages of results) and the content API (one page as JSON).

Pure functions: URLs in, parsed records out. The search API answers an unknown parameter with
HTTP 422, so the URL is built from a fixed list of parameters and fields only. A result's page
is read through the content API (`/api/content<path>`), whose JSON carries the body HTML without
the site's navigation, so no boilerplate removal is needed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import html as lxml_html

SOURCE = "govuk"
FIELDS = ("title", "link", "public_timestamp", "description", "format")
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
    published: datetime | None
    description: str | None
    format: str | None


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    total: int
    start: int


@dataclass(frozen=True)
class ContentPage:
    title: str | None
    text: str
    published: datetime | None


def search_url(
    endpoint: str,
    query: str,
    *,
    start: int = 0,
    count: int = 50,
    organisations: tuple[str, ...] = (),
) -> str:
    """One page of a search, newest first, asking only for the fields we read."""
    params: list[tuple[str, str | int]] = [("q", query)]
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


def parse_search(content: bytes, url: str) -> SearchPage:
    """`{"results": [...], "total", "start"}`; results without a link are left out."""
    data = _json(content, url)
    results = data.get("results")
    if not isinstance(results, list):
        raise GovukError(url, "search answer has no 'results' list (API changed?)")
    parsed = []
    for result in results:
        if not isinstance(result, dict) or not isinstance(result.get("link"), str):
            continue
        parsed.append(
            SearchResult(
                title=result.get("title") or None,
                link=urljoin(url, result["link"]),
                published=_timestamp(result.get("public_timestamp")),
                description=result.get("description") or None,
                format=result.get("format") or None,
            )
        )
    total = data.get("total")
    start = data.get("start")
    return SearchPage(
        results=parsed,
        total=total if isinstance(total, int) else len(parsed),
        start=start if isinstance(start, int) else 0,
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


def parse_content(content: bytes, url: str) -> ContentPage:
    """A content item: its title, body text (or, for a bare publication, its summary and the
    titles of its documents) and first publication date."""
    data = _json(content, url)
    details = data.get("details")
    details = details if isinstance(details, dict) else {}
    parts = []
    if isinstance(data.get("description"), str):
        parts.append(data["description"].strip())
    body = details.get("body")
    if isinstance(body, str):
        parts.append(_html_text(body))
    for document in details.get("documents") or []:
        if isinstance(document, str):
            parts.append(_html_text(document))
    text = "\n".join(p for p in parts if p)
    if not text:
        raise GovukError(url, "the content item has no body, description or documents")
    published = _timestamp(data.get("first_published_at")) or _timestamp(
        data.get("public_updated_at")
    )
    return ContentPage(title=data.get("title") or None, text=text, published=published)  # type: ignore[arg-type]
