"""The alerts commands of `cswatch`: changes, subscribers, digest, demo. Wiring only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from sqlmodel import Session

from alerts import describe
from alerts import subscribers as subs
from alerts.changes import list_changes
from alerts.delivery import deliver, outbox_counts
from alerts.digest import plan, preview
from alerts.models import Frequency
from config import output
from config.jobs import alerts_turn
from ingest.gazetteer import AmbiguousName, UnknownName

if TYPE_CHECKING:
    from config.wiring import Service

console = Console()
err = Console(stderr=True)

subscribers_app = typer.Typer(help="Manage alert subscribers.", no_args_is_help=True)
digest_app = typer.Typer(help="Preview and send digests of changes.", no_args_is_help=True)


def _service() -> Service:
    from config.cli import _service as build

    return build()


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]cswatch:[/red] {message}", highlight=False)
    return typer.Exit(code)


# -- changes ------------------------------------------------------------------------------


def _value(stored: str | None) -> object:
    """A change's old or new value as JSON: delivery and intervention states are stored as
    JSON text and come out as objects, grades and kinds as plain strings."""
    if stored and stored[:1] in "{[":
        try:
            return json.loads(stored)
        except ValueError:
            return stored
    return stored


def changes(
    since: Annotated[
        str | None, typer.Option(help="Only changes detected on or after this date (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Changes detected after ingest runs: grades, inspections, visits, delivery, intervention."""
    moment = None
    if since:
        try:
            moment = datetime.combine(date.fromisoformat(since), time(0), tzinfo=UTC)
        except ValueError as exc:
            raise _fail(f"--since {since!r} is not a date like 2026-01-31") from exc
    service = _service()
    with Session(service.engine) as session:
        rows = list_changes(session, since=moment)
    if as_json:
        for change, authority in rows:
            typer.echo(
                json.dumps(
                    {
                        "id": change.id,
                        "authority": authority.slug,
                        "authority_name": authority.name,
                        "kind": change.kind,
                        "old": _value(change.old_value),
                        "new": _value(change.new_value),
                        "summary": describe.sentence(change, authority.name),
                        "evidence": json.loads(change.evidence),
                        "confirmed": change.confirmed,
                        "occurred_on": change.occurred_on.isoformat()
                        if change.occurred_on
                        else None,
                        "detected_at": change.detected_at.isoformat(),
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not rows:
        console.print("No changes recorded.")
        return
    table = output.table("Changes", "Detected", "Authority", "Change", "What", "Evidence")
    for change, authority in rows:
        links = describe.evidence(change)
        table.add_row(
            f"{change.detected_at:%Y-%m-%d %H:%M}",
            authority.name,
            describe.headline(change) + ("" if change.confirmed else " (reported)"),
            describe.sentence(change, authority.name),
            links[0].url if links else "",
        )
    console.print(table)


# -- subscribers --------------------------------------------------------------------------

AuthorityOpt = Annotated[
    list[str] | None,
    typer.Option("--authority", help="Only this authority (any spelling); repeatable."),
]
RegionOpt = Annotated[
    list[str] | None, typer.Option("--region", help="Only authorities in this region; repeatable.")
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option("--kind", help="Only this kind of change (e.g. rating_changed); repeatable."),
]


def _resolve(service: Service, names: list[str] | None) -> tuple[str, ...]:
    slugs = []
    for name in names or []:
        try:
            slugs.append(service.gazetteer.resolve(name).slug)
        except (AmbiguousName, UnknownName) as exc:
            raise _fail(str(exc)) from exc
    return tuple(slugs)


def _filters(
    service: Service,
    authority: list[str] | None,
    region: list[str] | None,
    kind: list[str] | None,
    reported: bool,
) -> subs.Filters:
    return subs.Filters(
        authorities=_resolve(service, authority),
        regions=tuple(region or ()),
        kinds=tuple(kind or ()),
        include_reported=reported,
    )


@subscribers_app.command("add")
def subscribers_add(
    email: str,
    name: Annotated[str | None, typer.Option(help="The subscriber's name.")] = None,
    frequency: Annotated[
        Frequency, typer.Option(help="immediate, daily or weekly.")
    ] = Frequency.DAILY,
    authority: AuthorityOpt = None,
    region: RegionOpt = None,
    kind: KindOpt = None,
    reported: Annotated[
        bool, typer.Option("--reported/--confirmed-only", help="Also news reports.")
    ] = False,
    confirmed: Annotated[bool, typer.Option(help="The address is already confirmed.")] = False,
) -> None:
    """Add a subscriber; they hear of changes detected from now on."""
    service = _service()
    with Session(service.engine) as session:
        try:
            subscriber = subs.add(
                session,
                email,
                name=name,
                frequency=frequency,
                filters=_filters(service, authority, region, kind, reported),
                confirmed=confirmed,
            )
        except subs.SubscriberError as exc:
            raise _fail(str(exc)) from exc
        session.commit()
        console.print(f"Added {subscriber.email} ({subscriber.frequency}).", highlight=False)


@subscribers_app.command("edit")
def subscribers_edit(
    email: str,
    name: Annotated[str | None, typer.Option(help="The subscriber's name.")] = None,
    frequency: Annotated[Frequency | None, typer.Option(help="immediate, daily or weekly.")] = None,
    authority: AuthorityOpt = None,
    region: RegionOpt = None,
    kind: KindOpt = None,
    reported: Annotated[
        bool | None, typer.Option("--reported/--confirmed-only", help="Also news reports.")
    ] = None,
    confirmed: Annotated[bool | None, typer.Option("--confirmed/--unconfirmed")] = None,
) -> None:
    """Change a subscriber; filters given replace the old ones."""
    service = _service()
    with Session(service.engine) as session:
        try:
            current = subs.Filters.of(subs.get(session, email))
            touched = authority or region or kind or reported is not None
            filters = None
            if touched:
                filters = subs.Filters(
                    authorities=_resolve(service, authority) if authority else current.authorities,
                    regions=tuple(region) if region else current.regions,
                    kinds=tuple(kind) if kind else current.kinds,
                    include_reported=current.include_reported if reported is None else reported,
                )
            subscriber = subs.edit(
                session,
                email,
                name=name,
                frequency=frequency,
                filters=filters,
                confirmed=confirmed,
            )
        except subs.SubscriberError as exc:
            raise _fail(str(exc)) from exc
        session.commit()
        console.print(f"Updated {subscriber.email}.", highlight=False)


@subscribers_app.command("remove")
def subscribers_remove(email: str) -> None:
    """Remove a subscriber and their queued digests."""
    service = _service()
    with Session(service.engine) as session:
        try:
            subs.remove(session, subs.get(session, email))
        except subs.SubscriberError as exc:
            raise _fail(str(exc)) from exc
        session.commit()
    console.print(f"Removed {email}.", highlight=False)


@subscribers_app.command("unsubscribe")
def subscribers_unsubscribe(token: str) -> None:
    """Unsubscribe the holder of a token (what the one-click link does)."""
    service = _service()
    with Session(service.engine) as session:
        try:
            address = subs.unsubscribe(session, token)
        except subs.UnknownToken as exc:
            raise _fail(str(exc)) from exc
        session.commit()
    console.print(f"Unsubscribed {address}.", highlight=False)


@subscribers_app.command("list")
def subscribers_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Every subscriber with their filters (tokens are not shown)."""
    from sqlmodel import select

    from alerts.models import Subscriber

    service = _service()
    with Session(service.engine) as session:
        rows = session.exec(select(Subscriber).order_by(Subscriber.email)).all()
    if as_json:
        for s in rows:
            f = subs.Filters.of(s)
            typer.echo(
                json.dumps(
                    {
                        "email": s.email,
                        "name": s.name,
                        "confirmed": s.confirmed,
                        "frequency": s.frequency,
                        "authorities": list(f.authorities),
                        "regions": list(f.regions),
                        "kinds": list(f.kinds),
                        "include_reported": f.include_reported,
                        "last_digest_at": s.last_digest_at.isoformat()
                        if s.last_digest_at
                        else None,
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = output.table(
        f"{len(rows)} subscribers",
        "Email",
        "Name",
        "Confirmed",
        "Frequency",
        "Filters",
        "Last digest",
    )
    for s in rows:
        table.add_row(
            s.email,
            s.name or "",
            "yes" if s.confirmed else "no",
            s.frequency,
            subs.Filters.of(s).describe(),
            f"{s.last_digest_at:%Y-%m-%d %H:%M}" if s.last_digest_at else "",
        )
    console.print(table)


@subscribers_app.command("import")
def subscribers_import(
    file: Annotated[
        Path, typer.Argument(help="CSV with a header: " + ",".join(subs.IMPORT_COLUMNS))
    ],
) -> None:
    """Add or update subscribers from a CSV file, all or nothing (lists split by ';')."""
    service = _service()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from exc

    def resolve(name: str) -> str:
        return service.gazetteer.resolve(name).slug

    with Session(service.engine) as session:
        try:
            added, updated = subs.import_csv(session, text, resolve=resolve)
        except subs.SubscriberError as exc:
            raise _fail(f"{file}: nothing imported: {exc}") from exc
        session.commit()
    console.print(f"{added} added, {updated} updated.")


# -- digests ------------------------------------------------------------------------------


@digest_app.command("preview")
def digest_preview(
    email: str,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the HTML part to this file.")
    ] = None,
) -> None:
    """Show the digest a subscriber would get now, without sending or changing anything."""
    service = _service()
    with Session(service.engine) as session:
        try:
            subscriber = subs.get(session, email)
        except subs.SubscriberError as exc:
            raise _fail(str(exc)) from exc
        rendered = preview(session, subscriber, service.renderer(), datetime.now(UTC))
    if rendered is None:
        console.print(f"Nothing new for {subscriber.email} since their last digest.")
        return
    message = rendered.parsed()
    for header in ("Subject", "To", "List-Unsubscribe"):
        typer.echo(f"{header}: {message[header]}")
    text = message.get_body(("plain",))
    assert text is not None
    typer.echo("")
    typer.echo(text.get_content())
    if html is not None:
        part = message.get_body(("html",))
        assert part is not None
        html.write_text(part.get_content(), encoding="utf-8")
        console.print(f"HTML part written to {html}", highlight=False)


@digest_app.command("send")
def digest_send(
    frequency: Annotated[
        list[Frequency] | None,
        typer.Option(help="Only subscribers with this frequency; repeatable."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show who would get what; queue and send nothing.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object: the whole result.")
    ] = False,
) -> None:
    """Queue the digests that are due, then send every pending one (retries included)."""
    service = _service()
    now = datetime.now(UTC)
    wanted = [f.value for f in frequency] if frequency else None
    with alerts_turn(service), Session(service.engine) as session:
        planned = plan(session, service.renderer(), now=now, frequencies=wanted, dry_run=dry_run)
    due = [p for p in planned if p.changes]
    result: dict[str, object] = {
        "dry_run": dry_run,
        "digests": [
            {"subscriber": p.subscriber, "subject": p.subject, "changes": p.changes} for p in due
        ],
        "queued": 0 if dry_run else len(due),
    }
    if not as_json:
        for item in due:
            console.print(f"{item.subscriber}: {item.subject}", highlight=False)
    if dry_run:
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
        else:
            console.print(f"Dry run: {len(due)} digests would be queued; nothing sent.")
        return
    backend = service.mail_backend()
    summary = deliver(service.engine, backend, service.delivery_options())
    with Session(service.engine) as session:
        counts = outbox_counts(session)
    if as_json:
        result |= {
            "backend": backend.name,
            "sent": summary.sent,
            "retrying": summary.retrying,
            "failed": [{"recipient": f.recipient, "error": f.error} for f in summary.failed],
            "outbox": counts,
            "outbox_dir": str(service.outbox_dir) if backend.name == "file" else None,
        }
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        console.print(
            f"{len(due)} digests queued; {summary.sent} sent, {summary.retrying} to retry later, "
            f"{len(summary.failed)} failed ({backend.name})."
        )
        for failure in summary.failed:
            err.print(f"[red]failed[/red] {failure.recipient}: {failure.error}", highlight=False)
        if backend.name == "file" and summary.sent:
            console.print(f"Messages written to {service.outbox_dir}/", highlight=False)
        console.print("Outbox: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if summary.failed:
        raise typer.Exit(1)


# -- demo ---------------------------------------------------------------------------------


def demo(
    folder: Annotated[
        Path | None,
        typer.Option(
            help="Where the demo's database and outbox go. Default: var_dir (var/ in the home)."
        ),
    ] = None,
) -> None:
    """An offline demo: serve a small Ofsted replica, ingest, change a grade, ingest, digest."""
    from config.demo import demo_settings, run_demo
    from config.settings import load_settings

    where = folder.resolve() if folder is not None else load_settings().var_dir
    run_demo(where, console)
    url = demo_settings(where).database_url
    console.print(
        f"Browse the demo's board: CSWATCH_DATABASE_URL={url} cswatch serve",
        highlight=False,
        soft_wrap=True,
    )
