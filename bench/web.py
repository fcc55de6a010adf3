"""Benchmark: the web app's board and API under load, on loopback.

Fills a fresh SQLite database from the Ofsted replica (156 providers, real PDFs) and the
curated baseline, starts `cswatch serve` (uvicorn) on 127.0.0.1, then, route by route, sends
requests at a fixed rate (open loop: each request has its scheduled time, and its latency is
counted from then, so a slow server cannot hide its queue) over keep-alive connections with a
small asyncio HTTP/1.1 client. Prints requests/s and p50/p95/p99 latency per route.

Target (issue 6): 200 requests a second or more on `/`, `/api/authorities` and
`/api/authorities/<slug>` with p95 under 100 ms. Run from the repo root:

    .venv/bin/python bench/web.py [--rate 250] [--seconds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session

from config.database import make_engine, upgrade_schema
from config.wiring import AUTHORITIES_CSV
from ingest import store
from ingest.gazetteer import load_authorities
from ingest.models import Run
from tests.webdata import fill

ROOT = Path(__file__).resolve().parents[1]
ROUTES = ("/", "/api/authorities", "/api/authorities/doncaster")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def get(self, path: str) -> tuple[int, int]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        body = await self.reader.readexactly(length)
        return status, len(body)

    def close(self) -> None:
        self.writer.close()


async def load(port: int, path: str, rate: float, seconds: float, max_connections: int) -> dict:
    """Send `rate` requests a second for `seconds`; latencies from each scheduled time."""
    idle: list[Connection] = []
    opened = 0
    latencies: list[float] = []
    service: list[float] = []
    kinds: Counter[str] = Counter()
    total = int(rate * seconds)
    slots = asyncio.Semaphore(max_connections)

    async def one(scheduled: float) -> None:
        nonlocal opened
        async with slots:
            connection = idle.pop() if idle else None
            reused = connection is not None
            if connection is None:
                opened += 1
                connection = await Connection.open(port)
            sent = time.perf_counter()
            try:
                status, _size = await connection.get(path)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                connection.close()
                if reused:  # the server closed an idle keep-alive connection: not an error
                    opened += 1
                    connection = await Connection.open(port)
                    sent = time.perf_counter()
                    try:
                        status, _size = await connection.get(path)
                    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as again:
                        kinds[type(again).__name__] += 1
                        connection.close()
                        return
                else:
                    kinds[type(exc).__name__] += 1
                    return
            done = time.perf_counter()
            latencies.append(done - scheduled)
            service.append(done - sent)
            if status != 200:
                kinds[f"HTTP {status}"] += 1
            idle.append(connection)

    started = time.perf_counter()
    tasks = []
    for i in range(total):
        scheduled = started + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    for connection in idle:
        connection.close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "path": path,
        "requests": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": sum(kinds.values()),
        "error_kinds": dict(kinds),
        "connections": opened,
        "service_p50": statistics.median(service) * 1000,
    }


async def warm(port: int) -> None:
    connection = await Connection.open(port)
    for path in ROUTES:
        for _ in range(20):
            await connection.get(path)
    connection.close()


def wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited early ({process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def churn(url: str, per_second: float, stop: threading.Event) -> None:
    """Commit a row (a run record, which no page shows) `per_second` times a second."""
    engine = make_engine(url)
    while not stop.wait(1 / per_second):
        with Session(engine) as session:
            now = datetime.now(UTC)
            session.add(Run(source="bench-churn", started_at=now, finished_at=now, status="ok"))
            session.commit()
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=250.0, help="requests a second per route")
    parser.add_argument("--seconds", type=float, default=10.0, help="per route")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=32, help="at most, per route")
    parser.add_argument(
        "--churn",
        type=float,
        default=0.0,
        help="commits a second to the database while loading (each one invalidates the cache)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        upgrade_schema(engine)
        with Session(engine) as session:
            store.sync_authorities(session, load_authorities(AUTHORITIES_CSV))
            session.commit()
        fill(engine)
        engine.dispose()
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CSWATCH_")},
            "CSWATCH_DATABASE_URL": url,
            "CSWATCH_VAR_DIR": tmp,
            "CSWATCH_LOG_LEVEL": "WARNING",
        }
        command = [
            str(ROOT / ".venv/bin/cswatch"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ]
        process = subprocess.Popen(command, env=env, cwd=ROOT)
        stop = threading.Event()
        churner = threading.Thread(target=churn, args=(url, args.churn, stop), daemon=True)
        try:
            wait_for(port, process)
            if args.churn:
                churner.start()
            asyncio.run(warm(port))
            results = [
                asyncio.run(load(port, path, args.rate, args.seconds, args.connections))
                for path in ROUTES
            ]
        finally:
            stop.set()
            if churner.is_alive():
                churner.join()
            process.terminate()
            process.wait(timeout=20)
    print(
        f"{args.workers} uvicorn workers, {args.rate:g} requests/s offered per route for "
        f"{args.seconds:g} s, {os.cpu_count()} CPUs, {args.churn:g} commits/s to the database"
    )
    failed = False
    for r in results:
        ok = r["rate"] >= 200 and r["p95"] < 100 and not r["errors"]
        failed |= bool(r["errors"])
        print(
            f"{r['path']:<28} {r['rate']:7.1f} req/s  p50 {r['p50']:6.1f} ms  "
            f"p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
            f"errors {r['errors']} {r['error_kinds'] or ''} "
            f"[{r['connections']} connections, p50 from send {r['service_p50']:.1f} ms]  "
            f"({'meets' if ok else 'misses'} 200/s with p95 < 100 ms)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
