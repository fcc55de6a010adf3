"""The `cswatch` command: wiring only; the work happens in ingest and alerts."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlmodel import Session

from config import alerts_cli
from config.settings import Settings, SettingsError, load_settings
from config.wiring import Service
from ingest.extract.reports import parse_report_file
from ingest.gazetteer import AmbiguousName, UnknownName
from ingest.pipeline import OfstedRunSummary
from ingest.status import current_statuses

app = typer.Typer(
    help="Children's Services Watch: Ofsted judgements and delivery news for English councils.",
    no_args_is_help=True,
    add_completion=False,
)
fetch_app = typer.Typer(help="Fetch sources once, now.", no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")
app.add_typer(alerts_cli.subscribers_app, name="subscribers")
app.add_typer(alerts_cli.digest_app, name="digest")
app.command("changes")(alerts_cli.changes)
app.command("demo")(alerts_cli.demo)

console = Console()
err = Console(stderr=True)

GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    "adequate": "Adequate",
}


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        err.print(f"[red]cswatch: bad settings:[/red] {exc}")
        raise typer.Exit(2) from exc


def _service() -> Service:
    settings = _settings()
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return Service(settings)


@app.command()
def init() -> None:
    """Create or upgrade the database schema and load the gazetteer of authorities."""
    service = _service()
    service.engine  # noqa: B018  (building the engine migrates and syncs)
    console.print(f"Database ready: {service.settings.database_url}")


def _print_summary(summary: OfstedRunSummary) -> None:
    table = Table(title="Ofsted fetch", show_header=False)
    for key, value in summary.counts().items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)
    for error in summary.errors[:50]:
        console.print(f"[yellow]error[/yellow] {error.reason}", highlight=False)
    if len(summary.errors) > 50:
        console.print(f"... and {len(summary.errors) - 50} more errors (see the run record)")


@fetch_app.command("ofsted")
def fetch_ofsted(
    authority: Annotated[
        str | None, typer.Option(help="Only this authority (any spelling the gazetteer knows).")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many providers.")] = None,
) -> None:
    """Fetch the Ofsted listing, provider pages and new reports once."""
    service = _service()
    only = None
    if authority:
        try:
            record = service.gazetteer.resolve(authority)
        except (AmbiguousName, UnknownName) as exc:
            err.print(f"[red]cswatch:[/red] {exc}")
            raise typer.Exit(2) from exc
        if not record.ofsted_urn:
            err.print(f"[red]cswatch:[/red] {record.name} has no Ofsted provider URN")
            raise typer.Exit(2)
        only = frozenset({record.ofsted_urn})
    with (
        service.client() as client,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar,
    ):
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        summary = service.ofsted_run(client, only_urns=only, limit=limit, progress=progress)()
    _print_summary(summary)
    detected = service.detect_changes()
    if detected.changes:
        console.print(f"{len(detected.changes)} new changes (see `cswatch changes`)")
    elif detected.baselined:
        console.print("First statuses recorded as the baseline: no changes announced.")
    if summary.status == "failed":
        raise typer.Exit(1)


@app.command()
def status(
    name: Annotated[str | None, typer.Argument(help="An authority, any spelling.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Each authority's current Ofsted status: overall grade, sub-grades, dates, report."""
    service = _service()
    slugs = None
    if name:
        try:
            slugs = [service.gazetteer.resolve(name).slug]
        except (AmbiguousName, UnknownName) as exc:
            err.print(f"[red]cswatch:[/red] {exc}")
            raise typer.Exit(2) from exc
    with Session(service.engine) as session:
        statuses = current_statuses(session, slugs)
    if as_json:
        for item in statuses:
            typer.echo(json.dumps(item.to_json(), sort_keys=True))
        return
    table = Table(title="Ofsted status")
    for column in ("Authority", "Overall", "Inspected", "Published", "Sub-judgements"):
        table.add_column(column)
    for item in statuses:
        subs = ", ".join(f"{area}: {GRADE_LABELS.get(g, g)}" for area, g in item.judgements.items())
        table.add_row(
            item.name,
            GRADE_LABELS.get(item.overall or "", "-"),
            f"{item.inspection_start or ''} to {item.inspection_end or ''}" if item.overall else "",
            str(item.published or ""),
            subs,
        )
    console.print(table)


@app.command("parse-report")
def parse_report_command(
    files: Annotated[list[Path], typer.Argument(help="Report files (PDF).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Judgements of local report files. Exit status 2 if any file is not a readable report."""
    failed = False
    for path in files:
        result = parse_report_file(path)
        result["file"] = str(path)
        failed = failed or "error" in result
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
        elif "error" in result:
            err.print(f"[red]{path}[/red]: {result['error']}", highlight=False)
        else:
            subs = ", ".join(f"{k}={v}" for k, v in result["judgements"].items())
            console.print(
                f"{path}: {result['framework']} {result['authority']} "
                f"{result['inspection_start']}..{result['inspection_end']} "
                f"overall={result['overall']} {subs}",
                highlight=False,
            )
    if failed:
        raise typer.Exit(2)


@app.command()
def run() -> None:
    """Run the service: migrate, then fetch on a schedule until stopped (Ctrl-C)."""
    from config.schedule import run_daemon

    run_daemon(_service())


if __name__ == "__main__":
    app()
