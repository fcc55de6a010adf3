"""A broken environment in one or two lines: what is wrong, which setting or resource, the fix.

Every command and the daemon go through `explain` (config/cli.py does it once for all of
them), so a wrong database URL, an unreachable database, a bad setting or a port in use never
shows a traceback. Exit status 2 means a bad setting, 1 an unreachable resource. Anything
`explain` does not recognise is a bug and keeps its traceback. `Commands` is the CLI's group
that does this for every command; `listening` wraps binding a port.
"""

from __future__ import annotations

import errno
import json
import logging
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import click
import typer
from alembic.util.exc import CommandError
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError
from typer.core import TyperGroup

from config.logs import JsonFormatter
from config.settings import ENV_PREFIX, SettingsError, load_settings

BAD_SETTING = 2
UNREACHABLE = 1


@dataclass(frozen=True)
class Problem:
    """One environment problem, said once for people and once for programs."""

    what: str  # names the setting or resource and what is wrong with it
    fix: str  # what to do about it
    exit_code: int
    setting: str | None = None

    def lines(self) -> list[str]:
        return [f"cswatch: {self.what}", f"  fix: {self.fix}"]

    def to_json(self) -> dict[str, Any]:
        return {
            "error": self.what,
            "fix": self.fix,
            "setting": self.setting,
            "exit_code": self.exit_code,
        }


class Unavailable(Exception):
    """A resource the service was asked to use cannot be had (a port in use, say)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.what)
        self.problem = problem


def env_name(key: str) -> str:
    """The variable that sets a dotted key: web.port -> CSWATCH_WEB__PORT (lists stop at the
    list: news.feeds.0.url -> CSWATCH_NEWS__FEEDS)."""
    parts = []
    for part in key.split("."):
        if part.isdigit():
            break
        parts.append(part.upper())
    return ENV_PREFIX + "__".join(parts)


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line.removeprefix("connection failed: ").strip()


def settings_problem(exc: SettingsError) -> Problem:
    message = str(exc)
    unknown = re.search(r"unknown setting (CSWATCH_\w+)", message)
    if unknown:
        return Problem(
            f"bad settings: {message}",
            f"remove {unknown.group(1)} or correct its spelling (every key is in "
            "config/settings.toml)",
            BAD_SETTING,
        )
    keyed = re.match(r"setting ([\w.]+)", message)
    if keyed:
        key = keyed.group(1)
        return Problem(
            f"bad settings: {message}",
            f"correct {key} in the settings file, or set {env_name(key)}",
            BAD_SETTING,
            key,
        )
    return Problem(f"bad settings: {message}", "correct the settings file named above", BAD_SETTING)


# What the drivers say when the database cannot be had (rather than a query that is wrong,
# like SQLite's 'no such table', which is a bug and keeps its traceback).
_UNREACHABLE_WORDS = (
    "connect",
    "unable to open",
    "database is locked",
    "readonly database",
    "read-only",
    "disk i/o",
    "does not exist",
    "authentication",
    "timeout",
    "timed out",
    "fatal:",
    "no such host",
    "name or service",
)


def _unreachable(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return bool(getattr(exc, "connection_invalidated", False)) or any(
        word in text for word in _UNREACHABLE_WORDS
    )


def database_problem(exc: BaseException, database_url: str | None) -> Problem:
    where = f" at {_safe_url(database_url)}" if database_url else ""
    if database_url and database_url.startswith("sqlite"):
        fix = (
            "make the database file and its folder writable by this user, or point "
            "database_url (CSWATCH_DATABASE_URL) at another file"
        )
    else:
        fix = (
            "start the database server, or point database_url (CSWATCH_DATABASE_URL) at one "
            "that runs"
        )
    return Problem(
        f"cannot reach the database{where}: {_first_line(exc)}", fix, UNREACHABLE, "database_url"
    )


def port_problem(exc: OSError, setting: str, host: str, port: int) -> Problem:
    host_key = setting.rsplit(".", 1)[0] + ".host" if "." in setting else "host"
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return Problem(
            f"cannot listen on {host}:{port} ({host_key}): {host} is not an address of this "
            "machine",
            f"set {env_name(host_key)} to 127.0.0.1 or 0.0.0.0",
            BAD_SETTING,
            host_key,
        )
    if exc.errno == errno.EADDRINUSE:
        what = f"port {port} on {host} ({setting}) is already in use by another program"
    elif exc.errno == errno.EACCES:
        what = f"port {port} on {host} ({setting}) needs privileges this user lacks"
    else:
        what = f"cannot listen on {host}:{port} ({setting}): {exc.strerror or exc}"
    return Problem(
        what,
        f"stop the other program, or set {env_name(setting)} to a free port",
        UNREACHABLE,
        setting,
    )


@contextmanager
def listening(setting: str, host: str, port: int) -> Iterator[None]:
    """Around binding a listening socket: a failure becomes `Unavailable` naming the setting."""
    try:
        yield
    except OSError as exc:
        raise Unavailable(port_problem(exc, setting, host, port)) from exc


_FILE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR, errno.ENOSPC}


def explain(exc: BaseException, database_url: str | None = None) -> Problem | None:
    """The environment problem an exception stands for, or None (a bug: keep the traceback)."""
    if isinstance(exc, Unavailable):
        return exc.problem
    if isinstance(exc, SettingsError):
        return settings_problem(exc)
    if isinstance(exc, OperationalError | InterfaceError) and _unreachable(exc):
        return database_problem(exc, database_url)
    if isinstance(exc, ArgumentError | NoSuchModuleError):
        return Problem(
            f"setting database_url: {_first_line(exc)}",
            "give a URL like sqlite:///var/cswatch.db or postgresql+psycopg://user@host/db "
            "(CSWATCH_DATABASE_URL)",
            BAD_SETTING,
            "database_url",
        )
    if isinstance(exc, CommandError) and "locate revision" in str(exc):
        where = f" at {_safe_url(database_url)}" if database_url else ""
        return Problem(
            f"the database{where} has a schema this version of cswatch does not know "
            f"({_first_line(exc)})",
            "run the cswatch version that made it, or point database_url at another database",
            UNREACHABLE,
            "database_url",
        )
    if isinstance(exc, OSError) and exc.errno in _FILE_ERRORS and exc.filename:
        return Problem(
            f"cannot use {exc.filename}: {exc.strerror}",
            "make the folder writable, or set var_dir / database_url (or CSWATCH_HOME) to a "
            "folder you can write",
            UNREACHABLE,
        )
    return None


# -- the CLI's command group: applies `explain` to every command -------------------------------

_err = Console(stderr=True, soft_wrap=True)  # whole lines, for people and grep


def _database_url() -> str | None:
    try:
        return load_settings().database_url
    except Exception:
        return None


def report(problem: Problem, *, as_json: bool, daemon: bool) -> None:
    """Say a problem in one or two lines: JSON on stdout for `--json`; text on stderr, plus a
    JSON log line on stdout for the daemon (its log is JSON lines)."""
    if as_json:
        typer.echo(json.dumps(problem.to_json(), sort_keys=True))
        return
    for line in problem.lines():
        _err.print(line, highlight=False, markup=False)
    if daemon:
        record = logging.LogRecord("cswatch", logging.ERROR, __file__, 0, problem.what, None, None)
        record.__dict__.update(event="startup_failed", fix=problem.fix, setting=problem.setting)
        typer.echo(JsonFormatter().format(record))


class Commands(TyperGroup):
    """The `cswatch` group: a broken environment ends any command in one or two lines and exit
    status 2 (a bad setting) or 1 (an unreachable resource); a bug keeps its traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["cswatch.json"] = "--json" in args
        ctx.meta["cswatch.command"] = next((a for a in args if not a.startswith("-")), "")
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            problem = explain(exc, _database_url())
            if problem is None:
                raise
            report(
                problem,
                as_json=bool(ctx.meta.get("cswatch.json")),
                daemon=ctx.meta.get("cswatch.command") == "run",  # `job`: stdout is its result
            )
            raise typer.Exit(problem.exit_code) from None
