"""The JSON API: authorities with their status, one authority's timeline, changes.

Its shapes are in `web.api` (for the OpenAPI description); handlers build plain dicts that
match them, and the schemathesis test checks every answer against the description.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from web import api, board
from web.context import Ctx, parse_since

router = APIRouter(prefix="/api")

SINCE_DESCRIPTION = (
    "Only changes detected at or after this date (YYYY-MM-DD, from its midnight in the digests' "
    "time zone, Europe/London by default) or ISO 8601 date-time (UTC if it has no offset)"
)
SINCE_PATTERN = (
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?$"
)
NOT_FOUND = {404: {"model": api.Problem, "description": "No authority with this slug"}}


def invalid(parameter: str, message: str) -> JSONResponse:
    """A 422 shaped like FastAPI's own validation errors (as the description says)."""
    return JSONResponse(
        {"detail": [{"loc": ["query", parameter], "msg": message, "type": "value_error"}]},
        status_code=422,
    )


def unknown_authority(s: Session, text: str) -> str:
    """'no authority ...', with the slug to use when the name was given instead."""
    suggestion = board.slug_for(s, text)
    hint = f"; did you mean {suggestion!r}?" if suggestion else "; see /api/authorities for slugs"
    return f"no authority with the slug {text!r}{hint}"


@router.get(
    "/authorities",
    response_model=api.AuthorityList,
    summary="Every current authority with its status",
    tags=["authorities"],
)
def api_authorities(
    ctx: Ctx,
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
) -> Response:
    query = board.BoardQuery(region, grade, model, sort, order == "desc")
    with ctx.session() as s:
        version, data = ctx.board_data(s)
    if region and region not in data.regions:
        return invalid(
            "region", f"no region {region!r}; the regions are: {', '.join(data.regions)}"
        )

    def encode() -> bytes:
        chosen = board.filter_board(data.rows, query)
        out = {
            "count": len(chosen),
            "authorities": [api.authority_json(r, ctx.base_url) for r in chosen],
        }
        return JSONResponse(out).body

    return Response(ctx.cache.get(version, ("api", query), encode), media_type="application/json")


@router.get(
    "/authorities/{slug}",
    response_model=api.AuthorityDetail,
    responses=NOT_FOUND,  # type: ignore[arg-type]
    summary="One authority: status and timeline with evidence",
    tags=["authorities"],
)
def api_authority(ctx: Ctx, slug: Annotated[str, PathParam(max_length=100)]) -> Response:
    def encode(s: Session) -> bytes | None:
        detail = board.authority_page(s, slug)
        return JSONResponse(api.detail_json(detail, ctx.base_url)).body if detail else None

    with ctx.session() as s:
        body = ctx.cache.get(
            ctx.data_version(s), ("api-authority", slug), lambda: encode(s), keep=bool
        )
    if body is None:
        with ctx.session() as s:
            return JSONResponse({"detail": unknown_authority(s, slug)}, status_code=404)
    return Response(body, media_type="application/json")


@router.get(
    "/changes",
    response_model=api.ChangeList,
    responses=NOT_FOUND,  # type: ignore[arg-type]
    summary="Changes detected, newest first",
    tags=["changes"],
)
def api_changes(
    ctx: Ctx,
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
        moment = parse_since(since, ctx.zone)
    except ValueError as exc:
        return invalid("since", str(exc))
    with ctx.session() as s:
        if authority is not None and not board.authority_exists(s, authority):
            return JSONResponse({"detail": unknown_authority(s, authority)}, status_code=404)
        items = board.changes(s, since=moment, slug=authority, limit=limit)
    return JSONResponse({"count": len(items), "changes": [i.to_json() for i in items]})
