"""Who may run what: one scheduling leader per database, one run per source at a time.

SQLite lives on one machine, so an advisory file lock (flock) beside the database file is enough,
and the kernel drops it when the process dies, however it dies. PostgreSQL may be shared by
replicas on several machines, so there a session-level advisory lock on a dedicated connection
does the same job: the server drops it when that connection ends (a killed process's socket
closes), and another replica's next try takes it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

LEADER = "leader"


class Busy(Exception):
    """Another process holds the lock; the message says who when it can."""


class Lock(Protocol):
    def try_acquire(self) -> bool: ...
    def still_held(self) -> bool: ...
    def release(self) -> None: ...
    def describe_holder(self) -> str: ...


def _key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a name."""
    return int.from_bytes(
        hashlib.sha256(f"cswatch:{name}".encode()).digest()[:8], "big", signed=True
    )


def _database_key(connection: Connection, name: str) -> int:
    """The advisory-lock key of a name in this connection's schema. Advisory locks are shared
    by the whole database, so deployments (or test runs) in different schemas of one database
    must not share keys; the default schema keeps the plain key."""
    schema = connection.execute(text("SELECT current_schema()")).scalar()
    return _key(name if schema in (None, "public") else f"{schema}/{name}")


class FileLock:
    """flock on `<dir>/<name>.lock`; the holder's pid is written inside for messages."""

    def __init__(self, directory: Path, name: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{name}.lock"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def still_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def describe_holder(self) -> str:
        try:
            pid = self.path.read_text().strip()
        except OSError:
            pid = ""
        return f"process {pid}" if pid else "another process"


class AdvisoryLock:
    """pg_try_advisory_lock on a connection of its own, held until release or disconnect.

    The holder's connection carries `label` as its application_name, so that others can tell
    from pg_stat_activity who holds the lock (`holder`).
    """

    def __init__(self, engine: Engine, name: str, label: str | None = None) -> None:
        self.engine = engine
        self.name = name
        self.label = label
        self.key = _key(name)  # until a connection tells the schema
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        connection = self.engine.connect()
        self.key = _database_key(connection, self.name)
        got = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
        )
        if got and self.label:
            connection.execute(
                text("SELECT set_config('application_name', :label, false)"),
                {"label": self.label[:63]},
            )
        connection.commit()
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def holder(self) -> tuple[int, str] | None:
        """(backend pid, application_name) of the session holding the lock, if any."""
        with self.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT a.pid, coalesce(a.application_name, '') FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                    "AND l.granted AND l.database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database()) "
                    "AND ((l.classid::bigint << 32) | l.objid::bigint) = :k"
                ),
                {"k": _database_key(connection, self.name)},
            ).first()
        return (int(row[0]), str(row[1])) if row else None

    def end_holder(self, backend_pid: int) -> bool:
        """End the holder's database session (pg_terminate_backend), which frees the lock.

        Only for a holder known to be hung: its transaction is rolled back and its next use of
        the connection fails, which tells it that it lost the lock.
        """
        with self.engine.connect() as connection:
            ended = connection.execute(
                text("SELECT pg_terminate_backend(:pid)"), {"pid": backend_pid}
            ).scalar()
            connection.commit()
        return bool(ended)

    def still_held(self) -> bool:
        """False when the connection (and so the lock) was lost: the holder must stand down."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except Exception:
            self._connection = None
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                self._connection.commit()
                self._connection.close()
            except Exception:
                pass
            self._connection = None

    def describe_holder(self) -> str:
        with self.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT a.pid, a.client_addr, a.application_name FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                    "AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = :k"
                ),
                {"k": self.key},
            ).first()
        return f"PostgreSQL backend {row[0]} ({row[1] or 'local'})" if row else "another process"


@contextmanager
def waiting_for(lock: Lock, *, seconds: float, what: str) -> Iterator[None]:
    """Hold `lock`, waiting up to `seconds` for whoever has it; Busy if they keep it longer."""
    deadline = time.monotonic() + seconds
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            raise Busy(f"{what}: still held by {lock.describe_holder()} after {seconds:.0f} s")
        time.sleep(0.1)
    try:
        yield
    finally:
        lock.release()


def lock_is_held(engine: Engine, name: str) -> bool | None:
    """Whether some session holds the named PostgreSQL advisory lock, read from pg_locks
    without taking it. The server frees it the moment its holder's connection ends, so a
    killed leader shows here at once. None on SQLite (see `process_is_alive`)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        held = connection.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND ((classid::bigint << 32) | objid::bigint) = :k"
            ),
            {"k": _database_key(connection, name)},
        ).scalar()
    return bool(held)


def process_is_alive(host: str, pid: int) -> bool | None:
    """Whether a process of this machine is still running; None for another machine's."""
    if host != socket.gethostname():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process with that pid: alive
    return True


def make_lock(engine: Engine, var_dir: Path, name: str, label: str | None = None) -> Lock:
    """The right kind of lock for the database behind `engine` (`label`: see AdvisoryLock)."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, name, label)
    database = engine.url.database
    if database and database != ":memory:":
        directory = Path(database).resolve().parent / "locks" / Path(database).name
    else:
        directory = var_dir / "locks"
    return FileLock(directory, name)
