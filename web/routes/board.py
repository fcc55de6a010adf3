"""The board of every authority (HTML and CSV) and the page of recent changes."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web import board, hexmap
from web.context import AppContext, Ctx, parse_since

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
    "last_change_on",
    # The pending plan (announced, not yet in force: proposed or decided), empty when none.
    # At the end, so the columns before keep their places for readers that count them.
    "planned_model",
    "planned_provider",
    "planned_stage",
    "planned_since",
    "planned_status",
)
PLANNED_FIELDS = ("model", "provider", "stage", "since", "status")


def csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula, whatever a scraper stored."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def board_query(
    region: str | None,
    grade: str | None,
    model: str | None,
    sort: str | None,
    order: str,
    q: str | None = None,
) -> board.BoardQuery:
    return board.BoardQuery(
        region=region or None,
        grade=grade if grade in GRADE_CHOICES else None,
        model=model if model in MODEL_CHOICES else None,
        sort=sort if sort in board.SORT_KEYS else "name",
        descending=order == "desc",
        q=" ".join((q or "").split())[:100] or None,
    )


def problems(
    regions: list[str],
    region: str | None,
    grade: str | None,
    model: str | None,
    sort: str | None,
    order: str,
    colour_by: str,
) -> list[str]:
    """Each filter that names nothing, said plainly (not silently ignored)."""
    errors = []
    if region and region not in regions:
        errors.append(f"There is no region called ‘{region}’. Choose one from the list.")
    if grade and grade not in GRADE_CHOICES:
        labels = ", ".join(board.GRADE_LABELS.get(g, "Not graded") for g in GRADE_CHOICES)
        errors.append(f"‘{grade}’ is not a grade. The grades are: {labels}.")
    if model and model not in MODEL_CHOICES:
        labels = ", ".join(board.MODEL_LABELS.values())
        errors.append(f"‘{model}’ is not a delivery model. The models are: {labels}.")
    if sort and sort not in board.SORT_KEYS:
        errors.append(f"The board cannot be sorted by ‘{sort}’.")
    if order not in ("asc", "desc"):
        errors.append("The order is asc or desc.")
    if colour_by not in hexmap.COLOURINGS:
        errors.append("The map is coloured by grade or by model.")
    return errors


@router.get("/")
def board_page(
    ctx: Ctx,
    request: Request,
    region: str | None = None,
    grade: str | None = None,
    model: str | None = None,
    sort: str | None = None,
    order: str = "asc",
    q: str | None = None,
    colour: str = "grade",
) -> HTMLResponse:
    query = board_query(region, grade, model, sort, order, q)
    with ctx.session() as s:
        version, data = ctx.board_data(s)
    errors = problems(data.regions, region, grade, model, sort, order, colour)
    colour_by = colour if colour in hexmap.COLOURINGS else "grade"
    if errors:
        version = None  # answered, not kept
    body = ctx.cache.get(
        version,
        ("page", query, colour_by),
        lambda: render_board(ctx, query, data, colour_by, errors),
    )
    return HTMLResponse(body, status_code=400 if errors else 200)


def render_board(
    ctx: AppContext,
    query: board.BoardQuery,
    data: board.BoardData,
    colour_by: str,
    errors: list[str],
) -> str:
    shown = board.filter_board(data.rows, query)
    params = {
        k: v
        for k, v in (
            ("q", query.q),
            ("region", query.region),
            ("grade", query.grade),
            ("model", query.model),
        )
        if v
    }

    def sort_url(key: str) -> str:
        descending = query.sort == key and not query.descending
        values = {**params, "sort": key, "order": "desc" if descending else "asc"}
        return "/?" + urlencode(values)

    def filter_url(**values: str) -> str:
        return "/?" + urlencode(values)

    def colour_url(by: str) -> str:
        values = {**params, "colour": by}
        if query.sort != "name" or query.descending:
            values.update(sort=query.sort, order="desc" if query.descending else "asc")
        return "/?" + urlencode(values) + "#map"

    return ctx.render(
        "board.html.j2",
        private=False,
        rows=shown,
        total=len(data.rows),
        all_rows=data.rows,
        regions=data.regions,
        sources=data.sources,
        first_run=data.first_run,
        summary=data.summary,
        discrepancies=data.discrepancies,
        map=hexmap.hex_map(data.rows, {r.slug for r in shown}, colour_by),
        colourings=hexmap.COLOURINGS,
        colour_url=colour_url,
        filtered=bool(params),
        errors=errors,
        query=query,
        grades=GRADE_CHOICES,
        models=MODEL_CHOICES,
        sort_url=sort_url,
        filter_url=filter_url,
        csv_url="/board.csv" + ("?" + urlencode(params) if params else ""),
    )


@router.get("/about")
def about_page(ctx: Ctx, request: Request) -> HTMLResponse:
    return ctx.page("about.html.j2", request)


@router.get("/board.csv")
def board_csv(
    ctx: Ctx,
    region: str | None = None,
    grade: str | None = None,
    model: str | None = None,
    sort: str | None = None,
    order: str = "asc",
    q: str | None = None,
) -> Response:
    with ctx.session() as s:
        _version, data = ctx.board_data(s)
    errors = problems(data.regions, region, grade, model, sort, order, "grade")
    if errors:
        return Response("\n".join(errors) + "\n", status_code=400, media_type="text/plain")
    rows = board.filter_board(data.rows, board_query(region, grade, model, sort, order, q))
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
                r.last_change_on,
                *((r.planned or {}).get(name) for name in PLANNED_FIELDS),
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
