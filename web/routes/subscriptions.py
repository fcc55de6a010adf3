"""Sign-up with double opt-in, confirmation, preferences, and one-click unsubscribe.

Sign-ups answer the same whether or not the address is subscribed (its owner learns which by
mail); a GET never changes a subscription (link scanners follow links); the unsubscribe URL
takes RFC 8058 one-click POSTs, with no cookie and no CSRF token.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from alerts import subscribers as subs
from alerts.models import Frequency, Subscriber
from web.context import AppContext, Ctx
from web.mail import compose
from web.security import InvalidToken

log = logging.getLogger("cswatch.web")

router = APIRouter(include_in_schema=False)

EMPTY_PREFS = {
    "authority_name": "",
    "name": "",
    "authorities": [],
    "regions": [],
    "kinds": [],
    "include_reported": False,
    "frequency": "daily",
}


def read_preferences(form: Any, known: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    errors = []
    slugs = {slug for slug, _name in known["authorities"]}
    authorities = [a for a in form.getlist("authorities") if a]
    regions = [r for r in form.getlist("regions") if r]
    kinds = [k for k in form.getlist("kinds") if k]
    if any(a not in slugs for a in authorities):
        errors.append("Choose authorities from the list.")
    typed = " ".join(str(form.get("authority_name") or "").split())
    if typed:
        by_name = {name.lower(): slug for slug, name in known["authorities"]}
        slug = by_name.get(typed.lower()) or (typed.lower() if typed.lower() in slugs else None)
        if slug is None:
            errors.append(
                f"There is no council called \u2018{typed}\u2019. Choose one from the suggestions."
            )
        elif slug not in authorities:
            authorities.append(slug)
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
        "authority_name": typed if errors and typed else "",
    }
    return prefs, errors


def adding(form: Any) -> bool:
    """The picker's Add button with a name typed (no JavaScript): show the form again."""
    return form.get("action") == "add" and bool(str(form.get("authority_name") or "").strip())


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


def deliver(
    ctx: AppContext, recipient: str, template: str, subject: str, context: dict[str, Any]
) -> None:
    """Send one message after the response has gone (the timing tells nothing either)."""
    try:
        message_id, data = compose(
            ctx.env,
            template,
            from_address=ctx.options.from_address,
            recipient=recipient,
            subject=subject,
            context=context,
        )
        ctx.send(recipient, message_id, data)
    except Exception:  # logged, never shown: the page already said 'check your email'
        log.exception("web: could not send the %s message", template)


def purge_unconfirmed(ctx: AppContext, s: Session) -> None:
    cutoff = datetime.now(UTC) - timedelta(seconds=ctx.options.confirm_max_age_seconds)
    for stale in s.exec(
        select(Subscriber).where(
            col(Subscriber.confirmed).is_(False), col(Subscriber.created_at) < cutoff
        )
    ).all():
        subs.remove(s, stale)


def sign_up(
    ctx: AppContext, address: str, prefs: dict[str, Any]
) -> tuple[str, str, str, dict[str, Any]]:
    """Record (or refresh) the pending subscriber; returns the message to send."""
    with ctx.session() as s:
        purge_unconfirmed(ctx, s)
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
                {"manage_url": f"{ctx.base_url}/manage/{existing.token}"},
            )
        token = ctx.signer.confirm_token(existing.id, existing.token)
        hours = ctx.options.confirm_max_age_seconds / 3600
        return (
            existing.email,
            "email_confirm",
            "Confirm your Children's Services Watch alerts",
            {
                "confirm_url": f"{ctx.base_url}/confirm/{token}",
                "hours": f"{hours:g}",
                "filters": filters_of(prefs).describe(),
                "frequency": prefs["frequency"],
            },
        )


def expired_form(ctx: AppContext, request: Request) -> HTMLResponse:
    return ctx.message(
        request,
        "This form has expired",
        "Please go back, reload the page and send it again.",
        403,
    )


@router.get("/subscribe")
def subscribe_form(ctx: Ctx, request: Request) -> HTMLResponse:
    return ctx.with_csrf(
        request, "subscribe.html.j2", prefs=EMPTY_PREFS, email="", errors=[], **ctx.choices()
    )


@router.post("/subscribe")
async def subscribe(ctx: Ctx, request: Request) -> Response:
    form = await request.form()
    if not ctx.csrf_ok(request, form):
        return expired_form(ctx, request)
    known = await run_in_threadpool(ctx.choices)
    prefs, errors = read_preferences(form, known)
    email = str(form.get("email") or "").strip()
    address = ""
    try:
        address = subs.normalise_email(email)
    except subs.SubscriberError:
        if not adding(form):  # adding a council: the address is asked for on sending
            errors.insert(0, "Enter an email address in the correct format, like name@example.org.")
    if errors or adding(form):
        return ctx.with_csrf(
            request, "subscribe.html.j2", prefs=prefs, email=email, errors=errors, **known
        )
    # Only a valid sign-up counts: a typo corrected and sent again costs nothing.
    client = request.client.host if request.client else "unknown"
    wait = ctx.signup_limit.retry_after(client)
    if wait:
        response = ctx.message(
            request,
            "Too many sign-ups",
            "Too many sign-ups from your network in the last hour. Please try again later.",
            429,
        )
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    recipient, template, subject, context = await run_in_threadpool(sign_up, ctx, address, prefs)
    response = ctx.message(
        request,
        "Check your email",
        f"If {address} can receive alerts, we have sent a message there. Follow its link "
        "to confirm (or to manage your alerts if you are already subscribed).",
    )
    if not ctx.address_limit.retry_after(recipient.lower()):
        response.background = BackgroundTask(deliver, ctx, recipient, template, subject, context)
    return response


def confirm_claim(ctx: AppContext, token: str) -> Subscriber:
    claim = ctx.signer.read_confirm_token(token)
    with ctx.session() as s:
        subscriber = s.get(Subscriber, claim.subscriber_id)
        if subscriber is None or not claim.matches(subscriber.token):
            raise InvalidToken("the confirmation link is not valid")
        s.expunge(subscriber)
        return subscriber


def bad_link(ctx: AppContext, request: Request, exc: InvalidToken) -> HTMLResponse:
    if exc.expired:
        return ctx.message(
            request,
            "This link has expired",
            "Confirmation links last a short time. Sign up again to get a new one.",
            400,
        )
    return ctx.message(
        request,
        "This link is not valid",
        "Check that you copied the whole link from the email, or sign up again.",
        400,
    )


@router.get("/confirm/{token}")
def confirm_form(ctx: Ctx, request: Request, token: str) -> HTMLResponse:
    try:
        subscriber = confirm_claim(ctx, token)
    except InvalidToken as exc:
        return bad_link(ctx, request, exc)
    return ctx.with_csrf(
        request,
        "confirm.html.j2",
        email=subscriber.email,
        token=token,
        already=subscriber.confirmed,
    )


@router.post("/confirm/{token}")
async def confirm(ctx: Ctx, request: Request, token: str) -> Response:
    form = await request.form()
    if not ctx.csrf_ok(request, form):
        return ctx.message(request, "This form has expired", "Please reload the page.", 403)

    def run() -> str:
        subscriber = confirm_claim(ctx, token)
        with ctx.session() as s:
            row = s.get(Subscriber, subscriber.id)
            assert row is not None
            row.confirmed = True
            s.add(row)
            s.commit()
            return row.token

    try:
        secret = await run_in_threadpool(run)
    except InvalidToken as exc:
        return bad_link(ctx, request, exc)
    return RedirectResponse(f"/manage/{secret}?confirmed=1", status_code=303)


def find_subscriber(ctx: AppContext, token: str) -> Subscriber | None:
    with ctx.session() as s:
        try:
            subscriber = subs.by_token(s, token)
        except subs.UnknownToken:
            return None
        s.expunge(subscriber)
        return subscriber


def unknown_manage(ctx: AppContext, request: Request) -> HTMLResponse:
    return ctx.message(
        request,
        "This link is not valid",
        "It may have been used to unsubscribe. You can sign up again at any time.",
        404,
    )


@router.get("/manage/{token}")
def manage_form(ctx: Ctx, request: Request, token: str, confirmed: str | None = None) -> Response:
    subscriber = find_subscriber(ctx, token)
    if subscriber is None:
        return unknown_manage(ctx, request)
    notice = "Your subscription is confirmed." if confirmed else None
    return ctx.with_csrf(
        request,
        "manage.html.j2",
        subscriber=subscriber,
        token=token,
        prefs=prefs_of(subscriber),
        errors=[],
        notice=notice,
        **ctx.choices(),
    )


@router.post("/manage/{token}")
async def manage(ctx: Ctx, request: Request, token: str) -> Response:
    form = await request.form()
    if not ctx.csrf_ok(request, form):
        return ctx.message(request, "This form has expired", "Please reload the page.", 403)
    subscriber = await run_in_threadpool(find_subscriber, ctx, token)
    if subscriber is None:
        return unknown_manage(ctx, request)
    known = await run_in_threadpool(ctx.choices)
    prefs, errors = read_preferences(form, known)
    if adding(form) and not errors:
        return ctx.with_csrf(
            request,
            "manage.html.j2",
            subscriber=subscriber,
            token=token,
            prefs=prefs,
            errors=[],
            notice="Council added. Save your preferences to keep it.",
            **known,
        )
    if not errors:

        def run() -> None:
            with ctx.session() as s:
                subs.edit(
                    s,
                    subscriber.email,
                    name=prefs["name"],
                    frequency=Frequency(prefs["frequency"]),
                    filters=filters_of(prefs),
                )
                s.commit()

        await run_in_threadpool(run)
    return ctx.with_csrf(
        request,
        "manage.html.j2",
        subscriber=subscriber,
        token=token,
        prefs=prefs,
        errors=errors,
        notice=None if errors else "Your preferences are saved.",
        **known,
    )


@router.get("/unsubscribe/{token}")
def unsubscribe_form(ctx: Ctx, request: Request, token: str) -> HTMLResponse:
    # Never unsubscribes: mail scanners follow links. The button POSTs, as RFC 8058 does.
    return ctx.page("unsubscribe.html.j2", request, private=True, token=token)


@router.post("/unsubscribe/{token}")
async def unsubscribe(ctx: Ctx, request: Request, token: str) -> Response:
    form = await request.form()
    if form.get("List-Unsubscribe") != "One-Click":
        return ctx.message(
            request,
            "Not understood",
            "Use the Unsubscribe button on the unsubscribe page.",
            400,
        )

    def run() -> None:
        with ctx.session() as s:
            try:
                subs.unsubscribe(s, token)
                s.commit()
            except subs.UnknownToken:
                pass  # already gone: the same answer, so a retry is harmless

    await run_in_threadpool(run)
    return ctx.message(
        request,
        "You are unsubscribed",
        "You will get no more alerts from Children's Services Watch. "
        "You can sign up again at any time.",
    )
