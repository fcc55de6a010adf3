"""The web app over real data (the Ofsted replica's PDFs): pages, feeds, CSV, API, escaping,
subscriptions (double opt-in, CSRF, tokens, one-click unsubscribe, rate limits), settings."""

from __future__ import annotations

import ast
import csv
import io
import os
import re
import stat
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from alerts.models import Subscriber
from config.database import make_engine
from config.settings import DEFAULT_SETTINGS_FILE, SettingsError, load_settings
from config.web import secret_key, start_in_thread
from config.wiring import Service
from ingest.models import Authority
from tests.conftest import _seed
from tests.smtpserver import free_port
from tests.test_daemon import DaemonProcess
from tests.webdata import NEWS_SLUG, XSS_SLUG, fill
from web.app import WebOptions, create_app, parse_since
from web.security import Signer

KEY = "k3Y-for-tests-only-0123456789abcdefghijklmnop"
BASE = "https://cswatch.test"
ATOM = "{http://www.w3.org/2005/Atom}"


class Outbox(list):
    def __call__(self, recipient: str, message_id: str, data: bytes) -> None:
        self.append((recipient, message_id, data))

    def texts(self) -> list[str]:
        return [
            message_from_bytes(data, policy=default).get_body(("plain",)).get_content()  # type: ignore[union-attr]
            for _r, _m, data in self
        ]


def make_client(engine, **options) -> tuple[TestClient, Outbox]:
    outbox = Outbox()
    app = create_app(
        engine,
        WebOptions(
            secret_key=KEY, public_base_url=BASE, from_address="alerts@cswatch.test", **options
        ),
        outbox,
    )
    return TestClient(app), outbox


@pytest.fixture
def filled(engine):
    fill(engine)
    return engine


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory):
    """One filled SQLite database for the read-only and subscription tests of this module."""
    path = tmp_path_factory.mktemp("web") / "web.db"
    engine = _seed(make_engine(f"sqlite:///{path}"))
    fill(engine)
    yield engine
    engine.dispose()


# -- pages, feeds, CSV and API on both databases --------------------------------------------------


def test_board_timeline_changes_feeds_csv_and_api(filled):
    client, _outbox = make_client(filled)
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Showing 153 of 153 councils" in page.text
    assert 'href="/authority/doncaster"' in page.text

    london = client.get("/", params={"region": "London", "sort": "grade", "order": "desc"})
    rows = re.findall(r'<th scope="row"><a href="/authority/([a-z0-9-]+)"', london.text)
    assert 30 <= len(rows) <= 33 and "barnet" in rows and "doncaster" not in rows
    assert 'aria-sort="descending"' in london.text

    def listed(**params) -> list[str]:
        page = client.get("/", params=params).text
        return re.findall(r'<th scope="row"><a href="/authority/([a-z0-9-]+)"', page)

    assert "doncaster" in listed(grade="good") and "doncaster" not in listed(grade="inadequate")
    trusts = listed(model="trust")
    assert "birmingham" in trusts and "doncaster" not in trusts and "sunderland" not in trusts

    timeline = client.get("/authority/doncaster").text
    assert "Full inspection" in timeline and "Focused visit" in timeline
    assert "Overall: Inadequate (inspected 14 September 2015 to 8 October 2015)" in timeline
    # Every period of the delivery-model history, the ended trust with its dates and sources.
    assert "Delivery model: Trust (Doncaster Children&#39;s Services Trust)" in timeline
    assert "From 2014-10-01 to " in timeline and ", ended" in timeline
    assert "Delivery model: In-house" in timeline  # the return in house, with its source
    assert "confirmed</strong>" in timeline
    reported = client.get(f"/authority/{NEWS_SLUG}").text
    assert "reported</strong>" in reported and "Kirklees Trust" in reported
    assert client.get("/authority/nowhere").status_code == 404
    former = client.get("/authority/northamptonshire").text
    assert "Northamptonshire no longer exists: it was abolished on 31 Mar 2021" in former
    assert "/authority/north-northamptonshire" in former and "on 1 Apr 2021" in former

    changes = client.get("/changes", params={"since": "2020-01-01"}).text
    assert "Kirklees" in changes and "reported" in changes
    assert client.get("/changes", params={"since": "yesterday"}).status_code == 400

    feed = ET.fromstring(client.get("/changes.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert entries[0].find(f"{ATOM}title").text.startswith("Kirklees: trust proposed")  # type: ignore[union-attr]
    one = ET.fromstring(client.get(f"/authority/{NEWS_SLUG}/changes.atom").content)
    assert len(one.findall(f"{ATOM}entry")) == 1
    assert client.get("/authority/nowhere/changes.atom").status_code == 404

    table = list(csv.DictReader(io.StringIO(client.get("/board.csv?region=London").text)))
    assert len(table) == len(rows) and {"slug", "overall_grade", "delivery_model"} <= set(table[0])

    everyone = client.get("/api/authorities").json()
    assert everyone["count"] == 153 == len(everyone["authorities"])
    doncaster = client.get("/api/authorities/doncaster").json()
    assert doncaster["overall"] == "good" and doncaster["delivery"]["status"] == "confirmed"
    assert doncaster["url"] == f"{BASE}/authority/doncaster"
    kinds = {entry["kind"] for entry in doncaster["timeline"]}
    assert {"inspection", "visit", "delivery_model"} <= kinds
    assert all(entry["evidence"] for entry in doncaster["timeline"])
    assert client.get("/api/authorities/nowhere").status_code == 404
    recent = client.get("/api/changes", params={"since": "2020-01-01"}).json()
    assert recent["count"] == 2 and recent["changes"][0]["status"] == "reported"
    assert client.get("/api/changes", params={"since": "2999-01-01"}).json()["count"] == 0
    assert client.get("/api/changes", params={"since": "soon"}).status_code == 422


def test_the_board_reads_each_table_once_whatever_the_number_of_authorities(shared_db):
    client, _outbox = make_client(shared_db)
    client.get("/")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(shared_db, "before_cursor_execute", count)
    try:
        assert client.get("/").status_code == 200
        board_queries = len(statements)
        statements.clear()
        assert client.get("/api/authorities").status_code == 200
    finally:
        event.remove(shared_db, "before_cursor_execute", count)
    assert board_queries <= 12, statements
    assert len(statements) <= 12


def test_scraped_text_is_escaped_everywhere(shared_db):
    client, _outbox = make_client(shared_db)
    for path in ("/", f"/authority/{XSS_SLUG}", "/changes", "/changes.atom"):
        body = client.get(path).text
        assert "<script>" not in body and "<img src=x" not in body, path
        assert 'href="javascript:' not in body, path
    page = client.get(f"/authority/{XSS_SLUG}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "Trust &lt;script&gt;" in page  # the provider name, escaped
    assert client.get("/").headers["content-security-policy"].startswith("default-src 'none'")
    data = client.get(f"/api/authorities/{XSS_SLUG}").json()
    assert any("<script>" in (e["label"] or "") for e in data["timeline"])  # JSON keeps the text
    assert (
        client.get(f"/api/authorities/{XSS_SLUG}")
        .headers["content-type"]
        .startswith("application/json")
    )


def test_csv_cells_cannot_run_as_formulas(shared_db):
    with Session(shared_db) as session:
        barnet = session.exec(select(Authority).where(Authority.slug == "barnet")).one()
        barnet.region = '=HYPERLINK("http://evil")'
        session.add(barnet)
        session.commit()
    try:
        client, _outbox = make_client(shared_db)
        text = client.get("/board.csv").text
        assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    finally:
        with Session(shared_db) as session:
            barnet = session.exec(select(Authority).where(Authority.slug == "barnet")).one()
            barnet.region = "London"
            session.add(barnet)
            session.commit()


# -- subscriptions ----------------------------------------------------------------------


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def _subscribe(client: TestClient, email: str, **fields) -> httpx.Response:
    token = _csrf(client.get("/subscribe").text)
    data = {"csrf_token": token, "email": email, "frequency": "daily", **fields}
    return client.post("/subscribe", data=data)


def _link(text: str, kind: str) -> str:
    match = re.search(rf"{re.escape(BASE)}(/{kind}/[A-Za-z0-9._~%-]+)", text)
    assert match, text
    return match.group(1)


def test_double_opt_in_manage_and_one_click_unsubscribe(shared_db):
    client, outbox = make_client(shared_db)
    answer = _subscribe(
        client,
        "Reader@Example.org",
        regions=["London"],
        authorities=["doncaster"],
        kinds=["rating_changed", "delivery_model_changed"],
        include_reported="yes",
    )
    assert answer.status_code == 200 and "Check your email" in answer.text
    assert answer.headers["cache-control"] == "no-store"
    [(recipient, _id, _data)] = outbox
    assert recipient == "Reader@example.org"
    confirm = _link(outbox.texts()[0], "confirm")
    with Session(shared_db) as session:
        pending = session.exec(select(Subscriber).where(Subscriber.email == recipient)).one()
        assert not pending.confirmed and pending.regions == '["London"]'

    page = client.get(confirm)  # a GET (a link scanner) confirms nothing
    assert page.status_code == 200 and "Confirm my subscription" in page.text
    with Session(shared_db) as session:
        assert not session.get(Subscriber, pending.id).confirmed  # type: ignore[union-attr]
    done = client.post(confirm, data={"csrf_token": _csrf(page.text)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/manage/")
    manage_url = done.headers["location"].split("?")[0]
    with Session(shared_db) as session:
        row = session.get(Subscriber, pending.id)
        assert row is not None and row.confirmed
        assert manage_url == f"/manage/{row.token}"  # the digests' link

    manage = client.get(done.headers["location"])
    assert "Your subscription is confirmed" in manage.text and "Reader@example.org" in manage.text
    saved = client.post(
        manage_url,
        data={
            "csrf_token": _csrf(manage.text),
            "regions": ["North West"],
            "frequency": "weekly",
            "include_reported": "no",
        },
    )
    assert "Your preferences are saved" in saved.text
    with Session(shared_db) as session:
        row = session.get(Subscriber, pending.id)
        assert row is not None
        assert (row.regions, row.authorities, row.kinds) == ('["North West"]', "[]", "[]")
        assert row.frequency == "weekly" and not row.include_reported
    bad = client.post(manage_url, data={"csrf_token": _csrf(saved.text), "regions": ["Mars"]})
    assert "Choose regions from the list" in bad.text

    unsubscribe_url = manage_url.replace("/manage/", "/unsubscribe/")
    assert "Unsubscribe" in client.get(unsubscribe_url).text  # a GET never unsubscribes
    with Session(shared_db) as session:
        assert session.get(Subscriber, pending.id) is not None
    # RFC 8058: the mail provider POSTs, with no cookie and no CSRF token.
    one_click = httpx.Client(transport=client._transport, base_url="http://testserver")
    response = one_click.post(
        unsubscribe_url,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    with Session(shared_db) as session:
        assert session.get(Subscriber, pending.id) is None
    again = one_click.post(unsubscribe_url, data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200 and again.text == response.text
    assert client.get(manage_url).status_code == 404
    assert one_click.post(unsubscribe_url, data={}).status_code == 400


def test_sign_up_answers_the_same_whether_or_not_the_address_is_subscribed(shared_db):
    client, outbox = make_client(shared_db)
    first = _subscribe(client, "same@example.org")
    pending = _subscribe(client, "same@example.org")
    confirm = _link(outbox.texts()[-1], "confirm")
    page = client.get(confirm)
    client.post(confirm, data={"csrf_token": _csrf(page.text)})
    confirmed = _subscribe(client, "same@example.org")
    other = _subscribe(client, "other@example.org")
    bodies = {r.text.replace("other@", "same@") for r in (first, pending, confirmed, other)}
    assert len(bodies) == 1 and {r.status_code for r in (first, confirmed, other)} == {200}
    texts = outbox.texts()
    assert len(texts) == 4
    assert "/confirm/" in texts[0] and "/confirm/" in texts[1]
    assert "already subscribed" in texts[2] and "/manage/" in texts[2]  # only to its owner


def test_forms_need_their_csrf_token(shared_db):
    client, outbox = make_client(shared_db)
    client.get("/subscribe")
    no_token = client.post("/subscribe", data={"email": "csrf@example.org"})
    forged = client.post("/subscribe", data={"email": "csrf@example.org", "csrf_token": "x.y.z"})
    other_client, _ = make_client(shared_db)
    stolen = _csrf(other_client.get("/subscribe").text)  # valid, but for another cookie
    mismatched = client.post("/subscribe", data={"email": "csrf@example.org", "csrf_token": stolen})
    assert {no_token.status_code, forged.status_code, mismatched.status_code} == {403}
    assert not outbox


def test_forged_and_expired_confirmation_tokens_are_rejected(shared_db):
    client, outbox = make_client(shared_db)
    _subscribe(client, "expiry@example.org")
    confirm = _link(outbox.texts()[0], "confirm")
    token = confirm.removeprefix("/confirm/")
    head, _, signature = token.rpartition(".")
    forged = f"/confirm/{head}.{'A' * len(signature)}"
    assert client.get(forged).status_code == 400
    assert "not valid" in client.get(forged).text
    with Session(shared_db) as session:
        row = session.exec(select(Subscriber).where(Subscriber.email == "expiry@example.org")).one()
        assert row.id is not None
        elsewhere = Signer(
            "another-key-0123456789abcdefghijklmnopq", confirm_max_age=3600, csrf_max_age=3600
        ).confirm_token(row.id, row.token)
    assert client.get(f"/confirm/{elsewhere}").status_code == 400  # signed with another key
    assert client.get("/confirm/not-a-token").status_code == 400
    page = client.get(confirm)
    csrf_token = _csrf(page.text)
    with time_machine.travel(timedelta(hours=49)):
        expired = client.post(confirm, data={"csrf_token": csrf_token})
        assert expired.status_code in (400, 403)
        late = client.get(confirm)
        assert late.status_code == 400 and "expired" in late.text
    with Session(shared_db) as session:
        row = session.exec(select(Subscriber).where(Subscriber.email == "expiry@example.org")).one()
        assert not row.confirmed


def test_sign_ups_are_rate_limited(shared_db):
    client, outbox = make_client(
        shared_db, signups_per_client_per_hour=3, emails_per_address_per_hour=2
    )
    answers = [_subscribe(client, "limited@example.org") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len(outbox) == 2  # the third message to one address is not sent; same answer
    fourth = _subscribe(client, "someone-else@example.org")
    assert fourth.status_code == 429 and int(fourth.headers["retry-after"]) > 0
    bad = _subscribe(client, "not an address")
    assert bad.status_code == 200 and "There is a problem" in bad.text  # invalid: not counted


def test_a_bad_address_is_explained(shared_db):
    client, outbox = make_client(shared_db)
    answer = _subscribe(client, "not an address", regions=["Atlantis"])
    assert answer.status_code == 200 and "There is a problem" in answer.text
    assert "Enter an email address in the correct format" in answer.text
    assert "Choose regions from the list" in answer.text and not outbox


# -- settings and serving --------------------------------------------------------------------------


def test_the_signing_key_comes_from_the_environment_or_a_private_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CSWATCH_WEB__SECRET_KEY", "change-me-change-me-change-me-change-me")
    with pytest.raises(SettingsError, match=r"web\.secret_key: .*placeholder"):
        load_settings()
    monkeypatch.setenv("CSWATCH_WEB__SECRET_KEY", "short")
    with pytest.raises(SettingsError, match="at least 32"):
        load_settings()
    monkeypatch.setenv("CSWATCH_WEB__SECRET_KEY", KEY)
    assert secret_key(load_settings()) == KEY

    monkeypatch.delenv("CSWATCH_WEB__SECRET_KEY")
    settings = load_settings()
    generated = secret_key(settings)
    path = tmp_path / "web_secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(generated) >= 32
    assert secret_key(settings) == generated  # kept
    os.chmod(path, 0o644)
    with pytest.raises(SettingsError, match="readable by others"):
        secret_key(settings)

    toml = tmp_path / "settings.toml"
    toml.write_text(
        DEFAULT_SETTINGS_FILE.read_text(encoding="utf-8") + f'secret_key = "{KEY}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CSWATCH_SETTINGS_FILE", str(toml))
    with pytest.raises(SettingsError, match="may not be written in"):
        load_settings()


def test_the_web_app_serves_from_a_thread(tmp_path, monkeypatch):
    monkeypatch.setenv("CSWATCH_DATABASE_URL", f"sqlite:///{tmp_path}/serve.db")
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(tmp_path))
    service = Service(load_settings())
    port = free_port()
    web = start_in_thread(service, "127.0.0.1", port)
    try:
        for _ in range(100):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/authorities", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert response.status_code == 200 and response.json()["count"] == 153
    finally:
        web.stop()
    assert not web.thread.is_alive()


def test_web_never_imports_config_and_ingest_never_imports_web_or_alerts():
    root = Path(__file__).resolve().parents[1]

    def imported(package: str) -> set[str]:
        names = set()
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
        return names

    assert "config" not in imported("web")
    assert not {"web", "alerts", "config"} & imported("ingest")


def test_the_daemon_serves_the_web_app_when_settings_say_so(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
    env.update(
        {
            "CSWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'daemon.db'}",
            "CSWATCH_VAR_DIR": str(tmp_path / "var"),
            "CSWATCH_NEWS__ENABLED": "false",
            "CSWATCH_GOVUK__ENABLED": "false",
            "CSWATCH_STATISTICS__ENABLED": "false",
            "CSWATCH_DAEMON__HEALTH_PORT": "0",
            "CSWATCH_DAEMON__SHUTDOWN_GRACE_SECONDS": "3",
            "CSWATCH_SCHEDULE__JOBS__OFSTED__ENABLED": "false",
            "CSWATCH_SCHEDULE__JOBS__DIGESTS__ENABLED": "false",
            "CSWATCH_WEB__SERVE_IN_DAEMON": "true",
            "CSWATCH_WEB__PORT": str(port),
        }
    )
    daemon = DaemonProcess(env, tmp_path / "daemon.log")
    try:
        daemon.wait_for(f"web on http://127.0.0.1:{port}/", timeout=60)
        response = httpx.get(f"http://127.0.0.1:{port}/api/authorities", timeout=10)
        assert response.status_code == 200 and response.json()["count"] == 153
        code, took = daemon.stop()
        assert code == 0 and took < 10
    finally:
        daemon.kill()
    key = tmp_path / "var" / "web_secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # generated: no key in the environment


def test_the_board_cache_never_serves_old_data(engine):
    """Any commit, by this process's own connections or by another, is seen at once."""
    client, _outbox = make_client(engine)
    app_cache = client.app.state.cache  # type: ignore[attr-defined]

    def barnet() -> dict:
        rows = client.get("/api/authorities", params={"sort": "name"}).json()["authorities"]
        return next(r for r in rows if r["slug"] == "barnet")

    def set_region(target, region: str) -> None:
        with Session(target) as session:
            row = session.exec(select(Authority).where(Authority.slug == "barnet")).one()
            row.region = region
            session.add(row)
            session.commit()

    assert barnet()["region"] == "London"
    hits = app_cache.hits
    assert barnet()["region"] == "London"
    assert "<dd>London</dd>" in client.get("/authority/barnet").text
    if engine.dialect.name == "sqlite":  # PostgreSQL's WAL also moves with other databases' work
        assert app_cache.hits > hits  # nothing changed: served from the cache
    set_region(engine, "Outer London")  # the app's own engine (same pool)
    assert barnet()["region"] == "Outer London"
    assert "Outer London" in client.get("/").text
    assert "<dd>Outer London</dd>" in client.get("/authority/barnet").text
    assert client.get("/api/authorities/barnet").json()["region"] == "Outer London"
    other = engine  # PostgreSQL: the WAL position is the whole cluster's, any connection will do
    if engine.dialect.name == "sqlite":
        other = make_engine(engine.url.render_as_string(hide_password=False))
    set_region(other, "London")  # another connection, as a job's process would be
    assert barnet()["region"] == "London"
    assert "Outer London" not in client.get("/").text
    assert "<dd>London</dd>" in client.get("/authority/barnet").text


def test_since_a_date_starts_at_midnight_in_the_digests_zone():
    london = ZoneInfo("Europe/London")
    assert parse_since("2025-07-01", london) == datetime(2025, 6, 30, 23, 0, tzinfo=UTC)  # BST
    assert parse_since("2025-01-15", london) == datetime(2025, 1, 15, 0, 0, tzinfo=UTC)
    assert parse_since("2025-07-01T09:30:00Z", london) == datetime(2025, 7, 1, 9, 30, tzinfo=UTC)
    assert parse_since("2025-07-01T09:30", london) == datetime(2025, 7, 1, 9, 30, tzinfo=UTC)
    assert parse_since(" ", london) is None
    with pytest.raises(ValueError, match="is not a date"):
        parse_since("2025-02-31", london)
