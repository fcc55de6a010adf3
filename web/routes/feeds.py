"""Atom feeds of changes: every authority's, and one authority's."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import select

from web import board
from web.context import AppContext, Ctx

router = APIRouter(include_in_schema=False)


def atom(
    ctx: AppContext, items: list[board.ChangeItem], title: str, self_path: str, alt_path: str
) -> Response:
    updated = max((i.detected_at for i in items), default=datetime(2000, 1, 1, tzinfo=UTC))
    body = ctx.render(
        "feed.xml.j2",
        items=items,
        title=title,
        base_url=ctx.base_url,
        self_url=ctx.base_url + self_path,
        alt_url=ctx.base_url + alt_path,
        updated=updated,
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/changes.atom")
def changes_feed(ctx: Ctx) -> Response:
    with ctx.session() as s:
        items = board.changes(s, limit=ctx.options.changes_page_size)
    return atom(ctx, items, "Children's Services Watch: all changes", "/changes.atom", "/changes")


@router.get("/authority/{slug}/changes.atom")
def authority_feed(ctx: Ctx, request: Request, slug: str) -> Response:
    with ctx.session() as s:
        authority = s.exec(select(board.Authority).where(board.Authority.slug == slug)).first()
        items = (
            board.changes(s, slug=slug, limit=ctx.options.changes_page_size) if authority else []
        )
    if authority is None:
        return ctx.message(request, "Authority not found", "No authority has this address.", 404)
    return atom(
        ctx,
        items,
        f"Children's Services Watch: {authority.name}",
        f"/authority/{slug}/changes.atom",
        f"/authority/{slug}",
    )
