"""The jobs the daemon runs, in process: change detection and digests taking turns."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from datetime import timedelta

from sqlmodel import Session, select

from alerts import changes as changes_module
from alerts.models import Change
from config.jobs import alerts_after_ingest
from config.settings import load_settings
from config.wiring import Service
from tests.localserver import LocalServer
from tests.replica import OfstedReplica


def test_two_detectors_at_once_take_turns_and_record_a_change_once(tmp_path, monkeypatch):
    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    with LocalServer() as server:
        replica = OfstedReplica(server)
        env = {
            "CSWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.db'}",
            "CSWATCH_VAR_DIR": str(tmp_path),
            "CSWATCH_OFSTED__SEARCH_URL": replica.search_url,
            "CSWATCH_HTTP__ALLOWED_HOSTS": json.dumps([server.host]),
            "CSWATCH_HTTP__MIN_INTERVAL_SECONDS": "0",
            "CSWATCH_NEWS__ENABLED": "false",
            "CSWATCH_GOVUK__ENABLED": "false",
            "CSWATCH_STATISTICS__ENABLED": "false",
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        service = Service(load_settings())
        only = frozenset({"80462"})
        with service.client() as client:
            service.ofsted_run(client, only_urns=only)()
        assert alerts_after_ingest(service)["changes"] == 0  # the quiet start
        doncaster = replica.providers["80462"]
        newest = max(doncaster.publications, key=lambda p: p.published)
        replica.add_publication(
            "80462",
            "Children's services focused visit",
            newest.published + timedelta(days=30),
            path=newest.path,
        )
        with service.client() as client:
            service.ofsted_run(client, only_urns=only)()

    # Make the race likely: every detector reads its statuses, then waits for the others
    # before it writes (a broken barrier, when they take turns, just lets it go on).
    barrier = threading.Barrier(4)
    real = changes_module._detect_delivery

    def delivery_after_everyone_has_read(*args, **kwargs):  # type: ignore[no-untyped-def]
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(changes_module, "_detect_delivery", delivery_after_everyone_has_read)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def detect() -> None:
        try:
            results.append(alerts_after_ingest(Service(load_settings())))
        except BaseException as exc:  # pragma: no cover - the failure this test guards against
            errors.append(exc)

    threads = [threading.Thread(target=detect) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(r["changes"] for r in results) == [0, 0, 0, 1]
    with Session(service.engine) as session:
        assert len(session.exec(select(Change)).all()) == 1


def test_health_checks_do_not_grow_the_statement_cache(sqlite_engine):
    """The soak found the daemon's memory creeping: each schema check built Alembic's context,
    whose fresh table objects each took a new entry in the engine's statement cache."""
    from config.database import schema_is_current

    assert schema_is_current(sqlite_engine)
    cache = sqlite_engine._compiled_cache
    before = len(cache)
    for _ in range(50):
        assert schema_is_current(sqlite_engine)
    assert len(cache) == before
