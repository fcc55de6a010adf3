"""`cswatch demo`: the whole alerts flow offline, in seconds, on data made at run time.

A small replica of the Ofsted site (listing, provider pages, report PDFs written by `text_pdf`)
is served on 127.0.0.1; the real pipeline ingests it and records the baseline quietly; then the
replica gains a new Sunderland report that changes its grade (and a news article announcing a
trust for West Sussex); a second ingest detects the change and the digest is written as an .eml
file in the outbox.

The article is listed in an RSS feed the site serves, and read by the real news pipeline and
event extractor, so the digest holds both the grade change and the trust.
"""

from __future__ import annotations

import dataclasses
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rich.console import Console
from sqlmodel import Session

from alerts import subscribers as subs
from alerts.delivery import FileBackend, deliver
from alerts.digest import plan
from alerts.models import Frequency
from config.settings import Settings, load_settings
from config.wiring import Service, http_policy
from ingest.http import HttpPolicy, PoliteClient
from ingest.news_pipeline import FeedSpec, NewsOptions, NewsRun
from ingest.pipeline import OfstedOptions, OfstedRun

# -- a PDF with text, written by hand ------------------------------------------------------


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is `lines` in Helvetica (a standard font: nothing embedded)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 10 Tf", "12 TL", "50 780 Td"]
    ops += [f"({escape(line)}) Tj T*" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


GRADE_WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}


def ilacs_report(authority: str, start: date, end: date, grades: dict[str, str]) -> bytes:
    """An ILACS report's first page: title, dates, lead inspector and the judgement table."""
    word = GRADE_WORDS
    return text_pdf(
        [
            f"Inspection of {authority} local authority children's services",
            f"Inspection dates: {start.day} {start:%B %Y} to {end.day} {end:%B %Y}",
            "Lead inspector: Alex Example, His Majesty's Inspector",
            "Judgement Grade",
            "The impact of leaders on social work practice with children and families "
            + word[grades["leaders"]],
            "The experiences and progress of children who need help and protection "
            + word[grades["help_and_protection"]],
            "The experiences and progress of children in care and care leavers "
            + word[grades["in_care_and_care_leavers"]],
            "Overall effectiveness " + word[grades["overall"]],
        ]
    )


def _grades(overall: str, **others: str) -> dict[str, str]:
    base = {
        "leaders": overall,
        "help_and_protection": overall,
        "in_care_and_care_leavers": overall,
    }
    return {**base, **others, "overall": overall}


# -- the replica site ---------------------------------------------------------------------


@dataclass
class DemoPublication:
    file_id: int
    title: str
    published: date
    body: bytes


@dataclass
class DemoProvider:
    urn: str
    name: str
    publications: list[DemoPublication] = field(default_factory=list)


def _page(title: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} - Ofsted</title></head><body>"
        f"<main id='main-content'>{body}</main></body></html>"
    ).encode()


class DemoSite:
    """Serves /search, /provider/44/<urn>, /v1/file/<id> and /news/<slug> on 127.0.0.1."""

    def __init__(self) -> None:
        self.providers: dict[str, DemoProvider] = {}
        self.files: dict[int, DemoPublication] = {}
        self.articles: dict[str, bytes] = {}
        self.feed_items: list[tuple[str, str, date]] = []  # (slug, headline, published)
        self._next = 1000
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                status, body, kind = site.reply(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def search_url(self) -> str:
        return f"http://{self.host}/search?q=&level_1_types=3&rows=100"

    def __enter__(self) -> DemoSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def add_provider(self, urn: str, name: str) -> None:
        self.providers[urn] = DemoProvider(urn, name)

    def add_publication(self, urn: str, title: str, published: date, body: bytes) -> None:
        publication = DemoPublication(self._next, title, published, body)
        self._next += 1
        self.providers[urn].publications.append(publication)
        self.files[publication.file_id] = publication

    def add_article(self, slug: str, headline: str, text: str, published: date) -> str:
        self.articles[slug] = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(headline)}</title></head><body><article>"
            f"<h1>{html.escape(headline)}</h1><time datetime='{published.isoformat()}'>"
            f"{published.day} {published:%B %Y}</time><p>{html.escape(text)}</p>"
            "</article></body></html>"
        ).encode()
        self.feed_items.append((slug, headline, published))
        return f"http://{self.host}/news/{slug}"

    @property
    def feed_url(self) -> str:
        return f"http://{self.host}/news/feed"

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(headline)}</title>"
            f"<link>http://{self.host}/news/{slug}</link>"
            f"<guid>http://{self.host}/news/{slug}</guid>"
            f"<pubDate>{published:%a, %d %b %Y} 09:00:00 +0000</pubDate></item>"
            for slug, headline, published in self.feed_items
        )
        return (
            "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
            f"<title>Demo news</title><link>http://{self.host}/news/</link>"
            f"<description>Sector news</description>{items}</channel></rss>"
        ).encode()

    def reply(self, raw: str) -> tuple[int, bytes, str]:
        parts = urlsplit(raw)
        page = "text/html; charset=utf-8"
        if parts.path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if parts.path == "/search":
            items = "".join(
                "<li class='search-result'><h3 class='search-result__title'>"
                f"<a href='/provider/44/{p.urn}'>{html.escape(p.name)}</a></h3>"
                f"<p class='search-result__address'>URN: {p.urn}</p></li>"
                for p in sorted(self.providers.values(), key=lambda p: p.name)
            )
            body = (
                "<h1>Search results</h1>"
                f"<p class='search-results__count'>{len(self.providers)} results</p>"
                f"<div class='search-results'><ul class='results-list'>{items}</ul></div>"
            )
            return 200, _page("Search results", body), page
        if parts.path.startswith("/provider/44/"):
            provider = self.providers.get(parts.path.rsplit("/", 1)[1])
            if provider is None or parse_qs(parts.query).get("page", ["1"]) != ["1"]:
                return 404, b"not found", page
            items = "".join(
                "<li class='publication'>"
                f"<a class='publication-link' href='/v1/file/{p.file_id}'>"
                f"{html.escape(p.title)} <span class='nonvisual'>{html.escape(p.title)}, pdf - "
                f"{p.published.day} {p.published:%B %Y}</span></a></li>"
                for p in sorted(provider.publications, key=lambda p: p.published, reverse=True)
            )
            body = (
                f"<h1>{html.escape(provider.name)}</h1><p>URN: {provider.urn}</p>"
                f"<h2>Reports</h2><ul class='publications'>{items}</ul>"
            )
            return 200, _page(provider.name, body), page
        if parts.path.startswith("/v1/file/"):
            publication = self.files.get(int(parts.path.rsplit("/", 1)[1]))
            if publication is None:
                return 404, b"not found", page
            return 200, publication.body, "application/pdf"
        if parts.path == "/news/feed":
            return 200, self._feed(), "application/rss+xml"
        if parts.path.startswith("/news/"):
            article = self.articles.get(parts.path.rsplit("/", 1)[1])
            if article is not None:
                return 200, article, page
        return 404, b"not found", page


# -- the demo -----------------------------------------------------------------------------

DEMO_SUBSCRIBER = "newcomer@example.org"


def ingest_news_articles(service: Service, site: DemoSite, policy: HttpPolicy) -> int:
    """Run the real news pipeline over the demo site's feed; returns events stored."""
    options = NewsOptions(feeds=(FeedSpec("demo", site.feed_url),))
    with PoliteClient(policy) as client:
        summary = NewsRun(service.engine, client, options, extractor=service.extractor)()
    return summary.events_added


def demo_settings(folder: Path) -> Settings:
    settings = load_settings()
    database = folder / "demo" / "cswatch-demo.db"
    return settings.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "var_dir": folder,
            "mail": settings.mail.model_copy(update={"backend": "file", "outbox_dir": "outbox"}),
        }
    )


def _fresh(settings: Settings) -> None:
    path = settings.sqlite_path()
    assert path is not None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_demo(
    folder: Path, console: Console, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Path:
    """Run the demo; returns the .eml file of the digest."""
    started = time.monotonic()
    settings = demo_settings(folder)
    _fresh(settings)
    service = Service(settings)
    gazetteer = service.gazetteer
    sunderland = gazetteer.resolve("Sunderland")
    west_sussex = gazetteer.resolve("West Sussex")
    doncaster = gazetteer.resolve("Doncaster")
    step = console.print

    with DemoSite() as site:
        for record in (sunderland, west_sussex, doncaster):
            assert record.ofsted_urn
            site.add_provider(record.ofsted_urn, record.name)
        site.add_publication(
            sunderland.ofsted_urn or "",
            "Children's services inspection",
            date(2022, 9, 12),
            ilacs_report("Sunderland", date(2022, 7, 4), date(2022, 7, 15), _grades("inadequate")),
        )
        site.add_publication(
            west_sussex.ofsted_urn or "",
            "Children's services inspection",
            date(2023, 3, 6),
            ilacs_report(
                "West Sussex", date(2023, 1, 9), date(2023, 1, 20), _grades("requires_improvement")
            ),
        )
        site.add_publication(
            doncaster.ofsted_urn or "",
            "Children's services inspection",
            date(2024, 5, 20),
            ilacs_report("Doncaster", date(2024, 3, 11), date(2024, 3, 22), _grades("good")),
        )
        policy = dataclasses.replace(
            http_policy(settings, min_interval=0.0),
            allowed_hosts=frozenset({site.host}),
            max_retries=0,
        )
        options = OfstedOptions(search_url=site.search_url)
        step(f"1. Serving a small Ofsted replica at http://{site.host}/ (3 councils)")

        with PoliteClient(policy) as client:
            first = OfstedRun(service.engine, client, options)()
        detected = service.detect_changes()
        step(
            f"2. First ingest: {first.inspections_parsed} reports parsed; "
            f"{len(detected.changes)} changes announced (the baseline is recorded quietly)"
        )

        with Session(service.engine) as session:
            subs.add(
                session,
                DEMO_SUBSCRIBER,
                name="A Newcomer",
                frequency=Frequency.IMMEDIATE,
                filters=subs.Filters(include_reported=True),
                confirmed=True,
                now=now(),
            )
            session.commit()
        step(
            f"3. Subscribed {DEMO_SUBSCRIBER} to immediate digests of every change, "
            "news reports included"
        )

        site.add_publication(
            sunderland.ofsted_urn or "",
            "Children's services inspection",
            date(2025, 3, 10),
            ilacs_report(
                "Sunderland",
                date(2025, 1, 13),
                date(2025, 1, 24),
                _grades("requires_improvement", in_care_and_care_leavers="good"),
            ),
        )
        site.add_article(
            "west-sussex-trust",
            "West Sussex children's services to move to an independent trust",
            "West Sussex County Council's children's services will be run by an independent "
            "trust after the Department for Education decided to act on the commissioner's "
            "recommendation.",
            date(2025, 3, 11),
        )
        step(
            "4. The replica now has a new Sunderland report (inadequate -> requires improvement)"
            " and a news article announcing a trust for West Sussex"
        )
        with PoliteClient(policy) as client:
            second = OfstedRun(service.engine, client, options)()
        news = ingest_news_articles(service, site, policy)
        detected = service.detect_changes()
        step(
            f"5. Second ingest: {second.inspections_parsed} new report parsed; "
            f"{news} event(s) read from the article; {len(detected.changes)} change(s) detected"
        )

    with Session(service.engine) as session:
        planned = plan(session, service.renderer(), now=now())
    backend = FileBackend(service.outbox_dir)
    summary = deliver(service.engine, backend, service.delivery_options())
    if not backend.written:
        raise RuntimeError("the demo produced no digest: see the log above")
    path = backend.written[-1]
    subject = next((p.subject for p in planned if p.subject), "")
    step(f"6. Digest for {DEMO_SUBSCRIBER}: '{subject}' ({summary.sent} sent)")
    console.print(f"\nThe digest is in {path}", highlight=False)
    console.print(
        f"Open it in a mail client, or read it with: less {path}   "
        f"(database: {settings.database_url}; {time.monotonic() - started:.1f}s)",
        highlight=False,
    )
    return path
