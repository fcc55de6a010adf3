"""The one polite HTTP client every source uses (sync, wrapping httpx).

Every request goes through the same rules, so no source can forget one:

* an honest User-Agent naming the service and a contact, on every request (robots.txt too);
* an allow-list of hosts, checked for the first URL and again for every redirect hop, before
  any byte is sent to that host;
* robots.txt, fetched once per origin and obeyed (including its Crawl-delay);
* a minimum interval between two requests to the same host, shared by all threads;
* connect/read timeouts, and an overall deadline per request, so a server that drips a byte
  every few seconds (never idle long enough for the read timeout) is still cut off;
* retries with exponential backoff on transient failures, and
  Retry-After honoured up to a ceiling (a longer one fails now instead of sleeping for hours);
* a cap on the body size, enforced while streaming so a huge body never sits in memory;
* conditional GET (ETag / Last-Modified) so unchanged pages cost the site almost nothing.

TLS certificates are always verified; there is deliberately no way to turn that off.

Settings arrive as plain values in an `HttpPolicy`: this package never imports `config`.
"""

from __future__ import annotations

import codecs
import email.utils
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from protego import Protego

__all__ = [
    "DisallowedByRobots",
    "FetchError",
    "Fetched",
    "HostNotAllowed",
    "HttpPolicy",
    "PoliteClient",
]

log = logging.getLogger("ingest.http")

MAX_REDIRECTS = 5
"""Redirect hops followed for one `get` (each hop is checked against the allow-list)."""

ROBOTS_UNAVAILABLE_RETRY_SECONDS = 600.0
"""An unreachable robots.txt blocks its origin for this long, then is fetched again.

A readable (or missing) robots.txt is cached for the client's whole life; an *unavailable* one
is retried after this delay so a long-lived shared client is not blocked forever by one 503.
"""

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_RETRY_AFTER_STATUSES = frozenset({429, 503})
_JITTER_FRACTION = 0.1  # backoff jitter: up to 10% extra, so parallel jobs do not retry in step


class FetchError(Exception):
    """A URL could not be fetched; `str()` is one sentence naming the URL and why.

    `retryable` says whether trying again later (e.g. next run) may succeed: True for
    timeouts, connection failures, 5xx and 429; False for 4xx, policy refusals and
    oversized bodies.
    """

    def __init__(
        self, url: str, reason: str, status: int | None = None, retryable: bool = False
    ) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        self.retryable = retryable
        super().__init__(f"GET {url} failed: {reason}")

    def __reduce__(self) -> tuple[type[FetchError], tuple[str, str, int | None, bool]]:
        # Keeps the exception picklable (e.g. across a process pool) despite the custom init.
        return (type(self), (self.url, self.reason, self.status, self.retryable))


class HostNotAllowed(FetchError):
    """The URL's host (or a redirect target's host) is not in the allow-list; nothing was sent."""


class DisallowedByRobots(FetchError):
    """robots.txt forbids the URL, or robots.txt was unavailable (then everything is forbidden)."""


@dataclass(frozen=True)
class HttpPolicy:
    """Plain values for the client, built from `HttpSettings` by the composition root.

    `allowed_hosts` entries are bare hosts, optionally with `:port`. An entry without a port
    allows only the scheme's default port (80/443); `"127.0.0.1:8080"` allows exactly that port.
    Entries are normalised (lower case, no trailing dot); any iterable of strings is accepted.
    """

    user_agent: str
    allowed_hosts: frozenset[str]
    min_interval_seconds: float = 1.0
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 30.0
    request_deadline_seconds: float = 120.0  # the whole body must have arrived by then
    max_retries: int = 3
    backoff_seconds: float = 1.0
    max_retry_after_seconds: float = 120.0
    max_body_bytes: int = 50 * 2**20
    respect_robots_txt: bool = True

    def __post_init__(self) -> None:
        if not self.user_agent.strip():
            raise ValueError("user_agent must not be empty: site operators must see who we are")
        if isinstance(self.allowed_hosts, str):
            raise TypeError("allowed_hosts must be a collection of hosts, not one string")
        hosts = frozenset(h.strip().lower().rstrip(".") for h in self.allowed_hosts)
        if not hosts or any(not h or "/" in h for h in hosts):
            raise ValueError(f"allowed_hosts must be bare hosts, got {sorted(self.allowed_hosts)}")
        object.__setattr__(self, "allowed_hosts", hosts)
        for name in (
            "min_interval_seconds",
            "backoff_seconds",
            "max_retry_after_seconds",
            "max_retries",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in (
            "connect_timeout_seconds",
            "read_timeout_seconds",
            "request_deadline_seconds",
            "max_body_bytes",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    @property
    def robots_agent(self) -> str:
        """The product token matched against robots.txt groups: "cswatch" for "cswatch/0.1 (…)".

        Matching the whole header could hit a group named after a word in the contact address.
        """
        return self.user_agent.strip().split()[0].split("/")[0]


@dataclass(frozen=True)
class Fetched:
    """A successful response: 2xx with its body, or 304 Not Modified with an empty body."""

    url: str
    status: int
    content: bytes
    headers: httpx.Headers
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ("text/html"); "" when absent."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset declared in Content-Type, if any."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    def text(self) -> str:
        """The body as text, never raising: old council pages are often cp1252, not UTF-8.

        Tries the declared charset (ISO-8859-1 read as cp1252, as browsers do), then UTF-8,
        then cp1252, and finally latin-1, which decodes any byte string.
        """
        if self.content.startswith(codecs.BOM_UTF8):
            return self.content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
        candidates = []
        declared = _codec_name(self.charset)
        if declared == "latin-1":
            declared = "cp1252"
        if declared:
            candidates.append(declared)
        candidates += ["utf-8", "cp1252"]
        for encoding in candidates:
            try:
                return self.content.decode(encoding)
            except UnicodeDecodeError:
                continue
        return self.content.decode("latin-1")


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "latin-1" if name in {"iso8859-1", "latin-1"} else name


@dataclass
class _Raw:
    """One HTTP exchange: status, headers and (for 2xx only) the capped body."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes = b""


@dataclass
class _Robots:
    parser: Protego | None  # None: no robots.txt (4xx), everything allowed
    unavailable: str | None = None  # why robots.txt could not be read (then nothing is allowed)
    checked_at: float = 0.0


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_request_end: float | None = None
    crawl_delay: float = 0.0


class PoliteClient:
    """Fetches allow-listed URLs politely; see the module docstring for the rules.

    robots.txt policy (after Google's convention): a 2xx robots.txt is obeyed for the client's
    life; a 4xx (404, 403, ...) or a redirect off the allow-list means there are no rules, so
    everything is allowed; a 5xx, 429, timeout or connection failure (after the usual retries)
    means the site may be in trouble, so the whole origin is treated as disallowed and every URL
    on it raises `DisallowedByRobots` (retryable=True) saying robots.txt was unavailable. That
    verdict is re-checked after `ROBOTS_UNAVAILABLE_RETRY_SECONDS`.

    Politeness: requests to one host are serialised, and each starts at least
    `min_interval_seconds` (or the robots.txt Crawl-delay, if longer, capped at
    `max_retry_after_seconds`) after the previous one to that host *ended*. Safe to share
    between threads.
    """

    def __init__(
        self,
        policy: HttpPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self._random = random.Random()
        self._client = httpx.Client(
            headers={"User-Agent": policy.user_agent},
            timeout=httpx.Timeout(
                connect=policy.connect_timeout_seconds,
                read=policy.read_timeout_seconds,
                write=policy.read_timeout_seconds,
                pool=policy.connect_timeout_seconds,
            ),
            follow_redirects=False,  # followed by hand, so every hop meets the allow-list
            verify=True,
            transport=transport,
        )
        self._state_lock = threading.Lock()
        self._hosts: dict[str, _HostState] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    # -- public API -------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET `url` following up to MAX_REDIRECTS allow-listed redirects, or raise FetchError.

        Pass the `etag` / `last_modified` saved from an earlier fetch to get a cheap 304
        (`Fetched.not_modified`); a 304 without validators echoes back the ones passed in.
        Any 2xx is returned as is; 4xx other than 429 fail at once. `max_bytes` lowers the
        policy's body cap for this one request (a news article needs far less than a PDF).
        """
        if max_bytes is not None and max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        cap = (
            self.policy.max_body_bytes
            if max_bytes is None
            else min(max_bytes, self.policy.max_body_bytes)
        )
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        raw = self._follow(url, headers, check_robots=self.policy.respect_robots_txt, cap=cap)
        if raw.status == 304:
            return Fetched(
                url=raw.url,
                status=304,
                content=b"",
                headers=raw.headers,
                etag=raw.headers.get("etag") or etag,
                last_modified=raw.headers.get("last-modified") or last_modified,
            )
        return Fetched(
            url=raw.url,
            status=raw.status,
            content=raw.content,
            headers=raw.headers,
            etag=raw.headers.get("etag"),
            last_modified=raw.headers.get("last-modified"),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- redirects, allow-list, robots -------------------------------------------------------

    def _follow(
        self, url: str, headers: Mapping[str, str], *, check_robots: bool, cap: int | None = None
    ) -> _Raw:
        """Fetch `url`, following redirects by hand; every hop is vetted before it is requested."""
        current = self._parse(url, url)
        previous: httpx.URL | None = None
        for _hop in range(MAX_REDIRECTS + 1):
            self._check_allowed(current, url, redirected_from=previous)
            if check_robots:
                self._check_robots(current, url)
            raw = self._fetch_with_retries(current, headers, url, cap)
            if raw.status not in _REDIRECT_STATUSES and raw.status != 304 and raw.status >= 300:
                raise self._status_error(url, raw)
            if raw.status not in _REDIRECT_STATUSES:
                return raw
            location = raw.headers.get("location")
            if not location:
                raise FetchError(
                    url, f"redirect (HTTP {raw.status}) from {current} without a Location header"
                )
            previous, current = current, self._parse(url, location, base=current)
            log.debug("redirect %s -> %s (HTTP %s)", previous, current, raw.status)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects (last one to {current})")

    @staticmethod
    def _parse(requested: str, url: str, base: httpx.URL | None = None) -> httpx.URL:
        try:
            parsed = base.join(url) if base is not None else httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(requested, f"invalid URL {url!r}: {exc}") from exc
        if parsed.scheme not in {"http", "https"} or not parsed.host:
            where = f" (redirect target {parsed})" if base is not None else ""
            raise FetchError(requested, f"only absolute http(s) URLs are fetched{where}")
        return parsed

    def _check_allowed(
        self, url: httpx.URL, requested: str, *, redirected_from: httpx.URL | None
    ) -> None:
        host = _bare_host(url)
        allowed = self.policy.allowed_hosts
        if _host_key(url) in allowed or (url.port is None and host in allowed):
            return
        if redirected_from is None:
            reason = f"host {_host_key(url)} is not in the allowed hosts"
        else:
            reason = (
                f"{redirected_from} redirected to {url}, whose host {_host_key(url)}"
                " is not in the allowed hosts"
            )
        log.warning("refused %s: %s", url, reason)
        raise HostNotAllowed(requested, reason)

    def _check_robots(self, url: httpx.URL, requested: str) -> None:
        robots = self._robots_for(url)
        if robots.unavailable is not None:
            raise DisallowedByRobots(
                requested,
                f"robots.txt for {_origin(url)} was unavailable ({robots.unavailable}),"
                " so the site is treated as disallowed for now",
                retryable=True,
            )
        if robots.parser is not None and not robots.parser.can_fetch(
            str(url), self.policy.robots_agent
        ):
            log.info("robots.txt disallows %s", url)
            raise DisallowedByRobots(requested, f"robots.txt of {_origin(url)} disallows {url}")

    def _robots_for(self, url: httpx.URL) -> _Robots:
        origin = _origin(url)
        with self._state_lock:
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        with origin_lock:  # one fetch per origin even when threads race for it
            cached = self._robots.get(origin)
            if cached is not None and (
                cached.unavailable is None
                or self._clock() - cached.checked_at < ROBOTS_UNAVAILABLE_RETRY_SECONDS
            ):
                return cached
            robots = self._fetch_robots(url)
            self._robots[origin] = robots
            if robots.parser is not None:
                delay = robots.parser.crawl_delay(self.policy.robots_agent)
                if delay:
                    capped = min(float(delay), self.policy.max_retry_after_seconds)
                    log.info("robots.txt of %s asks for a %.1f s crawl delay", origin, capped)
                    self._host_state(url).crawl_delay = capped
            return robots

    def _fetch_robots(self, url: httpx.URL) -> _Robots:
        robots_url = str(url.copy_with(raw_path=b"/robots.txt", fragment=None))
        now = self._clock()
        try:
            raw = self._follow(robots_url, {"Accept": "text/plain"}, check_robots=False)
        except HostNotAllowed:
            log.info("robots.txt %s redirects off the allow-list: treated as absent", robots_url)
            return _Robots(parser=None, checked_at=now)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                log.info("no robots.txt at %s (HTTP %s): all allowed", robots_url, exc.status)
                return _Robots(parser=None, checked_at=now)
            log.warning("robots.txt %s unavailable: %s", robots_url, exc.reason)
            return _Robots(parser=None, unavailable=exc.reason, checked_at=now)
        text = Fetched(raw.url, raw.status, raw.content, raw.headers, None, None).text()
        log.debug("read robots.txt %s (%d bytes)", robots_url, len(raw.content))
        return _Robots(parser=Protego.parse(text), checked_at=now)

    # -- one URL: politeness, retries, streaming ---------------------------------------------

    def _fetch_with_retries(
        self, url: httpx.URL, headers: Mapping[str, str], requested: str, cap: int | None = None
    ) -> _Raw:
        """One hop with retries; returns any non-retryable response, raises when out of tries."""
        policy = self.policy
        attempts = policy.max_retries + 1
        for attempt in range(attempts):
            retry_after: float | None = None
            try:
                raw = self._fetch_once(url, headers, requested, cap)
            except httpx.TimeoutException as exc:
                failure = FetchError(requested, _timeout_reason(exc, policy), retryable=True)
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if _is_certificate_error(exc):
                    raise FetchError(
                        requested, f"TLS certificate verification failed for {url.host}: {exc}"
                    ) from exc
                failure = FetchError(
                    requested, f"connection failed: {exc or type(exc).__name__}", retryable=True
                )
            except httpx.HTTPError as exc:  # decoding errors, local protocol errors
                raise FetchError(requested, f"{type(exc).__name__}: {exc}") from exc
            else:
                if raw.status != 429 and raw.status < 500:
                    return raw
                failure = self._status_error(requested, raw)
                if raw.status in _RETRY_AFTER_STATUSES:
                    retry_after = _parse_retry_after(raw.headers.get("retry-after"))
                if retry_after is not None and retry_after > policy.max_retry_after_seconds:
                    raise FetchError(
                        requested,
                        f"{failure.reason}: the server asked us to retry after"
                        f" {retry_after:.0f} s, longer than the"
                        f" {policy.max_retry_after_seconds:.0f} s we are willing to wait",
                        status=raw.status,
                        retryable=True,
                    )
            if attempt == attempts - 1:
                if attempts > 1:
                    failure = FetchError(
                        requested,
                        f"{failure.reason}, gave up after {attempts} attempts",
                        status=failure.status,
                        retryable=True,
                    )
                raise failure
            delay = policy.backoff_seconds * 2**attempt
            delay += self._random.uniform(0, delay * _JITTER_FRACTION)
            if retry_after is not None:
                delay = max(delay, retry_after)
            log.warning(
                "GET %s: %s; retry %d/%d in %.2f s",
                url,
                failure.reason,
                attempt + 1,
                policy.max_retries,
                delay,
            )
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch_once(
        self, url: httpx.URL, headers: Mapping[str, str], requested: str, cap: int | None = None
    ) -> _Raw:
        cap = self.policy.max_body_bytes if cap is None else cap
        deadline = self._clock() + self.policy.request_deadline_seconds
        with (
            self._polite_turn(url),
            self._client.stream("GET", url, headers=dict(headers)) as response,
        ):
            log.debug("GET %s -> %s", url, response.status_code)
            raw = _Raw(str(url), response.status_code, response.headers)
            if not 200 <= response.status_code < 300:
                return raw  # error and redirect bodies are not needed; closing discards them
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise FetchError(
                    requested,
                    f"body larger than {cap} bytes (Content-Length {declared}) at {url}",
                    status=response.status_code,
                )
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():  # decoded bytes: a gzip bomb counts in full
                if self._clock() > deadline:
                    raise FetchError(
                        requested,
                        f"the answer from {url.host} did not arrive within the"
                        f" {self.policy.request_deadline_seconds:g} s deadline"
                        f" ({received} bytes received; the server sends too slowly)",
                        status=response.status_code,
                        retryable=True,
                    )
                received += len(chunk)
                if received > cap:
                    raise FetchError(
                        requested,
                        f"body larger than {cap} bytes at {url} (stopped reading)",
                        status=response.status_code,
                    )
                chunks.append(chunk)
            raw.content = b"".join(chunks)
            return raw

    @contextmanager
    def _polite_turn(self, url: httpx.URL) -> Iterator[None]:
        """Hold the host's turn: wait out the interval since its last request, then request."""
        state = self._host_state(url)
        with state.lock:
            interval = max(self.policy.min_interval_seconds, state.crawl_delay)
            if state.last_request_end is not None:
                wait = state.last_request_end + interval - self._clock()
                if wait > 0:
                    log.debug("waiting %.2f s before the next request to %s", wait, url.host)
                    self._sleep(wait)
            try:
                yield
            finally:
                state.last_request_end = self._clock()

    def _host_state(self, url: httpx.URL) -> _HostState:
        key = _host_key(url)
        with self._state_lock:
            return self._hosts.setdefault(key, _HostState())

    @staticmethod
    def _status_error(requested: str, raw: _Raw) -> FetchError:
        phrase = httpx.codes.get_reason_phrase(raw.status).lower() or "unexpected status"
        reason = f"{phrase} (HTTP {raw.status})"
        if httpx.URL(raw.url) != httpx.URL(requested):  # after a redirect: say where
            reason += f" at {raw.url}"
        retryable = raw.status == 429 or raw.status >= 500
        return FetchError(requested, reason, status=raw.status, retryable=retryable)


def _bare_host(url: httpx.URL) -> str:
    host = url.raw_host.decode("ascii").lower().rstrip(".")
    return f"[{host}]" if ":" in host else host


def _host_key(url: httpx.URL) -> str:
    """host, or host:port when the URL names a non-default port (as allow-list entries do)."""
    host = _bare_host(url)
    return host if url.port is None else f"{host}:{url.port}"


def _origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{_host_key(url)}"


def _timeout_reason(exc: httpx.TimeoutException, policy: HttpPolicy) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting (after {policy.connect_timeout_seconds:g} s)"
    if isinstance(exc, httpx.PoolTimeout):
        return "timed out waiting for a free connection"
    return f"timed out reading the response (no data for {policy.read_timeout_seconds:g} s)"


def _is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
