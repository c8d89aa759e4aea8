"""HTTP/1.x message bytes: split, parse, de-chunk, decode. Private to ``archive``.

Everything here works on bytes exactly as they crossed the socket. Parsing is
lenient (a cut message still yields what arrived) because truncated captures
must be archived too.
"""

from __future__ import annotations

import string
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

Headers = list[tuple[str, str]]


@dataclass
class Message:
    """One HTTP message: ``start`` line, ``headers`` in order with repeats, ``body`` as sent."""

    start: str
    headers: Headers = field(default_factory=list)
    body: bytes = b""
    head: bytes = b""  # start line + header lines + blank line, verbatim

    def get(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def split_message(raw: bytes) -> Message:
    """Split raw HTTP/1.x bytes into head and body; a message cut inside its head has an empty body."""
    end = raw.find(b"\r\n\r\n")
    sep = 4
    if end < 0:
        end, sep = raw.find(b"\n\n"), 2
    if end < 0:
        end, sep = len(raw), 0
    head, body = raw[: end + sep], raw[end + sep :]
    lines = head.decode("iso-8859-1").splitlines()
    headers: Headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    return Message(lines[0] if lines else "", headers, body, head)


def status_of(start: str) -> tuple[str, int | None, str]:
    """(protocol, status code, reason phrase) of a response start line; code None when unparsable."""
    parts = start.split(" ", 2)
    try:
        code = int(parts[1])
    except (IndexError, ValueError):
        return start, None, ""
    return parts[0], code, parts[2] if len(parts) > 2 else ""


def is_chunked(message: Message) -> bool:
    te = ",".join(v for k, v in message.headers if k.lower() == "transfer-encoding")
    return "chunked" in te.lower()


def dechunk(data: bytes) -> tuple[bytes, bool]:
    """The entity inside chunked framing, and whether the framing was complete (a zero chunk seen)."""
    out, pos = bytearray(), 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return bytes(out), False
        size_text = data[pos:eol].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return bytes(out), False
        if size == 0:
            return bytes(out), True
        chunk = data[eol + 2 : eol + 2 + size]
        out += chunk
        if len(chunk) < size:
            return bytes(out), False
        pos = eol + 2 + size + 2


def entity(message: Message) -> bytes:
    """The body with transfer-encoding removed and content-encoding kept (what payload digests cover)."""
    return dechunk(message.body)[0] if is_chunked(message) else message.body


def decode_content(data: bytes, content_encoding: str | None) -> bytes:
    """``data`` with its Content-Encoding undone (gzip, x-gzip, deflate, br); a cut stream yields what decodes."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            data = _inflate(data, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            try:
                data = _inflate(data, zlib.MAX_WBITS)
            except zlib.error:
                data = _inflate(data, -zlib.MAX_WBITS)
        elif coding == "br":
            import brotli  # optional: only needed for br-encoded archives

            data = brotli.decompress(data)
        elif coding != "identity":
            raise ValueError(f"unknown content-encoding {coding!r}")
    return data


def _inflate(data: bytes, wbits: int) -> bytes:
    d = zlib.decompressobj(wbits)
    return d.decompress(data) + d.flush()


_SAFE = "".join(c for c in string.punctuation if c not in '"<>\\^`{|}') + "%"


def ascii_uri(uri: str) -> str:
    """``uri`` as ASCII: IDNA host, non-ASCII and unsafe characters percent-encoded as UTF-8."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    netloc = parts.netloc
    if host and not host.isascii():
        netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
    encoded = [quote(p, safe=_SAFE) for p in (parts.path, parts.query, parts.fragment)]
    return urlunsplit((parts.scheme, netloc, encoded[0], encoded[1], encoded[2]))
