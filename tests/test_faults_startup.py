"""Faults at start-up and at a leader's death: real processes, real PostgreSQL and SQLite.

- Any number of replicas may start together: the schema is migrated (and the reference data
  synced) under a lock, a PostgreSQL advisory lock or a file lock beside the SQLite file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from config.database import newest_revision
from tests.conftest import POSTGRES_URL

REPO = Path(__file__).resolve().parents[1]
REPLICAS = 6


def _env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
    env.update({"CSWATCH_DATABASE_URL": database_url, "CSWATCH_VAR_DIR": str(var_dir)})
    return env


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """An empty schema (no tables at all): what a first deployment starts from."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _init_together(database_url: str, var_dir: Path) -> list[subprocess.CompletedProcess[str]]:
    """`cswatch init` in REPLICAS processes started at the same moment."""
    env = _env(database_url, var_dir)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "config.cli", "init"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(REPLICAS)
    ]
    results = []
    for process in processes:
        output, _ = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, output))
    return results


def _check_one_schema(database_url: str, results: list[subprocess.CompletedProcess[str]]) -> None:
    failed = [r.stdout for r in results if r.returncode != 0]
    assert not failed, f"{len(failed)} of {REPLICAS} replicas failed to start:\n{failed[0]}"
    engine = create_engine(database_url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        authorities = connection.execute(text("SELECT count(*) FROM authority")).scalar()
        slugs = connection.execute(text("SELECT count(DISTINCT slug) FROM authority")).scalar()
    engine.dispose()
    assert versions == [(newest_revision(),)]
    assert authorities and authorities == slugs  # seeded once, no duplicates


@pytest.mark.postgres
def test_replicas_starting_together_on_postgres_migrate_once(postgres_schema_url, tmp_path):
    results = _init_together(postgres_schema_url, tmp_path / "var")
    _check_one_schema(postgres_schema_url, results)


def test_replicas_starting_together_on_sqlite_migrate_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    results = _init_together(url, tmp_path / "var")
    _check_one_schema(url, results)
