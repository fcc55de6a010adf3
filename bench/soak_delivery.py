"""Soak with faults: digests for 10,000 subscribers through a relay that fails 30% of connections
and hangs on 5%, while the sender is SIGKILLed once a minute.

- The relay is aiosmtpd in its own process (tests/smtpserver.py): each connection is dropped
  at once (30%), never answered (5%), or served for up to 20 messages and then closed. It counts
  the copies it accepted of each (recipient, Message-ID).
- The sender is a long-lived process (`--sender` mode of this script) that builds the service
  from settings as the CLI does and runs `alerts.delivery.deliver` in a loop, as a dedicated
  sender would (SMTP timeout 2 s, lease 20 s, retry backoff 1 s capped at 5 s); a killed one is
  restarted at once, as a supervisor would. `--senders 2` runs two at once. (Not
  `cswatch digest send` itself: on this loaded machine its start-up, which also plans over all
  subscribers, took most of each minute between kills.)
  Every `--kill-every` seconds the oldest running sender is SIGKILLed; the rows it held
  'sending' at that moment are noted: they are the only ones allowed a second copy.
- Digests are queued in `--rounds` rounds over the run (a change every round, all subscribers
  immediate, all authorities), so kills land while every stage is busy.
- After `--minutes`, kills stop and the senders drain what is left (up to `--drain-minutes`).

Reports: digests queued, received exactly once, duplicates (and whether each was in flight at
a kill), lost, still pending; relay connections by fate; and RSS over time (each sender,
the relay, this process). Run from the repo root:

    .venv/bin/python bench/soak_delivery.py [--minutes 10] [--subscribers 10000] [--rounds 1]
        [--senders 1] [--kill-every 60] [--database-url URL]

(the default 1 round is 10,000 digests; more rounds queue more while the kills go on.)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from alerts.digest import DigestOptions, Renderer, plan
from alerts.models import Change, ChangeKind, Frequency, Outbox, OutboxState, Subscriber
from config.database import make_engine, upgrade_schema
from config.locks import make_lock, waiting_for
from config.wiring import AUTHORITIES_CSV
from ingest import store
from ingest.gazetteer import load_authorities
from ingest.models import Authority

REPO = Path(__file__).resolve().parents[1]
FROM = "Children's Services Watch <alerts@cswatch.example.org>"


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _subscribers(engine: Engine, count: int, created: datetime) -> None:
    with Session(engine) as session:
        for i in range(count):
            session.add(
                Subscriber(
                    email=f"soak{i:05d}@example.org",
                    confirmed=True,
                    token=secrets.token_urlsafe(24),
                    frequency=Frequency.IMMEDIATE,
                    include_reported=True,
                    created_at=created,
                )
            )
            if i % 1000 == 999:
                session.commit()
        session.commit()


def _queue_round(engine: Engine, var_dir: Path, number: int, rng: random.Random) -> int:
    """One change, then every subscriber's immediate digest, queued (under the alerts lock, as
    the CLI plans under it too)."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        authorities = session.exec(select(Authority).where(Authority.valid_to.is_(None))).all()  # type: ignore[union-attr]
        authority = rng.choice(authorities)
        session.add(
            Change(
                authority_id=authority.id,  # type: ignore[arg-type]
                kind=ChangeKind.RATING_CHANGED,
                key=f"soak-{number}",
                old_value="inadequate",
                new_value="requires_improvement",
                title="Children's services inspection",
                evidence=json.dumps(
                    [{"url": f"https://files.ofsted.gov.uk/v1/file/{7000 + number}", "title": "x"}]
                ),
                confirmed=True,
                occurred_on=date(2026, 11, 20),
                detected_at=now,
            )
        )
        session.commit()
    options = DigestOptions(
        from_address=FROM,
        list_id="alerts.cswatch.example.org",
        unsubscribe_mailto="unsubscribe@cswatch.example.org",
        public_base_url="https://cswatch.example.org",
        max_changes=25,
    )
    lock = make_lock(engine, var_dir, "alerts")
    with waiting_for(lock, seconds=600, what="planning"), Session(engine) as session:
        planned = plan(session, Renderer(options), now=now)
    return sum(1 for p in planned if p.subject is not None)


@dataclass
class Sender:
    process: subprocess.Popen[bytes]
    started: float


@dataclass
class Soak:
    engine: Engine
    env: dict[str, str]
    log: Path
    senders: list[Sender] = field(default_factory=list)
    runs: int = 0
    exits: Counter[int] = field(default_factory=Counter)
    kills: int = 0
    in_flight: set[int] = field(default_factory=set)  # outbox ids held 'sending' at a kill
    rss: list[tuple[float, float, float]] = field(default_factory=list)  # minute, sender, relay

    def start_sender(self) -> None:
        with self.log.open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--sender"],
                cwd=REPO,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.senders.append(Sender(process, time.monotonic()))
        self.runs += 1

    def reap(self) -> None:
        for sender in list(self.senders):
            code = sender.process.poll()
            if code is not None:
                self.exits[code] += 1
                self.senders.remove(sender)

    def kill_one(self) -> None:
        self.reap()
        if not self.senders:
            return
        victim = min(self.senders, key=lambda s: s.started)
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        self.senders.remove(victim)
        self.kills += 1
        self.exits[victim.process.returncode] += 1
        with Session(self.engine) as session:
            held = session.exec(
                select(Outbox.id).where(
                    Outbox.state == OutboxState.SENDING,
                    Outbox.claimed_by.like(f"% pid {victim.process.pid}"),  # type: ignore[union-attr]
                )
            ).all()
        self.in_flight.update(i for i in held if i is not None)
        print(
            f"  kill {self.kills}: sender pid {victim.process.pid} SIGKILLed holding "
            f"{len(held)} claimed digests",
            flush=True,
        )


def _outbox_states(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            state: count
            for state, count in session.exec(
                select(Outbox.state, func.count()).group_by(Outbox.state)
            ).all()
        }


def sender_loop() -> int:
    """The sender: deliver whatever is due, again and again, until killed."""
    from alerts.delivery import deliver
    from config import logs
    from config.settings import load_settings
    from config.wiring import Service

    settings = load_settings()
    logs.configure("INFO", json_lines=False, stream=sys.stderr)
    service = Service(settings)
    while True:
        summary = deliver(service.engine, service.mail_backend(), service.delivery_options())
        if not (summary.sent or summary.retrying):
            time.sleep(0.5)


def main() -> int:
    if "--sender" in sys.argv:
        return sender_loop()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long senders are killed")
    parser.add_argument("--drain-minutes", type=float, default=10.0)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1, help="digests per subscriber")
    parser.add_argument("--senders", type=int, default=1, help="senders running at once")
    parser.add_argument("--kill-every", type=float, default=60.0, help="seconds between kills")
    parser.add_argument("--drop-rate", type=float, default=0.30)
    parser.add_argument("--hang-rate", type=float, default=0.05)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()
    rng = random.Random(10)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.database_url or f"sqlite:///{folder / 'soak.db'}"
        copies_file = folder / "copies.jsonl"
        relay = subprocess.Popen(
            [
                sys.executable, "-m", "tests.smtpserver",
                "--drop-rate", str(args.drop_rate),
                "--hang-rate", str(args.hang_rate),
                "--messages-per-connection", "20",
                "--copies-file", str(copies_file),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert relay.stdout is not None and relay.stdin is not None
        port = int(relay.stdout.readline().split()[1])

        engine = make_engine(url)
        upgrade_schema(engine)
        with Session(engine) as session:
            store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
            session.commit()
        _subscribers(engine, args.subscribers, datetime.now(UTC))
        env = {k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")}
        env.update(
            {
                "CSWATCH_DATABASE_URL": url,
                "CSWATCH_VAR_DIR": str(folder / "var"),
                "CSWATCH_MAIL__HOST": "127.0.0.1",
                "CSWATCH_MAIL__PORT": str(port),
                "CSWATCH_MAIL__SECURITY": "none",
                "CSWATCH_MAIL__FROM_ADDRESS": FROM,
                "CSWATCH_MAIL__TIMEOUT_SECONDS": "2",
                "CSWATCH_MAIL__SENDING_LEASE_SECONDS": "20",
                "CSWATCH_MAIL__RETRY_BACKOFF_SECONDS": "1",
                "CSWATCH_MAIL__MAX_RETRY_BACKOFF_SECONDS": "5",
                "CSWATCH_MAIL__BREAKER_FAILURES": "5",
            }
        )
        soak = Soak(engine, env, folder / "senders.log")
        print(
            f"soak: {args.subscribers} subscribers x {args.rounds} rounds, relay drops "
            f"{args.drop_rate:.0%} and hangs {args.hang_rate:.0%} of connections, "
            f"{args.senders} sender(s), SIGKILL every {args.kill_every:.0f} s for "
            f"{args.minutes:g} min ({'PostgreSQL' if url.startswith('postgresql') else 'SQLite'})",
            flush=True,
        )
        queued = 0
        started = time.monotonic()
        duration = args.minutes * 60
        round_every = duration / args.rounds
        next_round, rounds_done = 0.0, 0
        next_kill = args.kill_every
        next_sample = next_print = 0.0
        drain_until = duration + args.drain_minutes * 60
        while True:
            elapsed = time.monotonic() - started
            if rounds_done < args.rounds and elapsed >= next_round:
                added = _queue_round(engine, folder / "var", rounds_done, rng)
                queued += added
                rounds_done += 1
                next_round += round_every
                print(f"  {elapsed / 60:5.1f} min: round {rounds_done} queued {added}", flush=True)
            if next_kill <= duration and elapsed >= next_kill:
                soak.kill_one()
                next_kill += args.kill_every
            soak.reap()
            while len(soak.senders) < args.senders:
                soak.start_sender()
            if elapsed >= next_sample:  # every 5 s; printed every 30 s
                sender_rss = max((rss_mb(s.process.pid) for s in soak.senders), default=0.0)
                soak.rss.append((elapsed / 60, sender_rss, rss_mb(relay.pid)))
                if next_sample >= next_print:
                    window = [r for r in soak.rss if r[0] >= (elapsed - 30) / 60]
                    print(
                        f"  {elapsed / 60:5.1f} min: sender RSS {max(w[1] for w in window):5.1f} "
                        f"MB, relay {rss_mb(relay.pid):5.1f} MB, bench "
                        f"{rss_mb(os.getpid()):5.1f} MB; outbox {_outbox_states(engine)}",
                        flush=True,
                    )
                    next_print += 30.0
                next_sample += 5.0
            if elapsed >= duration and rounds_done == args.rounds:
                states = _outbox_states(engine)
                if not states.get("pending") and not states.get("sending"):
                    break
                if elapsed >= drain_until:
                    print("  drain time is over", flush=True)
                    break
            time.sleep(0.2)
        finished = time.monotonic() - started
        for sender in soak.senders:
            sender.process.send_signal(signal.SIGTERM)
            sender.process.wait(timeout=30)
        relay.stdin.close()
        received = int(relay.stdout.readline().split()[1])
        fates = json.loads(relay.stdout.readline().split(maxsplit=1)[1])
        relay.wait(timeout=30)

        copies: dict[tuple[str, str], int] = {}
        for line in copies_file.read_text().splitlines():
            rcpt, message_id, n = json.loads(line)
            copies[(rcpt, message_id)] = n
        with Session(engine) as session:
            rows = session.exec(
                select(Outbox.id, Outbox.recipient, Outbox.message_id, Outbox.state)
            ).all()
        engine.dispose()
        log_text = soak.log.read_text(errors="replace")

    once = sum(1 for _i, r, m, _s in rows if copies.get((r, m)) == 1)
    duplicated = [(i, copies[(r, m)]) for i, r, m, _s in rows if copies.get((r, m), 0) > 1]
    missing = [(i, s) for i, r, m, s in rows if (r, m) not in copies]
    lost = [i for i, s in missing if s in (OutboxState.SENT, OutboxState.FAILED)]
    unsent = [i for i, s in missing if s not in (OutboxState.SENT, OutboxState.FAILED)]
    strays = set(copies) - {(r, m) for _i, r, m, _s in rows}
    outside = [i for i, _n in duplicated if i not in soak.in_flight]
    extra = sum(n - 1 for _i, n in duplicated)
    states = Counter(s for *_x, s in rows)
    print()
    print(f"ran {finished / 60:.1f} min ({args.minutes:g} with kills, then draining)")
    print(f"digests queued: {len(rows)} ({args.subscribers} subscribers x {args.rounds} rounds)")
    print(f"outbox at the end: {dict(states)}")
    print(f"received by the relay: {received} messages; connections by fate: {fates}")
    print(f"sender runs: {soak.runs}; exits by status: {dict(soak.exits)}; SIGKILLs: {soak.kills}")
    print(f"digests held 'sending' by a sender at its kill: {len(soak.in_flight)}")
    print(f"delivered exactly once: {once} of {len(rows)}")
    print(
        f"delivered twice or more: {len(duplicated)} digests ({extra} extra copies); "
        f"of them outside what was in flight at a kill: {len(outside)}"
    )
    print(f"lost (recorded sent or failed, never received): {len(lost)}")
    print(f"not delivered by the end (still pending or sending): {len(unsent)}")
    print(f"messages the relay got that are in no outbox row: {len(strays)}")
    print(f"breaker openings logged by senders: {log_text.count('batch stopped')}")
    print(f"claims fenced (taken over) logged: {log_text.count('took it over')}")
    print("RSS over time, the largest sample of each minute (sampled every 5 s):")
    senders: dict[int, float] = {}
    relays: dict[int, float] = {}
    for minute, sender_mb, relay_mb in soak.rss:
        senders[int(minute)] = max(senders.get(int(minute), 0.0), sender_mb)
        relays[int(minute)] = max(relays.get(int(minute), 0.0), relay_mb)
    print("  sender MB: " + ", ".join(f"{m}: {mb:.0f}" for m, mb in sorted(senders.items())))
    print("  relay MB:  " + ", ".join(f"{m}: {mb:.0f}" for m, mb in sorted(relays.items())))
    ok = (
        not lost
        and not unsent
        and not outside
        and not strays
        and once + len(duplicated) == len(rows)
    )
    print("OK" if ok else "NOT OK")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
