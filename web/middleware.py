"""ASGI middleware for every response and request, before any route sees it."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeaders:
    """Sober headers on every response: no framing, no sniffing, no referrer (token URLs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses a request body over `limit` bytes before any route reads or parses it.

    A declared Content-Length over the limit is answered 413 at once, unread; a chunked body
    is counted as it arrives and cut off at the limit. Forms, JSON and anything else alike:
    nothing here knows what the body is.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _answer(send, 400, b"Bad Content-Length\n")
                    return
                if declared > self.limit:
                    await _answer(send, 413, self._too_large())
                    return
        received = 0
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send_tracking)
        except BodyTooLarge:
            if not started:
                await _answer(send, 413, self._too_large())

    def _too_large(self) -> bytes:
        return f"Request body too large (at most {self.limit} bytes)\n".encode()


class BodyTooLarge(Exception):
    """Raised from `receive` when a streamed body passes the limit."""


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RelativeSlashRedirect:
    """'/changes/' -> 308 to '/changes': a relative Location, never built from the Host header.

    Starlette's own slash redirect writes an absolute URL from the request's Host, which a
    client (or a poisoned cache in front) chooses; this one answers with the path alone, its
    leading slashes collapsed so '//evil.example/' cannot become a protocol-relative URL.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or len(path) < 2
            or not path.endswith("/")
            or path.startswith("/static/")
        ):
            await self.app(scope, receive, send)
            return
        target = "/" + quote(path.strip("/"), safe="/:@!$&'()*+,;=-._~")
        query = scope.get("query_string", b"")
        if query:
            target += "?" + query.decode("latin-1")
        await send(
            {
                "type": "http.response.start",
                "status": 308,
                "headers": [
                    (b"location", target.encode("latin-1")),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})
