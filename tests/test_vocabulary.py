"""One vocabulary: every value the extractor, the report parser and storage use has a label, and
digests, the web board and the CLI print those labels rather than raw words."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from alerts import describe
from alerts.models import Change, ChangeKind
from ingest import vocabulary
from ingest.extract import events, reports


def test_every_value_has_a_label() -> None:
    tables = {
        "grade": (vocabulary.GRADES, vocabulary.GRADE_LABELS),
        "model": (vocabulary.MODELS, vocabulary.MODEL_LABELS),
        "stage": (vocabulary.STAGES, vocabulary.STAGE_LABELS),
        "action": (vocabulary.ACTIONS, vocabulary.ACTION_LABELS),
        "visit": (vocabulary.VISITS, vocabulary.VISIT_LABELS),
        "send outcome": (vocabulary.SEND_OUTCOMES, vocabulary.SEND_OUTCOME_LABELS),
        "priority action": (vocabulary.PRIORITY_ACTIONS, vocabulary.PRIORITY_ACTION_LABELS),
    }
    for name, (values, labels) in tables.items():
        assert values, name
        for value in values:
            assert labels.get(value), f"{name} {value!r} has no label"
            assert vocabulary.label(value) == labels[value]


def test_extractor_and_parser_speak_the_vocabulary() -> None:
    assert events.GRADES == vocabulary.GRADES == reports.GRADES
    assert events.ACTIONS == vocabulary.ACTIONS
    assert events.MODELS == vocabulary.MODELS
    assert events.STAGES == vocabulary.STAGES
    assert events.KINDS == vocabulary.KINDS


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("direction", "statutory direction"),
        ("adviser", "improvement adviser"),
        ("commissioner", "DfE commissioner"),
        ("improvement_notice", "improvement notice"),
    ],
)
def test_digest_names_each_action_the_extractor_emits(action: str, words: str) -> None:
    change = Change(
        authority_id=1,
        kind=ChangeKind.INTERVENTION_CHANGED,
        key="k",
        old_value=json.dumps({"actions": []}),
        new_value=json.dumps({"actions": [action]}),
        detected_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert words in describe.sentence(change, "Surrey")
    assert words in describe.headline(change)
