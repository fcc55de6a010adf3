"""The news runs end to end over HTTP: replica sites -> feeds/search -> articles -> events.

Every database test runs on SQLite and on the machine's PostgreSQL. Each awkward input fails
alone with a clear recorded reason and loses nothing else; a second run changes no row.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ingest.http import HttpPolicy, PoliteClient
from ingest.models import (
    Article,
    ArticleFeed,
    Authority,
    Event,
    ExtractionStatus,
    Run,
    SourceState,
)
from ingest.news_pipeline import (
    FeedSpec,
    GovukOptions,
    GovukRun,
    NewsOptions,
    NewsRun,
    NewsRunSummary,
)
from ingest.store import utcnow
from tests.localserver import Reply
from tests.news_keywords import KeywordExtractor
from tests.news_replica import (
    DONCASTER,
    GOVUK_DOCS,
    GOVUK_MISSING,
    KIRKLEES,
    PAY,
    SLOUGH_UNDATED,
    SUNDERLAND,
    WEST_SUSSEX,
    NewsReplica,
    wordpress_page,
)

CAP = 200_000
QUERIES = ("children's services statutory direction", "commissioner", "trust")


@pytest.fixture(scope="module")
def extractor() -> KeywordExtractor:
    return KeywordExtractor()


def _policy(news: NewsReplica) -> HttpPolicy:
    return HttpPolicy(
        user_agent="cswatch-tests (tests@example.org)",
        allowed_hosts=news.hosts,
        min_interval_seconds=0.0,
        max_retries=0,
        read_timeout_seconds=5.0,
    )


def _feeds(news: NewsReplica) -> tuple[FeedSpec, ...]:
    return (
        FeedSpec("communitycare", news.cc_feed_url),
        FeedSpec("cypnow", news.cyp_feed_url),
        FeedSpec("govuk-dfe", news.govuk_feed_url, official=True),
    )


def _news_run(
    engine: Engine,
    news: NewsReplica,
    extractor: KeywordExtractor | None,
    feeds: tuple[FeedSpec, ...] | None = None,
    **options: object,
) -> NewsRunSummary:
    values: dict[str, object] = {"max_items_per_feed": 50, "article_max_bytes": CAP}
    values.update(options)
    with PoliteClient(_policy(news)) as client:
        run = NewsRun(
            engine,
            client,
            NewsOptions(feeds=feeds or _feeds(news), **values),  # type: ignore[arg-type]
            extractor=extractor,
        )
        return run()


def _govuk_run(
    engine: Engine, news: NewsReplica, extractor: KeywordExtractor | None, **options: object
) -> NewsRunSummary:
    values: dict[str, object] = {"queries": QUERIES, "count": 2, "max_pages": 3}
    values.update(options)
    with PoliteClient(_policy(news)) as client:
        return GovukRun(
            engine,
            client,
            GovukOptions(search_url=news.search_url, **values),  # type: ignore[arg-type]
            extractor=extractor,
        )()


def _snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every news fact row, for 'a second run changes nothing' comparisons."""
    with Session(engine) as session:
        return {
            model.__name__: sorted(
                tuple(sorted((k, str(v)) for k, v in row.model_dump().items()))
                for row in session.exec(select(model))
            )
            for model in (Article, ArticleFeed, Event)
        }


def _article(session: Session, url: str) -> Article:
    row = session.exec(select(Article).where(Article.url == url)).first()
    assert row is not None, url
    return row


def _slug_events(session: Session, article: Article) -> set[tuple]:
    rows = session.exec(
        select(Event, Authority).where(
            Event.article_id == article.id, Event.authority_id == Authority.id
        )
    ).all()
    return {(a.slug, e.kind, e.grade or e.model or e.action, e.confirmed) for e, a in rows}


def test_cold_news_run_stores_each_story_once_and_records_each_failure(engine, news, extractor):
    summary = _news_run(engine, news, extractor)

    reasons = {e.url: e.reason for e in summary.errors}
    assert reasons == {
        news.cc_url(news.pdf_path): "not an HTML page (application/pdf)",
        news.cc_url(news.huge_path): reasons[news.cc_url(news.huge_path)],
        news.cc_url(news.dead_path): "not found (HTTP 404)",
    }
    assert reasons[news.cc_url(news.huge_path)].startswith(
        f"article larger than the {CAP}-byte cap"
    )
    assert summary.status == "partial"
    assert summary.listings == 3 and summary.duplicates == 2 and summary.article_errors == 3

    with Session(engine) as session:
        articles = session.exec(select(Article)).all()
        ok = [a for a in articles if a.extraction_status == ExtractionStatus.OK]
        errors = {a.url: a.error for a in articles if a.extraction_status == ExtractionStatus.ERROR}
        assert errors == reasons  # the article rows say the same as the run
        # 4 Community Care stories + West Sussex + 2 GOV.UK pages; the Doncaster copies are one.
        assert len(ok) == 7, [a.url for a in ok]

        doncaster = _article(session, news.cc_url(DONCASTER.path))
        links = session.exec(
            select(ArticleFeed).where(ArticleFeed.article_id == doncaster.id)
        ).all()
        assert {(link.feed, link.item_url) for link in links} == {
            ("communitycare", news.cc_url(DONCASTER.path)),
            ("cypnow", news.cyp_url("/news/article/doncaster-trust-ten-years-on")),  # canonical
            ("cypnow", news.cyp_url("/news/article/doncaster-childrens-trust-anniversary")),  # hash
        }
        sunderland = _article(session, news.cc_url(SUNDERLAND.path))
        feeds = session.exec(select(ArticleFeed).where(ArticleFeed.article_id == sunderland.id))
        assert {link.feed for link in feeds} == {"communitycare", "cypnow"}

        assert _article(session, news.cc_url(SLOUGH_UNDATED.path)).published is None
        assert sunderland.published is not None
        assert sunderland.published.date() == SUNDERLAND.published.date()  # type: ignore[union-attr]
        assert "Responses to" not in (sunderland.text or "")

        assert sunderland.relevant is True and "children's services" in (
            sunderland.relevance_reason or ""
        )
        assert _article(session, news.cc_url(PAY.path)).relevant is False
        assert _slug_events(session, sunderland) == {
            ("sunderland", "delivery_model", "trust", False),
            ("sunderland", "rating", "inadequate", False),
        }
        sandwell = _article(session, news.govuk_url(GOVUK_DOCS[0].path))
        assert ("sandwell", "intervention", "direction", True) in _slug_events(session, sandwell)
        assert not session.exec(select(Event).where(Event.article_id == doncaster.id)).all() or (
            _slug_events(session, doncaster) == {("doncaster", "delivery_model", "trust", False)}
        )

        run = session.get(Run, summary.run_id)
        assert run is not None and run.source == "news" and run.status == "partial"
        assert run.finished_at is not None
        assert json.loads(run.counts)["duplicates"] == 2
        assert "not an HTML page (application/pdf)" in (run.errors or "")


def test_second_run_fetches_no_article_and_changes_no_row(engine, news, extractor):
    _news_run(engine, news, extractor)
    _govuk_run(engine, news, extractor)
    before = _snapshot(engine)
    for server in (news.cc, news.cyp, news.govuk):
        server.requests.clear()

    again = _news_run(engine, news, extractor)
    again_govuk = _govuk_run(engine, news, extractor)

    assert _snapshot(engine) == before
    assert again.not_modified == 3  # every feed answered 304 to its stored ETag
    assert again.articles_fetched == 0 and again_govuk.articles_fetched == 0
    fetched = [r.path for s in (news.cc, news.cyp, news.govuk) for r in s.requests]
    assert not [p for p in fetched if "/api/content" in p or p.startswith(("/20", "/news/a"))]


def test_failed_article_is_retried_when_due_and_then_stored(engine, news, extractor):
    _news_run(engine, news, extractor)
    news.cc.route(news.dead_path, Reply(200, wordpress_page(KIRKLEES)))

    not_yet = _news_run(engine, news, extractor, retry_failed_after=timedelta(hours=1))
    assert not_yet.articles_fetched == 0

    # The feed answers 304 to its stored ETag; forget it so the items are looked at again.
    with Session(engine) as session:
        state = session.exec(select(SourceState).where(SourceState.url == news.cc_feed_url)).one()
        state.etag = None
        session.add(state)
        session.commit()
    news.cc.requests.clear()
    retried = _news_run(engine, news, extractor, retry_failed_after=timedelta(0))
    # Only the three failed items are asked for again: the PDF, the huge page, the dead link.
    assert sorted(
        r.path for r in news.cc.requests if r.path not in ("/feed/", "/robots.txt")
    ) == sorted([news.pdf_path, news.huge_path, news.dead_path])
    assert retried.articles_new == 0 and retried.article_errors == 2
    with Session(engine) as session:
        revived = _article(session, news.cc_url(news.dead_path))
        assert revived.extraction_status == ExtractionStatus.OK and revived.error is None
        assert _article(session, news.cc_url(news.pdf_path)).error == (
            "not an HTML page (application/pdf)"
        )


def test_malformed_feed_is_recorded_and_its_readable_items_used(engine, news, extractor):
    feeds = (
        FeedSpec("malformed", news.cc_url("/feed/malformed/")),
        FeedSpec("broken", news.cc_url("/feed/broken/")),
        FeedSpec("gone", news.cc_url("/feed/gone/")),
        FeedSpec("cypnow", news.cyp_feed_url),
    )
    summary = _news_run(engine, news, extractor, feeds)

    reasons = [e.reason for e in summary.errors]
    assert len(reasons) == 3
    assert (
        "malformed XML" in reasons[0]
        and "used the 3 items that could still be read" in (reasons[0])
    )
    assert reasons[1].endswith("not an RSS or Atom feed")
    assert reasons[2] == "feed gone: not found (HTTP 404)"
    assert summary.listings_failed == 1 and summary.status == "partial"
    with Session(engine) as session:
        stored = {a.url for a in session.exec(select(Article))}
        state = session.exec(
            select(SourceState).where(SourceState.url == news.cc_url("/feed/malformed/"))
        ).one()
        assert "malformed XML" in (state.last_error or "")
    assert {
        news.cc_url(KIRKLEES.path),
        news.cc_url(SUNDERLAND.path),
        news.cc_url(news.survey_path),
        news.cyp_url(WEST_SUSSEX.path),
    } <= stored
    with Session(engine) as session:
        survey = _article(session, news.cc_url(news.survey_path))
        assert survey.published is None  # the broken item's date was cut off: not invented


def test_huge_feed_is_capped_at_max_items(engine, news):
    summary = _news_run(
        engine, news, None, (FeedSpec("archive", news.cc_url("/feed/big/")),), max_items_per_feed=5
    )
    assert summary.items_seen == 5 and summary.articles_new == 5 and not summary.errors
    assert sum(1 for r in news.cc.requests if r.path.startswith("/big/")) == 5
    with Session(engine) as session:
        rows = session.exec(select(Article)).all()
        assert sorted(a.url for a in rows) == sorted(news.cc_url(f"/big/{n}/") for n in range(5))
        assert all(a.relevant is None for a in rows)  # no extractor: stored unjudged
        assert not session.exec(select(Event)).all()


def test_govuk_run_confirms_events_and_records_each_failure(engine, news, extractor):
    summary = _govuk_run(engine, news, extractor)

    assert [(e.url, e.reason) for e in summary.errors] == [
        (news.govuk_url(GOVUK_MISSING), "not found (HTTP 404)")
    ]
    # count=2: the 'trust' query has 2 hits (one page); 'statutory direction' 2; 'commissioner' 1.
    assert summary.listings == 3
    with Session(engine) as session:
        sandwell = _article(session, news.govuk_url(GOVUK_DOCS[0].path))
        assert sandwell.source == "govuk" and sandwell.canonical_url == sandwell.url
        assert sandwell.published is not None and sandwell.published.year == 2017
        assert "section 497A" in (sandwell.text or "")
        events = session.exec(select(Event)).all()
        assert events and all(e.confirmed for e in events)
        assert ("sandwell", "intervention", "direction", True) in _slug_events(session, sandwell)
        breakfast = _article(session, news.govuk_url(GOVUK_DOCS[2].path))
        assert breakfast.relevant is False
        links = session.exec(select(ArticleFeed).where(ArticleFeed.article_id == sandwell.id))
        assert {link.feed for link in links} == {
            "govuk:children's services statutory direction",
            "govuk:trust",
        }


def test_govuk_paging_stops_at_the_cap(engine, news):
    summary = _govuk_run(engine, news, None, queries=("statutory direction trust",), count=1)
    # Three documents match; one a page; max_pages=3 reads all three pages, no fourth.
    assert summary.listings == 3
    summary = _govuk_run(
        engine, news, None, queries=("statutory direction trust",), count=1, max_pages=1
    )
    assert summary.listings == 1


def test_govuk_422_is_a_clear_error(engine, news):
    summary = _govuk_run(engine, news, None, count=1001)
    assert summary.status == "failed" and summary.listings == 0
    assert len(summary.errors) == len(QUERIES)
    reason = summary.errors[0].reason
    assert "GOV.UK search rejected the query" in reason and "HTTP 422" in reason
    with Session(engine) as session:
        assert not session.exec(select(Article)).all()
        run = session.get(Run, summary.run_id)
        assert run is not None and run.status == "failed" and "HTTP 422" in (run.errors or "")


class _Exploding(KeywordExtractor):
    def extract(self, text, *, published=None, title=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("model not loaded")


def test_extractor_failure_keeps_the_article_unjudged(engine, news):
    feeds = (FeedSpec("cypnow", news.cyp_feed_url),)
    summary = _news_run(engine, news, _Exploding(), feeds)
    assert summary.articles_new == 3 and summary.duplicates == 1 and len(summary.errors) == 3
    assert all(
        "event extraction failed: RuntimeError: model not loaded" in e.reason
        for e in summary.errors
    )
    with Session(engine) as session:
        west_sussex = _article(session, news.cyp_url(WEST_SUSSEX.path))
        assert west_sussex.text and west_sussex.relevant is None
        assert not session.exec(select(Event)).all()


def test_event_natural_key_is_unique_in_the_database(engine, news, extractor):
    _news_run(engine, news, extractor, (FeedSpec("cypnow", news.cyp_feed_url),))
    with Session(engine) as session:
        event = session.exec(select(Event)).first()
        assert event is not None
        twin = Event(
            **{k: v for k, v in event.model_dump().items() if k not in {"id", "evidence"}},
        )
        twin.evidence = "other words"
        twin.created_at = utcnow()
        session.add(twin)
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        # NULL value fields compare equal through the coalesced index, too.
        bare = Event(article_id=event.article_id, authority_id=None, kind="x", created_at=utcnow())
        session.add(bare)
        session.commit()
        session.add(
            Event(article_id=event.article_id, authority_id=None, kind="x", created_at=utcnow())
        )
        with pytest.raises(IntegrityError):
            session.commit()


def test_migration_0002_downgrades_and_upgrades_again(engine):
    from alembic import command
    from sqlalchemy import inspect

    from config.database import alembic_config

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert not {"article", "article_feed", "event"} & set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert {"article", "article_feed", "event"} <= set(inspect(engine).get_table_names())
