"""Change detection (DOMAIN.md §6 bar 18): a new payload for a URL becomes a ``CaptureChange`` linking both captures.

An unchanged recrawl writes revisits (same payload digest) and records no
change. A different payload digest is a change only when the documents differ
too: :func:`note_change` reads both back and diffs them (HTML and text by
their visible text and link targets, anything else by length and sha256); if
that diff is empty (the same page re-compressed, markup-only noise) nothing
is recorded, so a change never carries an empty diff. Only complete ``200``
GET captures are compared; the previous one is the newest earlier such capture
of the same URL.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from datetime import datetime
from typing import Callable

from sqlmodel import col, select

from archive.catalog import Capture, CaptureChange, read_capture
from archive.errors import ArchiveError
from nianbao.timeutil import as_utc

MAX_DIFF_LINES = 200
MAX_TEXT_BYTES = 2_000_000  # larger HTML/text is compared by length and sha256 only
_TEXTUAL = ("text/", "application/xhtml+xml", "application/json", "application/xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)


def note_change(session, warc_dir: str | os.PathLike, row: Capture) -> CaptureChange | None:
    """Record the change ``row`` (just catalogued) makes to its URL, if any; the caller commits. None when unchanged."""
    return next(iter(note_changes(session, warc_dir, [row])), None)


def note_changes(session, warc_dir: str | os.PathLike, rows: list[Capture],
                 on_error: Callable[[Capture, ArchiveError], None] | None = None) -> list[CaptureChange]:
    """:func:`note_change` for a group of rows just catalogued (:class:`Capture` objects or the rows
    :func:`archive.catalog.insert_captures` returns), with one query for their predecessors.

    ``on_error(row, exc)`` is told of a row whose documents cannot be read
    back for the diff (that row then records no change); without it the
    :class:`ArchiveError` propagates.
    """
    rows = [r for r in rows if _comparable(r)]
    earlier = _earlier_captures(session, rows)
    out = []
    for row in rows:
        at = as_utc(row.captured_at)
        before = max((c for c in earlier.get((row.url, row.method), ()) if c.id != row.id and as_utc(c.captured_at) <= at),
                     key=lambda c: (as_utc(c.captured_at), c.id), default=None)
        if before is None or before.payload_digest == row.payload_digest:
            continue
        try:
            diff = describe_diff(_document(session, warc_dir, before), _document(session, warc_dir, row))
        except ArchiveError as exc:
            if on_error is None:
                raise
            on_error(row, exc)
            continue
        if diff:
            out.append(CaptureChange(url=row.url, before_id=before.id, after_id=row.id, before_digest=before.payload_digest,
                                     after_digest=row.payload_digest, detected_at=row.captured_at, diff=diff))
    session.add_all(out)
    session.flush()
    return out


def _earlier_captures(session, rows: list[Capture]) -> dict[tuple[str, str], list[Capture]]:
    """Complete 200 captures (responses and revisits) of the rows' URLs, by (url, method)."""
    found: dict[tuple[str, str], list[Capture]] = {}
    urls = sorted({r.url for r in rows})
    for start in range(0, len(urls), 500):
        for c in session.exec(select(Capture).where(
                col(Capture.url).in_(urls[start:start + 500]), col(Capture.record_type).in_(("response", "revisit")),
                Capture.status == 200, Capture.complete == True)):  # noqa: E712
            found.setdefault((c.url, c.method), []).append(c)
    return found


def changes(session, since: datetime | None = None) -> list[CaptureChange]:
    """Recorded changes, oldest first; with ``since`` (aware; naive is taken as UTC) only those detected after it."""
    query = select(CaptureChange).order_by(CaptureChange.detected_at, CaptureChange.id)
    if since is not None:
        query = query.where(CaptureChange.detected_at > as_utc(since))
    return list(session.exec(query))


def describe_diff(before: tuple[str | None, bytes], after: tuple[str | None, bytes]) -> str:
    """How two documents ``(content type, decoded bytes)`` differ: a unified diff of their text, or a size/sha256 line.

    Empty when they read the same.
    """
    a, b = _lines(*before), _lines(*after)
    if a is not None and b is not None:
        diff = list(difflib.unified_diff(a, b, "before", "after", n=1, lineterm=""))
        if len(diff) > MAX_DIFF_LINES:
            diff = diff[:MAX_DIFF_LINES] + [f"… {len(diff) - MAX_DIFF_LINES} more diff lines"]
        return "\n".join(diff)
    if before[1] == after[1]:
        return ""
    return (f"{after[0] or 'document'} changed: {len(before[1])} → {len(after[1])} bytes, sha256 "
            f"{hashlib.sha256(before[1]).hexdigest()[:16]} → {hashlib.sha256(after[1]).hexdigest()[:16]}")


def _comparable(row: Capture) -> bool:
    return (row.record_type in ("response", "revisit") and row.status == 200 and row.complete
            and row.method == "GET" and row.payload_digest is not None)


def _document(session, warc_dir, row: Capture) -> tuple[str | None, bytes]:
    try:
        return row.content_type, read_capture(warc_dir, row, session=session)
    except (ArchiveError, ValueError, OSError) as exc:
        raise ArchiveError(f"Cannot compare capture {row.id} of {row.url}: {exc}") from exc


def _lines(content_type: str | None, data: bytes) -> list[str] | None:
    """Visible text lines (and link targets) of HTML, lines of other text; None for binary or oversize documents."""
    ctype = (content_type or "").lower()
    if not ctype.startswith(_TEXTUAL) or len(data) > MAX_TEXT_BYTES:
        return None
    text = data.decode(_charset(ctype, data), errors="replace")
    if "html" not in ctype:
        return [line.strip() for line in text.splitlines() if line.strip()]
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return [line.strip() for line in text.splitlines() if line.strip()]
    for bad in tree.xpath("//script|//style|//comment()"):
        bad.drop_tree()
    lines = [t.strip() for t in tree.itertext() if t.strip()]
    return lines + [f"→ {href}" for href in tree.xpath("//a/@href")]


def _charset(content_type: str, data: bytes) -> str:
    found = re.search(r"charset=([\w-]+)", content_type) or _META_CHARSET.search(data[:4096])
    name = found.group(1) if found else "utf-8"
    name = name.decode("ascii") if isinstance(name, bytes) else name
    if name.lower() in ("gbk", "gb2312", "gb_2312-80"):
        return "gb18030"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name
