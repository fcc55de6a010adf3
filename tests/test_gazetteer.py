"""The gazetteer: every authority resolves by name and codes, spellings, dates, text scanning."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from config.build_authorities import build_rows, render
from ingest.gazetteer import (
    AmbiguousName,
    AuthorityRecord,
    Gazetteer,
    Mention,
    UnknownName,
    load_authorities,
)
from tests.paths import NEWS, PROVIDER_LOOKUP, REPO

AUTHORITIES_CSV = REPO / "config" / "authorities.csv"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(load_authorities(AUTHORITIES_CSV))


def _lookup_rows() -> list[dict[str, str]]:
    with open(PROVIDER_LOOKUP, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# -- the reference table ---------------------------------------------------------------------


def test_committed_csv_is_what_the_build_script_makes() -> None:
    """Edit config/build_authorities.py and rerun it; never hand-edit the CSV."""
    assert AUTHORITIES_CSV.read_text(encoding="utf-8") == render(build_rows(PROVIDER_LOOKUP))


def test_table_shape(gaz: Gazetteer) -> None:
    lookup = _lookup_rows()
    former = {r.slug for r in gaz if not r.is_current}
    assert former == {
        "bedfordshire",
        "bournemouth",
        "cheshire",
        "cumbria",
        "dorset-county-council-pre-2019",
        "northamptonshire",
        "poole",
    }
    # every lookup row, plus the four former authorities the lookup does not have
    assert len(gaz) == len(lookup) + 4 == 160
    assert len(gaz) - len(former) == 153  # current children's services authorities
    assert gaz.ambiguous_names() == {}
    for r in gaz:
        if r.is_current:
            assert r.ons_code and r.la_code and r.ofsted_urn and r.region and r.type, r
        else:
            assert r.successors and r.valid_to, r
            for successor in map(gaz.get, r.successors):  # takes over the next day
                assert successor.valid_from is None or successor.valid_from > r.valid_to


@pytest.mark.parametrize("row", _lookup_rows(), ids=lambda row: row["local_authority_ons_name"])
def test_every_lookup_row_resolves_by_name_urn_and_codes(gaz: Gazetteer, row: dict) -> None:
    record = gaz.resolve(row["local_authority_ons_name"])
    assert record.ofsted_urn == row["urn"]
    assert gaz.by_urn(row["urn"]) is record
    assert gaz.by_urn(int(row["urn"])) is record
    assert gaz.by_la_code(row["la_code"]) is record
    if row["la_code_new"]:
        assert gaz.by_ons(row["la_code_new"]) is record


def test_every_spelling_in_the_table_resolves_to_its_own_record(gaz: Gazetteer) -> None:
    for r in gaz:
        day = r.valid_to or r.valid_from
        assert gaz.resolve(r.slug, on=day) is r
        for spelling in (r.name, *r.aliases):
            assert gaz.resolve(spelling, on=day) is r, (spelling, day)
            text = f"News from {spelling}."  # not a sentence start: 'Reading' counts
            assert gaz.find_all(text, on=day) == [
                Mention(10, 10 + len(spelling), spelling, (r.slug,))
            ], spelling


# -- resolve -----------------------------------------------------------------------------------

NAMES: list[tuple[str, date | None, str]] = [
    ("Royal Borough of Kingston upon Thames", None, "kingston-upon-thames"),
    ("Kingston council", None, "kingston-upon-thames"),
    ("Kingston", None, "kingston-upon-thames"),
    ("kingston-upon-thames", None, "kingston-upon-thames"),
    ("Hull", None, "kingston-upon-hull"),
    ("Kingston upon Hull", None, "kingston-upon-hull"),
    ("Kingston Upon Hull, City of", None, "kingston-upon-hull"),
    ("Hull City Council", None, "kingston-upon-hull"),
    ("BCP", None, "bournemouth-christchurch-and-poole"),
    ("BCP Council", None, "bournemouth-christchurch-and-poole"),
    ("Bournemouth, Christchurch & Poole", None, "bournemouth-christchurch-and-poole"),
    ("Stoke", None, "stoke-on-trent"),
    ("Stoke on Trent", None, "stoke-on-trent"),
    ("Stoke-on-Trent City Council", None, "stoke-on-trent"),
    ("Richmond", None, "richmond-upon-thames"),
    ("London Borough of Richmond upon Thames", None, "richmond-upon-thames"),
    ("RBKC", None, "kensington-and-chelsea"),
    ("Kensington & Chelsea", None, "kensington-and-chelsea"),
    ("Brighton", None, "brighton-and-hove"),
    ("Brighton & Hove City Council", None, "brighton-and-hove"),
    ("Windsor", None, "windsor-and-maidenhead"),
    ("Southend", None, "southend-on-sea"),
    ("Herefordshire, County of", None, "herefordshire"),
    ("County of Herefordshire", None, "herefordshire"),
    ("Herefordshire Council", None, "herefordshire"),
    ("Bristol", None, "bristol"),
    ("Bristol City Council", None, "bristol"),
    ("Durham", None, "durham"),
    ("County Durham", None, "durham"),
    ("Durham County Council", None, "durham"),
    ("Durham County", None, "durham"),
    ("Telford", None, "telford-and-wrekin"),
    ("Telford & Wrekin Council", None, "telford-and-wrekin"),
    ("Redcar", None, "redcar-and-cleveland"),
    ("Stockton", None, "stockton-on-tees"),
    ("Medway Council", None, "medway"),
    ("the Isle of Wight", None, "isle-of-wight"),
    ("Scilly", None, "isles-of-scilly"),
    ("Council of the Isles of Scilly", None, "isles-of-scilly"),
    ("City of London", None, "city-of-london"),
    ("St. Helens", None, "st-helens"),
    ("Saint Helens Council", None, "st-helens"),
    ("Bedford Borough Council", None, "bedford"),
    ("Doncaster Metropolitan Borough Council", None, "doncaster"),
    ("Kent County Council", None, "kent"),
    ("  WESTMINSTER  ", None, "westminster"),
    # apostrophes, straight and curly, and possessives
    ("Kingston\u2019s", None, "kingston-upon-thames"),
    ("Hackney Council\u2019s", None, "hackney"),
    ("Hackney council's", None, "hackney"),
    ("Sunderland\u2019s children\u2019s services", None, "sunderland"),
    # dates: former authorities and their successors
    ("Northamptonshire", date(2017, 1, 18), "northamptonshire"),
    ("Northamptonshire", None, "northamptonshire"),
    ("Northamptonshire", date(2023, 6, 1), "northamptonshire"),  # former record, see docstring
    ("Northants", None, "northamptonshire"),
    ("North Northamptonshire", date(2022, 1, 1), "north-northamptonshire"),
    ("Dorset", date(2017, 5, 1), "dorset-county-council-pre-2019"),
    ("Dorset", date(2019, 3, 31), "dorset-county-council-pre-2019"),
    ("Dorset", date(2019, 4, 1), "dorset"),
    ("Dorset", None, "dorset"),
    ("Dorset Council", date(2017, 5, 1), "dorset"),
    ("Dorset County Council", None, "dorset-county-council-pre-2019"),
    ("Poole", date(2015, 1, 1), "poole"),
    ("Borough of Poole", None, "poole"),
    ("Bournemouth", date(2015, 1, 1), "bournemouth"),
    ("Cumbria County Council", date(2020, 1, 1), "cumbria"),
    ("Cheshire", date(2008, 1, 1), "cheshire"),
    ("Buckinghamshire County Council", date(2015, 1, 1), "buckinghamshire"),
    # codes typed where a name was expected
    ("E08000017", None, "doncaster"),
    ("371", None, "doncaster"),
    ("80462", None, "doncaster"),
]


@pytest.mark.parametrize(("name", "on", "slug"), NAMES, ids=[f"{n}@{d}" for n, d, _ in NAMES])
def test_resolve(gaz: Gazetteer, name: str, on: date | None, slug: str) -> None:
    assert gaz.resolve(name, on=on).slug == slug


def test_hull_is_not_kingston_upon_thames(gaz: Gazetteer) -> None:
    assert gaz.resolve("Hull") != gaz.resolve("Kingston")
    assert gaz.resolve("Kingston upon Hull") is gaz.resolve("Hull")


def test_northamptonshire_in_2017_is_the_former_county(gaz: Gazetteer) -> None:
    record = gaz.resolve("Northamptonshire", on=date(2017, 1, 18))
    assert (record.la_code, record.ons_code, record.ofsted_urn) == ("928", "E10000021", "121939")
    assert record.valid_to == date(2021, 3, 31)
    assert not record.valid_on(date(2021, 4, 1))
    assert record.successors == ("north-northamptonshire", "west-northamptonshire")
    assert [r.slug for r in gaz.current(record.slug)] == list(record.successors)


def test_former_authorities_and_successors(gaz: Gazetteer) -> None:
    assert gaz.get("cumbria").successors == ("cumberland", "westmorland-and-furness")
    assert gaz.get("cumbria").valid_to == date(2023, 3, 31)
    assert gaz.get("cumberland").valid_from == date(2023, 4, 1)
    old_dorset = gaz.get("dorset-county-council-pre-2019")
    assert (old_dorset.la_code, old_dorset.ons_code) == ("835", "E10000009")
    assert {r.slug for r in gaz.current(old_dorset.slug)} == {
        "dorset",
        "bournemouth-christchurch-and-poole",
    }
    assert {r.slug for r in gaz.predecessors("bournemouth-christchurch-and-poole")} == {
        "bournemouth",
        "poole",
        "dorset-county-council-pre-2019",
    }
    assert (gaz.get("bournemouth").la_code, gaz.get("poole").la_code) == ("837", "836")
    assert gaz.current("doncaster") == (gaz.get("doncaster"),)


def test_codes(gaz: Gazetteer) -> None:
    assert gaz.by_ons("E08000017").slug == "doncaster"
    assert gaz.by_ons("e08000017").slug == "doncaster"
    assert gaz.by_la_code(371).slug == "doncaster"
    assert gaz.by_urn("80462").slug == "doncaster"
    # codes an authority used before a change still find it
    assert gaz.by_ons("E10000002").slug == "buckinghamshire"
    assert gaz.by_ons("E10000021").slug == "northamptonshire"
    assert gaz.by_ons("E99999999") is None
    assert gaz.by_urn("1") is None
    assert gaz.by_la_code("999") is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Gotham", "no children's services authority is called 'Gotham'"),
        ("Kingstom upon Thames", "did you mean 'Kingston upon Thames'?"),
        ("Richmondshire", "is called 'Richmondshire'"),  # a district, not an authority
        ("London", "London has 33 councils"),
        ("", "is called ''"),
    ],
)
def test_unknown_names_raise_with_a_clear_message(gaz: Gazetteer, name: str, message: str) -> None:
    with pytest.raises(UnknownName, match=r"^no children's services authority") as exc:
        gaz.resolve(name)
    assert message in str(exc.value)
    assert exc.value.name == name


def test_get_unknown_slug(gaz: Gazetteer) -> None:
    with pytest.raises(UnknownName, match="did you mean 'doncaster'"):
        gaz.get("doncastre")


def _record(slug: str, name: str, *aliases: str, **dates: date) -> AuthorityRecord:
    return AuthorityRecord(
        slug,
        name,
        None,
        None,
        None,
        None,
        None,
        dates.get("since"),
        dates.get("until"),
        (),
        aliases,
    )


def test_ambiguous_names_raise_listing_every_candidate() -> None:
    """Two authorities that answer to one name at the same time: never guess."""
    gaz = Gazetteer(
        [
            _record("newport-east", "Newport East", "Newport"),
            _record("newport-west", "Newport West", "Newport"),
            _record("newport-old", "Newport Borough", "Newport", until=date(2000, 3, 31)),
        ]
    )
    assert gaz.ambiguous_names() == {"newport": ("newport-east", "newport-west", "newport-old")}
    with pytest.raises(AmbiguousName) as exc:
        gaz.resolve("Newport council")
    message = str(exc.value)
    assert message.startswith("'Newport council' could mean 2 authorities today: ")
    assert "Newport East (newport-east)" in message and "Newport West (newport-west)" in message
    assert [r.slug for r in exc.value.candidates] == ["newport-east", "newport-west"]
    with pytest.raises(AmbiguousName, match=r"3 authorities on 1999-01-01: .*\.\.2000-03-31"):
        gaz.resolve("Newport", on=date(1999, 1, 1))
    assert gaz.resolve("Newport East").slug == "newport-east"
    [mention] = gaz.find_all("Newport said so.")
    assert mention.candidates == ("newport-east", "newport-west")


# -- find_all ----------------------------------------------------------------------------------

TEXTS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Kingston and Richmond",
        [("Kingston", "kingston-upon-thames"), ("Richmond", "richmond-upon-thames")],
    ),
    (
        "So far this has been true of Doncaster, Slough, Sunderland and Birmingham.",
        [
            ("Doncaster", "doncaster"),
            ("Slough", "slough"),
            ("Sunderland", "sunderland"),
            ("Birmingham", "birmingham"),
        ],
    ),
    (
        "Doncaster, Slough, Sunderland and Birmingham",
        [
            ("Doncaster", "doncaster"),
            ("Slough", "slough"),
            ("Sunderland", "sunderland"),
            ("Birmingham", "birmingham"),
        ],
    ),
    (
        "Kingston upon Hull and Hull",
        [("Kingston upon Hull", "kingston-upon-hull"), ("Hull", "kingston-upon-hull")],
    ),
    (
        "Royal Borough of Kingston upon Thames",
        [("Royal Borough of Kingston upon Thames", "kingston-upon-thames")],
    ),
    (
        "BCP Council and Bournemouth, Christchurch & Poole",
        [
            ("BCP", "bournemouth-christchurch-and-poole"),
            ("Bournemouth, Christchurch & Poole", "bournemouth-christchurch-and-poole"),
        ],
    ),
    (
        "Stoke-on-Trent, Stoke on Trent and Stoke",
        [
            ("Stoke-on-Trent", "stoke-on-trent"),
            ("Stoke on Trent", "stoke-on-trent"),
            ("Stoke", "stoke-on-trent"),
        ],
    ),
    (
        "Telford & Wrekin and Brighton and Hove",
        [("Telford & Wrekin", "telford-and-wrekin"), ("Brighton and Hove", "brighton-and-hove")],
    ),
    ("St. Helens; St Helens", [("St. Helens", "st-helens"), ("St Helens", "st-helens")]),
    ("Hull\u2019s children\u2019s services", [("Hull", "kingston-upon-hull")]),
    (
        "\u201cKingston\u201d (Kingston\u2019s)",
        [("Kingston", "kingston-upon-thames"), ("Kingston", "kingston-upon-thames")],
    ),
    (
        "the Isle of Wight asked Hampshire",
        [("Isle of Wight", "isle-of-wight"), ("Hampshire", "hampshire")],
    ),
    (
        "City of London and the London Borough of Hackney",
        [("City of London", "city-of-london"), ("Hackney", "hackney")],
    ),
    ("Kingston upon\r\nHull", [("Kingston upon\r\nHull", "kingston-upon-hull")]),
    ("Tower  Hamlets", [("Tower  Hamlets", "tower-hamlets")]),
    ("Kingston upon Thamesside", [("Kingston", "kingston-upon-thames")]),
    # common words and proper nouns
    ("Reading the report, inspectors found", []),
    ("\u201cReading is fundamental.\u201d Reading council disagreed.", [("Reading", "reading")]),
    ("Reading council said", [("Reading", "reading")]),
    ("Reading\u2019s children\u2019s services", [("Reading", "reading")]),
    ("The trust in Reading was set up in 2018.", [("Reading", "reading")]),
    ("Bury the hatchet. Bury council replied.", [("Bury", "bury")]),
    ("reading kent and hull in lower case", []),
    ("Hackneyed phrases and Kentish Town", []),
    ("Bury St Edmunds, Stoke Newington, Sutton Coldfield, Newcastle-under-Lyme", []),
    ("Newcastle and Sutton", [("Newcastle", "newcastle-upon-tyne"), ("Sutton", "sutton")]),
    ("Richmondshire", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), TEXTS, ids=[t[:40] for t, _ in TEXTS])
def test_find_all(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    mentions = gaz.find_all(text)
    assert [(m.text, m.candidates) for m in mentions] == [(t, (s,)) for t, s in expected]
    for m in mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("on", "slug"),
    [
        (date(2017, 1, 1), "dorset-county-council-pre-2019"),
        (date(2020, 1, 1), "dorset"),
        (None, "dorset"),
    ],
)
def test_find_all_is_dated(gaz: Gazetteer, on: date | None, slug: str) -> None:
    assert gaz.find_all("Dorset and Northamptonshire", on=on) == [
        Mention(0, 6, "Dorset", (slug,)),
        Mention(11, 27, "Northamptonshire", ("northamptonshire",)),
    ]


def test_find_all_on_a_real_article(gaz: Gazetteer) -> None:
    path = NEWS / "000_7baf37c0ba32c6cd.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    slugs = {s for m in gaz.find_all(path.read_text(encoding="utf-8")) for s in m.candidates}
    assert {"doncaster", "slough", "sunderland", "birmingham"} <= slugs


LONG_PARAGRAPH = (
    "So far this has been true of Doncaster, Slough, Sunderland and Birmingham \u2013 notably "
    "all Labour-controlled councils. Reading the report, the Isle of Wight asked Hampshire "
    "council to take over; Kingston and Richmond share a community interest company.\r\n"
    "Ofsted\u2019s inspectors found that children\u2019s services in Stoke-on-Trent had "
    "improved, while  the  commissioner  in Northamptonshire recommended a trust.\n"
)


def test_find_all_scans_a_long_text(gaz: Gazetteer) -> None:
    """50 KB of article text in one pass (its speed is measured in bench/gazetteer.py)."""
    text = (LONG_PARAGRAPH * (50_000 // len(LONG_PARAGRAPH) + 1))[:50_000]
    mentions = gaz.find_all(text)
    assert len(mentions) > 500
    assert all(text[m.start : m.end] == m.text for m in mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stockport in Greater Manchester and Wigan were rated good", ["stockport", "wigan"]),
        ("the Liverpool City Region and the Greater Manchester Combined Authority", []),
        ("Kent Police and Kent County Council", ["kent"]),
        ("Devon and Cornwall Police said", []),
        ("a lecturer at Leeds Beckett University and the University of Manchester", []),
        ("Doncaster Rovers and Manchester United", []),
        ("Bristol Airport, then Bristol City Council", ["bristol"]),
        ("Kent police officers met Kent social workers", ["kent", "kent"]),
    ],
)
def test_a_council_name_inside_another_body_name_is_no_mention(
    gaz: Gazetteer, text: str, expected: list[str]
) -> None:
    """Regions, police forces, universities, airports and clubs carry council names; they name
    no council ('Stockport in Greater Manchester' once gave Manchester)."""
    assert [m.candidates[0] for m in gaz.find_all(text)] == expected
