"""Ofsted's official statistics: 'Local authority inspection outcomes as at 31 March YYYY'.

One ODS file a year on a GOV.UK statistics page whose file URL cannot be predicted, so the page
is read through the content API and the file found in `details.attachments[]` (or, on older
pages, the links in `details.documents`). Pure functions: the pages to try, the file to take.
Reading the spreadsheet is ingest/extract/statistics.py's job; this only finds and fetches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from ingest.sources.govuk import Attachment, ContentPage

SOURCE = "statistics"
PAGE_PATH = "/government/statistics/local-authority-inspection-outcomes-as-at-31-march-{year}"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_LINK = re.compile(r"""href=["']([^"']+\.ods)["']""", re.I)


@dataclass(frozen=True)
class Edition:
    year: int
    page_url: str
    file_url: str
    filename: str
    title: str


def page_paths(newest_year: int, oldest_year: int) -> list[tuple[int, str]]:
    """The statistics pages to try, newest first (a year not yet published answers 404)."""
    return [(year, PAGE_PATH.format(year=year)) for year in range(newest_year, oldest_year - 1, -1)]


def _is_ods(attachment: Attachment) -> bool:
    name = (attachment.filename or attachment.url or "").lower()
    return attachment.content_type == ODS_TYPE or name.endswith(".ods")


def editions(year: int, page_url: str, page: ContentPage) -> list[Edition]:
    """The spreadsheet(s) a statistics page offers: its ODS attachments (2026 shape), else the
    .ods links in its documents (older shape)."""
    found = [
        Edition(
            year=year,
            page_url=page_url,
            file_url=urljoin(page_url, a.url),
            filename=a.filename or a.url.rsplit("/", 1)[-1],
            title=a.title,
        )
        for a in page.attachments
        if a.url and _is_ods(a)
    ]
    if not found:
        for href in dict.fromkeys(_ODS_LINK.findall("\n".join(page.documents))):
            url = urljoin(page_url, href)
            found.append(Edition(year, page_url, url, url.rsplit("/", 1)[-1], page.title or ""))
    return found
