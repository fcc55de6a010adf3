"""The board people read first (issue 13): first-run banner and 'data as of', summary counts,
search without JavaScript, the hex map and its build, grade history, former councils, honest
words and dates, filters that say when they match nothing, and the picker without JavaScript."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import Session, select

from alerts.models import Subscriber
from config.database import make_engine
from tests.conftest import _seed
from tests.paths import SHARED
from tests.test_web import _csrf, make_client
from tests.webdata import fill
from web import board, hexmap
from web.maps import build

HEXJSON = SHARED / "data" / "maps" / "uk-upper-tier-local-authorities.hexjson"


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("board") / "board.db"
    engine = _seed(make_engine(f"sqlite:///{path}"))
    fill(engine)
    yield engine
    engine.dispose()


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/authority/([a-z0-9-]+)"', page)


def test_a_fresh_install_says_no_data_has_been_fetched(sqlite_engine, filled_db):
    fresh, _ = make_client(sqlite_engine)
    page = fresh.get("/").text
    assert 'id="first-run"' in page and "No data has been fetched yet" in page
    assert "Ofsted reports not fetched yet" in page
    client, _ = make_client(filled_db)
    page = client.get("/").text
    assert 'id="first-run"' not in page
    as_of = re.search(r'Ofsted reports <time datetime="([^"]+)">', page)
    assert as_of, page[page.index("Data as of") :][:300]
    assert "sector news not fetched yet" in page


def test_summary_counts_add_up(filled_db):
    client, _ = make_client(filled_db)
    page = client.get("/").text
    section = page[page.index('id="summary-title"') : page.index('id="map"')]
    grades = [
        int(n) for n in re.findall(r'count-number">(\d+)<', section.split("delivery model")[0])
    ]
    assert sum(grades) == 153
    models_part = section.split("Councils by delivery model")[1].split("Under DfE")[0]
    models = [int(n) for n in re.findall(r'count-number">(\d+)<', models_part)]
    assert sum(models) == 153
    rows = client.get("/api/authorities").json()["authorities"]
    trusts = sum(1 for r in rows if r["delivery"]["model"] == "trust")
    assert f'<span class="count-number">{trusts}</span> Trust' in section
    assert 'href="/?grade=good"' in section  # each count leads to its councils


def test_search_works_without_javascript(filled_db):
    client, _ = make_client(filled_db)
    assert _rows(client.get("/", params={"q": "donc"}).text) == ["doncaster"]
    assert _rows(client.get("/", params={"q": "  BCP "}).text) == [
        "bournemouth-christchurch-and-poole"
    ]  # another name it goes by
    both = _rows(client.get("/", params={"q": "northamptonshire"}).text)
    assert both == ["north-northamptonshire", "west-northamptonshire"]
    nothing = client.get("/", params={"q": "Atlantis"})
    assert nothing.status_code == 200 and "No council matches ‘Atlantis’" in nothing.text
    page = client.get("/").text
    assert 'list="council-names"' in page and '<option value="Doncaster">' in page


def test_filters_that_name_nothing_say_so(filled_db):
    client, _ = make_client(filled_db)
    bogus = client.get("/", params={"grade": "bogus"})
    assert bogus.status_code == 400 and "‘bogus’ is not a grade" in bogus.text
    mars = client.get("/", params={"region": "Mars"})
    assert mars.status_code == 400 and "There is no region called ‘Mars’" in mars.text
    empty = client.get("/", params={"region": "London", "model": "partnership"})
    assert empty.status_code == 200 and "No council matches with these filters" in empty.text
    csv = client.get("/board.csv", params={"model": "robot"})
    assert csv.status_code == 400 and "‘robot’ is not a delivery model" in csv.text
    assert client.get("/api/authorities", params={"grade": "bogus"}).status_code == 422
    region = client.get("/api/authorities", params={"region": "Mars"})
    assert region.status_code == 422 and "no region 'Mars'" in region.text
    sunderland = client.get("/api/changes", params={"authority": "Sunderland"})
    assert sunderland.status_code == 404
    assert "did you mean 'sunderland'" in sunderland.json()["detail"]
    assert client.get("/api/changes", params={"authority": "sunderland"}).json()["count"] == 0


def test_the_hex_map_places_every_current_council_once(filled_db):
    client, _ = make_client(filled_db)
    page = client.get("/").text
    slugs = re.findall(r'<a href="/authority/([a-z0-9-]+)" tabindex="-1" data-slug=', page)
    assert len(slugs) == len(set(slugs)) == 153
    assert {"cumberland", "westmorland-and-furness", "north-northamptonshire"} <= set(slugs)
    assert "cumbria" not in slugs and "northamptonshire" not in slugs
    assert page.count('<polygon class="hex grade-') == 153
    by_model = client.get("/", params={"colour": "model"}).text
    assert 'class="hex model-trust' in by_model and "Trust (" in by_model
    faded = client.get("/", params={"region": "London"}).text
    assert faded.count(' faded"') == 153 - len(_rows(faded))


def test_the_committed_map_is_what_the_build_makes_from_the_shared_file(tmp_path):
    out = tmp_path / "england.json"
    assert build.main([str(HEXJSON), "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (build.OUTPUT.read_text(encoding="utf-8")), (
        "run: .venv/bin/python -m web.maps.build ../shared/data/maps/...hexjson"
    )
    shared = json.loads(HEXJSON.read_text(encoding="utf-8"))
    assert "E10000006" in shared["hexes"]  # drawn with Cumbria whole: the build split it
    cells = list(hexmap.layout().values())
    assert len(cells) == len(set(cells)) == 153


def test_the_build_refuses_a_map_that_misses_a_council():
    shared = json.loads(HEXJSON.read_text(encoding="utf-8"))
    del shared["hexes"]["E08000017"]  # Doncaster
    with build.GAZETTEER.open(encoding="utf-8") as handle:
        import csv

        gazetteer = list(csv.DictReader(handle))
    with pytest.raises(build.MapError, match="doncaster"):
        build.build(shared, gazetteer)


def test_a_council_page_shows_its_grade_history(filled_db):
    client, _ = make_client(filled_db)
    page = client.get("/authority/doncaster").text
    chart = page[
        page.index('id="grade-history"') : page.index("</svg>", page.index("grade-history"))
    ]
    dots = re.findall(r'<circle class="dot grade-([a-z_]+)"', chart)
    assert dots == ["inadequate", "good", "requires_improvement", "good"]
    assert "<title>8 Oct 2015: Inadequate</title>" in chart
    assert "Good (31 Jan 2025)" in chart  # the text alternative
    rows = client.get("/api/authorities").json()["authorities"]
    ungraded = next(r["slug"] for r in rows if r["overall"] is None)
    assert 'id="history-none"' in client.get(f"/authority/{ungraded}").text


def test_abolished_councils_show_successors_and_dates(filled_db):
    client, _ = make_client(filled_db)
    cumbria = client.get("/authority/cumbria").text
    assert "Cumbria no longer exists: it was abolished on 31 Mar 2023." in cumbria
    assert (
        'passed to <a href="/authority/cumberland">Cumberland</a> and '
        '<a href="/authority/westmorland-and-furness">Westmorland and Furness</a> on 1 Apr 2023'
    ) in cumbria
    assert "In house" not in cumbria and "no record" not in cumbria
    cumberland = client.get("/authority/cumberland").text
    assert "took over from" in cumberland and "(abolished 31 Mar 2023) on 1 Apr 2023" in cumberland


def test_public_pages_carry_no_internal_notes_or_doubled_words(filled_db):
    client, _ = make_client(filled_db)
    for slug in ("doncaster", "slough", "birmingham", "kirklees", "kingston-upon-thames"):
        page = client.get(f"/authority/{slug}").text
        assert "config/" not in page and "domain.md" not in page, slug
        assert "Curated baseline" not in page, slug
        assert "Delivery model: Delivery model" not in page, slug
        assert "decided since" not in page, slug
    doncaster = client.get("/authority/doncaster").text
    # Reference data shows what it says and its source link, never the reviewer's notes.
    assert re.search(
        r'Evidence: <a href="https://[^"]+">Reference data: ended 2022-09-01</a>', doncaster
    )
    for path in ("/", "/changes", "/authority/kirklees"):
        assert "Delivery model: Delivery model" not in client.get(path).text


def test_delivery_wording_says_what_each_stage_means():
    base = board.BoardRow(
        slug="x", name="X", region=None, overall=None, inspected=None, published=None,
        report_url=None, model="trust", provider=None, stage="decided",
        model_since=date(2025, 3, 4), model_confirmed=True, interventions=(),
        intervention_confirmed=None, last_change=None, last_change_text=None,
    )  # fmt: skip
    assert base.delivery_when == "decided 4 Mar 2025"
    assert replace(base, stage="operational").delivery_when == "since 4 Mar 2025"
    assert replace(base, stage="proposed", model_since=None).delivery_when == "proposed"
    # No more precise than the source: a year alone is not its first day.
    in_house = replace(base, model="in_house", stage="operational", model_since=date(2019, 1, 1))
    assert replace(in_house, model_since_text="2019").delivery_when == "since 2019"
    assert replace(in_house, model_since_text="2019-01").delivery_when == "since Jan 2019"
    assert replace(in_house, model_since_text="2019-01-01").delivery_when == "since 1 Jan 2019"


def test_torbay_is_back_in_house_since_2019_not_a_made_up_day(filled_db):
    page = make_client(filled_db)[0].get("/authority/torbay").text
    assert "since 2019" in page and "1 Jan 2019" not in page


def test_last_change_shows_when_it_happened(filled_db):
    client, _ = make_client(filled_db)
    page = client.get("/", params={"q": "West Sussex"}).text
    row = page[page.index('<th scope="row"><a href="/authority/west-sussex"') :]
    row = row[: row.index("</tr>")]
    assert '<time datetime="2025-03-01">1 Mar 2025</time>' in row  # the visit's date
    api = client.get("/api/authorities/west-sussex").json()
    assert api["last_change_on"] == "2025-03-01" and api["last_change"].startswith("20")
    kirklees = client.get("/", params={"q": "Kirklees"}).text
    assert "noticed " in kirklees[kirklees.index('<th scope="row"><a href="/authority/kirklees"') :]


def test_the_csv_has_the_pending_plan_beside_todays_model(filled_db):
    """Kirklees runs its services in house and news reports a trust proposed: the CSV says
    both, the plan in its own columns at the end; a council with no plan leaves them empty."""
    client, _ = make_client(filled_db)
    text = client.get("/board.csv").text
    header = text.splitlines()[0].split(",")
    assert header[-5:] == [
        "planned_model",
        "planned_provider",
        "planned_stage",
        "planned_since",
        "planned_status",
    ]
    assert header.index("last_change_on") == 15  # the columns before keep their places
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(text))}
    kirklees = rows["kirklees"]
    assert (kirklees["delivery_model"], kirklees["stage"]) == ("in_house", "operational")
    assert (
        kirklees["planned_model"],
        kirklees["planned_provider"],
        kirklees["planned_stage"],
        kirklees["planned_status"],
    ) == ("trust", "Kirklees Trust", "proposed", "reported")
    api = client.get("/api/authorities/kirklees").json()["delivery"]["planned"]
    assert kirklees["planned_since"] == (api["since"] or "") and kirklees["planned_since"]
    bradford = rows["bradford"]  # its trust is in force: nothing pending
    assert bradford["delivery_model"] == "trust"
    assert [bradford[c] for c in header[-5:]] == [""] * 5


def test_the_picker_adds_councils_without_javascript(filled_db):
    client, outbox = make_client(filled_db)
    form = client.get("/subscribe").text
    assert 'list="authority-options"' in form and 'data-slug="doncaster"' in form
    added = client.post(
        "/subscribe",
        data={
            "csrf_token": _csrf(form),
            "email": "",
            "authority_name": "doncaster ",
            "action": "add",
        },
    )
    assert added.status_code == 200 and "There is a problem" not in added.text
    assert 'name="authorities" type="checkbox" value="doncaster" checked' in added.text
    assert "1 council chosen." in added.text and not outbox
    unknown = client.post(
        "/subscribe",
        data={"csrf_token": _csrf(added.text), "authority_name": "Gotham", "action": "add"},
    )
    assert "There is no council called ‘Gotham’" in unknown.text
    sent = client.post(
        "/subscribe",
        data={
            "csrf_token": _csrf(added.text),
            "email": "picker@example.org",
            "authorities": ["doncaster"],
            "authority_name": "Kent",  # typed, not added: still counts
            "action": "subscribe",
        },
    )
    assert "Check your email" in sent.text
    with Session(filled_db) as session:
        row = session.exec(select(Subscriber).where(Subscriber.email == "picker@example.org")).one()
        assert json.loads(row.authorities) == ["doncaster", "kent"]
