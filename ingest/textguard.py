"""Every text field written to the ingest tables is capped in size and made XML-1.0-safe.

Scraped text is untrusted: a feed can carry a 50 MB title, a NUL byte (which PostgreSQL
refuses, failing the whole item) or control characters that make our own Atom feeds invalid
XML. Rather than trusting each writer to remember, a SQLAlchemy hook on every ingest table
cleans each string column before it is inserted or updated: characters XML 1.0 forbids are
removed and the value is cut to its column's cap.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import String, Text, TypeDecorator, event
from sqlalchemy.orm import Mapper
from sqlmodel import SQLModel

# XML 1.0 allows tab, LF, CR and U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

TEXT_CAP = 1_000_000
"""Characters kept of a long text column (an article's main text is ~5-50 thousand)."""
STRING_CAP = 4_000
"""Characters kept of a short string column (URLs, names, labels)."""
CAPS = {"title": 2_000, "summary": 20_000, "error": 20_000, "last_error": 20_000}
"""Columns with a cap of their own, by name."""

_MARK = " [...]"


def clean_text(value: str, cap: int) -> str:
    """`value` without XML-1.0-invalid characters, cut to at most `cap` characters."""
    cleaned = _NOT_XML.sub("", value)
    if len(cleaned) > cap:
        cleaned = cleaned[: cap - len(_MARK)] + _MARK
    return cleaned


def _caps(mapper: Mapper[Any]) -> dict[str, int]:
    caps = {}
    for attr in mapper.column_attrs:
        kind = attr.columns[0].type
        if isinstance(kind, TypeDecorator):  # SQLModel's AutoString wraps a String
            kind = kind.impl_instance
        if not isinstance(kind, String):
            continue
        default = TEXT_CAP if isinstance(kind, Text) else STRING_CAP
        caps[attr.key] = CAPS.get(attr.key, default)
    return caps


def _guard(caps: dict[str, int]) -> Any:
    def clean(_mapper: Mapper[Any], _connection: Any, target: Any) -> None:
        for key, cap in caps.items():
            value = getattr(target, key, None)
            if isinstance(value, str):
                cleaned = clean_text(value, cap)
                if cleaned != value:
                    setattr(target, key, cleaned)

    return clean


def install(models: list[type[SQLModel]]) -> None:
    """Hook the cleaner onto each table model (once per model)."""
    for model in models:
        if getattr(model, "__textguard__", False):
            continue
        mapper = model.__mapper__  # type: ignore[attr-defined]
        guard = _guard(_caps(mapper))
        event.listen(model, "before_insert", guard)
        event.listen(model, "before_update", guard)
        model.__textguard__ = True  # type: ignore[attr-defined]
