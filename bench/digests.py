"""Benchmark: a day of 50 changes for 10,000 subscribers with mixed filters, rendered, queued and
delivered over SMTP to a local aiosmtpd server (in its own process, as a real server would be).

Targets (issue 4): 200 messages a second or more, end to end (planning with rendering, then
delivery); peak memory 300 MB or less, flat in the number of subscribers. Run from the repo root:

    .venv/bin/python bench/digests.py [--subscribers 10000] [--changes 50] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, select

from alerts.delivery import DeliveryOptions, SmtpBackend, SmtpOptions, deliver
from alerts.digest import DigestOptions, Renderer, plan
from alerts.models import Change, ChangeKind, Frequency, Outbox, OutboxState, Subscriber
from config.database import make_engine, upgrade_schema
from config.wiring import AUTHORITIES_CSV
from ingest import store
from ingest.gazetteer import load_authorities
from ingest.models import Authority

REPO = Path(__file__).resolve().parents[1]
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _changes(session: Session, count: int, rng: random.Random, now: datetime) -> None:
    authorities = session.exec(select(Authority).where(Authority.valid_to.is_(None))).all()  # type: ignore[union-attr]
    kinds = [
        ChangeKind.RATING_CHANGED,
        ChangeKind.INSPECTION_PUBLISHED,
        ChangeKind.VISIT_PUBLISHED,
        ChangeKind.DELIVERY_MODEL_CHANGED,
        ChangeKind.INTERVENTION_CHANGED,
    ]
    for i in range(count):
        authority = rng.choice(authorities)
        kind = kinds[i % len(kinds)]
        old, new, confirmed = rng.choice(GRADES), rng.choice(GRADES), True
        title = "Children's services inspection"
        if kind == ChangeKind.VISIT_PUBLISHED:
            old, new = None, "focused_visit"
            title = f"Focused visit to {authority.name} local authority children's services"
        elif kind == ChangeKind.DELIVERY_MODEL_CHANGED:
            old = json.dumps({"model": "in_house", "provider": None, "stage": "operational"})
            new = json.dumps({"model": "trust", "provider": None, "stage": "proposed"})
            confirmed = i % 2 == 0
            title = f"{authority.name} considers a children's services trust"
        elif kind == ChangeKind.INTERVENTION_CHANGED:
            old = json.dumps({"actions": []})
            new = json.dumps({"actions": ["improvement_notice"]})
        session.add(
            Change(
                authority_id=authority.id,  # type: ignore[arg-type]
                kind=kind,
                key=f"bench-{i}",
                old_value=old,
                new_value=new,
                title=title,
                evidence=json.dumps(
                    [{"url": f"https://files.ofsted.gov.uk/v1/file/{50000000 + i}", "title": title}]
                ),
                confirmed=confirmed,
                occurred_on=date(2026, 10, 21),
                detected_at=now - timedelta(hours=rng.randint(1, 23)),
            )
        )
    session.commit()


def _subscribers(session: Session, count: int, rng: random.Random, created: datetime) -> None:
    rows = session.exec(select(Authority.slug, Authority.region)).all()
    slugs = [slug for slug, _r in rows]
    regions = sorted({region for _s, region in rows if region})
    kinds = [k.value for k in ChangeKind]
    for i in range(count):
        shape = i % 10
        authorities: list[str] = []
        chosen_regions: list[str] = []
        chosen_kinds: list[str] = []
        if shape in (1, 2):
            authorities = rng.sample(slugs, rng.randint(1, 5))
        elif shape in (3, 4):
            chosen_regions = rng.sample(regions, rng.randint(1, 2))
        elif shape == 5:
            chosen_kinds = rng.sample(kinds, 2)
        elif shape == 6:
            authorities = rng.sample(slugs, 3)
            chosen_kinds = [ChangeKind.RATING_CHANGED.value]
        session.add(
            Subscriber(
                email=f"subscriber{i:05d}@example.org",
                name=f"Subscriber {i}" if i % 3 else None,
                confirmed=True,
                token=secrets.token_urlsafe(24),
                frequency=Frequency.DAILY if i % 4 else Frequency.IMMEDIATE,
                authorities=json.dumps(authorities),
                regions=json.dumps(chosen_regions),
                kinds=json.dumps(chosen_kinds),
                include_reported=i % 2 == 0,
                created_at=created,
            )
        )
        if i % 1000 == 999:
            session.commit()
    session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    rng = random.Random(4)
    now = datetime(2026, 10, 23, 6, 5, tzinfo=UTC)  # Friday 07:05 London: daily digests are due
    options = DigestOptions(
        from_address="Children's Services Watch <alerts@cswatch.example.org>",
        list_id="alerts.cswatch.example.org",
        unsubscribe_mailto="unsubscribe@cswatch.example.org",
        public_base_url="https://cswatch.example.org",
        max_changes=25,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.smtpserver"],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    port = int(server.stdout.readline().split()[1])
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args.database_url or f"sqlite:///{tmp}/bench.db")
        upgrade_schema(engine)
        with Session(engine) as session:
            store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
            session.commit()
            _subscribers(session, args.subscribers, rng, now - timedelta(days=2))
            _changes(session, args.changes, rng, now)
        setup_rss = _rss_mb()

        started = time.perf_counter()
        with Session(engine) as session:
            planned = plan(session, Renderer(options), now=now)
        planned_at = time.perf_counter()
        plan_rss = _rss_mb()
        backend = SmtpBackend(SmtpOptions(host="127.0.0.1", port=port, security="none"))
        summary = deliver(engine, backend, DeliveryOptions(sender=options.from_address))
        finished = time.perf_counter()

        with Session(engine) as session:
            queued = len(session.exec(select(Outbox.id)).all())
            sent = len(
                session.exec(select(Outbox.id).where(Outbox.state == OutboxState.SENT)).all()
            )
            sizes = [len(m) for m in session.exec(select(Outbox.message).limit(200)).all()]
        engine.dispose()
    server.stdin.close()
    received = int(server.stdout.readline().split()[1])
    server.wait(timeout=10)

    total = finished - started
    print(f"subscribers: {args.subscribers}, changes: {args.changes}")
    print(f"digests queued: {queued} (of {len(planned)} subscribers due), sent: {sent}")
    print(f"received by the SMTP server: {received}; connections: {backend.connections}")
    print(f"mean message size: {sum(sizes) / max(len(sizes), 1) / 1024:.1f} KiB")
    print(
        f"plan and render: {planned_at - started:.2f} s ({queued / (planned_at - started):.0f}/s)"
    )
    sending = finished - planned_at
    print(f"deliver over SMTP: {sending:.2f} s ({summary.sent / sending:.0f}/s)")
    print(f"end to end: {total:.2f} s, {summary.sent / total:.0f} messages/s (target >= 200)")
    print(
        f"peak RSS: {_rss_mb():.0f} MB (after setup {setup_rss:.0f} MB, after planning "
        f"{plan_rss:.0f} MB; target <= 300)"
    )
    ok = summary.sent == queued == received and summary.sent / total >= 200
    return 0 if ok and _rss_mb() <= 300 else 1


if __name__ == "__main__":
    raise SystemExit(main())
