"""`cswatch outbox list|hold|release|drop`: the operator's side of the outbox. Wiring only; the
rules live in alerts/outbox.py (and the fence they respect in alerts/delivery.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from sqlmodel import Session

from alerts.outbox import DONE, Action, OutboxError, Waiting, settle, undelivered
from config import output

if TYPE_CHECKING:
    from config.wiring import Service

console = Console()
err = Console(stderr=True, soft_wrap=True)

TABLE_LIMIT = 200  # rows a table shows by default: a relay down for a day stalls thousands
BUSY_EXIT = 3  # as `cswatch fetch`: being worked on right now, try again shortly

outbox_app = typer.Typer(
    help="Digests not yet delivered: list them, hold, release or drop them.",
    no_args_is_help=True,
)


def _service() -> Service:
    from config.cli import _service as build

    return build()


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def item_json(item: Waiting, now: datetime, window_seconds: float) -> dict[str, object]:
    row = item.row
    return {
        "id": row.id,
        "recipient": row.recipient,
        "state": row.state,
        "queued_at": _when(row.created_at),
        "failing_since": _when(row.first_failed_at),
        "attempts": row.attempts,
        "next_try_at": _when(row.next_try_at) if row.state == "pending" else None,
        "last_reply": row.last_error,
        "overdue": item.overdue(now, window_seconds),
        "claimed_by": row.claimed_by if row.state == "sending" else None,
        "sent_at": _when(row.sent_at),
        "actions": [
            {
                "action": a.action,
                "by": a.by,
                "at": _when(a.at),
                "note": a.note,
                "state_before": a.state_before,
            }
            for a in item.actions
        ],
    }


def _reply(row_error: str | None, recipient: str) -> str:
    """The server's own words: 'recipient refused: ADDRESS: 452 ...' reads '452 ... (RCPT)'."""
    prefix = f"recipient refused: {recipient}: "
    if row_error and row_error.startswith(prefix):
        return row_error[len(prefix) :] + " (at RCPT TO)"
    return row_error or ""


def _short(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else ""


@outbox_app.command("list")
def list_digests(
    subscriber: Annotated[
        str | None, typer.Option("--subscriber", help="Only this subscriber's digests.")
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Also sent, failed and dropped digests.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            min=0,
            help=f"At most this many, oldest first; 0: all (default: {TABLE_LIMIT}, "
            "or all with --json).",
        ),
    ] = None,
) -> None:
    """Digests not yet delivered (pending, being sent, held), oldest first.

    To whom, since when, how many attempts, the last SMTP reply, and what an operator did."""
    service = _service()
    now = datetime.now(UTC)
    window = service.settings.mail.retry_window_hours * 3600
    if limit is None:
        limit = 0 if as_json else TABLE_LIMIT
    with Session(service.engine) as session:
        try:
            listing = undelivered(session, subscriber=subscriber, every=every, limit=limit or None)
        except OutboxError as exc:
            err.print(f"[red]cswatch:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from exc
    items = listing.items
    if len(items) < listing.total:  # said on stderr: stdout stays the listing alone
        err.print(
            f"cswatch: the oldest {len(items)} of {listing.total} digests; --limit 0 lists all",
            highlight=False,
        )
    if as_json:
        for item in items:
            typer.echo(json.dumps(item_json(item, now, window), ensure_ascii=False))
        return
    if not items:
        console.print("Every digest has been delivered or settled." if not every else "None.")
        return
    table = output.table(
        f"{listing.total} digests"
        if len(items) == listing.total
        else f"{len(items)} of {listing.total} digests",
        "ID",
        "To",
        "State",
        "Failing since",
        "Attempts",
        "Last SMTP reply",
        "Last action",
    )
    for item in items:
        row = item.row
        state = row.state + (" (overdue)" if item.overdue(now, window) else "")
        last = ""
        if item.actions:
            a = item.actions[-1]
            last = f"{a.action} by {a.by}, {_short(a.at)}: {a.note}"
        table.add_row(
            str(row.id),
            row.recipient,
            state,
            _short(row.first_failed_at),
            str(row.attempts),
            _reply(row.last_error, row.recipient),
            last,
        )
    console.print(table)


IDS = typer.Argument(metavar="ID", help="Digest IDs (from `cswatch outbox list`).")
SUBSCRIBER = typer.Option("--subscriber", help="Every digest of this subscriber it applies to.")
NOTE = typer.Option("--note", help="Why (kept with the action).")
BY = typer.Option("--by", help="Who acts (default: your login name).")


def _act(action: Action, ids: list[int] | None, subscriber: str | None, note: str, by: str | None):
    if not ids and subscriber is None:
        err.print("[red]cswatch:[/red] say which digests: an ID or --subscriber EMAIL")
        raise typer.Exit(2)
    service = _service()
    with Session(service.engine) as session:
        try:
            result = settle(
                session,
                action,
                ids=ids or [],
                subscriber=subscriber,
                who=output.operator_name(by),
                note=note,
                now=datetime.now(UTC),
                lease_seconds=service.settings.mail.sending_lease_seconds,
            )
        except OutboxError as exc:
            err.print(f"[red]cswatch:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from exc
        session.commit()
    for row in result.done:
        console.print(f"{DONE[action]} digest {row.id} to {row.recipient}.", highlight=False)
    for refusal in result.refused:
        err.print(f"[red]cswatch:[/red] {refusal.reason}", highlight=False)
    if any(r.busy for r in result.refused):
        raise typer.Exit(BUSY_EXIT)
    if result.refused:
        raise typer.Exit(2)


@outbox_app.command("hold")
def hold(
    ids: Annotated[list[int] | None, IDS] = None,
    subscriber: Annotated[str | None, SUBSCRIBER] = None,
    note: Annotated[str, NOTE] = ...,  # type: ignore[assignment]
    by: Annotated[str | None, BY] = None,
) -> None:
    """Hold digests: not sent, nor counted by `cswatch health` as stuck, until released."""
    _act(Action.HOLD, ids, subscriber, note, by)


@outbox_app.command("release")
def release(
    ids: Annotated[list[int] | None, IDS] = None,
    subscriber: Annotated[str | None, SUBSCRIBER] = None,
    note: Annotated[str, NOTE] = ...,  # type: ignore[assignment]
    by: Annotated[str | None, BY] = None,
) -> None:
    """Release held digests: tried again at the next send."""
    _act(Action.RELEASE, ids, subscriber, note, by)


@outbox_app.command("drop")
def drop(
    ids: Annotated[list[int] | None, IDS] = None,
    subscriber: Annotated[str | None, SUBSCRIBER] = None,
    note: Annotated[str, NOTE] = ...,  # type: ignore[assignment]
    by: Annotated[str | None, BY] = None,
) -> None:
    """Drop digests for good: never sent. The row stays, listed by `list --all` with why."""
    _act(Action.DROP, ids, subscriber, note, by)
