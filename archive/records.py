"""What goes into the writer and what comes out: exchanges, originals, record locations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from archive._http import Headers


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange as it crossed the socket.

    ``request``/``response`` are the raw HTTP/1.x bytes: start line, header
    lines in order with repeats, blank line, body exactly as sent (chunk
    framing and content-encoding included). Build them with
    :func:`build_request`/:func:`build_response` when only parsed parts are
    known, and say so in ``normalisation`` (written as ``WARC-Comment``).
    ``truncated`` is a WARC-Truncated reason (``length``, ``time``,
    ``disconnect``, ``unspecified``) when the response was cut; ``date`` is
    when the request was sent (aware); None means the writer's clock.
    """

    target_uri: str
    request: bytes
    response: bytes
    truncated: str | None = None
    normalisation: str | None = None
    date: datetime | None = None
    ip_address: str | None = None


@dataclass(frozen=True)
class Original:
    """A committed earlier capture with the same payload digest (the target of a revisit)."""

    record_id: str
    target_uri: str
    date: datetime


@dataclass(frozen=True)
class RecordLocation:
    """Where one record went. ``offset``/``length`` bound its gzip member in ``warc_file`` (a bare file name).

    ``payload_digest`` is ``sha1:<base32>`` over the entity with transfer
    coding removed and content coding kept; ``sha256`` is hex over the same
    bytes; ``payload_length`` their count. For request records the payload
    is the request body. ``warc_file`` is the final name (``*.warc.gz``) even
    while the file is still ``*.warc.gz.open``. ``content_type`` is the HTTP
    message's (response, revisit) or the record's (resource); ``head`` is the
    HTTP head as written (request, response, revisit), for the index.
    """

    warc_file: str
    offset: int
    length: int
    record_id: str
    record_type: str
    payload_digest: str | None
    block_digest: str
    sha256: str | None
    payload_length: int | None
    target_uri: str = ""
    date: datetime | None = None
    status: int | None = None
    content_type: str | None = None
    refers_to: str | None = None
    concurrent_to: str | None = None
    truncated: str | None = None
    head: bytes | None = None


def build_request(method: str, target: str, headers: Headers, body: bytes = b"", protocol: str = "HTTP/1.1") -> bytes:
    """Raw request bytes from parts: ``target`` is the request-target (path and query), headers in order incl. Host."""
    return _head(f"{method} {target} {protocol}", headers) + body


def build_response(protocol: str, status: int, reason: str, headers: Headers, body: bytes = b"") -> bytes:
    """Raw response bytes from parts; ``body`` must match the headers (no chunking unless framed)."""
    return _head(f"{protocol} {status} {reason}", headers) + body


def _head(start: str, headers: Headers) -> bytes:
    lines = [start, *(f"{k}: {v}" for k, v in headers), "", ""]
    return "\r\n".join(lines).encode("iso-8859-1")
