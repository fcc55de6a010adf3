"""What an event's confidence is made of, in one place, and the review threshold.

An event's confidence is the product of how sure we are of its subject (a council named in the
sentence, a provider standing for its councils, a reference back, the article's focus) and how
firmly the sentence states it (hedged, softly hedged, plain). The factors were calibrated on our
own example articles (tests/data/articles/sets/): events at or above REVIEW_THRESHOLD were right at
least 95% of the time on the held-out set (see bench/extract_events.py); below it, a person
should look before the event is believed.
"""

from __future__ import annotations

# The default review threshold: events below it are stated too weakly to be taken as facts
# without a person's look. The facts engine reads its own setting; this is the proposed default.
REVIEW_THRESHOLD = 0.7

# The subject.
NAMED = 0.95  # the council is named in the clause
PROVIDER = 0.85  # a provider's name stands for its councils
REFERENCE = 0.8  # 'the council', 'it': a reference back to a council named nearby
CLAUSE = 0.9  # a clause in a sentence that names someone
SENTENCE = 0.85  # no council in the clause: the one council its sentence names
FOCUS = 0.6  # no council in the sentence: the council of the sentence before
LEAD = 0.6  # no council in the sentence or the one before: the article's focus council
FOCUS_SHARE = 0.8  # applied to the clause's confidence when the focus stands in
BACK_REFERENCE = 0.8  # 'this has been true of ...': a change stated a sentence before

# How firmly it is stated.
ENDED_BY_RETURN = 0.9  # what ran the services, ended by their return in-house
PREVIOUS = 0.8  # the grade before, given with a new one ('from inadequate to good')
HEDGED = 0.5  # rumour, fear, possibility: a delivery-model change
HEDGED_INTERVENTION = 0.6  # the same for an intervention
SOFT_HEDGE = 0.8  # 'expected', 'subject to'

FLOOR = 0.05


def by_source(source: str) -> float:
    """How sure we are of a subject found as `source` ('authority', 'provider', 'anaphor')."""
    return {"authority": NAMED, "provider": PROVIDER, "anaphor": REFERENCE}[source]


def clamp(value: float) -> float:
    return round(max(FLOOR, min(1.0, value)), 2)
