"""The record of one source run: opened before the work, closed however the work ends.

A run that a signal or a bug stops is closed as `interrupted`, so the record never claims a run
is still going when it is not (health checks and operators read these rows).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields

from sqlalchemy import Engine
from sqlmodel import Session

from ingest.models import Run
from ingest.store import utcnow


@dataclass
class ItemError:
    """One item that failed, and why (the reason names the URL)."""

    url: str
    reason: str


@dataclass
class RunSummary:
    """What a run did: each source adds its own int counters as fields."""

    run_id: int | None = None
    errors: list[ItemError] = field(default_factory=list)
    interrupted: bool = False

    def reached_source(self) -> bool:
        """Whether the run got as far as the source's listing (else it failed as a whole)."""
        raise NotImplementedError

    @property
    def status(self) -> str:
        if self.interrupted:
            return "interrupted"
        if not self.errors:
            return "ok"
        return "partial" if self.reached_source() else "failed"

    def counts(self) -> dict[str, int]:
        """Every counter field, in declaration order, then the number of errors."""
        counters = {
            f.name: value
            for f in fields(self)
            if f.name != "run_id"
            and isinstance(value := getattr(self, f.name), int)
            and not isinstance(value, bool)
        }
        return {**counters, "errors": len(self.errors)}


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
