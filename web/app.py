"""The web app: board, authority timelines, changes, feeds, JSON API, CSV and subscriptions.

`create_app` receives plain values (an engine, options, a function that sends a message) from
the composition root (config/web.py); this package never reads settings or the environment.

Pages are plain HTML that work without JavaScript; every template autoescapes, and scraped
text is only ever rendered through it. Forms carry a CSRF token; sign-ups are rate-limited
and answer the same whether or not the address is subscribed; a GET never changes a
subscription (link scanners follow links), and the unsubscribe URL takes RFC 8058 one-click
POSTs.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope
from starlette.types import Send as AsgiSend

from alerts import subscribers as subs
from alerts.describe import KIND_LABELS
from alerts.models import ChangeKind, Frequency, Subscriber
from web import api, board
from web.cache import DataVersion, VersionedCache
from web.mail import Send, compose
from web.security import CSRF_COOKIE, CSRF_FIELD, InvalidToken, RateLimiter, Signer

log = logging.getLogger("cswatch.web")

STATIC = Path(__file__).with_name("static")
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
GRADE_CHOICES = ("outstanding", "good", "requires_improvement", "inadequate", "adequate", "none")
MODEL_CHOICES = tuple(board.MODEL_LABELS)
SINCE_DESCRIPTION = (
    "Only changes detected at or after this date (YYYY-MM-DD, from its midnight in the digests' "
    "time zone, Europe/London by default) or ISO 8601 date-time (UTC if it has no offset)"
)
SINCE_PATTERN = (
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?$"
)


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


class SecurityHeaders:
    """Sober headers on every response: no framing, no sniffing, no referrer (token URLs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: AsgiSend) -> None:
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


def _templates() -> Environment:
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


def _since(value: str | None, zone: ZoneInfo) -> datetime | None:
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


def _csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula, whatever a scraper stored."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def create_app(engine: Engine, options: WebOptions, send: Send) -> FastAPI:
    signer = Signer(
        options.secret_key,
        confirm_max_age=options.confirm_max_age_seconds,
        csrf_max_age=options.csrf_max_age_seconds,
    )
    signup_limit = RateLimiter(options.signups_per_client_per_hour, 3600)
    address_limit = RateLimiter(options.emails_per_address_per_hour, 3600)
    env = _templates()
    base_url = options.public_base_url.rstrip("/")
    zone = ZoneInfo(options.timezone)

    app = FastAPI(
        title="Children's Services Watch API",
        version="1",
        description=(
            "English councils' children's services: each authority's current Ofsted grade, "
            "delivery model and DfE intervention, its timeline with evidence, and the changes "
            "detected. Facts are `confirmed` (Ofsted, GOV.UK, curated baseline) or `reported` "
            "(news only)."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.signer = signer

    def page(
        template: str,
        request: Request,
        status_code: int = 200,
        *,
        private: bool = False,
        **context: Any,
    ) -> HTMLResponse:
        body = env.get_template(template).render(request=request, private=private, **context)
        response = HTMLResponse(body, status_code=status_code)
        if private:
            response.headers["Cache-Control"] = "no-store"
        return response

    def message(request: Request, title: str, text: str, status_code: int = 200) -> HTMLResponse:
        return page("message.html.j2", request, status_code, private=True, title=title, text=text)

    def with_csrf(request: Request, template: str, **context: Any) -> HTMLResponse:
        cookie = request.cookies.get(CSRF_COOKIE)
        fresh = not cookie or len(cookie) > 64
        if fresh:
            cookie = signer.new_csrf_cookie()
        assert cookie is not None
        response = page(
            template, request, private=True, csrf_token=signer.csrf_token(cookie), **context
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

    def csrf_ok(request: Request, form: Any) -> bool:
        return signer.check_csrf(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD))

    def session() -> Session:
        return Session(engine)

    data_version = DataVersion(engine)
    cache = VersionedCache(size=256)
    app.state.cache = cache

    def board_data(s: Session) -> tuple[Any, tuple[list[board.BoardRow], list[str]]]:
        """The board's rows and regions, read again only when the database has changed."""
        version = data_version(s)
        return version, cache.get(version, "board", lambda: (board.board(s), board.regions(s)))

    def choices() -> dict[str, Any]:
        with session() as s:
            return {
                "authorities": board.current_authorities(s),
                "regions": board.regions(s),
                "kinds": [(k.value, KIND_LABELS[k]) for k in ChangeKind],
            }

    # -- pages -----------------------------------------------------------------------------

    def board_query(
        region: str | None, grade: str | None, model: str | None, sort: str | None, order: str
    ) -> board.BoardQuery:
        return board.BoardQuery(
            region=region or None,
            grade=grade if grade in GRADE_CHOICES else None,
            model=model if model in MODEL_CHOICES else None,
            sort=sort if sort in board.SORT_KEYS else "name",
            descending=order == "desc",
        )

    @app.get("/", include_in_schema=False)
    def board_page(
        request: Request,
        region: str | None = None,
        grade: str | None = None,
        model: str | None = None,
        sort: str | None = None,
        order: str = "asc",
    ) -> HTMLResponse:
        query = board_query(region, grade, model, sort, order)
        with session() as s:
            version, (rows, regions) = board_data(s)
        if query.region and query.region not in regions:
            version = None  # a region of no authority: answered, not kept
        body = cache.get(version, ("page", query), lambda: render_board(query, rows, regions))
        return HTMLResponse(body)

    def render_board(
        query: board.BoardQuery, rows: list[board.BoardRow], regions: list[str]
    ) -> str:
        shown = board.filter_board(rows, query)
        params = {
            k: v
            for k, v in (("region", query.region), ("grade", query.grade), ("model", query.model))
            if v
        }

        def sort_url(key: str) -> str:
            descending = query.sort == key and not query.descending
            values = {**params, "sort": key, "order": "desc" if descending else "asc"}
            return "/?" + urlencode(values)

        return env.get_template("board.html.j2").render(
            private=False,
            rows=shown,
            total=len(rows),
            regions=regions,
            query=query,
            grades=GRADE_CHOICES,
            models=MODEL_CHOICES,
            sort_url=sort_url,
            csv_url="/board.csv" + ("?" + urlencode(params) if params else ""),
        )

    @app.get("/board.csv", include_in_schema=False)
    def board_csv(
        region: str | None = None,
        grade: str | None = None,
        model: str | None = None,
        sort: str | None = None,
        order: str = "asc",
    ) -> Response:
        with session() as s:
            _version, (rows, _regions) = board_data(s)
        rows = board.filter_board(rows, board_query(region, grade, model, sort, order))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                "slug",
                "authority",
                "region",
                "overall_grade",
                "inspected",
                "published",
                "report_url",
                "delivery_model",
                "provider",
                "stage",
                "delivery_since",
                "delivery_status",
                "intervention",
                "intervention_status",
                "last_change",
            ]
        )
        for r in rows:
            writer.writerow(
                _csv_cell(v)
                for v in (
                    r.slug,
                    r.name,
                    r.region,
                    r.overall,
                    r.inspected,
                    r.published,
                    r.report_url,
                    r.model,
                    r.provider,
                    r.stage,
                    r.model_since,
                    board._status(r.model_confirmed),
                    ";".join(r.interventions),
                    board._status(r.intervention_confirmed) if r.interventions else None,
                    r.last_change.isoformat() if r.last_change else None,
                )
            )
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="cswatch-board.csv"'},
        )

    @app.get("/authority/{slug}", include_in_schema=False)
    def authority_page(request: Request, slug: str) -> HTMLResponse:
        def render(s: Session) -> str | None:
            detail = board.authority_page(s, slug)
            if detail is None:
                return None
            changes = board.changes(s, slug=slug, limit=20)
            return env.get_template("authority.html.j2").render(
                private=False, page=detail, changes=changes
            )

        with session() as s:
            body = cache.get(data_version(s), ("authority", slug), lambda: render(s), keep=bool)
        if body is None:
            return message(request, "Authority not found", "No authority has this address.", 404)
        return HTMLResponse(body)

    @app.get("/changes", include_in_schema=False)
    def changes_page(request: Request, since: str | None = None) -> HTMLResponse:
        try:
            moment = _since(since, zone)
        except ValueError as exc:
            return message(request, "Bad date", str(exc), 400)
        with session() as s:
            items = board.changes(s, since=moment, limit=options.changes_page_size)
        return page("changes.html.j2", request, items=items, since=moment)

    # -- feeds ---------------------------------------------------------------------------------

    def atom(items: list[board.ChangeItem], title: str, self_path: str, alt_path: str) -> Response:
        updated = max((i.detected_at for i in items), default=datetime(2000, 1, 1, tzinfo=UTC))
        body = env.get_template("feed.xml.j2").render(
            items=items,
            title=title,
            base_url=base_url,
            self_url=base_url + self_path,
            alt_url=base_url + alt_path,
            updated=updated,
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @app.get("/changes.atom", include_in_schema=False)
    def changes_feed() -> Response:
        with session() as s:
            items = board.changes(s, limit=options.changes_page_size)
        return atom(items, "Children's Services Watch: all changes", "/changes.atom", "/changes")

    @app.get("/authority/{slug}/changes.atom", include_in_schema=False)
    def authority_feed(request: Request, slug: str) -> Response:
        with session() as s:
            authority = s.exec(select(board.Authority).where(board.Authority.slug == slug)).first()
            items = (
                board.changes(s, slug=slug, limit=options.changes_page_size) if authority else []
            )
        if authority is None:
            return message(request, "Authority not found", "No authority has this address.", 404)
        return atom(
            items,
            f"Children's Services Watch: {authority.name}",
            f"/authority/{slug}/changes.atom",
            f"/authority/{slug}",
        )

    # -- API -------------------------------------------------------------------------------------

    not_found = {404: {"model": api.Problem, "description": "No authority with this slug"}}

    @app.get(
        "/api/authorities",
        response_model=api.AuthorityList,
        summary="Every current authority with its status",
        tags=["authorities"],
    )
    def api_authorities(
        region: Annotated[str | None, Query(max_length=100)] = None,
        grade: Annotated[
            Literal["outstanding", "good", "requires_improvement", "inadequate", "adequate", "none"]
            | None,
            Query(),
        ] = None,
        model: Annotated[
            Literal["in_house", "trust", "company", "cic", "partnership"] | None, Query()
        ] = None,
        sort: Annotated[
            Literal["name", "region", "grade", "inspected", "model", "intervention", "change"],
            Query(),
        ] = "name",
        order: Annotated[Literal["asc", "desc"], Query()] = "asc",
    ) -> JSONResponse:
        query = board.BoardQuery(region, grade, model, sort, order == "desc")
        with session() as s:
            version, (rows, regions) = board_data(s)
        if region and region not in regions:
            version = None

        def encode() -> bytes:
            chosen = board.filter_board(rows, query)
            data = {
                "count": len(chosen),
                "authorities": [api.authority_json(r, base_url) for r in chosen],
            }
            return JSONResponse(data).body

        return Response(cache.get(version, ("api", query), encode), media_type="application/json")

    @app.get(
        "/api/authorities/{slug}",
        response_model=api.AuthorityDetail,
        responses=not_found,  # type: ignore[arg-type]
        summary="One authority: status and timeline with evidence",
        tags=["authorities"],
    )
    def api_authority(slug: Annotated[str, PathParam(max_length=100)]) -> JSONResponse:
        def encode(s: Session) -> bytes | None:
            detail = board.authority_page(s, slug)
            return JSONResponse(api.detail_json(detail, base_url)).body if detail else None

        with session() as s:
            body = cache.get(data_version(s), ("api-authority", slug), lambda: encode(s), keep=bool)
        if body is None:
            return JSONResponse({"detail": f"no authority {slug!r}"}, status_code=404)
        return Response(body, media_type="application/json")

    @app.get(
        "/api/changes",
        response_model=api.ChangeList,
        summary="Changes detected, newest first",
        tags=["changes"],
    )
    def api_changes(
        since: Annotated[
            str | None,
            Query(
                description=SINCE_DESCRIPTION,
                pattern=SINCE_PATTERN,
                examples=["2025-01-31", "2025-01-31T09:00:00Z"],
            ),
        ] = None,
        authority: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> JSONResponse:
        try:
            moment = _since(since, zone)
        except ValueError as exc:
            return JSONResponse(
                {"detail": [{"loc": ["query", "since"], "msg": str(exc), "type": "value_error"}]},
                status_code=422,
            )
        with session() as s:
            items = board.changes(s, since=moment, slug=authority, limit=limit)
        return JSONResponse({"count": len(items), "changes": [i.to_json() for i in items]})

    # -- subscriptions ------------------------------------------------------------

    def read_preferences(form: Any, known: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        errors = []
        slugs = {slug for slug, _name in known["authorities"]}
        authorities = [a for a in form.getlist("authorities") if a]
        regions = [r for r in form.getlist("regions") if r]
        kinds = [k for k in form.getlist("kinds") if k]
        if any(a not in slugs for a in authorities):
            errors.append("Choose authorities from the list.")
        if any(r not in known["regions"] for r in regions):
            errors.append("Choose regions from the list.")
        if any(k not in {c for c, _l in known["kinds"]} for k in kinds):
            errors.append("Choose kinds of change from the list.")
        frequency = form.get("frequency") or Frequency.DAILY.value
        if frequency not in {f.value for f in Frequency}:
            errors.append("Choose how often you want a digest.")
            frequency = Frequency.DAILY.value
        name = (form.get("name") or "").strip()
        try:
            subs.clean_name(name)
        except subs.SubscriberError as exc:
            errors.append(f"Name: {exc}.")
        prefs = {
            "name": name,
            "authorities": authorities,
            "regions": regions,
            "kinds": kinds,
            "include_reported": form.get("include_reported") == "yes",
            "frequency": frequency,
        }
        return prefs, errors

    def filters_of(prefs: dict[str, Any]) -> subs.Filters:
        return subs.Filters(
            authorities=tuple(prefs["authorities"]),
            regions=tuple(prefs["regions"]),
            kinds=tuple(prefs["kinds"]),
            include_reported=prefs["include_reported"],
        )

    def prefs_of(subscriber: Subscriber) -> dict[str, Any]:
        filters = subs.Filters.of(subscriber)
        return {
            "name": subscriber.name or "",
            "authorities": list(filters.authorities),
            "regions": list(filters.regions),
            "kinds": list(filters.kinds),
            "include_reported": filters.include_reported,
            "frequency": subscriber.frequency,
        }

    def deliver(recipient: str, template: str, subject: str, context: dict[str, Any]) -> None:
        """Send one message after the response has gone (the timing tells nothing either)."""
        try:
            message_id, data = compose(
                env,
                template,
                from_address=options.from_address,
                recipient=recipient,
                subject=subject,
                context=context,
            )
            send(recipient, message_id, data)
        except Exception:  # logged, never shown: the page already said 'check your email'
            log.exception("web: could not send the %s message", template)

    def purge_unconfirmed(s: Session) -> None:
        cutoff = datetime.now(UTC) - timedelta(seconds=options.confirm_max_age_seconds)
        for stale in s.exec(
            select(Subscriber).where(
                col(Subscriber.confirmed).is_(False), col(Subscriber.created_at) < cutoff
            )
        ).all():
            subs.remove(s, stale)

    def sign_up(address: str, prefs: dict[str, Any]) -> tuple[str, str, str, dict[str, Any]]:
        """Record (or refresh) the pending subscriber; returns the message to send."""
        with session() as s:
            purge_unconfirmed(s)
            s.commit()
            try:
                existing: Subscriber | None = subs.get(s, address)
            except subs.SubscriberError:
                existing = None
            if existing is None:
                try:
                    existing = subs.add(
                        s,
                        address,
                        name=prefs["name"] or None,
                        frequency=Frequency(prefs["frequency"]),
                        filters=filters_of(prefs),
                    )
                    s.commit()
                except (IntegrityError, subs.SubscriberError):  # a concurrent sign-up won
                    s.rollback()
                    existing = subs.get(s, address)
            elif not existing.confirmed:
                subs.edit(
                    s,
                    existing.email,
                    name=prefs["name"],
                    frequency=Frequency(prefs["frequency"]),
                    filters=filters_of(prefs),
                )
                s.commit()
            assert existing is not None and existing.id is not None
            if existing.confirmed:
                return (
                    existing.email,
                    "email_already",
                    "You are already subscribed to Children's Services Watch",
                    {"manage_url": f"{base_url}/manage/{existing.token}"},
                )
            token = signer.confirm_token(existing.id, existing.token)
            hours = options.confirm_max_age_seconds / 3600
            return (
                existing.email,
                "email_confirm",
                "Confirm your Children's Services Watch alerts",
                {
                    "confirm_url": f"{base_url}/confirm/{token}",
                    "hours": f"{hours:g}",
                    "filters": filters_of(prefs).describe(),
                    "frequency": prefs["frequency"],
                },
            )

    @app.get("/subscribe", include_in_schema=False)
    def subscribe_form(request: Request) -> HTMLResponse:
        return with_csrf(
            request,
            "subscribe.html.j2",
            prefs={
                "name": "",
                "authorities": [],
                "regions": [],
                "kinds": [],
                "include_reported": False,
                "frequency": "daily",
            },
            email="",
            errors=[],
            **choices(),
        )

    @app.post("/subscribe", include_in_schema=False)
    async def subscribe(request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, form):
            return message(
                request,
                "This form has expired",
                "Please go back, reload the sign-up page and send it again.",
                403,
            )
        client = request.client.host if request.client else "unknown"
        wait = signup_limit.retry_after(client)
        if wait:
            response = message(
                request,
                "Too many sign-ups",
                "Too many sign-ups from your network in the last hour. Please try again later.",
                429,
            )
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        known = await run_in_threadpool(choices)
        prefs, errors = read_preferences(form, known)
        email = str(form.get("email") or "").strip()
        address = ""
        try:
            address = subs.normalise_email(email)
        except subs.SubscriberError:
            errors.insert(0, "Enter an email address in the correct format, like name@example.org.")
        if errors:
            return with_csrf(
                request, "subscribe.html.j2", prefs=prefs, email=email, errors=errors, **known
            )
        recipient, template, subject, context = await run_in_threadpool(sign_up, address, prefs)
        response = message(
            request,
            "Check your email",
            f"If {address} can receive alerts, we have sent a message there. Follow its link "
            "to confirm (or to manage your alerts if you are already subscribed).",
        )
        if not address_limit.retry_after(recipient.lower()):
            response.background = BackgroundTask(deliver, recipient, template, subject, context)
        return response

    def confirm_claim(token: str) -> Subscriber:
        claim = signer.read_confirm_token(token)
        with session() as s:
            subscriber = s.get(Subscriber, claim.subscriber_id)
            if subscriber is None or not claim.matches(subscriber.token):
                raise InvalidToken("the confirmation link is not valid")
            s.expunge(subscriber)
            return subscriber

    def bad_link(request: Request, exc: InvalidToken) -> HTMLResponse:
        if exc.expired:
            return message(
                request,
                "This link has expired",
                "Confirmation links last a short time. Sign up again to get a new one.",
                400,
            )
        return message(
            request,
            "This link is not valid",
            "Check that you copied the whole link from the email, or sign up again.",
            400,
        )

    @app.get("/confirm/{token}", include_in_schema=False)
    def confirm_form(request: Request, token: str) -> HTMLResponse:
        try:
            subscriber = confirm_claim(token)
        except InvalidToken as exc:
            return bad_link(request, exc)
        return with_csrf(
            request,
            "confirm.html.j2",
            email=subscriber.email,
            token=token,
            already=subscriber.confirmed,
        )

    @app.post("/confirm/{token}", include_in_schema=False)
    async def confirm(request: Request, token: str) -> Response:
        form = await request.form()
        if not csrf_ok(request, form):
            return message(request, "This form has expired", "Please reload the page.", 403)

        def run() -> str:
            subscriber = confirm_claim(token)
            with session() as s:
                row = s.get(Subscriber, subscriber.id)
                assert row is not None
                row.confirmed = True
                s.add(row)
                s.commit()
                return row.token

        try:
            secret = await run_in_threadpool(run)
        except InvalidToken as exc:
            return bad_link(request, exc)
        return RedirectResponse(f"/manage/{secret}?confirmed=1", status_code=303)

    def find_subscriber(token: str) -> Subscriber | None:
        with session() as s:
            try:
                subscriber = subs.by_token(s, token)
            except subs.UnknownToken:
                return None
            s.expunge(subscriber)
            return subscriber

    def unknown_manage(request: Request) -> HTMLResponse:
        return message(
            request,
            "This link is not valid",
            "It may have been used to unsubscribe. You can sign up again at any time.",
            404,
        )

    @app.get("/manage/{token}", include_in_schema=False)
    def manage_form(request: Request, token: str, confirmed: str | None = None) -> HTMLResponse:
        subscriber = find_subscriber(token)
        if subscriber is None:
            return unknown_manage(request)
        notice = "Your subscription is confirmed." if confirmed else None
        return with_csrf(
            request,
            "manage.html.j2",
            subscriber=subscriber,
            token=token,
            prefs=prefs_of(subscriber),
            errors=[],
            notice=notice,
            **choices(),
        )

    @app.post("/manage/{token}", include_in_schema=False)
    async def manage(request: Request, token: str) -> Response:
        form = await request.form()
        if not csrf_ok(request, form):
            return message(request, "This form has expired", "Please reload the page.", 403)
        subscriber = await run_in_threadpool(find_subscriber, token)
        if subscriber is None:
            return unknown_manage(request)
        known = await run_in_threadpool(choices)
        prefs, errors = read_preferences(form, known)
        if not errors:

            def run() -> None:
                with session() as s:
                    subs.edit(
                        s,
                        subscriber.email,
                        name=prefs["name"],
                        frequency=Frequency(prefs["frequency"]),
                        filters=filters_of(prefs),
                    )
                    s.commit()

            await run_in_threadpool(run)
        return with_csrf(
            request,
            "manage.html.j2",
            subscriber=subscriber,
            token=token,
            prefs=prefs,
            errors=errors,
            notice=None if errors else "Your preferences are saved.",
            **known,
        )

    @app.get("/unsubscribe/{token}", include_in_schema=False)
    def unsubscribe_form(request: Request, token: str) -> HTMLResponse:
        # Never unsubscribes: mail scanners follow links. The button POSTs, as RFC 8058 does.
        return page("unsubscribe.html.j2", request, private=True, token=token)

    @app.post("/unsubscribe/{token}", include_in_schema=False)
    async def unsubscribe(request: Request, token: str) -> Response:
        form = await request.form()
        if form.get("List-Unsubscribe") != "One-Click":
            return message(
                request,
                "Not understood",
                "Use the Unsubscribe button on the unsubscribe page.",
                400,
            )

        def run() -> None:
            with session() as s:
                try:
                    subs.unsubscribe(s, token)
                    s.commit()
                except subs.UnknownToken:
                    pass  # already gone: the same answer, so a retry is harmless

        await run_in_threadpool(run)
        return message(
            request,
            "You are unsubscribed",
            "You will get no more alerts from Children's Services Watch. "
            "You can sign up again at any time.",
        )

    return app
