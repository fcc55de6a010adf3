"""The `cswatch` command: wiring only; the work happens in ingest and alerts."""

from __future__ import annotations

import json
import logging
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, TextIO

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

from config import alerts_cli, errors, logs, outbox_cli, output, review_cli
from config.health import check_health
from config.jobs import JOBS, alerts_turn, enabled_sources, run_job_as_child, source_lock
from config.locks import Busy
from config.settings import Settings, load_settings
from config.sources import SOURCES, SourceEntry
from config.wiring import Service
from ingest import vocabulary
from ingest.delivery import (
    DeliveryStatus,
    InterventionStatus,
    delivery_statuses,
    intervention_statuses,
)
from ingest.extract.reports import parse_report_file
from ingest.gazetteer import AmbiguousName, UnknownName
from ingest.provenance import label
from ingest.runs import RunSummary
from ingest.sources.articles import ArticleError, extract_article, is_html
from ingest.status import OfstedStatus, current_statuses

app = typer.Typer(
    cls=errors.Commands,  # a broken environment: two lines, never a traceback
    help="Children's Services Watch: Ofsted judgements and delivery news for English councils.",
    no_args_is_help=True,
    add_completion=False,
)
log = logging.getLogger("cswatch")
fetch_app = typer.Typer(help="Fetch sources once, now.", no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")
app.add_typer(alerts_cli.subscribers_app, name="subscribers")
app.add_typer(alerts_cli.digest_app, name="digest")
app.add_typer(review_cli.review_app, name="review")
app.add_typer(outbox_cli.outbox_app, name="outbox")
app.command("changes")(alerts_cli.changes)
app.command("demo")(alerts_cli.demo)

console = Console()
err = Console(stderr=True, soft_wrap=True)  # error lines stay whole, for people and grep

BUSY_EXIT = 3  # the source is being fetched by the daemon or another command

GRADE_LABELS = vocabulary.capitalised(vocabulary.GRADE_LABELS)


def _settings() -> Settings:
    """The settings; a bad one ends the command in `Commands.invoke` (exit status 2)."""
    return load_settings()


def _service(*, json_logs: bool = False, stream: TextIO | None = None) -> Service:
    settings = _settings()
    logs.configure(settings.log_level, json_lines=json_logs, stream=stream)
    return Service(settings)


@app.command()
def init() -> None:
    """Create or upgrade the database schema and load the gazetteer of authorities."""
    service = _service()
    try:
        service.engine  # noqa: B018  (building the engine migrates and syncs)
    except Busy as exc:  # another replica has been migrating for too long
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    console.print(f"Database ready: {service.settings.database_url}")


def _print_summary(summary: RunSummary, title: str = "Ofsted fetch") -> None:
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
    with (
        _source_lock_or_exit(service, "ofsted"),
        service.client() as client,
        _progress_bar() as progress,
    ):
        summary = service.ofsted_run(client, only_urns=only, limit=limit, progress=progress)()
    _print_summary(summary)
    _detect_changes(service)
    if summary.status == "failed":
        raise typer.Exit(1)


def _detect_changes(service: Service) -> None:
    """After an ingest: record what changed (digests go out from the daemon or `digest send`)."""
    with alerts_turn(service):
        detected = service.detect_changes()
    if detected.changes:
        console.print(f"{len(detected.changes)} new changes (see `cswatch changes`)")
    elif detected.baselined:
        console.print("First statuses recorded as the baseline: no changes announced.")


def _run_source(service: Service, entry: SourceEntry) -> RunSummary | None:
    """Run one registered source once under its lock and print its summary; None if disabled."""
    if not entry.enabled(service.settings):
        console.print(f"{entry.name}: disabled in settings ([{entry.section}] enabled = false)")
        return None
    with (
        _source_lock_or_exit(service, entry.name),
        service.client() as client,
        _progress_bar() as progress,
    ):
        summary = entry.build(service, client, progress)()
    _print_summary(summary, title=entry.title)
    if entry.after is not None and summary.status != "interrupted":
        for name, count in entry.after(service).items():
            console.print(f"{name.replace('_', ' ')}: {count}")
    return summary


def _fetch_command(entry: SourceEntry) -> Callable[[], None]:
    def command() -> None:
        service = _service()
        summary = _run_source(service, entry)
        _detect_changes(service)
        if summary is not None and summary.status == "failed":
            raise typer.Exit(1)

    command.__doc__ = entry.help
    return command


for _entry in SOURCES.values():
    if _entry.name != "ofsted":  # `fetch ofsted` has its own options, above
        fetch_app.command(_entry.name)(_fetch_command(_entry))


@fetch_app.command("page")
def fetch_page(
    urls: Annotated[list[str], typer.Argument(help="Article page URLs (e.g. on CYP Now).")],
) -> None:
    """Read article pages given by URL once (sites we follow without polling, like CYP Now)."""
    service = _service()
    with (
        _source_lock_or_exit(service, "news"),
        service.client() as client,
    ):
        summary = service.news_run(client, pages=tuple(urls), feeds=False)()
    _print_summary(summary, title="Pages fetch")
    _detect_changes(service)
    if summary.status == "failed" or summary.article_errors:
        raise typer.Exit(1)


@fetch_app.command("all")
def fetch_all() -> None:
    """Fetch every registered source once; each fails alone. Exit 1 if any source failed."""
    service = _service()
    statuses: dict[str, str] = {}
    for name, entry in SOURCES.items():
        try:
            summary = _run_source(service, entry)
        except typer.Exit as exc:
            statuses[name] = "busy" if exc.exit_code == BUSY_EXIT else "failed"
            continue
        except Exception as exc:  # one source's crash must not stop the others
            log.exception("%s: run failed", name)
            err.print(f"[red]{name}: run failed:[/red] {exc}", highlight=False)
            statuses[name] = "failed"
            continue
        statuses[name] = summary.status if summary is not None else "disabled"
    _detect_changes(service)
    table = Table(title="Fetch all")
    table.add_column("Source")
    table.add_column("Status")
    for name, status_ in statuses.items():
        table.add_row(name, status_)
    console.print(table)
    if "failed" in statuses.values():
        raise typer.Exit(1)


MODEL_LABELS = vocabulary.MODEL_LABELS


def _delivery_json(item: DeliveryStatus | None) -> dict[str, object]:
    """Today's delivery model; in house with status null when nothing is recorded."""
    if item is None:
        return {
            "model": "in_house",
            "provider": None,
            "stage": "operational",
            "since": None,
            "since_as_stated": None,
            "status": None,
            "evidence": [],
            "planned": None,
        }
    plan = item.planned
    return {
        "model": item.model,
        "provider": item.provider,
        "stage": item.stage,
        "since": item.since.isoformat() if item.since else None,
        "since_as_stated": item.since_text,
        "status": label(item.confirmed),
        "evidence": [e.url for e in item.evidence],
        "planned": None
        if plan is None
        else {
            "model": plan.model,
            "provider": plan.provider,
            "stage": plan.stage,
            "since": plan.since.isoformat() if plan.since else None,
            "status": label(plan.confirmed),
            "evidence": [e.url for e in plan.evidence],
        },
    }


def _intervention_json(item: InterventionStatus | None) -> dict[str, object] | None:
    if item is None:
        return None
    return {
        "actions": list(item.actions),
        "since": item.since.isoformat() if item.since else None,
        "status": "confirmed" if item.confirmed else "reported",
        "evidence": [e.url for e in item.evidence],
    }


def _delivery_label(item: DeliveryStatus | None) -> str:
    if item is None:
        return "in house (no record)"
    provider = f" ({item.provider})" if item.provider else ""
    tag = "" if item.confirmed is not False else ", reported"
    since = f" since {item.since_text}" if item.since_text else ""
    text = f"{MODEL_LABELS.get(item.model, item.model)}{provider}{since}{tag}"
    if item.planned is not None:
        plan = item.planned
        text += f"; {MODEL_LABELS.get(plan.model, plan.model)} {plan.stage}"
    return text


@app.command()
def status(
    name: Annotated[str | None, typer.Argument(help="An authority, any spelling.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Each authority's current status: Ofsted grades and dates, delivery model, intervention."""
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
        delivery = delivery_statuses(session)
        interventions = intervention_statuses(session)
    if as_json:
        for item in statuses:
            data = item.to_json()
            data["delivery_model"] = _delivery_json(delivery.get(item.slug))
            data["intervention"] = _intervention_json(interventions.get(item.slug))
            typer.echo(json.dumps(data, sort_keys=True))
        return
    if name:
        _print_detail(
            statuses[0], delivery.get(statuses[0].slug), interventions.get(statuses[0].slug)
        )
        return
    table = output.table(
        "Status of children's services",
        "Authority",
        "Ofsted",
        "Inspected",
        "Delivery model",
        "Intervention",
    )
    table.caption = logs.data_as_of(service) or (
        "No source has been fetched yet: run `cswatch fetch all`, or start `cswatch run`."
    )
    for item in statuses:
        intervention = interventions.get(item.slug)
        table.add_row(
            item.name,
            GRADE_LABELS.get(item.overall or "", "-"),
            str(item.inspection_end or ""),
            _delivery_label(delivery.get(item.slug)),
            ", ".join(intervention.actions) if intervention else "",
        )
    console.print(table)


def _print_detail(
    item: OfstedStatus, delivery: DeliveryStatus | None, intervention: InterventionStatus | None
) -> None:
    console.print(f"[bold]{item.name}[/bold] ({item.region or 'no region'})", highlight=False)
    if not item.overall:
        console.print("  No graded inspection on record yet.")
    else:
        console.print(
            f"  Overall effectiveness: [bold]{GRADE_LABELS[item.overall]}[/bold] "
            f"({item.framework}; inspected {item.inspection_start} to {item.inspection_end}, "
            f"published {item.published or 'unknown'}, lead inspector {item.lead_inspector})",
            highlight=False,
        )
        for area, grade in item.judgements.items():
            console.print(f"    {area.replace('_', ' ')}: {GRADE_LABELS.get(grade, grade)}")
        console.print(f"  Report: {item.report_url}", highlight=False)
    if item.latest_visit:
        console.print(
            f"  Latest visit: {item.latest_visit} ({item.latest_visit_published}) "
            f"{item.latest_visit_url}",
            highlight=False,
        )
    console.print(f"  Delivery model: {_delivery_label(delivery)}", highlight=False)
    if delivery is not None:
        console.print(f"    since {delivery.since or 'unknown'}", highlight=False)
        for evidence in delivery.evidence:
            console.print(f"    evidence: {evidence.url}", highlight=False)
    if intervention is not None:
        tag = "confirmed" if intervention.confirmed else "reported"
        console.print(
            f"  Intervention: {', '.join(intervention.actions)} since {intervention.since} ({tag})",
            highlight=False,
        )


def _not_an_article(file: Path, raw: bytes) -> str | None:
    """Why a file cannot be read as an article (text or HTML), or None."""
    if raw.lstrip()[:5] == b"%PDF-":
        return (
            f"{file} is a PDF; extract-events reads articles (plain text or HTML). "
            f"For an Ofsted report use: cswatch parse-report {shlex.quote(str(file))}"
        )
    if b"\x00" in raw[:65536]:
        return f"{file} is binary, not an article (give plain text or an HTML page)"
    return None


@app.command("extract-events")
def extract_events_command(
    file: Annotated[Path, typer.Argument(help="An article: plain text or an HTML page.")],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD: relative dates are resolved from it."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"events": [...]}.')] = False,
) -> None:
    """The rating, delivery-model and intervention events an article states."""
    try:
        day = date.fromisoformat(published) if published else None
    except ValueError as exc:
        err.print(f"[red]cswatch:[/red] --published {published!r} is not a date YYYY-MM-DD")
        raise typer.Exit(2) from exc
    try:
        raw = file.read_bytes()
    except OSError as exc:
        err.print(f"[red]cswatch:[/red] cannot read {file}: {exc.strerror}")
        raise typer.Exit(2) from exc
    problem = _not_an_article(file, raw)
    if problem:
        if as_json:
            typer.echo(json.dumps({"error": problem, "file": str(file)}, ensure_ascii=False))
        else:
            err.print(f"cswatch: {problem}", highlight=False, markup=False)
        raise typer.Exit(2)
    text = raw.decode("utf-8", errors="replace")
    title = None
    if is_html(raw, "text/html" if file.suffix.lower() in {".html", ".htm"} else ""):
        try:
            extracted = extract_article(text, file.resolve().as_uri())
        except ArticleError as exc:
            err.print(f"[red]cswatch:[/red] {file}: {exc}")
            raise typer.Exit(2) from exc
        text, title = extracted.text, extracted.title
        day = day or (extracted.published.date() if extracted.published else None)
    service = Service(_settings())  # no database needed
    events = service.extractor.extract(text, published=day, title=title)
    payload = {"events": [event.to_json(service.gazetteer) for event in events]}
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    relevance = service.extractor.relevance(title or "", text)
    console.print(f"relevant: {relevance.relevant} ({relevance.reason})", highlight=False)
    for event in payload["events"]:
        value = event["grade"] or event["model"] or event["action"]
        console.print(
            f"{event['authority']}: {event['kind']} {value} {event['stage'] or ''} "
            f"{event['provider'] or ''} {event['date'] or ''} "
            f'(confidence {event["confidence"]:.2f})\n  "{event["evidence"]}"',
            highlight=False,
        )


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


@contextmanager
def _source_lock_or_exit(service: Service, name: str) -> Iterator[None]:
    """Hold the source's lock; if the daemon (or another fetch) is running it, say so and stop."""
    with ExitStack() as held:
        try:
            held.enter_context(source_lock(service, name))
        except Busy as exc:
            err.print(f"[yellow]cswatch: busy:[/yellow] {exc}; try again when it has finished")
            raise typer.Exit(BUSY_EXIT) from exc
        yield


@app.command()
def run() -> None:
    """Run the service: migrate, lead (one daemon per database), fetch on schedule, until
    SIGTERM or Ctrl-C. JSON log lines on stdout."""
    from config.schedule import run_daemon

    raise typer.Exit(run_daemon(_service(json_logs=True)))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: web.host.")] = None,
    port: Annotated[int | None, typer.Option(help="Default: web.port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Default: web.workers.")] = None,
) -> None:
    """Serve the web app (board, timelines, feeds, API, subscriptions) until Ctrl-C."""
    from config.web import address, listen
    from config.web import serve as serve_web

    service = _service()
    web = service.settings.web
    sock = listen(host or web.host, web.port if port is None else port)
    err.print(f"cswatch: the web app is on {address(sock)}  (Ctrl-C stops it)", highlight=False)
    serve_web(service, sock, workers or web.workers)


@app.command(hidden=True)
def job(name: Annotated[str, typer.Argument(help="A job name from [schedule.jobs].")]) -> None:
    """Run one scheduled job now, as the daemon does (in its own process)."""
    if name not in JOBS:
        err.print(f"[red]cswatch:[/red] no job called {name!r} (known: {', '.join(JOBS)})")
        raise typer.Exit(2)
    # stdout carries the result line to the daemon; the job's own log lines go to stderr.
    raise typer.Exit(run_job_as_child(_service(json_logs=True, stream=sys.stderr), name))


@app.command()
def health(
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
    daemon: Annotated[bool, typer.Option(help="Require a live daemon (leader heartbeat).")] = True,
) -> None:
    """Is the service healthy? Exit status 0 if so, 1 if not, with the reasons."""
    service = _service()
    report = check_health(service, enabled_sources(service.settings), require_daemon=daemon)
    if as_json:
        typer.echo(json.dumps(report.to_json(), sort_keys=True))
    else:
        console.print("[green]healthy[/green]" if report.healthy else "[red]unhealthy[/red]")
        if report.leader:
            console.print(f"leader: {report.leader}", highlight=False)
        for source in report.sources:
            when = (
                source.last_success.isoformat(timespec="seconds")
                if source.last_success
                else "never"
            )
            console.print(
                f"{source.source}: last success {when}, "
                f"{source.consecutive_failures} failures since",
                highlight=False,
            )
        for reason in report.reasons:
            console.print(f"[red]-[/red] {reason}", highlight=False)
        if report.held_digests:
            console.print(
                f"{report.held_digests} digests held by an operator "
                "(`cswatch outbox list` says who held them and why)"
            )
        if report.discrepancies:
            console.print(f"{len(report.discrepancies)} councils differ from Ofsted's statistics:")
            for line in report.discrepancies:
                console.print(f"[yellow]-[/yellow] {line}", highlight=False)
    raise typer.Exit(0 if report.healthy else 1)


if __name__ == "__main__":
    app()
