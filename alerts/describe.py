"""Words for changes: the subject phrase and the sentence of a digest, from a change row.

Only trusted words (grade and stage labels of our own, the gazetteer's authority names) go into
subjects; scraped text (titles, provider names, evidence sentences) goes only into bodies, where
the templates escape it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from alerts.models import Change, ChangeKind
from ingest import vocabulary

# Labels come from the one vocabulary (ingest/vocabulary.py), so every value the extractor or
# the Ofsted parser stores has words here.
GRADES = vocabulary.GRADE_LABELS
NOW_GRADE = {value: f"now {text}" for value, text in vocabulary.GRADE_LABELS.items()}
VISITS = vocabulary.VISIT_LABELS
MODELS = vocabulary.MODEL_LABELS
STAGES = vocabulary.STAGE_LABELS
ACTIONS = vocabulary.ACTION_LABELS
SEND_OUTCOMES = vocabulary.SEND_OUTCOME_LABELS
PRIORITY_ACTIONS = vocabulary.PRIORITY_ACTION_LABELS
KIND_LABELS = {
    ChangeKind.RATING_CHANGED: "Ofsted grade changed",
    ChangeKind.INSPECTION_PUBLISHED: "Ofsted inspection published",
    ChangeKind.VISIT_PUBLISHED: "Ofsted visit published",
    ChangeKind.DELIVERY_MODEL_CHANGED: "Delivery model",
    ChangeKind.INTERVENTION_CHANGED: "DfE intervention",
    ChangeKind.SEND_OUTCOME: "SEND outcome",
    ChangeKind.SEND_WRITTEN_STATEMENT: "SEND written statement of action",
    ChangeKind.PRIORITY_ACTION_FOUND: "Priority action found",
    ChangeKind.MONITORING_VISIT_FINDING: "Monitoring visit finding",
    ChangeKind.JTAI_THEME: "JTAI theme",
}


def grade(value: str | None) -> str:
    return GRADES.get(value or "", "not graded") if value else "not graded"


def _label(table: Mapping[str, str], value: str | None) -> str:
    if not value:
        return "unknown"
    return table.get(value, value.replace("_", " "))


def _json(value: str | None) -> dict[str, Any]:
    return json.loads(value) if value else {}


def headline(change: Change) -> str:
    """The short phrase for a subject line ('now requires improvement', 'trust decided')."""
    kind = change.kind
    if kind == ChangeKind.RATING_CHANGED:
        return NOW_GRADE.get(change.new_value or "", f"now {grade(change.new_value)}")
    if kind == ChangeKind.INSPECTION_PUBLISHED:
        if change.old_value:
            return f"inspected again, still {grade(change.new_value)}"
        return f"inspected, {grade(change.new_value)}"
    if kind == ChangeKind.VISIT_PUBLISHED:
        return f"{_label(VISITS, change.new_value)} published"
    if kind == ChangeKind.DELIVERY_MODEL_CHANGED:
        new = _json(change.new_value)
        text = f"{_label(MODELS, new.get('model'))} {_label(STAGES, new.get('stage'))}"
        return text + (" now confirmed" if new.get("upgraded") else "")
    if kind == ChangeKind.INTERVENTION_CHANGED:
        new = _json(change.new_value)
        actions = new.get("actions") or []
        if not actions:
            return "intervention ended"
        text = ", ".join(_label(ACTIONS, a) for a in actions)
        return text + (" now confirmed" if new.get("upgraded") else "")
    if kind == ChangeKind.SEND_OUTCOME:
        return _label(SEND_OUTCOMES, change.new_value)
    if kind == ChangeKind.SEND_WRITTEN_STATEMENT:
        required = change.new_value == "required"
        return "SEND written statement of action " + ("required" if required else "not required")
    if kind == ChangeKind.PRIORITY_ACTION_FOUND:
        return _label(PRIORITY_ACTIONS, change.new_value)
    if kind == ChangeKind.MONITORING_VISIT_FINDING:
        number = change.new_value
        return f"monitoring visit {number}" if number else "monitoring visit"
    if kind == ChangeKind.JTAI_THEME:
        return "joint targeted area inspection"
    return kind.replace("_", " ")


def sentence(change: Change, authority: str) -> str:
    """One plain sentence saying what happened (may hold scraped words: escape it in HTML)."""
    kind = change.kind
    if kind == ChangeKind.RATING_CHANGED:
        return (
            f"Ofsted's overall judgement of {authority}'s children's services went from "
            f"{grade(change.old_value)} to {grade(change.new_value)}."
        )
    if kind == ChangeKind.INSPECTION_PUBLISHED:
        if change.old_value:
            return (
                f"A new Ofsted inspection of {authority}'s children's services was published; "
                f"the overall grade stays {grade(change.new_value)}."
            )
        return (
            f"An Ofsted inspection of {authority}'s children's services was published: "
            f"{grade(change.new_value)}."
        )
    if kind == ChangeKind.VISIT_PUBLISHED:
        return f"Ofsted published a {_label(VISITS, change.new_value)}: {change.title or 'letter'}."
    if kind == ChangeKind.DELIVERY_MODEL_CHANGED:
        new, old = _json(change.new_value), _json(change.old_value)
        text = f"Delivery model: {_label(MODELS, new.get('model'))}"
        if new.get("provider"):
            text += f" ({new['provider']})"
        text += f", {_label(STAGES, new.get('stage'))}"
        if new.get("upgraded"):
            return text + ": reported before, now confirmed by an official source."
        if old:
            before = f"{_label(MODELS, old.get('model'))}, {_label(STAGES, old.get('stage'))}"
            text += f"; before: {before}"
        return text + "."
    if kind == ChangeKind.INTERVENTION_CHANGED:
        new, old = _json(change.new_value), _json(change.old_value)
        now = ", ".join(_label(ACTIONS, a) for a in new.get("actions") or []) or "none"
        before = ", ".join(_label(ACTIONS, a) for a in old.get("actions") or []) or "none"
        if new.get("upgraded"):
            return f"DfE intervention: {now}: reported before, now confirmed by an official source."
        return f"DfE intervention: {now} (before: {before})."
    if kind == ChangeKind.SEND_OUTCOME:
        text = f"Area SEND inspection of {authority}: {_label(SEND_OUTCOMES, change.new_value)}"
        if change.old_value:
            text += f" (before: {_label(SEND_OUTCOMES, change.old_value)})"
        return text + "."
    if kind in (
        ChangeKind.SEND_WRITTEN_STATEMENT,
        ChangeKind.PRIORITY_ACTION_FOUND,
        ChangeKind.MONITORING_VISIT_FINDING,
    ):
        text = f"{authority}: {headline(change)}"
        if kind == ChangeKind.MONITORING_VISIT_FINDING and change.title:
            text += f". {change.title}"
        return text.rstrip(".") + "."
    if kind == ChangeKind.JTAI_THEME:
        return f"Joint targeted area inspection of {authority}: {change.title or 'published'}."
    return kind


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    title: str


def evidence(change: Change) -> list[EvidenceLink]:
    """The change's evidence links; only http(s) URLs, whatever a scraper stored."""
    links = []
    for item in json.loads(change.evidence or "[]"):
        url = str(item.get("url") or "")
        if url.startswith(("https://", "http://")):
            links.append(EvidenceLink(url=url, title=str(item.get("title") or url)))
    return links


def when(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""
