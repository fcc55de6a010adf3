"""`cswatch review list|accept|reject`: the operator's side of the review queue. Wiring only;
the rules live in ingest/review.py and docs/provenance.md."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from config.jobs import review_decision
from config.locks import Busy
from config.output import operator_name
from ingest.models import ReviewItem, ReviewState
from ingest.review import ReviewError, items

if TYPE_CHECKING:
    from config.wiring import Service

console = Console()
err = Console(stderr=True, soft_wrap=True)

review_app = typer.Typer(
    help="News events held for an operator: list them, accept or reject them.",
    no_args_is_help=True,
)


def _service() -> Service:
    from config.cli import _service as build

    return build()


def item_json(item: ReviewItem) -> dict[str, object]:
    return {
        "id": item.id,
        "state": item.state,
        "summary": item.summary,
        "reason": item.reason,
        "source_url": item.source_url,
        "held_at": item.created_at.isoformat() if item.created_at else None,
        "decided_by": item.decided_by,
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
        "note": item.note,
    }


@review_app.command("list")
def list_items(
    every: Annotated[
        bool, typer.Option("--all", help="Also the decided ones, with who, when and why.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """The events waiting for a decision (oldest first)."""
    service = _service()
    service.settle_facts()  # screen what the last runs brought in
    with Session(service.engine) as session:
        rows = items(session, state=None if every else ReviewState.PENDING)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(item_json(row), ensure_ascii=False))
        return
    if not rows:
        console.print("Nothing waits for review.")
        return
    table = Table(title="Review queue")
    for column in ("ID", "State", "Event", "Why held", "Source", "Decision"):
        table.add_column(column)
    for row in rows:
        decision = ""
        if row.decided_by:
            decision = f"{row.decided_by}, {row.decided_at:%Y-%m-%d %H:%M}"
            decision += f": {row.note}" if row.note else ""
        table.add_row(str(row.id), row.state, row.summary, row.reason, row.source_url, decision)
    console.print(table)


def _decide(item_id: int, state: ReviewState, note: str | None, by: str | None) -> None:
    who = operator_name(by)
    if not who:
        err.print("[red]cswatch:[/red] say who decides: --by NAME")
        raise typer.Exit(2)
    service = _service()
    try:
        # One transaction with the changes it makes: the next digest plans from it.
        item, detected = review_decision(service, item_id, state, who=who, note=note)
    except ReviewError as exc:
        err.print(f"[red]cswatch:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    except Busy as exc:
        err.print(
            f"[yellow]cswatch: busy:[/yellow] {exc}; nothing was decided, try again",
            highlight=False,
        )
        raise typer.Exit(3) from exc
    console.print(f"{state.capitalize()} by {who}: {item.summary}", highlight=False)
    if detected.changes:
        console.print(f"{len(detected.changes)} new changes (see `cswatch changes`)")


NOTE = typer.Option("--note", help="Why (kept with the decision).")
BY = typer.Option("--by", help="Who decides (default: your login name).")


@review_app.command("accept")
def accept(
    item_id: Annotated[int, typer.Argument(metavar="ID", help="The review item's ID.")],
    note: Annotated[str | None, NOTE] = None,
    by: Annotated[str | None, BY] = None,
) -> None:
    """Release a held event: it counts from now on, and stays 'reported'."""
    _decide(item_id, ReviewState.ACCEPTED, note, by)


@review_app.command("reject")
def reject(
    item_id: Annotated[int, typer.Argument(metavar="ID", help="The review item's ID.")],
    note: Annotated[str | None, NOTE] = None,
    by: Annotated[str | None, BY] = None,
) -> None:
    """Drop a held event: it never changes a status or reaches a digest."""
    _decide(item_id, ReviewState.REJECTED, note, by)
