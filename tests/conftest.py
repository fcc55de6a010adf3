"""Shared fixtures: migrated databases (SQLite and the machine's PostgreSQL) and the replica."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from config.database import make_engine, upgrade_schema
from config.wiring import AUTHORITIES_CSV
from ingest import store
from ingest.gazetteer import load_authorities
from tests.localserver import LocalServer
from tests.news_replica import NewsReplica
from tests.paths import SHARED

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

if not SHARED.is_dir():
    raise RuntimeError(f"the shared data folder {SHARED} is missing: clone with ../shared beside")


def _seed(engine: Engine) -> Engine:
    """Migrated, with the gazetteer's authorities (the delivery baseline is left to the tests
    that want it: see tests/test_delivery.py)."""
    upgrade_schema(engine)
    with Session(engine) as session:
        store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
        session.commit()
    return engine


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    engine = _seed(make_engine(f"sqlite:///{tmp_path / 'cswatch.db'}"))
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A fresh schema in the machine's PostgreSQL, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable: {exc}")
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield _seed(engine)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request) -> Engine:
    """Each database test runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def news() -> Iterator[NewsReplica]:
    """The news replica: three sites (Community Care-like, CYP Now-like, GOV.UK), three hosts."""
    with LocalServer() as cc, LocalServer() as cyp, LocalServer() as govuk:
        yield NewsReplica(cc, cyp, govuk)
