"""Alembic environment: runs the migrations on the connection or URL the caller gives."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import alerts.models  # noqa: F401

# Importing the table modules registers their tables on SQLModel.metadata.
import config.ops  # noqa: F401
import ingest.models  # noqa: F401

alembic_cfg = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=alembic_cfg.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = alembic_cfg.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(alembic_cfg.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs batch mode to alter tables
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
