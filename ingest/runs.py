"""The record of one source run: opened before the work, closed however the work ends.

A run that a signal or a bug stops is closed as `interrupted`, so the record never claims a run
is still going when it is not (health checks and operators read these rows).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session

from ingest.models import Run
from ingest.store import utcnow


class RunError(Protocol):
    url: str
    reason: str


class RunSummary(Protocol):
    run_id: int | None
    interrupted: bool
    errors: list  # list[RunError]

    @property
    def status(self) -> str: ...

    def counts(self) -> dict[str, int]: ...


@contextmanager
def recorded_run(engine: Engine, source: str, summary: RunSummary) -> Iterator[None]:
    with Session(engine) as session:
        run = Run(source=source, started_at=utcnow())
        session.add(run)
        session.commit()
        summary.run_id = run.id
    try:
        yield
    except BaseException:
        summary.interrupted = True
        raise
    finally:
        with Session(engine) as session:
            row = session.get(Run, summary.run_id)
            if row is not None:
                row.finished_at = utcnow()
                row.status = summary.status
                row.counts = json.dumps(summary.counts(), sort_keys=True)
                row.errors = "\n".join(f"{e.url}: {e.reason}" for e in summary.errors) or None
                session.add(row)
                session.commit()
