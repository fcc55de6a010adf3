"""The two messages the web app sends: 'confirm your subscription' and 'you are subscribed'.

Both go to the address typed in the form and only there, so a sign-up never tells the person
at the keyboard whether that address was already subscribed: its owner learns it by mail.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, formataddr, parseaddr

from jinja2 import Environment

from alerts import mime

Send = Callable[[str, str, bytes], None]  # recipient, Message-ID, the message's bytes


def _domain(from_address: str) -> str:
    return parseaddr(from_address)[1].rpartition("@")[2] or "localhost"


def compose(
    env: Environment,
    template: str,
    *,
    from_address: str,
    recipient: str,
    subject: str,
    context: dict[str, object],
) -> tuple[str, bytes]:
    """(Message-ID, bytes) of a text and HTML message rendered from `template`.{txt,html}.j2."""
    message_id = f"<{secrets.token_hex(16)}@{_domain(from_address)}>"
    headers = [
        ("Subject", subject),
        ("From", formataddr(parseaddr(from_address))),
        ("To", recipient),
        ("Date", format_datetime(datetime.now(UTC))),
        ("Message-ID", message_id),
        ("Auto-Submitted", "auto-generated"),
    ]
    values = {"subject": subject, **context}
    text = env.get_template(f"{template}.txt.j2").render(values)
    html = env.get_template(f"{template}.html.j2").render(values)
    return message_id, mime.alternative(headers, text, html)
