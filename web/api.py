"""The JSON API's shapes (for its OpenAPI description) and the functions that fill them.

Handlers build plain dicts (fast) that match these models; the schemathesis test checks every
response against the published description.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from web import board

Status = Literal["confirmed", "reported"]


class Problem(BaseModel):
    detail: str


class Planned(BaseModel):
    """An arrangement decided or proposed but not live yet."""

    model: Literal["in_house", "trust", "company", "cic", "partnership"]
    provider: str | None
    stage: Literal["proposed", "decided"]
    since: date | None
    status: Status


class Delivery(BaseModel):
    model: Literal["in_house", "trust", "company", "cic", "partnership"]
    provider: str | None
    stage: Literal["proposed", "decided", "operational", "ended"] | None
    since: date | None
    status: Status | None  # None: nothing known, in house by default
    planned: Planned | None = None


class Intervention(BaseModel):
    actions: list[str]
    status: Status | None


class Authority(BaseModel):
    slug: str
    name: str
    region: str | None
    overall: str | None
    inspected: date | None
    published: date | None
    report_url: str | None
    delivery: Delivery
    intervention: Intervention | None
    last_change: datetime | None  # when the newest change was noticed
    last_change_on: date | None  # when it happened, if its source says
    url: str


class AuthorityList(BaseModel):
    count: int
    authorities: list[Authority]


class Evidence(BaseModel):
    url: str
    title: str


class TimelineEntry(BaseModel):
    date: date | None
    date_as_stated: str | None = Field(
        None, description="The date as precise as its source: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."
    )
    kind: str
    label: str
    detail: str | None
    evidence: list[Evidence]
    status: Status


class AuthorityDetail(Authority):
    framework: str | None
    judgements: dict[str, str]
    inspection_start: date | None
    inspection_end: date | None
    former: bool
    successors: list[str]
    timeline: list[TimelineEntry]


class ChangeOut(BaseModel):
    id: int
    authority: str
    authority_name: str
    kind: str
    headline: str
    sentence: str
    occurred_on: date | None
    detected_at: datetime
    status: Status
    evidence: list[Evidence]


class ChangeList(BaseModel):
    count: int
    changes: list[ChangeOut]


def authority_json(row: board.BoardRow, base_url: str) -> dict[str, Any]:
    data = row.to_json()
    data["url"] = f"{base_url}/authority/{row.slug}"
    return data


def detail_json(detail: board.AuthorityPage, base_url: str) -> dict[str, Any]:
    data = authority_json(detail.row, base_url)
    status = detail.status
    data.update(
        framework=status.framework,
        judgements=dict(status.judgements),
        inspection_start=status.inspection_start.isoformat() if status.inspection_start else None,
        inspection_end=status.inspection_end.isoformat() if status.inspection_end else None,
        former=detail.authority.valid_to is not None,
        successors=[a.slug for a in detail.successors],
        timeline=[entry.to_json() for entry in detail.timeline],
    )
    return data
