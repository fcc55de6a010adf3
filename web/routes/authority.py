"""One authority's page: its status, grade history, timeline with evidence, recent changes."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from web import board
from web.charts import grade_chart
from web.context import Ctx

router = APIRouter(include_in_schema=False)


@router.get("/authority/{slug}")
def authority_page(ctx: Ctx, request: Request, slug: str) -> HTMLResponse:
    def render(s: Session) -> str | None:
        detail = board.authority_page(s, slug)
        if detail is None:
            return None
        changes = board.changes(s, slug=slug, limit=20)
        chart = grade_chart(detail.history, datetime.now(UTC).date())
        return ctx.render(
            "authority.html.j2", private=False, page=detail, changes=changes, chart=chart
        )

    with ctx.session() as s:
        body = ctx.cache.get(ctx.data_version(s), ("authority", slug), lambda: render(s), keep=bool)
    if body is None:
        return ctx.message(request, "Authority not found", "No authority has this address.", 404)
    return HTMLResponse(body)
