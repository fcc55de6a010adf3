"""A multipart/alternative message (plain text and HTML) written directly as bytes.

The standard library's EmailMessage parses every header it is given and costs milliseconds a
message; a digest run writes thousands of messages of one fixed shape, so they are assembled
here from checked parts: every header value is refused if it holds a line break or another
control character (no header injection), non-ASCII header text becomes an RFC 2047 encoded word,
and both bodies are quoted-printable UTF-8 (binascii, in C). Lines end in CRLF, as on the wire.
Tests read the result back with the standard library's parser.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from collections.abc import Iterable
from email.header import Header

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029\x85]")
_NAME = re.compile(r"^[A-Za-z0-9-]+$")


class HeaderError(ValueError):
    """A header name or value that could break the message's structure."""


def header(name: str, value: str) -> bytes:
    if not _NAME.match(name):
        raise HeaderError(f"bad header name {name!r}")
    if _CONTROL.search(value):
        raise HeaderError(f"header {name} may not contain line breaks or control characters")
    if value.isascii():
        if len(name) + 2 + len(value) > 998:
            raise HeaderError(f"header {name} is too long")
        text = value
    else:
        text = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {text}\r\n".encode("ascii")


def _qp(text: str) -> bytes:
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(lines.encode("utf-8"), quotetabs=False, istext=True, header=False)
    return encoded.replace(b"\n", b"\r\n")


def alternative(headers: Iterable[tuple[str, str]], text: str, html: str) -> bytes:
    """The whole message: headers, then a text/plain and a text/html part."""
    plain = _qp(text)
    rich = _qp(html)
    boundary = "=_cswatch_" + hashlib.sha256(plain + rich).hexdigest()[:32]
    out = bytearray()
    for name, value in headers:
        out += header(name, value)
    out += b"MIME-Version: 1.0\r\n"
    out += f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode()
    for subtype, body in (("plain", plain), ("html", rich)):
        out += f"--{boundary}\r\n".encode()
        out += f'Content-Type: text/{subtype}; charset="utf-8"\r\n'.encode()
        out += b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        out += body
        if not body.endswith(b"\r\n"):
            out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)
