"""Signed tokens (itsdangerous), CSRF protection and rate limits for the web app.

- Confirmation tokens (double opt-in) are signed and expire: they carry the subscriber's id
  and a digest of its secret manage token, so a token outlives neither its subscriber nor a
  re-subscription under the same address.
- CSRF: the double-submit pattern with a signature: a random value in an HttpOnly, SameSite
  cookie, and the same value signed (with a time stamp) in each form. A POST whose form value
  is not a valid, recent signature of the cookie's value is refused.
- Rate limits: a sliding window per key, in memory (per process).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CSRF_COOKIE = "cswatch_csrf"
CSRF_FIELD = "csrf_token"


class InvalidToken(Exception):
    """A token that is forged, damaged, expired or for something else."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.expired = expired


def _digest(secret_token: str) -> str:
    return hashlib.sha256(secret_token.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class ConfirmClaim:
    subscriber_id: int
    token_digest: str

    def matches(self, secret_token: str) -> bool:
        return secrets.compare_digest(self.token_digest, _digest(secret_token))


class Signer:
    def __init__(self, secret_key: str, *, confirm_max_age: float, csrf_max_age: float) -> None:
        if len(secret_key) < 32:
            raise ValueError("the signing key must be at least 32 characters")
        self.confirm = URLSafeTimedSerializer(secret_key, salt="cswatch.confirm")
        self.csrf = URLSafeTimedSerializer(secret_key, salt="cswatch.csrf")
        self.confirm_max_age = confirm_max_age
        self.csrf_max_age = csrf_max_age

    # -- confirmation ----------------------------------------------------------------------

    def confirm_token(self, subscriber_id: int, secret_token: str) -> str:
        return self.confirm.dumps({"s": subscriber_id, "h": _digest(secret_token)})

    def read_confirm_token(self, token: str) -> ConfirmClaim:
        if not token or len(token) > 512:
            raise InvalidToken("not a confirmation token")
        try:
            data = self.confirm.loads(token, max_age=self.confirm_max_age)
        except SignatureExpired as exc:
            raise InvalidToken("the confirmation link has expired", expired=True) from exc
        except BadSignature as exc:
            raise InvalidToken("the confirmation link is not valid") from exc
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("s"), int)
            or not isinstance(data.get("h"), str)
        ):
            raise InvalidToken("the confirmation link is not valid")
        return ConfirmClaim(data["s"], data["h"])

    # -- CSRF --------------------------------------------------------------------------------

    @staticmethod
    def new_csrf_cookie() -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, cookie: str) -> str:
        return self.csrf.dumps(cookie)

    def check_csrf(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token or len(token) > 512:
            return False
        try:
            value = self.csrf.loads(token, max_age=self.csrf_max_age)
        except BadSignature:  # SignatureExpired is a BadSignature
            return False
        return isinstance(value, str) and secrets.compare_digest(value, cookie)


class RateLimiter:
    """At most `limit` events per key in any `window` seconds (sliding window, in memory)."""

    def __init__(self, limit: int, window: float, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str, *, now: float | None = None) -> float:
        """0 if the event is allowed (and counted), else the seconds until it would be."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.get(key)
            if events is None:
                if len(self._events) >= self.max_keys:
                    self._prune(moment)
                events = self._events[key] = deque()
            while events and events[0] <= moment - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return events[0] + self.window - moment
            events.append(moment)
            return 0.0

    def _prune(self, moment: float) -> None:
        for key in [k for k, v in self._events.items() if not v or v[-1] <= moment - self.window]:
            del self._events[key]
        if len(self._events) >= self.max_keys:  # still full: forget the oldest half
            for key in list(self._events)[: self.max_keys // 2]:
                del self._events[key]
