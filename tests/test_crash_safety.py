"""A real ingest process killed with SIGKILL in the middle of an item loses nothing.

Each item is written in one transaction together with what marks it done (the URL's state,
its validators), and a feed or listing page is marked read only once its items are stored. So
after any number of kills, one more run leaves exactly the rows a clean run leaves. Before this,
a provider page's or a feed's ETag was committed before its items: after a kill, the next run
got a 304 and the items were lost for good.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from config.database import make_engine, upgrade_schema
from config.wiring import AUTHORITIES_CSV
from ingest import store
from ingest.gazetteer import load_authorities
from ingest.models import Article, Inspection, Publication
from tests.news_replica import NewsReplica
from tests.paths import REPO
from tests.replica import OfstedReplica

KILL_AT = (1, 3, 2)  # the row of an item at which each successive process is killed
URNS = ["80545", "80462"]  # Kingston and Doncaster: real reports, several per page


def _engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    with Session(engine) as session:
        store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
        session.commit()
    return engine


def _child(kind: str, db: Path, flag: Path, n: int, args: dict[str, object]) -> subprocess.Popen:
    command = ["-m", "tests.crash_ingest", kind, f"sqlite:///{db}", str(flag), str(n)]
    return subprocess.Popen(
        [sys.executable, *command, json.dumps(args)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _kill_mid_item(kind: str, db: Path, tmp_path: Path, n: int, args: dict[str, object]) -> None:
    flag = tmp_path / f"flag-{n}-{time.monotonic_ns()}"
    child = _child(kind, db, flag, n, args)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            # Ending early means the run found nothing left to store: items were lost.
            assert child.poll() is None, f"the {kind} run ended before its row {n}"
            assert time.monotonic() < deadline, f"the {kind} run never reached row {n}"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL


def _finish(kind: str, db: Path, args: dict[str, object]) -> None:
    child = _child(kind, db, db.with_suffix(".unused"), 0, args)
    assert child.wait(timeout=300) == 0


def _facts(engine: Engine) -> dict[str, list[tuple]]:
    with Session(engine) as session:
        return {
            "publications": sorted(
                (p.url.rsplit("/", 1)[-1], p.title, p.kind, str(p.published), p.parse_status)
                for p in session.exec(select(Publication))
            ),
            "inspections": sorted(
                (str(i.inspection_end), i.overall or "", i.framework)
                for i in session.exec(select(Inspection))
            ),
            "articles": sorted(
                (a.url.split("/", 3)[-1], a.extraction_status, a.content_hash or "")
                for a in session.exec(select(Article))
            ),
        }


@pytest.mark.parametrize("kind", ["ofsted", "news"])
def test_sigkill_mid_item_loses_nothing(kind, tmp_path, server, news: NewsReplica):
    if kind == "ofsted":
        replica = OfstedReplica(server)
        args: dict[str, object] = {
            "hosts": [server.host],
            "search_url": replica.search_url,
            "urns": URNS,
        }
    else:
        args = {"hosts": sorted(news.hosts), "feeds": [["communitycare", news.cc_feed_url]]}
    db = tmp_path / "killed.db"
    _engine(db).dispose()
    for n in KILL_AT:
        _kill_mid_item(kind, db, tmp_path, n, args)
    _finish(kind, db, args)

    reference = tmp_path / "reference.db"
    _engine(reference).dispose()
    _finish(kind, reference, args)

    killed, clean = make_engine(f"sqlite:///{db}"), make_engine(f"sqlite:///{reference}")
    try:
        facts = _facts(killed)
        assert facts == _facts(clean)
        assert facts["publications" if kind == "ofsted" else "articles"]  # not trivially equal
    finally:
        killed.dispose()
        clean.dispose()
