"""Tests generated from the phrasebook (ingest/extract/events/phrasebook.toml): every cue has
example sentences, each cue's phrasings match its own examples, and each example yields exactly
the events the book says (council, kind, value, and the stage where the book gives one)."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.extract.events import ExtractedEvent, cues
from ingest.extract.events.cues import Cue, Example, PhrasebookError
from tests.eventsets import extractor, slug


def value(e: ExtractedEvent) -> str | None:
    return {"rating": e.grade, "intervention": e.action}.get(e.kind, e.model)


CASES = [
    pytest.param(c, e, id=f"{c.name}-{i}")
    for c in cues.CUES.values()
    for i, e in enumerate(c.examples)
]


@pytest.mark.parametrize("cue", list(cues.CUES.values()), ids=lambda c: c.name)
def test_every_cue_has_a_meaning_phrasings_and_an_example(cue: Cue) -> None:
    assert cue.means, cue.name
    assert cue.phrasings, cue.name
    assert cue.examples, f"cue {cue.name} has no example sentence"


@pytest.mark.parametrize(("cue", "example"), CASES)
def test_a_cue_matches_its_examples(cue: Cue, example: Example) -> None:
    text = example.text.replace("\u2019", "'")
    if cue.group == "partner" or cue.name == "partner_in_partnership":
        return  # these see councils as @0@ ...: checked through the events below
    # Some cues look at a window (the words before a name, the start of a clause): any stretch
    # of the example will do.
    spans = ((i, j) for i in range(len(text)) for j in range(i + 1, len(text) + 1))
    found = any(cue.search(text[i:j]) for i, j in spans)
    if example.matches:
        assert found, f"{cue.name}: no phrasing matches {example.text!r}"
    else:
        assert not found, f"{cue.name}: a phrasing matches {example.text!r}, which it must not"


@pytest.mark.parametrize(("cue", "example"), CASES)
def test_an_example_yields_the_events_the_book_says(cue: Cue, example: Example) -> None:
    published = date.fromisoformat(example.published) if example.published else None
    events = extractor().extract(example.text, published=published, title=example.title)
    want = {(slug(e[0]), e[1], e[2]) for e in example.events}
    got = {(e.authority, e.kind, value(e)) for e in events}
    assert got == want, f"{cue.name}: {example.text!r}"
    for council, kind, wanted, *stage in example.events:
        if stage:
            assert any(
                e.authority == slug(council)
                and e.kind == kind
                and value(e) == wanted
                and e.stage == stage[0]
                for e in events
            ), f"{cue.name}: {council} {wanted} should be {stage[0]}: {events}"


def test_a_bad_phrasing_is_an_error_naming_the_cue(tmp_path) -> None:
    book = tmp_path / "book.toml"
    book.write_text("[cue.broken]\nphrasings = ['''(unclosed''']\n", encoding="utf-8")
    with pytest.raises(PhrasebookError, match="broken"):
        cues.load(book)
    book.write_text("[cue.empty]\nphrasings = []\n", encoding="utf-8")
    with pytest.raises(PhrasebookError, match="empty"):
        cues.load(book)


@pytest.mark.parametrize(
    ("gate", "group"), [("rating_gate", "rating"), ("intervention_gate", "intervention")]
)
def test_every_example_of_a_group_passes_its_speed_gate(gate: str, group: str) -> None:
    """The gates skip clauses without a grade or intervention word: no example may be lost."""
    for cue in cues.group(group):
        for example in cue.examples:
            if any(e[1] == group for e in example.events):
                assert cues.cue(gate).search(example.text), (cue.name, example.text)
