"""The board of every authority (HTML and CSV) and the page of recent changes."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web import board
from web.context import Ctx, parse_since

router = APIRouter(include_in_schema=False)

GRADE_CHOICES = ("outstanding", "good", "requires_improvement", "inadequate", "adequate", "none")
MODEL_CHOICES = tuple(board.MODEL_LABELS)
CSV_COLUMNS = (
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
)


def csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula, whatever a scraper stored."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


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


@router.get("/")
def board_page(
    ctx: Ctx,
    request: Request,
    region: str | None = None,
    grade: str | None = None,
    model: str | None = None,
    sort: str | None = None,
    order: str = "asc",
) -> HTMLResponse:
    query = board_query(region, grade, model, sort, order)
    with ctx.session() as s:
        version, data = ctx.board_data(s)
    if query.region and query.region not in data.regions:
        version = None  # a region of no authority: answered, not kept
    body = ctx.cache.get(version, ("page", query), lambda: render_board(ctx, query, data))
    return HTMLResponse(body)


def render_board(ctx: Ctx, query: board.BoardQuery, data: board.BoardData) -> str:
    shown = board.filter_board(data.rows, query)
    params = {
        k: v
        for k, v in (("region", query.region), ("grade", query.grade), ("model", query.model))
        if v
    }

    def sort_url(key: str) -> str:
        descending = query.sort == key and not query.descending
        values = {**params, "sort": key, "order": "desc" if descending else "asc"}
        return "/?" + urlencode(values)

    return ctx.render(
        "board.html.j2",
        private=False,
        rows=shown,
        total=len(data.rows),
        regions=data.regions,
        query=query,
        grades=GRADE_CHOICES,
        models=MODEL_CHOICES,
        sort_url=sort_url,
        csv_url="/board.csv" + ("?" + urlencode(params) if params else ""),
    )


@router.get("/board.csv")
def board_csv(
    ctx: Ctx,
    region: str | None = None,
    grade: str | None = None,
    model: str | None = None,
    sort: str | None = None,
    order: str = "asc",
) -> Response:
    with ctx.session() as s:
        _version, data = ctx.board_data(s)
    rows = board.filter_board(data.rows, board_query(region, grade, model, sort, order))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            csv_cell(v)
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


@router.get("/changes")
def changes_page(ctx: Ctx, request: Request, since: str | None = None) -> HTMLResponse:
    try:
        moment = parse_since(since, ctx.zone)
    except ValueError as exc:
        return ctx.message(request, "Bad date", str(exc), 400)
    with ctx.session() as s:
        items = board.changes(s, since=moment, limit=ctx.options.changes_page_size)
    return ctx.page("changes.html.j2", request, items=items, since=moment)
