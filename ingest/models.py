"""The SQLModel tables of facts that ingestion writes.

Natural-key unique constraints (a slug, a URL, an inspection per publication, an area per
inspection) make ingestion idempotent: a second identical run finds every row in place and
changes none. The schema is created and upgraded only by Alembic migrations (config/migrations).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint, func
from sqlmodel import Field, SQLModel


class PublicationKind(StrEnum):
    FULL_INSPECTION = "full_inspection"
    FOCUSED_VISIT = "focused_visit"
    MONITORING_VISIT = "monitoring_visit"
    JTAI = "jtai"
    AREA_SEND = "area_send"
    OTHER = "other"


# Downloaded and parsed: full inspections for their grades, letters and area reports for what
# they found (their signal). Anything else is listed and kept, never downloaded.
PARSED_KINDS = (
    PublicationKind.FULL_INSPECTION,
    PublicationKind.FOCUSED_VISIT,
    PublicationKind.MONITORING_VISIT,
    PublicationKind.JTAI,
    PublicationKind.AREA_SEND,
)


class ItemStatus(StrEnum):
    """Where one publication stands: fetched and parsed, skipped by design, or failed."""

    PENDING = "pending"
    OK = "ok"
    SKIPPED = "skipped"  # not in PARSED_KINDS: listed and stored, never downloaded
    ERROR = "error"


class Authority(SQLModel, table=True):
    """A council with children's services duties, current or former (the gazetteer)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    ons_code: str | None = Field(default=None, index=True)
    la_code: str | None = Field(default=None, index=True)
    ofsted_urn: str | None = Field(default=None, index=True)
    region: str | None = None
    type: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class AuthoritySuccessor(SQLModel, table=True):
    """A former authority's successor(s): Northamptonshire -> North and West Northamptonshire."""

    __tablename__ = "authority_successor"
    __table_args__ = (UniqueConstraint("authority_id", "successor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    successor_id: int = Field(foreign_key="authority.id")


class AuthorityAlias(SQLModel, table=True):
    """Another spelling of an authority's name ('Kingston', 'BCP', 'Stoke')."""

    __tablename__ = "authority_alias"
    __table_args__ = (UniqueConstraint("authority_id", "alias"),)

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    alias: str


class OfstedProvider(SQLModel, table=True):
    """A provider on Ofsted's listing, remembered so a 'not modified' listing keeps its links."""

    __tablename__ = "ofsted_provider"

    id: int | None = Field(default=None, primary_key=True)
    urn: str = Field(unique=True, index=True)
    name: str
    url: str
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    first_seen_at: datetime
    last_seen_at: datetime
    listing_url: str | None = None  # the listing page it was last seen on (for a 304 there)


class Publication(SQLModel, table=True):
    """One item on a provider page: a report file with its title, kind and listing date."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, index=True)
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    provider_urn: str = Field(index=True)
    title: str
    kind: str = Field(index=True)  # PublicationKind
    published: date | None = None
    content_hash: str | None = None  # sha256 of the downloaded file
    fetch_status: str = Field(default=ItemStatus.PENDING)  # ItemStatus
    parse_status: str = Field(default=ItemStatus.PENDING)  # ItemStatus
    error: str | None = Field(default=None, sa_column=Column(Text))
    first_seen_at: datetime
    fetched_at: datetime | None = None
    attempts: int = 0


class Inspection(SQLModel, table=True):
    """What a full inspection report states: framework, dates, lead inspector, overall grade."""

    __table_args__ = (UniqueConstraint("publication_id"),)

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id")
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    framework: str
    authority_name_in_report: str | None = None
    inspection_start: date | None = None
    inspection_end: date | None = None
    published: date | None = None
    lead_inspector: str | None = None
    overall: str | None = None


class Judgement(SQLModel, table=True):
    """One graded area of an inspection (help and protection, leaders, ...)."""

    __table_args__ = (UniqueConstraint("inspection_id", "area"),)

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    area: str
    grade: str


class InspectionSignal(SQLModel, table=True):
    """What a letter or area report found, short of a grade (ingest/extract/signals.py).

    One row per parsed letter; fields that do not apply to its kind stay null.
    """

    __tablename__ = "inspection_signal"
    __table_args__ = (UniqueConstraint("inspection_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    kind: str = Field(index=True)  # focused_visit, monitoring_visit, jtai, area_send, ...
    priority_action: str | None = None  # focused visits: found, remain, none
    send_outcome: str | None = None  # area SEND 2023: positive, inconsistent, systemic_failings
    next_inspection_months: int | None = None
    monitoring_inspection_months: int | None = None
    written_statement_required: bool | None = None  # area SEND 2016-2022
    visit_number: int | None = None  # monitoring visits
    headline: str | None = Field(default=None, sa_column=Column(Text))  # scraped: untrusted
    theme: str | None = Field(default=None, sa_column=Column(Text))  # JTAI, as printed
    theme_key: str | None = None


class SourceState(SQLModel, table=True):
    """What we know of one URL between runs: validators for conditional GET and its health."""

    __tablename__ = "source_state"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, index=True)
    source: str = Field(index=True)
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    last_status: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    consecutive_failures: int = 0


class CrawlState(SQLModel, table=True):
    """One crawl chain (a paged listing) or one host, between runs.

    `complete` is False after a pass that missed a page: the next run then revalidates the whole
    chain without conditional requests, until one pass reads every page. `blocked_until` holds
    off a host that answered 403 (we are probably blocked) for a long backoff.
    """

    __tablename__ = "crawl_state"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    source: str = Field(index=True)
    complete: bool | None = None
    pass_finished_at: datetime | None = None
    last_complete_at: datetime | None = None
    blocked_until: datetime | None = None
    detail: str | None = Field(default=None, sa_column=Column(Text))


class Run(SQLModel, table=True):
    """One run of one source: when, the outcome and its counts, for operators and health checks."""

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "running"  # running, ok, partial (some items failed), failed
    counts: str = "{}"  # JSON object of named counts
    errors: str | None = Field(default=None, sa_column=Column(Text))


class ExtractionStatus(StrEnum):
    """Where one article stands: main text extracted, failed (with a reason), or skipped."""

    OK = "ok"
    ERROR = "error"
    SKIPPED = "skipped"


class Article(SQLModel, table=True):
    """One news story or GOV.UK page, stored once however many feeds or sites carry it.

    `url` is where we first fetched it; `canonical_url` what the page says it is (its
    `<link rel=canonical>` or og:url, else `url`). Both are unique, and `content_hash` (of the
    normalised main text) catches copies that name no canonical: see ingest/news_store.py.
    """

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, index=True)
    canonical_url: str = Field(unique=True, index=True)
    source: str = Field(index=True)  # the feed's name, or "govuk"
    title: str | None = Field(default=None, sa_column=Column(Text))
    published: datetime | None = None  # as the feed or page states it; never guessed
    fetched_at: datetime
    text: str | None = Field(default=None, sa_column=Column(Text))
    content_hash: str | None = Field(default=None, index=True)
    extraction_status: str = Field(default=ExtractionStatus.OK)  # ExtractionStatus
    error: str | None = Field(default=None, sa_column=Column(Text))
    relevant: bool | None = None  # None: not yet judged
    relevance_reason: str | None = Field(default=None, sa_column=Column(Text))
    # What the publisher calls it ('decision', 'news_story', a GOV.UK display type), if it says.
    doc_type: str | None = None
    # The publisher's own last-update time (GOV.UK edits a direction in place when it closes);
    # a newer one listed makes the page read again.
    updated_at: datetime | None = None


class ArticleFeed(SQLModel, table=True):
    """Where an article was listed: a feed (or GOV.UK query) and the item URL as listed.

    One listed item maps to one article, so (feed, item_url) is the natural key; an article
    carried by several feeds, or syndicated under several URLs, has several rows.
    """

    __tablename__ = "article_feed"
    __table_args__ = (UniqueConstraint("feed", "item_url"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    feed: str = Field(index=True)
    item_url: str = Field(index=True)


EVENT_VALUE_FIELDS = (
    "grade",
    "previous_grade",
    "model",
    "stage",
    "provider",
    "action",
    "date",
)
"""The fields that, with article, authority and kind, say which event it is (its natural key)."""


class Event(SQLModel, table=True):
    """One thing an article states about one authority: a rating, a delivery model, an intervention.

    The natural key (article, authority, kind and every value field, NULLs coalesced so they
    compare equal) is unique, so extracting the same article again adds no row.
    """

    __table_args__ = (
        Index(
            "uq_event_natural_key",
            "article_id",
            func.coalesce(Column("authority_id"), 0),
            "kind",
            *(func.coalesce(Column(name), "") for name in EVENT_VALUE_FIELDS),
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    kind: str = Field(index=True)  # rating, delivery_model, intervention
    grade: str | None = None
    previous_grade: str | None = None
    model: str | None = None
    stage: str | None = None
    provider: str | None = None
    action: str | None = None
    date: str | None = None  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', as precise as the text is
    evidence: str | None = Field(default=None, sa_column=Column(Text))
    confidence: float | None = None
    confirmed: bool = False  # True when an official source (GOV.UK) states it
    created_at: datetime


class OfficialEdition(SQLModel, table=True):
    """One downloaded edition of Ofsted's official statistics ('... as at 31 March YYYY')."""

    __tablename__ = "official_edition"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, index=True)
    title: str
    as_at: date = Field(index=True)
    published: date | None = None
    content_hash: str
    fetched_at: datetime


class OfficialInspection(SQLModel, table=True):
    """A graded inspection as an edition states it: each council's latest, and the history."""

    __tablename__ = "official_inspection"

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="official_edition.id", index=True)
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    name: str  # as printed
    role: str = Field(index=True)  # latest or history
    framework: str
    inspection_type: str | None = None
    inspection_date: date | None = None
    published: date | None = None
    overall: str
    judgements: str = "{}"  # JSON object: area -> grade


class OfficialDiscrepancy(SQLModel, table=True):
    """A council whose grade we hold differently from the official statistics: for review.

    Never settled silently: it stays open until a later reconciliation no longer finds it.
    """

    __tablename__ = "official_discrepancy"
    __table_args__ = (UniqueConstraint("edition_id", "authority_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="official_edition.id", index=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    kind: str  # grade_differs or missing_inspection
    official: str  # what the statistics state, in words
    ours: str  # what we hold, in words
    detected_at: datetime
    resolved_at: datetime | None = None


class DeliveryArrangement(SQLModel, table=True):
    """One arrangement of the reviewed reference data (config/arrangements.csv): who ran, or was
    to run, a council's children's services, with each stage's date and the source of that date.

    Recorded against the council that existed then; ingest.delivery hands a running arrangement
    to the successors at abolition. A return in house is the `ended` date, not a row.
    """

    __tablename__ = "delivery_arrangement"

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    model: str  # trust, company, cic, partnership
    provider: str | None = None
    stage: str  # today: proposed, decided, operational, ended, abandoned
    proposed: str | None = None  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    decided: str | None = None
    operational: str | None = None
    ended: str | None = None
    proposed_source: str | None = Field(default=None, sa_column=Column(Text))
    decided_source: str | None = Field(default=None, sa_column=Column(Text))
    operational_source: str | None = Field(default=None, sa_column=Column(Text))
    ended_source: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))


class InterventionStep(SQLModel, table=True):
    """One step of a DfE intervention read from a GOV.UK decision page: a direction issued,
    revised or closed, a commissioner appointed or reporting, a notice lifted.

    One row per (authority, action, step, source): reading the same page again adds nothing.
    """

    __tablename__ = "intervention_step"
    __table_args__ = (UniqueConstraint("authority_id", "action", "step", "source_url"),)

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    action: str  # improvement_notice, direction, commissioner, adviser
    step: str  # issued, revised, closed, revoked, appointed, reported, lifted
    on: date | None = None
    source_url: str
    title: str | None = Field(default=None, sa_column=Column(Text))  # scraped: untrusted
    article_id: int | None = Field(default=None, foreign_key="article.id", index=True)
    created_at: datetime


class ReviewState(StrEnum):
    PENDING = "pending"  # held: changes no status and reaches no digest
    ACCEPTED = "accepted"  # released by an operator; the fact stays 'reported'
    REJECTED = "rejected"  # dropped by an operator


class ReviewItem(SQLModel, table=True):
    """A news event held for an operator, and the operator's decision (who, when, why).

    No foreign key to the event: re-extracting an article may replace its events, and the
    record of a decision must outlive them (`summary` and `source_url` say what was decided).
    """

    __tablename__ = "review_item"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(unique=True, index=True)
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    summary: str = Field(sa_column=Column(Text, nullable=False))  # what the event says
    source_url: str = Field(sa_column=Column(Text, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))  # why it was held
    state: str = Field(default=ReviewState.PENDING, index=True)  # ReviewState
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
