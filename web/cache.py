"""A cache that cannot go stale: every use is validated against the database's change counter.

The board and the API's list of authorities are the same few queries for every visitor until
something in the database changes. Each request first reads the database's own counter of
committed changes, then (only when it moved) the data, and keeps the result under that value:

- PostgreSQL: `pg_current_wal_insert_lsn()`, which moves with every committed write anywhere in
  the cluster (a commit writes a WAL record);
- SQLite: `PRAGMA data_version` on a connection of the cache's own that never writes: it
  moves whenever any other connection, of this process or another, commits.

The counter is read before the data, so a commit racing the read can only make the next request
read again, never serve old data. A database that cannot say (a standby, another engine) is
simply not cached. A failure to read the counter (a dropped connection, a restarting server)
turns the cache off for `retry_seconds` only: the next read after that tries again, so the
cache comes back with the database.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

T = TypeVar("T")


class DataVersion:
    """Reads the database's change counter; None when it has none."""

    def __init__(self, engine: Engine, *, retry_seconds: float = 5.0) -> None:
        self.dialect = engine.dialect.name
        self.available = self.dialect == "postgresql"
        self.retry_seconds = retry_seconds
        self._retry_at = 0.0  # monotonic time before which a failed counter is not read again
        self.failures = 0
        self._watch: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        database = engine.url.database
        if self.dialect == "sqlite" and database and database != ":memory:":
            # One connection of our own that never writes: its data_version moves whenever
            # any other connection (a pooled one of this process, or another process) commits.
            self._watch = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
            self.available = True

    def __call__(self, session: Session) -> Hashable | None:
        if not self.available or time.monotonic() < self._retry_at:
            return None
        try:
            if self._watch is not None:
                with self._lock:
                    return ("sqlite", self._watch.execute("PRAGMA data_version").fetchone()[0])
            connection = session.connection()
            lsn = connection.exec_driver_sql("SELECT pg_current_wal_insert_lsn()::text").scalar()
            return ("postgresql", lsn)
        except (DBAPIError, sqlite3.Error):  # dropped connection, standby: no cache for a while
            if self._watch is None:
                session.rollback()
            self.failures += 1
            self._retry_at = time.monotonic() + self.retry_seconds
            return None


class VersionedCache:
    """At most `size` values, each valid only under the data version it was made at."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(
        self,
        version: Hashable | None,
        key: Hashable,
        make: Callable[[], T],
        keep: Callable[[T], bool] = lambda _value: True,
    ) -> T:
        """The value made at this version, making it now if needed (kept if `keep` says so)."""
        if version is None:
            self.misses += 1
            return make()
        full = (version, key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                self.hits += 1
                return self._items[full]
            making = self._making.setdefault(full, threading.Lock())
        with making:  # one request makes it; the others at this version wait and share it
            with self._lock:
                if full in self._items:
                    self.hits += 1
                    return self._items[full]
            try:
                value = make()
            finally:
                with self._lock:
                    self._making.pop(full, None)
            with self._lock:
                self.misses += 1
                if keep(value):
                    self._items[full] = value
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
            return value
