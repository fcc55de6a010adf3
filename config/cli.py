"""The `cswatch` command: wiring only; the work happens in ingest (and later alerts)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlmodel import Session

from config.settings import Settings, SettingsError, load_settings
from config.wiring import Service
from ingest.extract.reports import parse_report_file
from ingest.gazetteer import AmbiguousName, UnknownName
from ingest.news_pipeline import NewsRunSummary
from ingest.pipeline import OfstedRunSummary
from ingest.status import current_statuses

app = typer.Typer(
    help="Children's Services Watch: Ofsted judgements and delivery news for English councils.",
    no_args_is_help=True,
    add_completion=False,
)
fetch_app = typer.Typer(help="Fetch sources once, now.", no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")

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


def _print_summary(summary: OfstedRunSummary | NewsRunSummary, title: str = "Ofsted fetch") -> None:
    table = Table(title=title, show_header=False)
    for key, value in summary.counts().items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)
    for error in summary.errors[:50]:
        console.print(f"[yellow]error[/yellow] {error.reason}", highlight=False)
    if len(summary.errors) > 50:
        console.print(f"... and {len(summary.errors) - 50} more errors (see the run record)")


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar on stderr; yields the callback the runs report to."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield progress


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
    with service.client() as client, _progress_bar() as progress:
        summary = service.ofsted_run(client, only_urns=only, limit=limit, progress=progress)()
    _print_summary(summary)
    if summary.status == "failed":
        raise typer.Exit(1)


def _news_source(service: Service, name: str) -> NewsRunSummary | None:
    """Run `news` or `govuk` once and print its summary; None when disabled in settings."""
    if not getattr(service.settings, name).enabled:
        console.print(f"{name}: disabled in settings ([{name}] enabled = false)")
        return None
    with service.client() as client, _progress_bar() as progress:
        run = service.news_run if name == "news" else service.govuk_run
        summary = run(client, progress=progress)()
    _print_summary(summary, title="News fetch" if name == "news" else "GOV.UK fetch")
    return summary


@fetch_app.command("news")
def fetch_news() -> None:
    """Fetch the configured news feeds once, and every new article in them."""
    summary = _news_source(_service(), "news")
    if summary is not None and summary.status == "failed":
        raise typer.Exit(1)


@fetch_app.command("govuk")
def fetch_govuk() -> None:
    """Search GOV.UK once for each configured query, and fetch every new result."""
    summary = _news_source(_service(), "govuk")
    if summary is not None and summary.status == "failed":
        raise typer.Exit(1)


@fetch_app.command("all")
def fetch_all() -> None:
    """Fetch Ofsted, news and GOV.UK once; each fails alone. Exit 1 if any source failed."""
    service = _service()
    statuses: dict[str, str] = {}
    for name in ("ofsted", "news", "govuk"):
        try:
            if name == "ofsted":
                with service.client() as client, _progress_bar() as progress:
                    summary: OfstedRunSummary | NewsRunSummary | None = service.ofsted_run(
                        client, progress=progress
                    )()
                _print_summary(summary)
            else:
                summary = _news_source(service, name)
        except Exception as exc:  # one source's crash must not stop the others
            logging.getLogger("cswatch").exception("%s: run failed", name)
            err.print(f"[red]{name}: run failed:[/red] {exc}", highlight=False)
            statuses[name] = "failed"
            continue
        statuses[name] = summary.status if summary is not None else "disabled"
    table = Table(title="Fetch all")
    table.add_column("Source")
    table.add_column("Status")
    for name, status_ in statuses.items():
        table.add_row(name, status_)
    console.print(table)
    if "failed" in statuses.values():
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
