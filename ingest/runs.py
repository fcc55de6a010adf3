"""The lifecycle every source run shares, and the record of each run.

`SourceRun` is the one copy of: open a Run row; fetch a URL with its stored validators; parse;
store what was read *in the same transaction* as the URL's new state (so a crash or a failed
store never leaves a 304 standing in for a page that was not stored); a named outcome per item.
A page that was fetched but could not be read forgets its validators, so the next run reads it
again and reports the error again until it parses. A host that answers 403 is held off for a
long backoff and reported loudly (we are probably blocked).

A run that a signal or a bug stops is closed as `interrupted`, so the record never claims a run
is still going when it is not (health checks and operators read these rows).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlmodel import Session

from ingest import store
from ingest.http import Fetched, FetchError
from ingest.models import Run
from ingest.store import utcnow

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


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
    not_modified: int = 0

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


class Fetcher(Protocol):
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched: ...


class HostBlocked(FetchError):
    """The host answered 403 (now or within the backoff): nothing more is asked of it."""


S = TypeVar("S", bound=RunSummary)


class SourceRun(Generic[S]):
    """One run of one source: subclasses write `_run` with `fetch`, `mark_read` and
    `mark_unreadable`; everything else (the Run row, URL state, outcomes) is here."""

    source: str = ""
    forbidden_backoff: timedelta = timedelta(hours=12)

    def __init__(
        self, engine: Engine, client: Fetcher, summary: S, progress: Progress | None
    ) -> None:
        self.engine = engine
        self.client = client
        self.summary = summary
        self.progress = progress or (lambda _stage, _done, _total: None)
        self._blocks: dict[str, datetime | None] = {}
        self._incomplete: set[str] | None = None

    def __call__(self) -> S:
        with recorded_run(self.engine, self.source, self.summary):
            try:
                self._run()
            except HostBlocked as exc:
                self._fail(exc.url, exc.reason)
        return self.summary

    def _run(self) -> None:
        raise NotImplementedError

    def _fail(self, url: str, reason: str) -> None:
        log.warning("%s: %s: %s", self.source, url, reason)
        self.summary.errors.append(ItemError(url, reason))

    # -- fetching ------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        kind: str,
        *,
        conditional: bool = True,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET with the URL's stored validators; a failure is recorded and raised (FetchError).

        A success is *not* recorded here: the caller records it with `mark_read` in the
        transaction that stores what the page said.
        """
        host_key = f"host:{urlsplit(url).netloc}"
        with Session(self.engine) as session:
            if host_key not in self._blocks:  # read once per host and run
                self._blocks[host_key] = store.blocked_until(session, host_key)
            until = self._blocks[host_key]
            if until is not None and until > utcnow():
                raise HostBlocked(
                    url,
                    f"{urlsplit(url).netloc} answered 403 Forbidden earlier (we are probably"
                    f" blocked); not asked again until {until:%Y-%m-%d %H:%M} UTC",
                    status=403,
                    retryable=True,
                )
            state = store.get_state(session, url) if conditional else None
            etag = state.etag if state else None
            last_modified = state.last_modified if state else None
        try:
            kwargs: dict[str, object] = {"etag": etag, "last_modified": last_modified}
            if accept is not None:
                kwargs["accept"] = accept
            if max_bytes is not None:
                kwargs["max_bytes"] = max_bytes
            fetched = self.client.get(url, **kwargs)  # type: ignore[arg-type]
        except FetchError as exc:
            self._record_fetch_failure(url, kind, exc)
            if exc.status == 403:
                self._block(url, exc)
            raise
        if fetched.not_modified:
            self.summary.not_modified += 1
        return fetched

    def _record_fetch_failure(self, url: str, kind: str, exc: FetchError) -> None:
        with Session(self.engine) as session:
            store.record_failure(session, url=url, source=kind, error=str(exc), status=exc.status)
            session.commit()

    def _block(self, url: str, exc: FetchError) -> None:
        host = urlsplit(url).netloc
        until = utcnow() + self.forbidden_backoff
        detail = f"HTTP 403 for {url}; held off until {until:%Y-%m-%d %H:%M} UTC"
        log.error(
            "%s: %s answered 403 Forbidden for %s: we are probably blocked; no request to it"
            " until %s UTC. Check the User-Agent contact and the request rate.",
            self.source,
            host,
            url,
            f"{until:%Y-%m-%d %H:%M}",
        )
        with Session(self.engine) as session:
            store.block(session, key=f"host:{host}", source=self.source, until=until, detail=detail)
            session.commit()
        self._blocks[f"host:{host}"] = until
        raise HostBlocked(
            url,
            f"{host} answered 403 Forbidden (we are probably blocked): {exc.reason};"
            f" no request to it until {until:%Y-%m-%d %H:%M} UTC",
            status=403,
            retryable=True,
        ) from exc

    def mark_read(
        self,
        session: Session,
        url: str,
        kind: str,
        fetched: Fetched,
        *,
        keep_validators: bool = True,
    ) -> None:
        """In the caller's transaction: the URL was fetched and what it said is stored."""
        store.record_success(
            session,
            url=url,
            source=kind,
            status=fetched.status,
            etag=fetched.etag if keep_validators else None,
            last_modified=fetched.last_modified if keep_validators else None,
        )

    def mark_unreadable(self, url: str, kind: str, reason: str, status: int | None = None) -> None:
        """A fetched page that could not be read: recorded, reported, read again next run."""
        self._fail(url, reason)
        with Session(self.engine) as session:
            store.record_failure(
                session, url=url, source=kind, error=reason, status=status, forget_validators=True
            )
            session.commit()

    # -- crawl chains --------------------------------------------------------------------

    def chain_complete(self, key: str) -> bool:
        """Whether the chain's last pass read every page (the incomplete ones are read once)."""
        if self._incomplete is None:
            with Session(self.engine) as session:
                self._incomplete = store.incomplete_chains(session, self.source)
        return key not in self._incomplete

    def record_chain(self, key: str, *, complete: bool, detail: str | None = None) -> None:
        if complete and self.chain_complete(key):
            return  # nothing to write: complete before, complete now
        with Session(self.engine) as session:
            if store.record_crawl_pass(
                session, key=key, source=self.source, complete=complete, detail=detail
            ):
                session.commit()
        assert self._incomplete is not None
        if complete:
            self._incomplete.discard(key)
        else:
            self._incomplete.add(key)
