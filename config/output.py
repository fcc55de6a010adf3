"""Human output of the CLI: tables that wrap long cells instead of cutting them, and who acts."""

from __future__ import annotations

import getpass

from rich.table import Table


def table(title: str | None, *columns: str) -> Table:
    """A Rich table whose cells wrap at spaces and fold long words (emails, URLs) onto more
    lines, so nothing is cut with '...' at 80 columns or in a pipe."""
    result = Table(title=title)
    for column in columns:
        result.add_column(column, overflow="fold")
    return result


def operator_name(by: str | None) -> str:
    """Who an operator command records as acting: `--by`, else the login name, else ''."""
    try:
        return (by or getpass.getuser()).strip()
    except (KeyError, OSError):  # no login name in this environment
        return ""
