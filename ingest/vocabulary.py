"""The one vocabulary of the service: grades, delivery models, stages, intervention actions and
visit kinds, each value with the label people read.

The extractor emits these values, storage keeps them, change detection compares them, and digests,
the web app and the CLI print their labels. Defined here once so that a value the extractor says
is always a value a digest can name (a test checks every value has a label).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

KINDS = ("rating", "delivery_model", "intervention")

# Ofsted's overall judgements; 'adequate' is the pre-2013 grade.
GRADE_LABELS = MappingProxyType(
    {
        "outstanding": "outstanding",
        "good": "good",
        "requires_improvement": "requires improvement",
        "inadequate": "inadequate",
        "adequate": "adequate",
    }
)
# Who runs a council's children's services.
MODEL_LABELS = MappingProxyType(
    {
        "in_house": "in-house",
        "trust": "trust",
        "company": "council-owned company",
        "cic": "community interest company",
        "partnership": "partnership with another council",
    }
)
# How far a change of delivery model has gone.
STAGE_LABELS = MappingProxyType(
    {
        "proposed": "proposed",
        "decided": "decided",
        "operational": "operational",
        "ended": "ended",
    }
)
# What the DfE does to a council whose services fail.
ACTION_LABELS = MappingProxyType(
    {
        "direction": "statutory direction",
        "commissioner": "DfE commissioner",
        "improvement_notice": "improvement notice",
        "adviser": "improvement adviser",
        "partner_council": "partner council",
    }
)
# Ofsted visits that carry no grade.
VISIT_LABELS = MappingProxyType(
    {
        "focused_visit": "focused visit",
        "monitoring_visit": "monitoring visit",
        "jtai": "joint targeted area inspection",
        "area_send": "area SEND inspection",
    }
)
# What an area SEND inspection (2023 framework) concluded: one of three statements.
SEND_OUTCOME_LABELS = MappingProxyType(
    {
        "positive": "SEND: typically positive experiences and outcomes",
        "inconsistent": "SEND: inconsistent experiences and outcomes",
        "systemic_failings": "SEND: widespread or systemic failings",
    }
)
# What a focused visit found: the most serious finding short of a grade.
PRIORITY_ACTION_LABELS = MappingProxyType(
    {
        "found": "areas for priority action found",
        "remain": "areas for priority action remain",
        "none": "no areas for priority action",
    }
)

GRADES = tuple(GRADE_LABELS)
MODELS = tuple(MODEL_LABELS)
STAGES = tuple(STAGE_LABELS)
ACTIONS = tuple(ACTION_LABELS)
VISITS = tuple(VISIT_LABELS)
SEND_OUTCOMES = tuple(SEND_OUTCOME_LABELS)
PRIORITY_ACTIONS = tuple(PRIORITY_ACTION_LABELS)


def label(value: str | None, *, default: str = "unknown") -> str:
    """The label of any vocabulary value; an unknown value is shown with spaces, never dropped."""
    if not value:
        return default
    tables = (GRADE_LABELS, MODEL_LABELS, STAGE_LABELS, ACTION_LABELS, VISIT_LABELS)
    for table in (*tables, SEND_OUTCOME_LABELS, PRIORITY_ACTION_LABELS):
        if value in table:
            return table[value]
    return value.replace("_", " ")


def capitalised(table: Mapping[str, str]) -> dict[str, str]:
    """The same labels with a capital first letter, for headings and table cells."""
    return {value: text[:1].upper() + text[1:] for value, text in table.items()}
