"""A replica of the sector news sites and GOV.UK, served by real local HTTP servers.

Everything here is written for the tests (no recorded copy of anyone's pages): a WordPress site
like Community Care (RSS 2.0 feed; posts with comments, related articles, navigation and a
newsletter box around the story), a second news site like CYP Now that syndicates one story,
and GOV.UK (an Atom feed, the search API and the content API). Each site runs on its own
server, so it has its own host, as on the web. The awkward cases are all here: a malformed
feed, a feed of 10,000 items, an article past the size cap, a PDF where a page should be, a
story without any date, a dead link, and the same story on two sites.
"""

from __future__ import annotations

import hashlib
import html
import json
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from tests.localserver import LocalServer, Reply, Request

BIG_FEED_ITEMS = 10_000
ROBOTS = Reply(200, b"User-agent: *\nDisallow: /wp-admin/\n", content_type="text/plain")


@dataclass(frozen=True)
class Story:
    path: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime | None = None  # None: neither the feed nor the page gives a date
    author: str = "Staff reporter"


def _when(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


SUNDERLAND = Story(
    "/2024/03/12/sunderland-childrens-services-trust/",
    "Sunderland children's services to move into trust after 'inadequate' rating",
    (
        "Sunderland council's children's services will be run by an independent trust, the "
        "Department for Education has confirmed, after Ofsted rated the service inadequate.",
        "The education secretary issued a statutory direction to the council on Monday "
        "following a commissioner's review, which concluded that the council could not make "
        "the improvements needed quickly enough on its own.",
        "Inspectors found that children at risk of harm were left in unsafe situations for too "
        "long, that caseloads were too high and that managers lacked oversight of practice.",
        "The council's leader said the authority accepted the findings and would work with the "
        "trust's new board to make sure the transfer was as smooth as possible for children, "
        "families and staff.",
    ),
    _when(2024, 3, 12),
    "Alex Turner",
)

PAY = Story(
    "/2024/03/10/social-worker-pay-offer/",
    "Social workers' pay offer falls short, says union",
    (
        "A union representing social workers has said this year's pay offer for council staff "
        "falls well short of what is needed to keep experienced practitioners in the job.",
        "The offer of a flat rise for most grades follows two years in which pay has failed to "
        "keep pace with prices, the union said, adding that vacancies remain high across "
        "England.",
        "Employers said the offer was the most that could be afforded given the pressures on "
        "council budgets, and urged members to accept it.",
    ),
    _when(2024, 3, 10),
)

SLOUGH_UNDATED = Story(
    "/2024/03/08/slough-commissioner-report/",
    "Commissioner recommends Slough's services stay with trust",
    (
        "A commissioner appointed by the Department for Education has recommended that "
        "children's services in Slough should remain with the council-owned company that has "
        "run them since 2015.",
        "The report said the company had made steady progress, though inspectors still found "
        "weaknesses in the help given to care leavers and in the quality of supervision.",
        "Ministers will now decide whether to accept the recommendation, which would see the "
        "arrangement continue for at least another three years.",
    ),
    None,
)

DONCASTER = Story(
    "/2024/03/01/doncaster-trust-ten-years-on/",
    "Doncaster's children's trust ten years on",
    (
        "Ten years after Doncaster became the first council to see its children's services "
        "removed and handed to an independent trust, the model has spread to a dozen areas.",
        "The trust took over in 2014 after a string of serious case reviews and an inadequate "
        "Ofsted rating. It was rated good in 2019, a turnaround that ministers often cite.",
        "Critics argue that the improvement owed as much to stable leadership and investment "
        "as to the change of structure, and that trusts are costly to set up and unwind.",
        "The council and the trust are now discussing how services will be run once the "
        "current contract ends.",
    ),
    _when(2024, 3, 1),
    "Sam Patel",
)

KIRKLEES = Story(
    "/2024/02/28/kirklees-leeds-partnership-ends/",
    "Leeds partnership with Kirklees to end as services improve",
    (
        "The partnership under which Leeds council has directed children's services in "
        "Kirklees is to end, after the service was rated good by Ofsted.",
        "Leeds was brought in by the Department for Education in 2017 following an inadequate "
        "rating. The commissioner has now advised that Kirklees can run its services alone.",
        "Both councils said they would keep working together on training and on placements "
        "for children in care.",
    ),
    _when(2024, 2, 28),
)

WEST_SUSSEX = Story(
    "/news/article/west-sussex-trust-plans-dropped",
    "West Sussex trust plans dropped as services improve",
    (
        "Plans to move West Sussex County Council's children's services into a trust have "
        "been dropped after the Department for Education accepted that the council had made "
        "enough progress.",
        "The service was rated inadequate in 2019 and a commissioner recommended a trust the "
        "following year. A later monitoring visit found clear signs of improvement.",
        "The council's cabinet member for children said staff deserved credit for the change.",
    ),
    _when(2024, 3, 11),
)

COMMENTS = (
    "Another trust, another layer of management. Front-line staff will see no difference.",
    "Glad the inspectors listened to social workers at last. Caseloads were impossible.",
    "Who pays for the set-up costs? Not the department, that is for sure.",
)
RELATED = (
    "Ofsted inspection framework changes announced for councils",
    "Agency social worker rules come into force next month",
    "Care leavers' covenant: one year on",
)


def _paragraphs(story: Story) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)


def wordpress_page(
    story: Story, *, site: str = "Community Care", canonical: str | None = None, pad: int = 0
) -> bytes:
    """A post as a WordPress theme renders it: the story inside nav, sign-up, related, comments."""
    head = [f"<title>{html.escape(story.title)} - {site}</title>"]
    if canonical:
        head.append(f"<link rel='canonical' href='{canonical}'>")
        head.append(f"<meta property='og:url' content='{canonical}'>")
    head.append(f"<meta property='og:title' content='{html.escape(story.title, quote=True)}'>")
    if story.published:
        head.append(
            f"<meta property='article:published_time' content='{story.published.isoformat()}'>"
        )
    nav = "".join(
        f"<li><a href='/{s.lower()}/'>{s}</a></li>"
        for s in ("Children", "Adults", "Workforce", "Jobs", "Events", "Inform")
    )
    related = "".join(
        f"<li><a href='/2024/01/{i:02d}/related-{i}/'>{html.escape(t)}</a></li>"
        for i, t in enumerate(RELATED, 1)
    )
    comments = "".join(
        "<li class='comment'><article class='comment-body'><footer class='comment-meta'>"
        f"<b class='fn'>Reader {i}</b> says:</footer><div class='comment-content'>"
        f"<p>{html.escape(text)}</p></div></article></li>"
        for i, text in enumerate(COMMENTS, 1)
    )
    padding = "".join(
        f"<p>{html.escape(story.paragraphs[i % len(story.paragraphs)])} ({i})</p>"
        for i in range(pad)
    )
    body = (
        "<header id='masthead' class='site-header'><div class='site-branding'>"
        f"<a href='/' rel='home'>{site}</a></div><nav class='main-navigation'><ul>{nav}</ul>"
        "</nav></header>"
        "<aside class='newsletter-signup widget'><h3>Sign up for our daily newsletter</h3>"
        "<p>Get the latest news and analysis on social work straight to your inbox.</p>"
        "<form action='/subscribe/'><input name='email'><button>Sign up</button></form></aside>"
        "<main id='main' class='site-main'>"
        f"<article id='post-{zlib.crc32(story.path.encode()) % 100000}' "
        "class='post type-post status-publish'>"
        f"<header class='entry-header'><h1 class='entry-title'>{html.escape(story.title)}</h1>"
        f"<div class='entry-meta'><span class='byline'>by {html.escape(story.author)}</span>"
        "</div></header>"
        f"<div class='entry-content'>{_paragraphs(story)}{padding}</div>"
        "<footer class='entry-footer'><span class='tags-links'>Tagged: "
        "<a href='/tag/childrens-services/'>children's services</a></span></footer></article>"
        f"<section class='related-posts'><h3>Related articles</h3><ul>{related}</ul></section>"
        f"<div id='comments' class='comments-area'><h2 class='comments-title'>{len(COMMENTS)} "
        f"Responses to &ldquo;{html.escape(story.title)}&rdquo;</h2>"
        f"<ol class='comment-list'>{comments}</ol></div></main>"
        f"<footer id='colophon'><p>&copy; {site} 2024</p><ul><li><a href='/privacy/'>Privacy"
        "</a></li><li><a href='/contact/'>Contact us</a></li></ul></footer>"
    )
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='UTF-8'>"
        f"{''.join(head)}</head><body class='post-template-default single single-post'>"
        f"{body}</body></html>"
    ).encode()


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _cached(request: Request, body: bytes, content_type: str) -> Reply:
    etag = _etag(body)
    if request.headers.get("if-none-match") == etag:
        return Reply(304, b"", headers={"ETag": etag})
    return Reply(200, body, headers={"ETag": etag}, content_type=content_type)


def rss_item(url: str, title: str, published: datetime | None, text: str, guid: int) -> str:
    """An RSS 2.0 <item> as WordPress writes it (guid not a permalink, content:encoded)."""
    date = f"<pubDate>{format_datetime(published)}</pubDate>" if published else ""
    return (
        f"<item><title>{html.escape(title)}</title><link>{html.escape(url)}</link>"
        f"<dc:creator><![CDATA[Staff reporter]]></dc:creator>{date}"
        "<category><![CDATA[Children]]></category>"
        f"<guid isPermaLink='false'>https://www.communitycare.co.uk/?p={guid}</guid>"
        f"<description><![CDATA[{text[:200]}...]]></description>"
        f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
    )


def rss(title: str, link: str, items: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:atom='http://www.w3.org/2005/Atom'>"
        f"<channel><title>{html.escape(title)}</title><link>{link}</link>"
        "<description>Social work news</description><language>en-GB</language>"
        "<generator>https://wordpress.org/?v=6.4.3</generator>"
        f"{items}</channel></rss>"
    ).encode()


# -- GOV.UK content -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GovukDoc:
    path: str
    title: str
    description: str
    body: str | None  # HTML; None: a publication whose text is in its documents
    documents: tuple[str, ...] = ()
    published: datetime | None = None
    format: str = "publication"
    queries: tuple[str, ...] = ()  # search queries that find it


GOVUK_DOCS = (
    GovukDoc(
        "/government/publications/sandwell-childrens-services-statutory-direction",
        "Sandwell children's services: statutory direction",
        "Direction issued to Sandwell Metropolitan Borough Council under section 497A of the "
        "Education Act 1996 in relation to children's social care.",
        "<p>The Secretary of State for Education has directed Sandwell Metropolitan Borough "
        "Council to work with a children's services commissioner following the inadequate "
        "Ofsted judgement.</p><p>The direction requires the council to co-operate with the "
        "commissioner and to establish an independent trust to deliver its children's social "
        "care services.</p>",
        published=_when(2017, 10, 2),
        queries=("statutory direction", "trust"),
    ),
    GovukDoc(
        "/government/publications/commissioners-report-on-childrens-services-in-torbay",
        "Commissioner's report on children's services in Torbay",
        "The children's services commissioner's report on Torbay Council, and the response.",
        None,
        (
            "<section class='attachment'><h3 class='title'>Torbay commissioner report</h3>"
            "<p class='metadata'>PDF, 512KB, 40 pages</p></section>",
            "<section class='attachment'><h3 class='title'>Letter to Torbay Council from the "
            "minister on the partnership with Plymouth</h3></section>",
        ),
        published=_when(2018, 11, 20),
        queries=("commissioner",),
    ),
    GovukDoc(
        "/government/news/new-funding-for-school-breakfast-clubs",
        "New funding for school breakfast clubs",
        "Schools in disadvantaged areas will receive funding for breakfast clubs.",
        "<p>Thousands of pupils will benefit from a free breakfast at school under a new "
        "programme announced today by the Department for Education.</p>",
        published=_when(2024, 1, 15),
        format="news_article",
        queries=("trust",),
    ),
    GovukDoc(
        "/government/publications/withdrawn-direction-notice",
        "Withdrawn direction notice",
        "A notice that has been withdrawn.",
        "<p>Withdrawn.</p>",
        published=_when(2016, 5, 3),
        queries=("statutory direction",),
    ),
)
GOVUK_MISSING = "/government/publications/withdrawn-direction-notice"  # content API says 404
SEARCH_PARAMS = frozenset(
    {
        "q",
        "filter_organisations",
        "filter_content_store_document_type",
        "order",
        "count",
        "start",
        "fields",
    }
)


def _document_type(doc: GovukDoc) -> str:
    """The replica's publications are statutory directions, typed 'decision' as on GOV.UK."""
    return "decision" if doc.format == "publication" else doc.format


def govuk_page(doc: GovukDoc) -> bytes:
    """The HTML page of a GOV.UK document, with the site's header, breadcrumbs and footer."""
    body = doc.body or "".join(doc.documents)
    return (
        "<!DOCTYPE html><html lang='en' class='govuk-template'><head><meta charset='utf-8'>"
        f"<title>{html.escape(doc.title)} - GOV.UK</title>"
        f"<meta property='og:title' content='{html.escape(doc.title, quote=True)}'></head>"
        "<body class='govuk-template__body'><a href='#content' class='govuk-skip-link'>Skip to "
        "main content</a><header class='govuk-header'><a href='/' class='govuk-header__link'>"
        "GOV.UK</a><nav><ul><li><a href='/browse/education'>Education</a></li></ul></nav>"
        "</header><div class='govuk-width-container'><div class='govuk-breadcrumbs'><ol>"
        "<li><a href='/'>Home</a></li><li><a href='/browse/childcare-parenting'>Parenting, "
        "childcare and children's services</a></li></ol></div><main id='content' role='main'>"
        f"<h1 class='gem-c-title__text'>{html.escape(doc.title)}</h1>"
        f"<p class='gem-c-lead-paragraph'>{html.escape(doc.description)}</p>"
        f"<div class='govspeak'>{body}</div></main></div>"
        "<footer class='govuk-footer'><p>All content is available under the Open Government "
        "Licence v3.0, except where otherwise stated</p></footer></body></html>"
    ).encode()


# -- the replica --------------------------------------------------------------------------------


class NewsReplica:
    """Three sites on three servers: `cc` (WordPress, Community Care-like), `cyp`, `govuk`."""

    def __init__(self, cc: LocalServer, cyp: LocalServer, govuk: LocalServer) -> None:
        self.cc, self.cyp, self.govuk = cc, cyp, govuk
        self._big_feed: bytes | None = None
        for server in (cc, cyp, govuk):
            server.route("/robots.txt", ROBOTS)
        self.cc_stories = (SUNDERLAND, PAY, SLOUGH_UNDATED, DONCASTER)
        for story in (*self.cc_stories, KIRKLEES):
            cc.route(story.path, Reply(200, wordpress_page(story)))
        self.pdf_path = "/wp-content/uploads/2024/03/direction-letter.pdf"
        cc.route(
            self.pdf_path, Reply(200, b"%PDF-1.7\n" + b"0" * 4000, content_type="application/pdf")
        )
        self.image_path = "/wp-content/uploads/2024/03/chart.png"
        cc.route(
            self.image_path, Reply(200, b"\x89PNG\r\n\x1a\n" + b"0" * 500, content_type="image/png")
        )
        self.huge_path = "/2024/03/05/huge-page/"
        huge = Story(self.huge_path, "A very long page", SUNDERLAND.paragraphs, _when(2024, 3, 5))
        self.huge_body = wordpress_page(huge, pad=3000)
        cc.route(self.huge_path, Reply(200, self.huge_body))
        self.dead_path = "/2024/03/04/removed-story/"  # not routed: 404
        self.survey_path = "/2024/02/20/pay-survey/"  # listed only in the malformed feed
        survey = Story(self.survey_path, "Pay and conditions survey", PAY.paragraphs[1:], None)
        cc.route(self.survey_path, Reply(200, wordpress_page(survey)))
        cc.route(
            "/feed/", lambda r: _cached(r, self.cc_feed(), "application/rss+xml; charset=UTF-8")
        )
        cc.route(
            "/feed/malformed/",
            lambda r: Reply(200, self.malformed_feed(), content_type="application/rss+xml"),
        )
        cc.route(
            "/feed/broken/",
            Reply(200, b"<html><body><h1>Maintenance</h1></body></html>", content_type="text/html"),
        )
        cc.route("/feed/big/", lambda r: _cached(r, self.big_feed(), "application/rss+xml"))
        for n in range(BIG_FEED_ITEMS):
            cc.route(f"/big/{n}/", lambda r, n=n: Reply(200, self.big_page(n)))

        # CYP Now-like: a copy of the Doncaster story naming its canonical, a copy naming
        # nothing, its own story, and Community Care's Sunderland story listed directly.
        cyp.route(
            "/news/article/doncaster-trust-ten-years-on",
            Reply(
                200,
                wordpress_page(DONCASTER, site="CYP Now", canonical=self.cc_url(DONCASTER.path)),
            ),
        )
        cyp.route(
            "/news/article/doncaster-childrens-trust-anniversary",
            Reply(200, wordpress_page(DONCASTER, site="CYP Now")),
        )
        cyp.route(WEST_SUSSEX.path, Reply(200, wordpress_page(WEST_SUSSEX, site="CYP Now")))
        cyp.route("/rss/news", lambda r: _cached(r, self.cyp_feed(), "application/rss+xml"))

        for doc in GOVUK_DOCS:
            govuk.route(doc.path, Reply(200, govuk_page(doc)))
            if doc.path != GOVUK_MISSING:
                govuk.route(
                    f"/api/content{doc.path}",
                    Reply(200, self.content_json(doc), content_type="application/json"),
                )
        govuk.route(
            "/government/organisations/department-for-education.atom",
            lambda r: _cached(r, self.atom(), "application/atom+xml; charset=utf-8"),
        )
        govuk.route("/api/search.json", self.search)

    # -- URLs ---------------------------------------------------------------------------

    def cc_url(self, path: str) -> str:
        return self.cc.base_url + path

    def cyp_url(self, path: str) -> str:
        return self.cyp.base_url + path

    def govuk_url(self, path: str) -> str:
        return self.govuk.base_url + path

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset({self.cc.host, self.cyp.host, self.govuk.host})

    @property
    def cc_feed_url(self) -> str:
        return self.cc_url("/feed/")

    @property
    def cyp_feed_url(self) -> str:
        return self.cyp_url("/rss/news")

    @property
    def govuk_feed_url(self) -> str:
        return self.govuk_url("/government/organisations/department-for-education.atom")

    @property
    def search_url(self) -> str:
        return self.govuk_url("/api/search.json")

    # -- feeds --------------------------------------------------------------------------

    def cc_feed(self) -> bytes:
        items = [
            rss_item(self.cc_url(s.path), s.title, s.published, s.paragraphs[0], 1000 + i)
            for i, s in enumerate(self.cc_stories)
        ]
        items.insert(
            2,
            rss_item(
                self.cc_url(self.pdf_path),
                "Letter from the minister (PDF)",
                _when(2024, 3, 9),
                "The letter.",
                990,
            ),
        )
        items.append(
            rss_item(
                self.cc_url(self.huge_path), "A very long page", _when(2024, 3, 5), "Long.", 991
            )
        )
        items.append(
            rss_item(self.cc_url(self.dead_path), "Removed story", _when(2024, 3, 4), "Gone.", 992)
        )
        return rss("Community Care", self.cc.base_url, "".join(items))

    def malformed_feed(self) -> bytes:
        """Two good items, then a bare '&' and a feed cut off mid-item (a truncated upload)."""
        good = "".join(
            rss_item(self.cc_url(s.path), s.title, s.published, s.paragraphs[0], 2000 + i)
            for i, s in enumerate((KIRKLEES, SUNDERLAND))
        )
        broken = (
            "<item><title>Pay & conditions survey</title><link>"
            f"{self.cc_url(self.survey_path)}</link><pubDate>Tue, 20 Feb 2024"
        )
        return rss("Community Care", self.cc.base_url, good + broken)[: -len("</channel></rss>")]

    def big_feed(self) -> bytes:
        if self._big_feed is None:
            self._big_feed = self._make_big_feed()
        return self._big_feed

    def _make_big_feed(self) -> bytes:
        items = "".join(
            rss_item(
                self.cc_url(f"/big/{n}/"),
                f"Story number {n}",
                _when(2023, 1 + n % 12, 1 + n % 28),
                f"Summary {n}.",
                100000 + n,
            )
            for n in range(BIG_FEED_ITEMS)
        )
        return rss("Community Care (archive)", self.cc.base_url, items)

    def big_page(self, n: int) -> bytes:
        story = Story(
            f"/big/{n}/",
            f"Story number {n}",
            (
                f"This is story number {n} in the archive of a busy news site, written so that "
                "every story has its own text and its own hash.",
                f"Councils were asked about item {n} and most of them replied within a week, "
                "the report said, though a few did not reply at all.",
            ),
            _when(2023, 1 + n % 12, 1 + n % 28),
        )
        return wordpress_page(story)

    def cyp_feed(self) -> bytes:
        items = [
            rss_item(
                self.cyp_url("/news/article/doncaster-trust-ten-years-on"),
                DONCASTER.title,
                DONCASTER.published,
                "Copy.",
                1,
            ),
            rss_item(
                self.cyp_url("/news/article/doncaster-childrens-trust-anniversary"),
                DONCASTER.title,
                DONCASTER.published,
                "Copy.",
                2,
            ),
            rss_item(
                self.cyp_url(WEST_SUSSEX.path),
                WEST_SUSSEX.title,
                WEST_SUSSEX.published,
                "West Sussex.",
                3,
            ),
            rss_item(
                self.cc_url(SUNDERLAND.path),
                SUNDERLAND.title,
                SUNDERLAND.published,
                "Sunderland.",
                4,
            ),
        ]
        return rss("CYP Now", self.cyp.base_url, "".join(items))

    def atom(self) -> bytes:
        entries = "".join(
            "<entry>"
            f"<id>tag:www.gov.uk,2005:{doc.path}</id>"
            f"<updated>{doc.published.isoformat() if doc.published else ''}</updated>"
            f"<link rel='alternate' type='text/html' href='{self.govuk_url(doc.path)}'/>"
            f"<title>{html.escape(doc.title)}</title>"
            f"<summary type='html'>{html.escape(doc.description)}</summary>"
            "</entry>"
            for doc in GOVUK_DOCS[:2]
        )
        return (
            "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
            "xml:lang='en'><id>https://www.gov.uk/government/organisations/department-for-"
            "education</id><link rel='self' type='application/atom+xml' "
            f"href='{self.govuk_feed_url}'/><title>Department for Education - Activity on "
            f"GOV.UK</title><updated>2024-03-12T10:00:00+00:00</updated>{entries}</feed>"
        ).encode()

    # -- GOV.UK APIs --------------------------------------------------------------------

    @staticmethod
    def content_json(doc: GovukDoc) -> bytes:
        details: dict[str, object] = {"documents": list(doc.documents)} if doc.documents else {}
        if doc.body is not None:
            details["body"] = doc.body
        stamp = doc.published.isoformat() if doc.published else None
        return json.dumps(
            {
                "base_path": doc.path,
                "content_id": hashlib.md5(doc.path.encode()).hexdigest(),
                "document_type": _document_type(doc),
                "schema_name": "publication" if doc.format == "publication" else "news_article",
                "locale": "en",
                "title": doc.title,
                "description": doc.description,
                "details": details,
                "first_published_at": stamp,
                "public_updated_at": stamp,
                "links": {"organisations": [{"title": "Department for Education"}]},
            }
        ).encode()

    def search(self, request: Request) -> Reply:
        """GOV.UK's search API: unknown parameters and a count over 1000 get HTTP 422."""
        unknown = sorted(set(request.query) - SEARCH_PARAMS)
        if unknown:
            return self._unprocessable(f"Unrecognised parameter: {unknown[0]}")
        count = int(request.query.get("count", ["10"])[0])
        start = int(request.query.get("start", ["0"])[0])
        if count > 1000:
            return self._unprocessable("Maximum result set size (as specified in 'count') is 1000")
        query = request.query.get("q", [""])[0].lower()
        wanted_type = request.query.get("filter_content_store_document_type", [None])[0]
        if wanted_type is not None:  # every item of that type, whatever the words
            hits = [d for d in GOVUK_DOCS if _document_type(d) == wanted_type and not query]
        else:
            hits = [d for d in GOVUK_DOCS if any(q in query for q in d.queries)]
        hits.sort(key=lambda d: d.published or datetime.min.replace(tzinfo=UTC), reverse=True)
        page = hits[start : start + count]
        results = [
            {
                "title": d.title,
                "link": d.path,
                "public_timestamp": d.published.isoformat() if d.published else None,
                "description": d.description,
                "format": d.format,
                "content_store_document_type": _document_type(d),
                "index": "govuk",
                "es_score": None,
                "_id": d.path,
                "document_type": "edition",
            }
            for d in page
        ]
        body = {
            "results": results,
            "total": len(hits),
            "start": start,
            "aggregates": {},
            "suggested_queries": [],
        }
        return Reply(200, json.dumps(body).encode(), content_type="application/json")

    @staticmethod
    def _unprocessable(message: str) -> Reply:
        body = json.dumps({"error": message}).encode()
        return Reply(422, body, content_type="application/json")
