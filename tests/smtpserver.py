"""A real SMTP server on 127.0.0.1 (aiosmtpd) for tests and the bench, with scripted faults.

`script` holds what the next DATA commands answer: "ok" (accept and keep), an SMTP reply such as
"451 4.3.0 try later" (refuse), or "drop" (close the connection without answering). When the
script is empty every message is accepted. Addresses in `refuse_rcpt` get 550 at RCPT TO;
`rcpt_replies` maps an address to the reply it gets at RCPT TO every time (a mailbox that
answers "452 4.2.2 mailbox full" for ever).

Faults of the connection itself, decided once per connection when the client says EHLO:
`connection_script` ("ok", "drop": closed at once, "hang": never answered), or at random with
`drop_rate` and `hang_rate` (seeded, for the soak). `delay_seconds` slows every DATA reply;
`messages_per_connection` closes a connection after that many messages, as relays do.
"""

from __future__ import annotations

import asyncio
import random
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=default)  # type: ignore[return-value]


@dataclass
class Handler:
    script: list[str] = field(default_factory=list)
    refuse_rcpt: set[str] = field(default_factory=set)
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    rcpt_attempts: Counter[str] = field(default_factory=Counter)  # address -> RCPT TO seen
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    keep: bool = True  # the bench sets False: count messages, keep no bytes
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    connection_script: list[str] = field(default_factory=list)
    drop_rate: float = 0.0
    hang_rate: float = 0.0
    hang_seconds: float = 3600.0
    delay_seconds: float = 0.0
    messages_per_connection: int = 0  # 0: no limit
    seed: int = 12
    connections: Counter[str] = field(default_factory=Counter)  # fate -> connections
    copies: Counter[tuple[str, str]] = field(default_factory=Counter)  # (rcpt, Message-ID)
    count_copies: bool = False  # the soak: count copies per recipient and Message-ID

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def _fate(self) -> str:
        with self.lock:
            if self.connection_script:
                fate = self.connection_script.pop(0)
            else:
                draw = self._rng.random()
                fate = (
                    "drop"
                    if draw < self.drop_rate
                    else "hang"
                    if draw < self.drop_rate + self.hang_rate
                    else "ok"
                )
            self.connections[fate] += 1
        return fate

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
        session.host_name = hostname  # what aiosmtpd does itself when there is no hook
        if getattr(session, "fate", None) is None:  # once per connection (not again after TLS)
            session.fate = self._fate()
            session.messages = 0
            if session.fate == "drop":
                server.transport.close()
            elif session.fate == "hang":
                await asyncio.sleep(self.hang_seconds)
                server.transport.close()
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        with self.lock:
            self.rcpt_attempts[address] += 1
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        if address in self.refuse_rcpt:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        with self.lock:
            self.attempts += 1
            action = self.script.pop(0) if self.script else "ok"
        if action == "drop":
            server.transport.close()
            return "421 closing"  # never reaches the client: the connection is gone
        if action != "ok":
            return action
        with self.lock:
            self.count += 1
            if self.keep:
                self.received.append(
                    Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
                )
            if self.count_copies:
                self.copies[(envelope.rcpt_tos[0], _message_id(envelope.content))] += 1
        session.messages = getattr(session, "messages", 0) + 1
        if self.messages_per_connection and session.messages >= self.messages_per_connection:
            # Closed after the reply below is written (close() flushes what is buffered).
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 2.0.0 queued"


def _message_id(content: bytes) -> str:
    head = content.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        if line[:11].lower() == b"message-id:":
            return line[11:].strip().decode("ascii", errors="replace")
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """`options` go to aiosmtpd's controller (tls_context, ssl_context, authenticator, ...)."""

    def __init__(self, handler: Handler | None = None, **options: Any) -> None:
        self.handler = handler or Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def main() -> None:
    """`python -m tests.smtpserver [faults]`: serve in its own process (the benches), counting.

    Prints 'ready PORT' once listening; when its standard input closes, prints 'received N' and,
    with --copies-file, writes one JSON line per (recipient, Message-ID, copies) there.
    """
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--drop-rate", type=float, default=0.0)
    parser.add_argument("--hang-rate", type=float, default=0.0)
    parser.add_argument("--hang-seconds", type=float, default=3600.0)
    parser.add_argument("--messages-per-connection", type=int, default=0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--copies-file")
    args = parser.parse_args()
    handler = Handler(
        keep=False,
        drop_rate=args.drop_rate,
        hang_rate=args.hang_rate,
        hang_seconds=args.hang_seconds,
        messages_per_connection=args.messages_per_connection,
        seed=args.seed,
        count_copies=bool(args.copies_file),
    )
    with SmtpServer(handler) as server:
        print(f"ready {server.port}", flush=True)
        sys.stdin.read()
        with handler.lock:
            if args.copies_file:
                with open(args.copies_file, "w", encoding="utf-8") as out:
                    for (rcpt, message_id), copies in handler.copies.items():
                        out.write(json.dumps([rcpt, message_id, copies]) + "\n")
            fates = dict(handler.connections)
            print(f"received {handler.count}", flush=True)
            print(f"connections {json.dumps(fates)}", flush=True)


if __name__ == "__main__":
    main()
