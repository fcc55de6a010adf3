"""Logging set-up: human lines for the one-shot CLI, one JSON object per line for the daemon,
and the daemon's first screen for people."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from config.wiring import Service

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...extra fields}`: easy to grep and to ship."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def configure(level: str, *, json_lines: bool, stream=None) -> None:  # type: ignore[no-untyped-def]
    handler = logging.StreamHandler(stream or (sys.stdout if json_lines else sys.stderr))
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))


def data_as_of(service: Service) -> str | None:
    """'data as of ...': when each source last succeeded; None before any has (a first run)."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from ingest.models import Run

    with Session(service.engine) as session:
        rows = session.exec(
            select(Run.source, func.max(Run.finished_at))
            .where(col(Run.status).in_(("ok", "partial")))
            .group_by(Run.source)
        ).all()
    done = [(source, finished) for source, finished in sorted(rows) if finished]
    if not done:
        return None
    return "data as of " + ", ".join(
        f"{source} {finished:%Y-%m-%d %H:%M} UTC" for source, finished in done
    )


def announce_daemon(service: Service, health: Any, web_url: str | None) -> None:
    """The daemon's first screen, for people (stderr): where to look, and whether there is
    data yet. The JSON log lines on stdout are for machines."""
    from config.settings import local_web_url

    settings = service.settings
    database = settings.sqlite_path() or make_url(settings.database_url).render_as_string(
        hide_password=True
    )
    lines = ["cswatch is running; Ctrl-C stops it. JSON log lines follow on stdout."]
    if web_url:
        lines.append(f"  board:    {web_url}")
    else:
        lines.append(
            "  board:    not served by this daemon (`cswatch serve`, or set "
            "CSWATCH_WEB__SERVE_IN_DAEMON=true)"
        )
    if health is not None:
        host, port = health.server_address[:2]
        lines.append(f"  health:   {local_web_url(host, port)}/healthz")
    lines.append(f"  database: {database}")
    lines.append(
        "  "
        + (
            data_as_of(service)
            or "no source has been fetched yet: the first fetches start now, and the board "
            "fills in as each one finishes (Ofsted takes a few minutes)"
        )
    )
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()
