"""The web app: board, authority pages, changes, feeds, JSON API, CSV and subscriptions.

`create_app` receives plain values (an engine, options, a function that sends a message) from
the composition root (config/web.py); this package never reads settings or the environment.
It builds the shared `AppContext` (web/context.py) and includes one router per area
(web/routes/): each router gets what it shares through the `Ctx` dependency.

Pages are plain HTML that work without JavaScript; every template autoescapes, and scraped
text is only ever rendered through it. Forms carry a CSRF token; sign-ups are rate-limited.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from web.context import AppContext, WebOptions, parse_since
from web.mail import Send
from web.middleware import BodyLimit, RelativeSlashRedirect, SecurityHeaders
from web.routes import api, authority, board, feeds, subscriptions

__all__ = ["WebOptions", "create_app", "parse_since"]

STATIC = Path(__file__).with_name("static")

# One router per area. An operator's review page (web/operator.py) joins this list as its own
# router, getting the same `Ctx` dependency.
ROUTERS: tuple[APIRouter, ...] = (
    board.router,
    authority.router,
    feeds.router,
    api.router,
    subscriptions.router,
)

DESCRIPTION = (
    "English councils' children's services: each authority's current Ofsted grade, "
    "delivery model and DfE intervention, its timeline with evidence, and the changes "
    "detected. Facts are `confirmed` (Ofsted, GOV.UK, curated baseline) or `reported` "
    "(news only)."
)


def create_app(engine: Engine, options: WebOptions, send: Send) -> FastAPI:
    context = AppContext(engine, options, send)
    app = FastAPI(
        title="Children's Services Watch API",
        version="1",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,  # RelativeSlashRedirect does it without the Host header
    )
    # The last added runs first: headers on every answer, then the body limit, then routes.
    app.add_middleware(RelativeSlashRedirect)
    app.add_middleware(BodyLimit, limit=options.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.context = context
    app.state.cache = context.cache
    for router in ROUTERS:
        app.include_router(router)
    return app
