"""Builds the web app from settings and runs it (uvicorn): `cswatch serve`, or in the daemon.

The signing key comes from CSWATCH_WEB__SECRET_KEY. When it is not set (a newcomer's
`make run`), one is generated once and kept in <var_dir>/web_secret_key with mode 0600; a key
file readable by others is refused.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from config.errors import Problem, Unavailable, listening
from config.jobs import review_decision
from config.locks import Busy
from config.settings import Settings, SettingsError, local_web_url
from config.wiring import Service
from ingest.models import ReviewState
from web.app import WebOptions, create_app
from web.operator import include_operator

log = logging.getLogger("cswatch")

KEY_FILE = "web_secret_key"
OPERATOR_WAIT_SECONDS = 20.0
"""How long a decision from the operator page waits for change detection or digests running
elsewhere before it answers 'busy, try again' (a browser should not hang for the CLI's 10 min)."""


def operator_decide(service: Service) -> Callable[[int, ReviewState, str, str | None], None]:
    """The review page's decision: recorded with the changes it makes (`review_decision`)."""

    def decide(item_id: int, state: ReviewState, who: str, note: str | None) -> None:
        try:
            review_decision(
                service, item_id, state, who=who, note=note, wait_seconds=OPERATOR_WAIT_SECONDS
            )
        except Busy as exc:  # web knows no config: a plain timeout is its 'busy'
            raise TimeoutError(str(exc)) from exc

    return decide


def secret_key(settings: Settings) -> str:
    """The signing key: the environment's, else the one kept in var/ (made on first use)."""
    if settings.web.secret_key is not None:
        return settings.web.secret_key.get_secret_value()
    path = Path(settings.var_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SettingsError(
                f"setting web.secret_key: {path} is readable by others (mode {mode:o}); "
                "chmod 600 it, or set CSWATCH_WEB__SECRET_KEY"
            ) from None
        key = path.read_text(encoding="utf-8").strip()
        if len(key) < 32:
            raise SettingsError(f"setting web.secret_key: {path} holds no usable key") from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    log.info("web: generated a signing key in %s (set CSWATCH_WEB__SECRET_KEY to choose one)", path)
    return key


def web_options(settings: Settings) -> WebOptions:
    web = settings.web
    return WebOptions(
        secret_key=secret_key(settings),
        public_base_url=settings.mail.public_base_url,
        from_address=settings.mail.from_address,
        confirm_max_age_seconds=web.confirm_max_age_hours * 3600,
        signups_per_client_per_hour=web.signups_per_client_per_hour,
        emails_per_address_per_hour=web.emails_per_address_per_hour,
        changes_page_size=web.changes_page_size,
        timezone=settings.digests.timezone,
        max_body_bytes=web.max_body_bytes,
        cache_retry_seconds=web.cache_retry_seconds,
    )


def build_app(service: Service) -> FastAPI:
    options = web_options(service.settings)
    sender = service.delivery_options().sender

    def send(recipient: str, message_id: str, data: bytes) -> None:
        with service.mail_backend() as backend:
            backend.send(sender, recipient, message_id, data)

    app = create_app(service.engine, options, send)
    operator = service.settings.review.operator_secret
    include_operator(
        app,
        service.engine,
        operator.get_secret_value() if operator else None,
        operator_decide(service),
    )
    return app


def app_factory() -> FastAPI:
    """For uvicorn's worker processes (`cswatch serve --workers N`): settings from the env."""
    from config.settings import load_settings

    return build_app(Service(load_settings()))


def _tcp_socket(host: str, port: int) -> socket.socket:
    """The listening socket, made with proto=IPPROTO_TCP.

    uvicorn's own (`socket.socket(family)`, proto 0) makes asyncio skip TCP_NODELAY on the
    accepted connections, and every response then waits ~40 ms for a delayed ACK.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def listen(host: str, port: int) -> socket.socket:
    """Take the web port now, in the caller's thread: a port in use stops the command or the
    daemon with a line naming web.port (config/errors.py), instead of a server that is not
    there."""
    with listening("web.port", host, port):
        return _tcp_socket(host, port)


def address(sock: socket.socket) -> str:
    """The URL a browser on this machine opens for a listening socket."""
    host, port = sock.getsockname()[:2]
    return local_web_url(host, port) + "/"


def _config(app: FastAPI | str, sock: socket.socket, **extra: object) -> uvicorn.Config:
    host, port = sock.getsockname()[:2]
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        **extra,  # type: ignore[arg-type]
    )


def serve(service: Service, sock: socket.socket, workers: int = 1) -> None:
    """Serve on a socket from `listen` until SIGINT/SIGTERM (uvicorn handles them)."""
    if workers > 1:
        service.engine  # noqa: B018  (migrate once, before the workers start)
        secret_key(service.settings)  # make the key file once, not in a race of workers
        config = _config("config.web:app_factory", sock, factory=True, workers=workers)
        Multiprocess(config, sockets=[sock]).run()
        return
    uvicorn.Server(_config(build_app(service), sock)).run(sockets=[sock])


@dataclass
class WebThread:
    """The web app served from a thread (the daemon's `serve_in_daemon`)."""

    server: uvicorn.Server
    thread: threading.Thread
    url: str

    def stop(self, timeout: float = 5.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


STARTUP_TIMEOUT_SECONDS = 30.0


def start_in_thread(service: Service, host: str, port: int) -> WebThread:
    """Serve from a thread; returns once the app answers, or raises `Unavailable`."""
    app = build_app(service)
    sock = listen(host, port)
    server = uvicorn.Server(_config(app, sock))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="web", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        server.should_exit = True
        sock.close()
        raise Unavailable(
            Problem(
                f"the web app did not start on {host}:{port} in {STARTUP_TIMEOUT_SECONDS:.0f} s",
                "see the log lines above; or set CSWATCH_WEB__SERVE_IN_DAEMON=false to run "
                "without it",
                1,
                "web.serve_in_daemon",
            )
        )
    return WebThread(server, thread, local_web_url(host, sock.getsockname()[1]) + "/")
