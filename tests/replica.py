"""A recorded replica of the Ofsted reports site, served by a real local HTTP server.

Listing and provider pages are rebuilt on the live markup recorded in shared/docs/sources.md
(`ul.results-list > li > h3 > a`, `a.pagination__next`, one unpaginated provider page with
`ol.timeline > li.timeline__day`, link-less 'opened' days); `layout="legacy"` serves the markup
the replica served before (publication links under an h1, provider pages paged by five). The
report files are the real ones in ../shared/data/ofsted/pdfs, read where they lie. Pages carry
ETags and answer If-None-Match with 304, as a well-behaved server does.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tests.localserver import LocalServer, Reply, Request
from tests.paths import OFSTED_PDFS, PROVIDER_LOOKUP

_FILE_NAME = re.compile(r"^(?P<title>.+?)(?:,\s*pdf)?\s+-\s+(?P<date>\d{1,2} \w+ \d{4})\.pdf$")


@dataclass
class ReplicaPublication:
    file_id: int
    title: str
    published: date
    path: Path | None = None  # a real shared file
    body: bytes | None = None  # or bytes made by a test


@dataclass
class ReplicaProvider:
    urn: str
    name: str
    publications: list[ReplicaPublication] = field(default_factory=list)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _page(title: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} - Ofsted</title></head><body>"
        "<header><a href='/'>Ofsted</a><form action='/search' method='get'>"
        "<input name='q'></form></header>"
        f"<main id='main-content'>{body}</main></body></html>"
    ).encode()


class OfstedReplica:
    """Serves /search, /provider/44/<urn> and /v1/file/<id> on a LocalServer."""

    def __init__(
        self,
        server: LocalServer,
        *,
        pdf_root: Path = OFSTED_PDFS,
        lookup: Path = PROVIDER_LOOKUP,
        rows: int = 100,
        provider_page_size: int = 5,
        layout: str = "live",
    ) -> None:
        assert layout in {"live", "legacy"}
        self.server = server
        self.layout = layout
        self.rows = rows
        self.provider_page_size = provider_page_size
        self.providers: dict[str, ReplicaProvider] = {}
        self.files: dict[int, ReplicaPublication] = {}
        self._next_id = 50_000_000
        self._load(pdf_root, lookup)
        server.route("/search", self._search)
        server.route(
            "/robots.txt",
            Reply(200, b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain"),
        )

    # -- content -----------------------------------------------------------------------

    def _load(self, pdf_root: Path, lookup: Path) -> None:
        with lookup.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                urn = row["urn"].strip()
                if urn:
                    self.add_provider(
                        urn, row["ofsted_ilacs_scrape_la_name"] or row["local_authority_ons_name"]
                    )
        for folder in sorted(p for p in pdf_root.iterdir() if p.is_dir()):
            urn, _, name = folder.name.partition("_")
            provider = self.providers.get(urn) or self.add_provider(urn, name.title())
            for path in sorted(folder.glob("*.pdf")):
                match = _FILE_NAME.match(path.name)
                assert match, f"unexpected shared file name {path.name}"
                title = match["title"].strip()
                published = datetime.strptime(match["date"], "%d %B %Y").date()
                self.add_publication(
                    provider.urn, title[0].upper() + title[1:], published, path=path
                )

    def add_provider(self, urn: str, name: str) -> ReplicaProvider:
        provider = ReplicaProvider(urn=urn, name=name)
        self.providers[urn] = provider
        self.server.route(
            f"/provider/44/{urn}", lambda request, urn=urn: self._provider(request, urn)
        )
        return provider

    def add_publication(
        self,
        urn: str,
        title: str,
        published: date,
        *,
        path: Path | None = None,
        body: bytes | None = None,
    ) -> ReplicaPublication:
        publication = ReplicaPublication(self._next_id, title, published, path, body)
        self._next_id += 1
        self.providers[urn].publications.append(publication)
        self.files[publication.file_id] = publication
        self.server.route(
            f"/v1/file/{publication.file_id}",
            lambda request, p=publication: self._file(request, p),
        )
        return publication

    def file_url(self, publication: ReplicaPublication) -> str:
        return f"{self.server.base_url}/v1/file/{publication.file_id}"

    @property
    def search_url(self) -> str:
        return (
            f"{self.server.base_url}/search?q=&location=&lat=&lon=&radius="
            f"&level_1_types=3&level_2_types%5B%5D=12&rows={self.rows}"
        )

    # -- handlers ----------------------------------------------------------------------

    @staticmethod
    def _cached(
        request: Request, body: bytes, content_type: str = "text/html; charset=utf-8"
    ) -> Reply:
        etag = _etag(body)
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers={"ETag": etag})
        return Reply(200, body, headers={"ETag": etag}, content_type=content_type)

    def _search(self, request: Request) -> Reply:
        start = int(request.query.get("start", ["0"])[0])
        providers = sorted(self.providers.values(), key=lambda p: p.name)
        page = providers[start : start + self.rows]
        more = start + self.rows < len(providers)
        query = html.escape(self.search_url.split("?", 1)[1])
        href = f"/search?{query}&amp;start={start + self.rows}"
        if self.layout == "legacy":
            items = "".join(
                "<li class='search-result'><h3 class='search-result__title'>"
                f"<a href='/provider/44/{p.urn}'>{html.escape(p.name)}</a></h3>"
                f"<p class='search-result__address'>URN: {p.urn}</p></li>"
                for p in page
            )
            pagination = (
                f"<ul class='pagination'><li class='next'><a href='{href}'>Next</a></li></ul>"
                if more
                else ""
            )
        else:
            items = "".join(
                "<li><h3>"
                f"<a href='/provider/44/{p.urn}'>{html.escape(p.name)}</a></h3>"
                "<ul class='info-list'><li>Local authority children's services</li>"
                f"<li>URN: {p.urn}</li></ul></li>"
                for p in page
            )
            pagination = (
                "<nav class='pagination' aria-label='Pagination'>"
                + (
                    f"<a class='pagination__prev' href='/search?{query}'>Previous</a>"
                    if start
                    else ""
                )
                + (f"<a class='pagination__next' href='{href}'>Next</a>" if more else "")
                + "</nav>"
            )
        body = (
            f"<h1>Search results</h1><p class='search-results__count'>{len(providers)} results</p>"
            f"<div class='search-results'><ul class='results-list'>{items}</ul></div>{pagination}"
        )
        return self._cached(request, _page("Search results", body))

    def _provider(self, request: Request, urn: str) -> Reply:
        provider = self.providers[urn]
        publications = sorted(provider.publications, key=lambda p: p.published, reverse=True)
        if self.layout == "legacy":
            return self._legacy_provider(request, provider, publications)
        days = "".join(
            "<li class='timeline__day'>"
            f"<p class='timeline__date'>{p.published.day} {p.published:%B %Y}</p>"
            f"<a class='publication-link' href='{self.file_url(p)}' target='_blank'>"
            f"{html.escape(p.title)} <span class='nonvisual'>{html.escape(p.title)}, pdf - "
            f"{p.published.day} {p.published:%B %Y}</span></a></li>"
            for p in publications
        )
        opened = "<li class='timeline__day timeline__day--opened'><p>Provider opened</p></li>"
        body = (
            f"<h1 class='heading--title'>{html.escape(provider.name)}</h1><p>URN: {urn}</p>"
            f"<h2>Reports</h2><ol class='timeline'>{days}{opened}</ol>"
        )
        return self._cached(request, _page(provider.name, body))

    def _legacy_provider(
        self, request: Request, provider: ReplicaProvider, publications: list[ReplicaPublication]
    ) -> Reply:
        urn = provider.urn
        page_number = int(request.query.get("page", ["1"])[0])
        size = self.provider_page_size
        page = publications[(page_number - 1) * size : page_number * size]
        items = "".join(
            "<li class='publication'>"
            f"<a class='publication-link' href='{self.file_url(p)}' target='_blank'>"
            f"{html.escape(p.title)} <span class='nonvisual'>{html.escape(p.title)}, pdf - "
            f"{p.published.day} {p.published:%B %Y}</span></a></li>"
            for p in page
        )
        pagination = ""
        if page_number * size < len(publications):
            pagination = (
                "<ul class='pagination'>"
                f"<li class='next'><a href='/provider/44/{urn}?page={page_number + 1}'>Next</a>"
                "</li></ul>"
            )
        body = (
            f"<h1>{html.escape(provider.name)}</h1><p>URN: {urn}</p>"
            f"<h2>Reports</h2><ul class='publications'>{items}</ul>{pagination}"
        )
        return self._cached(request, _page(provider.name, body))

    def _file(self, request: Request, publication: ReplicaPublication) -> Reply:
        body = publication.body if publication.body is not None else publication.path.read_bytes()  # type: ignore[union-attr]
        content_type = (
            "application/pdf" if body.startswith(b"%PDF-") else "text/html; charset=utf-8"
        )
        return Reply(200, body, content_type=content_type)
