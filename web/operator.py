"""The operator's review page: news events held for review, accepted or rejected from a browser.

Behind a secret (review.operator_secret, from the environment only): HTTP Basic auth, where the
user name is the operator's name (recorded with each decision) and the password the secret.
Without a secret the page does not exist (404). Browsers resend Basic credentials on their own,
so each form also carries a token derived from the secret and the operator's name (a page on
another site cannot forge a decision). A decision takes effect at once: the composition root's
`decide` records it together with the changes it makes (config/jobs.py `review_decision`), so
the board, the API and the next digest move with it.

No `from __future__ import annotations` here: FastAPI must see the closures' dependency
annotations as objects, not strings.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from ingest.models import ReviewState
from ingest.review import ReviewError, items

PATH = "/operator/review"
MAX_NOTE = 2000
MAX_FORM_BYTES = 8192
BUSY_RETRY_SECONDS = 60

Decide = Callable[[int, ReviewState, str, str | None], object]
"""(item id, accepted or rejected, operator, note): records the decision with what it changes.
Raises ReviewError when it cannot be done, TimeoutError when change detection is busy
elsewhere; nothing is written in either case."""

_basic = HTTPBasic(auto_error=False, realm="cswatch operator")
_templates = Environment(
    loader=PackageLoader("web", "templates"), autoescape=select_autoescape(default=True)
)


def _form_token(secret: str, operator: str) -> str:
    return hmac.new(secret.encode(), f"review:{operator}".encode(), hashlib.sha256).hexdigest()


def operator_router(engine: Engine, secret: str | None, decide: Decide) -> APIRouter:
    """The review page's routes; all answer 404 when no secret is set."""
    router = APIRouter(include_in_schema=False)

    def operator(
        credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
    ) -> str:
        if not secret:
            raise HTTPException(404)
        if credentials is None or not secrets.compare_digest(
            credentials.password.encode(), secret.encode()
        ):
            raise HTTPException(
                401,
                "the operator page needs your name and the operator secret",
                headers={"WWW-Authenticate": 'Basic realm="cswatch operator"'},
            )
        name = credentials.username.strip()
        if not name or len(name) > 200:
            raise HTTPException(401, "give your name as the user name (at most 200 characters)")
        return name

    @router.get(PATH, response_class=HTMLResponse)
    def review_page(
        who: Annotated[str, Depends(operator)], done: str | None = None
    ) -> HTMLResponse:
        with Session(engine) as session:
            pending = items(session)
            decided = [i for i in items(session, state=None) if i.state != ReviewState.PENDING]
        assert secret is not None
        body = _templates.get_template("operator_review.html.j2").render(
            who=who,
            pending=pending,
            decided=decided[-50:][::-1],
            token=_form_token(secret, who),
            path=PATH,
            done=done,
        )
        response = HTMLResponse(body)
        response.headers["Cache-Control"] = "no-store"
        return response

    @router.post(PATH + "/{item_id}")
    async def review_decision(
        item_id: int, request: Request, who: Annotated[str, Depends(operator)]
    ) -> RedirectResponse:
        if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
            raise HTTPException(413, "the form is too large")
        form = await request.form()
        assert secret is not None
        if not hmac.compare_digest(str(form.get("token") or ""), _form_token(secret, who)):
            raise HTTPException(403, "the form is stale or not from this page: reload it")
        choice = str(form.get("decision") or "")
        states = {"accept": ReviewState.ACCEPTED, "reject": ReviewState.REJECTED}
        if choice not in states:
            raise HTTPException(400, "decision must be accept or reject")
        note = str(form.get("note") or "")[:MAX_NOTE]
        try:  # waits for change detection running elsewhere: off the event loop
            await run_in_threadpool(decide, item_id, states[choice], who, note)
        except ReviewError as exc:
            raise HTTPException(409, str(exc)) from exc
        except TimeoutError as exc:
            raise HTTPException(
                503,
                f"{exc}; nothing was decided, try again in a minute",
                headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
            ) from exc
        return RedirectResponse(f"{PATH}?done={item_id}", status_code=303)

    return router


def include_operator(app: FastAPI, engine: Engine, secret: str | None, decide: Decide) -> None:
    """Add the operator's review page to the app (the composition root passes the secret and
    the function that records a decision with its changes)."""
    app.include_router(operator_router(engine, secret, decide))
