"""A real SMTP server on 127.0.0.1 (aiosmtpd) for tests and the bench, with scripted faults.

`script` holds what the next DATA commands answer: "ok" (accept and keep), an SMTP reply such as
"451 4.3.0 try later" (refuse), or "drop" (close the connection without answering). When the
script is empty every message is accepted. Addresses in `refuse_rcpt` get 550 at RCPT TO.
"""

from __future__ import annotations

import socket
import threading
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
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    keep: bool = True  # the bench sets False: count messages, keep no bytes
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse_rcpt:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
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
        return "250 2.0.0 queued"


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
    """`python -m tests.smtpserver`: serve in its own process (the bench), counting messages.

    Prints 'ready PORT' once listening; when its standard input closes, prints 'received N'.
    """
    import sys

    with SmtpServer(Handler(keep=False)) as server:
        print(f"ready {server.port}", flush=True)
        sys.stdin.read()
        print(f"received {server.handler.count}", flush=True)


if __name__ == "__main__":
    main()
