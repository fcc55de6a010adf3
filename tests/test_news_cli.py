"""`cswatch fetch news / govuk / all` through the real settings loader, wiring and CLI."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from config.cli import app
from config.database import make_engine
from config.settings import DEFAULT_SETTINGS_FILE
from ingest.models import Article, Run
from tests.news_replica import NewsReplica


def _settings_file(tmp_path, news: NewsReplica) -> str:
    hosts = json.dumps(sorted(news.hosts))
    text = f"""
database_url = "sqlite:///{tmp_path / "cli.db"}"
var_dir = "{tmp_path}"
log_level = "WARNING"

[http]
contact = "tests@example.org"
user_agent = "cswatch-tests/0.1 (contact {{contact}})"
min_interval_seconds = 0.0
connect_timeout_seconds = 5.0
read_timeout_seconds = 5.0
max_retries = 0
backoff_seconds = 0.0
max_retry_after_seconds = 1.0
max_body_bytes = 52428800
respect_robots_txt = true
allowed_hosts = {hosts}

[ofsted]
search_url = "{news.cc_url("/ofsted/search")}"
max_listing_pages = 1
max_provider_pages = 1
retry_failed_after_hours = 24.0

[news]
enabled = true
max_items_per_feed = 20
article_max_bytes = 200000
retry_failed_after_hours = 24.0

[[news.feeds]]
name = "communitycare"
url = "{news.cc_feed_url}"

[[news.feeds]]
name = "cypnow"
url = "{news.cyp_feed_url}"

[govuk]
enabled = true
search_url = "{news.search_url}"
queries = ["statutory direction", "commissioner"]
filter_organisations = ["department-for-education"]
count = 10
max_pages = 2
article_max_bytes = 200000
retry_failed_after_hours = 24.0
"""
    # The sections this test has no opinion on keep their defaults.
    text += "\n[schedule]" + DEFAULT_SETTINGS_FILE.read_text().split("\n[schedule]", 1)[1]
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def runner(tmp_path, news, monkeypatch) -> CliRunner:
    monkeypatch.setenv("CSWATCH_SETTINGS_FILE", _settings_file(tmp_path, news))
    monkeypatch.setenv("CSWATCH_STATISTICS__ENABLED", "false")  # its host is not in the replica
    return CliRunner()


def test_fetch_news_and_govuk_print_summaries(runner, tmp_path):
    result = runner.invoke(app, ["fetch", "news"])
    assert result.exit_code == 0, result.output
    assert "News fetch" in result.output and "duplicates" in result.output
    assert "not an HTML page (application/pdf)" in result.output

    result = runner.invoke(app, ["fetch", "govuk"])
    assert result.exit_code == 0, result.output
    assert "GOV.UK fetch" in result.output

    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        sources = {a.source for a in session.exec(select(Article)) if a.source != "baseline"}
        assert sources == {"communitycare", "cypnow", "govuk"}
        assert [r.source for r in session.exec(select(Run).order_by(Run.id))] == ["news", "govuk"]


def test_fetch_all_runs_each_source_alone(runner, tmp_path):
    # The Ofsted listing is not on the replica (404): that source fails, the others still run.
    result = runner.invoke(app, ["fetch", "all"])
    assert result.exit_code == 1, result.output
    assert "Fetch all" in result.output
    lines = {
        line.strip("│ ").split()[0]: line for line in result.output.splitlines() if "│" in line
    }
    assert "failed" in lines["ofsted"]
    assert "partial" in lines["news"] and "partial" in lines["govuk"]


def test_disabled_source_is_skipped(runner, monkeypatch):
    monkeypatch.setenv("CSWATCH_NEWS__ENABLED", "false")
    result = runner.invoke(app, ["fetch", "news"])
    assert result.exit_code == 0 and "disabled" in result.output
