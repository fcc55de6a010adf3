"""What every router shares: the engine, options, templates, signer, cache and limits.

`create_app` builds one `AppContext` and keeps it on `app.state`; routers ask for it with the
`Ctx` dependency (as FastAPI's full-stack template shares its session and settings), so no
router closes over another's variables and each can be read, and tested, on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy import Engine
from sqlmodel import Session

from alerts.describe import KIND_LABELS
from alerts.models import ChangeKind, Frequency
from web import board
from web.cache import DataVersion, VersionedCache
from web.mail import Send
from web.security import CSRF_COOKIE, CSRF_FIELD, RateLimiter, Signer


@dataclass(frozen=True)
class WebOptions:
    secret_key: str
    public_base_url: str  # where links in messages and feeds point ('https://cswatch.org')
    from_address: str
    confirm_max_age_seconds: float = 48 * 3600
    signups_per_client_per_hour: int = 10
    emails_per_address_per_hour: int = 3
    changes_page_size: int = 100
    csrf_max_age_seconds: float = 4 * 3600
    timezone: str = "Europe/London"  # a `since` date starts at its midnight here
    max_body_bytes: int = 64 * 1024  # any request body; the forms need a few kB
    cache_retry_seconds: float = 5.0  # after a database error, the cache tries again this soon


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html.j2", "xml.j2"), default_for_string=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        grade_labels=board.GRADE_LABELS,
        model_labels=board.MODEL_LABELS,
        kind_labels={k.value: v for k, v in KIND_LABELS.items()},
        frequencies=[f.value for f in Frequency],
    )
    env.filters["day"] = lambda value: f"{value.day} {value:%b %Y}" if value else ""
    return env


def parse_since(value: str | None, zone: ZoneInfo) -> datetime | None:
    """A date or a date-time (ISO 8601); a date is its midnight in `zone` (the digests' zone,
    whose 'see every change' links give a date); a date-time without offset is UTC."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return _utc(datetime.combine(date.fromisoformat(text), time(), tzinfo=zone))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"since: {value!r} is not a date (YYYY-MM-DD) or ISO date-time") from exc
    return _utc(moment)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset
        return (
            datetime.min.replace(tzinfo=UTC)
            if moment.year < 2
            else datetime.max.replace(tzinfo=UTC)
        )


@dataclass
class AppContext:
    engine: Engine
    options: WebOptions
    send: Send
    signer: Signer = field(init=False)
    env: Environment = field(init=False)
    cache: VersionedCache = field(init=False)
    data_version: DataVersion = field(init=False)
    signup_limit: RateLimiter = field(init=False)
    address_limit: RateLimiter = field(init=False)
    base_url: str = field(init=False)
    zone: ZoneInfo = field(init=False)

    def __post_init__(self) -> None:
        options = self.options
        self.signer = Signer(
            options.secret_key,
            confirm_max_age=options.confirm_max_age_seconds,
            csrf_max_age=options.csrf_max_age_seconds,
        )
        self.env = templates()
        self.cache = VersionedCache(size=256)
        self.data_version = DataVersion(self.engine, retry_seconds=options.cache_retry_seconds)
        self.signup_limit = RateLimiter(options.signups_per_client_per_hour, 3600)
        self.address_limit = RateLimiter(options.emails_per_address_per_hour, 3600)
        self.base_url = options.public_base_url.rstrip("/")
        self.zone = ZoneInfo(options.timezone)

    # -- database ----------------------------------------------------------------------------

    def session(self) -> Session:
        return Session(self.engine)

    def board_data(self, s: Session) -> tuple[Any, board.BoardData]:
        """The board's rows, regions and sources, read again only when the database changed."""
        version = self.data_version(s)
        return version, self.cache.get(version, "board", lambda: board.board_data(s))

    def choices(self) -> dict[str, Any]:
        with self.session() as s:
            return {
                "authorities": board.current_authorities(s),
                "regions": board.regions(s),
                "kinds": [(k.value, KIND_LABELS[k]) for k in ChangeKind],
            }

    # -- pages -------------------------------------------------------------------------------

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def page(
        self,
        template: str,
        request: Request,
        status_code: int = 200,
        *,
        private: bool = False,
        **context: Any,
    ) -> HTMLResponse:
        body = self.render(template, request=request, private=private, **context)
        response = HTMLResponse(body, status_code=status_code)
        if private:
            response.headers["Cache-Control"] = "no-store"
        return response

    def message(
        self, request: Request, title: str, text: str, status_code: int = 200
    ) -> HTMLResponse:
        return self.page(
            "message.html.j2", request, status_code, private=True, title=title, text=text
        )

    def with_csrf(self, request: Request, template: str, **context: Any) -> HTMLResponse:
        cookie = request.cookies.get(CSRF_COOKIE)
        fresh = not cookie or len(cookie) > 64
        if fresh:
            cookie = self.signer.new_csrf_cookie()
        assert cookie is not None
        response = self.page(
            template, request, private=True, csrf_token=self.signer.csrf_token(cookie), **context
        )
        if fresh:
            response.set_cookie(
                CSRF_COOKIE,
                cookie,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
                path="/",
            )
        return response

    def csrf_ok(self, request: Request, form: Any) -> bool:
        return self.signer.check_csrf(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD))


def get_context(request: Request) -> AppContext:
    return request.app.state.context  # type: ignore[no-any-return]


Ctx = Annotated[AppContext, Depends(get_context)]
