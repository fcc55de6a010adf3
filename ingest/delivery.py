"""Each authority's delivery model and DfE intervention status (the contract of issue 3).

The dataclasses are the contract the alerts package detects changes against. The two functions
are filled by issue 3's event tables (news articles and GOV.UK documents, read into events);
on this branch they return empty dicts, so alerts records no delivery or intervention change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session


@dataclass(frozen=True)
class Evidence:
    url: str
    title: str | None
    sentence: str | None


@dataclass(frozen=True)
class DeliveryStatus:
    authority_slug: str
    model: str  # in_house, trust, company, cic, partnership
    provider: str | None
    stage: str  # proposed, decided, operational, ended
    since: date | None
    evidence: tuple[Evidence, ...]
    confirmed: bool


@dataclass(frozen=True)
class InterventionStatus:
    authority_slug: str
    actions: tuple[str, ...]  # improvement_notice, statutory_direction, commissioner, ...
    since: date | None
    evidence: tuple[Evidence, ...]
    confirmed: bool


def delivery_statuses(session: Session) -> dict[str, DeliveryStatus]:
    """Each authority's current delivery model, by authority slug.

    Filled by issue 3's event tables; until then no authority has a recorded status.
    """
    return {}


def intervention_statuses(session: Session) -> dict[str, InterventionStatus]:
    """Each authority's current DfE intervention, by authority slug.

    Filled by issue 3's event tables; until then no authority has a recorded status.
    """
    return {}
