"""The event extractor against labelled articles: the shared real ones and our own suite.

Scoring follows shared/data/news/events.json: (authority, kind, value) sets per document, value
being the grade, the action or the model class (trust, company and cic are one class,
'independent'). Optional labels count neither way; a negative matches an event when every field
it gives matches.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from ingest.extract.events import (
    EventExtractor,
    ExtractedEvent,
    ProviderRegistry,
    Relevance,
    resolve_date,
)
from ingest.gazetteer import Gazetteer, load_authorities
from tests.paths import NEWS, REPO

ARTICLES = REPO / "tests" / "data" / "articles"
INDEPENDENT = {"trust", "company", "cic"}
SHARED_DATES = {  # events.json gives approximate dates; the extractor needs a day
    "000_7baf37c0ba32c6cd.txt": date(2016, 9, 1),
    "001_e9db62ab4904246d.txt": date(2017, 1, 18),
    "004_b830e5cc03f950a4.txt": date(2013, 8, 15),
}


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer(load_authorities(REPO / "config" / "authorities.csv"))


@cache
def extractor() -> EventExtractor:
    return EventExtractor(gazetteer(), ProviderRegistry.from_csv(REPO / "config" / "providers.csv"))


def split_title(path: Path) -> tuple[str, str]:
    """Articles hold the headline on the first line, as the pipeline stores it apart."""
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return title.strip(), body


def value(kind: str, fields: dict) -> str | None:
    if kind == "rating":
        return fields.get("grade")
    if kind == "intervention":
        return fields.get("action")
    model = fields.get("model")
    return "independent" if model in INDEPENDENT else model


def slug_of(name: str) -> str:
    return gazetteer().resolve(name).slug


def label_key(label: dict) -> tuple[str, str, str | None]:
    return slug_of(label["authority"]), label["kind"], value(label["kind"], label)


def event_key(event: ExtractedEvent) -> tuple[str, str, str | None]:
    return event.authority, event.kind, value(event.kind, event.__dict__)


def matches_negative(event: ExtractedEvent, negative: dict) -> bool:
    for key in ("authority", "kind", "model", "stage", "grade", "action"):
        if key in negative:
            want = slug_of(negative[key]) if key == "authority" else negative[key]
            if getattr(event, key) != want:
                return False
    return set(negative) & {"authority", "kind", "model", "stage", "grade", "action"} != set()


def score(documents: list[dict], folder: Path, dates: dict[str, date]) -> dict:
    """Micro precision and recall over documents, plus what went wrong where."""
    tp = fp = fn = 0
    problems: dict[str, dict] = {}
    for doc in documents:
        title, body = split_title(folder / doc["document"])
        published = dates[doc["document"]]
        events = extractor().extract(body, published=published, title=title)
        found = {event_key(e) for e in events}
        required = {label_key(x) for x in doc["events"] if not x.get("optional")}
        optional = {label_key(x) for x in doc["events"] if x.get("optional")}
        hits = [(e, n) for e in events for n in doc.get("negatives", []) if matches_negative(e, n)]
        tp += len(found & required)
        fp += len(found - required - optional)
        fn += len(required - found)
        if found - required - optional or required - found or hits:
            problems[doc["document"]] = {
                "missing": sorted(required - found, key=str),
                "extra": sorted(found - required - optional, key=str),
                "negatives": [n.get("what") for _, n in hits],
            }
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "problems": problems,
    }


def own_documents() -> list[dict]:
    return json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))["documents"]


def shared_documents() -> list[dict]:
    return json.loads((NEWS / "events.json").read_text(encoding="utf-8"))["documents"]


def published_dates() -> dict[str, date]:
    return {d["document"]: date.fromisoformat(d["published"]) for d in own_documents()}


# -- the shared real articles (must pass) -------------------------------------------------------


@pytest.mark.parametrize("doc", shared_documents(), ids=lambda d: d["document"])
def test_shared_article_required_events_found_and_no_negative(doc: dict) -> None:
    result = score([doc], NEWS, SHARED_DATES)
    assert result["problems"] == {}, result["problems"]


def test_shared_articles_score() -> None:
    result = score(shared_documents(), NEWS, SHARED_DATES)
    print(f"\nshared articles: precision {result['precision']:.3f} recall {result['recall']:.3f}")
    assert result["precision"] == 1.0 and result["recall"] == 1.0


def test_shared_events_carry_fields_the_pipeline_stores() -> None:
    title, body = split_title(NEWS / "001_e9db62ab4904246d.txt")
    events = extractor().extract(
        body, published=SHARED_DATES["001_e9db62ab4904246d.txt"], title=title
    )
    by_key = {(e.authority, e.kind, e.model, e.stage): e for e in events}
    birmingham = by_key["birmingham", "delivery_model", "trust", "decided"]
    assert birmingham.date == "2018"
    doncaster = by_key["doncaster", "delivery_model", "trust", "operational"]
    slough = by_key["slough", "delivery_model", "trust", "operational"]
    assert (doncaster.date, slough.date) == ("2014-10", "2015-10")
    windsor = by_key["windsor-and-maidenhead", "delivery_model", "cic", "decided"]
    assert (windsor.provider, windsor.date) == ("Achieving for Children", "2017-04")
    cambridgeshire = next(e for e in events if e.authority == "cambridgeshire")
    assert (cambridgeshire.grade, cambridgeshire.previous_grade) == ("good", "inadequate")
    assert all("Richard Leighton" not in e.evidence for e in events)  # comments are cut
    assert all(0 < e.confidence <= 1 and e.evidence for e in events)


# -- our own labelled suite ---------------------------------------------------------------------


def test_own_suite_micro_precision_and_recall() -> None:
    result = score(own_documents(), ARTICLES, published_dates())
    print(
        f"\nown suite: precision {result['precision']:.3f} recall {result['recall']:.3f} "
        f"(tp {result['tp']}, fp {result['fp']}, fn {result['fn']})"
    )
    for name, problem in result["problems"].items():
        print(f"  {name}: {problem}")
    assert result["precision"] >= 0.95 and result["recall"] >= 0.9, result["problems"]


def test_held_out_articles() -> None:
    """Articles written after the extractor passed the main suite: a check on over-fitting."""
    documents = json.loads((ARTICLES / "expected_more.json").read_text(encoding="utf-8"))
    documents = documents["documents"]
    dates = {d["document"]: date.fromisoformat(d["published"]) for d in documents}
    result = score(documents, ARTICLES, dates)
    print(f"\nheld-out: precision {result['precision']:.3f} recall {result['recall']:.3f}")
    assert result["precision"] >= 0.95 and result["recall"] >= 0.9, result["problems"]
    assert not any(p["negatives"] for p in result["problems"].values()), result["problems"]
    for doc in documents:
        title, body = split_title(ARTICLES / doc["document"])
        assert extractor().relevance(title, body).relevant is doc["relevant"], doc["document"]


def test_own_suite_states_no_negative() -> None:
    result = score(own_documents(), ARTICLES, published_dates())
    hits = {k: v["negatives"] for k, v in result["problems"].items() if v["negatives"]}
    assert hits == {}


def own_event(document: str, authority: str, kind: str) -> list[ExtractedEvent]:
    title, body = split_title(ARTICLES / document)
    events = extractor().extract(body, published=published_dates()[document], title=title)
    return [e for e in events if e.authority == authority and e.kind == kind]


@pytest.mark.parametrize(
    ("document", "authority", "fields"),
    [
        ("a01_slough_trust_live.txt", "slough", {"stage": "operational", "date": "2015-10-01"}),
        ("a05_iow_hampshire.txt", "isle-of-wight", {"provider": "Hampshire", "date": "2013-06"}),
        ("a06_torbay_plymouth_end.txt", "torbay", {"stage": "ended", "date": "2019-03"}),
        ("a07_doncaster_return.txt", "doncaster", {"model": "in_house", "date": "2021-09-01"}),
        ("a19_sunderland_tfc.txt", "sunderland", {"provider": "Together for Children"}),
        ("a30_slough_children_first.txt", "slough", {"model": "company", "date": "2021-04-01"}),
        ("a32_follow_suit.txt", "reading", {"stage": "decided", "date": "2018-12"}),
        ("a34_sunderland_return.txt", "sunderland", {"model": "in_house", "date": "2024-04"}),
    ],
)
def test_delivery_model_details(document: str, authority: str, fields: dict) -> None:
    events = own_event(document, authority, "delivery_model")
    assert any(all(getattr(e, k) == v for k, v in fields.items()) for e in events), events


def test_hedged_change_is_proposed_with_lower_confidence() -> None:
    somerset = own_event("a17_hedging_somerset.txt", "somerset", "delivery_model")
    assert somerset and all(e.stage == "proposed" and e.confidence <= 0.6 for e in somerset)
    tameside = own_event("a39_stockport_leak.txt", "tameside", "delivery_model")
    assert all(e.stage == "proposed" for e in tameside)


def test_to_json_names_the_council() -> None:
    event = own_event("a14_stoke_hull.txt", "kingston-upon-hull", "rating")[0]
    out = event.to_json(gazetteer())
    assert out["authority"] == "Kingston upon Hull"
    assert (out["grade"], out["previous_grade"]) == ("requires_improvement", "inadequate")
    assert set(out) == {
        "authority",
        "kind",
        "grade",
        "previous_grade",
        "model",
        "stage",
        "provider",
        "action",
        "date",
        "evidence",
        "confidence",
    }


def test_former_authority_resolves_on_the_publication_date() -> None:
    events = extractor().extract(
        "Northamptonshire County Council was rated inadequate in 2019.", published=date(2019, 9, 1)
    )
    assert [e.authority for e in events] == ["northamptonshire"]


def test_provider_registry_finds_names_and_aliases() -> None:
    registry = ProviderRegistry.from_csv(REPO / "config" / "providers.csv")
    found = registry.find_all("AfC and Together for Children Sunderland; Hampshire is a partner.")
    assert [(m.provider.name, m.model) for m in found] == [
        ("Achieving for Children", "cic"),
        ("Together for Children", "company"),
    ]
    assert found[0].authorities == (
        "kingston-upon-thames",
        "richmond-upon-thames",
        "windsor-and-maidenhead",
    )
    assert "isle-of-wight" in registry.partners_of("hampshire")


# -- relevance ----------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", own_documents(), ids=lambda d: d["document"])
def test_relevance_of_own_articles(doc: dict) -> None:
    title, body = split_title(ARTICLES / doc["document"])
    verdict = extractor().relevance(title, body)
    assert isinstance(verdict, Relevance) and verdict.reason
    assert verdict.relevant is doc["relevant"], verdict.reason


@pytest.mark.parametrize("name", sorted(SHARED_DATES))
def test_shared_articles_are_relevant(name: str) -> None:
    title, body = split_title(NEWS / name)
    assert extractor().relevance(title, body).relevant


@pytest.mark.parametrize(
    ("title", "text", "reason"),
    [
        ("Adult care", "Essex's adult social care was rated good by the CQC.", "adult"),
        ("Cardiff", "Cardiff council in Wales struggles to recruit social workers.", "Wales"),
        ("School", "A Leeds academy's pupils did well; the school was rated good.", "schools"),
    ],
)
def test_irrelevant_reasons(title: str, text: str, reason: str) -> None:
    verdict = extractor().relevance(title, text)
    assert not verdict.relevant and reason in verdict.reason


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # a named provider of children's services is about children's services
        (
            "Richmond reviews its stake",
            "Richmond is reviewing its place in Achieving for Children.",
        ),
        # grades given to councils after inspections, with no other topic named
        ("Picture mixed after inspections", "The region has good-rated Stockport and Wigan."),
    ],
)
def test_relevant_without_the_words_childrens_services(title: str, text: str) -> None:
    assert extractor().relevance(title, text).relevant


# -- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "published", "future", "anchor", "expected"),
    [
        ("next year", date(2017, 1, 18), True, None, "2018"),
        ("from April", date(2017, 1, 18), True, None, "2017-04"),
        ("a year later", None, False, "2014-10", "2015-10"),
        ("last month", date(2013, 8, 15), False, None, "2013-07"),
        ("ended in March", date(2019, 4, 10), False, None, "2019-03"),
        ("in December", date(2018, 4, 3), True, None, "2018-12"),
        ("from April next year", date(2023, 10, 10), True, None, "2024-04"),
        ("on 1 September", date(2021, 6, 15), True, None, "2021-09-01"),
        ("launched on 3 December", date(2018, 12, 4), False, None, "2018-12-03"),
        ("in November last year", date(2019, 3, 1), False, None, "2018-11"),
        ("on Saturday", date(2017, 4, 3), False, None, "2017-04-01"),
        ("in October 2014", None, False, None, "2014-10"),
        ("in 2015", None, False, None, "2015"),
        ("next year", None, True, None, None),
    ],
)
def test_resolve_date(phrase, published, future, anchor, expected) -> None:
    assert resolve_date(phrase, published, future=future, anchor=anchor) == expected


def test_dates_in_context() -> None:
    text = (
        "In October 2014 Doncaster became the first authority, followed by Slough a year later, "
        "to have its children's services placed in a trust."
    )
    events = extractor().extract(text, published=date(2017, 1, 18))
    assert {(e.authority, e.date) for e in events} == {
        ("doncaster", "2014-10"),
        ("slough", "2015-10"),
    }
