"""The engine and the schema: built from settings, upgraded by Alembic (never create_all)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import create_engine

from config.locks import make_lock, waiting_for

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(database_url: str) -> Engine:
    """An engine for the URL; SQLite files get their folder, foreign keys and WAL."""
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser escaping
    return config


SCHEMA_LOCK_WAIT_SECONDS = 600.0


@contextmanager
def schema_lock(engine: Engine, *, seconds: float = SCHEMA_LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Held while the schema is migrated and the reference data synced.

    Replicas that start together take turns: the first migrates, the others then find the
    schema current and nothing to insert. Without it two of them both create `alembic_version`
    (or insert the same authorities) and one crashes. PostgreSQL: an advisory lock, which the
    server drops if the holder dies; SQLite: a file lock beside the database file.
    """
    database = engine.url.database
    if engine.dialect.name == "sqlite" and (not database or database == ":memory:"):
        yield  # one process's private database: nobody to race with
        return
    lock = make_lock(engine, Path("var"), "schema")
    with waiting_for(lock, seconds=seconds, what="migrating the database schema"):
        yield


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest migration, under the schema lock."""
    with schema_lock(engine):
        migrate(engine)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; the caller holds `schema_lock`."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@lru_cache(maxsize=1)
def newest_revision() -> str | None:
    """The head of the migrations shipped with this code (read once per process)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def schema_is_current(engine: Engine) -> bool:
    """Plain SQL on purpose: health checks call this often, and building Alembic's migration
    context each time grew the engine's statement cache without end."""
    try:
        with engine.connect() as connection:
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return False
    return current == newest_revision()
