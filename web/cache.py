"""A cache that cannot go stale: every use is validated against the database's change counter.

The board and the API's list of authorities are the same few queries for every visitor until
something in the database changes. Each request first reads the database's own counter of
committed changes, then (only when it moved) the data, and keeps the result under that value:

- PostgreSQL: `pg_current_wal_insert_lsn()`, which moves with every committed write anywhere in
  the cluster (a commit writes a WAL record);
- SQLite: `PRAGMA data_version` (moves when another connection, or process, commits) with
  `total_changes()` (this connection's own writes), both per connection, so the key carries the
  connection's identity too.

The counter is read before the data, so a commit racing the read can only make the next request
read again, never serve old data. A database that cannot say (a standby, another engine) is
simply not cached.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

T = TypeVar("T")
_ids = itertools.count(1)


class DataVersion:
    """Reads the change counter of a session's connection; None when there is none."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.available = dialect in ("sqlite", "postgresql")

    def __call__(self, session: Session) -> Hashable | None:
        if not self.available:
            return None
        connection = session.connection()
        try:
            if self.dialect == "sqlite":
                info = connection.connection.info
                ident = info.setdefault("cswatch_connection_id", next(_ids))
                version = connection.exec_driver_sql("PRAGMA data_version").scalar()
                own = connection.exec_driver_sql("SELECT total_changes()").scalar()
                return ("sqlite", ident, version, own)
            lsn = connection.exec_driver_sql("SELECT pg_current_wal_insert_lsn()::text").scalar()
            return ("postgresql", lsn)
        except DBAPIError:  # e.g. a read-only standby: no counter, no cache
            session.rollback()
            self.available = False
            return None


class VersionedCache:
    """At most `size` values, each valid only under the data version it was made at."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
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
        value = make()
        with self._lock:
            self.misses += 1
            if not keep(value):
                return value
            self._items[full] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
