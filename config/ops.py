"""Tables of the service's own operation: daemon instances (heartbeats) and job runs.

They belong to the composition root: they describe the scheduler, not facts about councils.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Float, Index, LargeBinary, String, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class DaemonInstance(SQLModel, table=True):
    """One running `cswatch run` process; `beat_at` tells the health check it is alive."""

    __tablename__ = "daemon_instance"

    id: int | None = Field(default=None, primary_key=True)
    instance: str = Field(unique=True, index=True)
    host: str
    pid: int
    role: str  # leader or follower
    started_at: datetime
    beat_at: datetime
    stopped_at: datetime | None = None


class JobRun(SQLModel, table=True):
    """One run of one scheduled job, whatever it does: the log operators and tests read.

    (job, scheduled_for) is unique: if a leader dies after starting a run but before the job
    store moved on, the next leader's attempt at the same slot is refused by the database.
    """

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "scheduled_for"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(index=True)
    instance: str
    scheduled_for: datetime | None = None
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "running"  # running, ok, partial, failed, timeout, busy, interrupted, abandoned
    duration_seconds: float | None = None
    counts: str = "{}"
    error: str | None = Field(default=None, sa_column=Column(Text))


# APScheduler's job store table, made by our migrations (not by the store's own create_all).
# Its definition follows apscheduler.jobstores.sqlalchemy.SQLAlchemyJobStore.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    SQLModel.metadata,
    Column("id", String(191), primary_key=True),
    Column("next_run_time", Float(25)),
    Column("job_state", LargeBinary, nullable=False),
    Index("ix_apscheduler_jobs_next_run_time", "next_run_time"),
)
