"""Re-read every catalogued record and check it against its row: what ``nianbao archive verify`` runs."""

from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from archive.catalog import Capture
from archive.errors import ArchiveError
from archive.reader import read_record


@dataclass(frozen=True)
class Problem:
    """One catalog row whose record is missing or does not match."""

    capture_id: int
    warc_file: str
    offset: int
    message: str


def verify_capture(warc_dir: str | os.PathLike, row: Capture) -> str | None:
    """None when ``row``'s record reads back with matching id, type, digests and sha256; else what is wrong."""
    try:
        rec = read_record(warc_dir, row.warc_file, row.offset, row.length, verify=True)
    except ArchiveError as exc:
        return str(exc)
    if rec.record_id != row.record_id or rec.record_type != row.record_type:
        return f"holds {rec.record_type} {rec.record_id}, the catalog says {row.record_type} {row.record_id}"
    if row.block_digest and rec.header("WARC-Block-Digest") != row.block_digest:
        return "block digest differs from the catalog"
    if row.record_type != "revisit" and row.sha256 and hashlib.sha256(rec.payload).hexdigest() != row.sha256:
        return "payload sha256 differs from the catalog"
    return None


def verify_catalog(session, warc_dir: str | os.PathLike) -> list[Problem]:
    """Every problem found over all catalog rows (empty when the archive is sound)."""
    problems = []
    for row in session.exec(select(Capture).order_by(Capture.id)):
        message = verify_capture(warc_dir, row)
        if message:
            problems.append(Problem(row.id, row.warc_file, row.offset, message))
    return problems


def audit_warc(path: str | os.PathLike) -> list[str]:
    """Problems in one WARC file by our rules (empty when sound); stricter than ``warcio check``.

    One gzip member per record; one WARC version; warcinfo first; block
    digests everywhere; payload digests over the de-chunked entity; ASCII
    target URIs; every response/revisit concurrent with a request in the file.
    """
    path = Path(path)
    try:
        members = _members(path.read_bytes())
    except (OSError, zlib.error) as exc:
        return [f"{path.name}: unreadable ({exc})"]
    problems, records = [], []
    for offset, length in members:
        try:
            records.append((offset, read_record(path.parent, path.name, offset, length, verify=True)))
        except ArchiveError as exc:
            problems.append(f"{path.name}@{offset}: {exc}")
    ids = {rec.record_id for _, rec in records}
    for i, (offset, rec) in enumerate(records):
        problems += [f"{path.name}@{offset}: {p}" for p in _record_problems(i, rec, ids)]
    return problems


def _record_problems(index: int, rec, ids: set[str]) -> list[str]:
    out = []
    if (index == 0) != (rec.record_type == "warcinfo"):
        out.append("warcinfo must be the first record, and only the first")
    if not rec.header("WARC-Block-Digest"):
        out.append("no WARC-Block-Digest")
    uri = rec.header("WARC-Target-URI") or ""
    if not uri.isascii() or uri.startswith("<"):
        out.append(f"target URI {uri!r} is not plain ASCII")
    if rec.record_type in ("response", "revisit") and rec.header("WARC-Concurrent-To") not in ids:
        out.append("no concurrent request record in this file")
    return out


def _members(data: bytes) -> list[tuple[int, int]]:
    spans, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        d.decompress(data[pos:])
        if not d.eof:
            raise zlib.error(f"gzip member at {pos} is cut short")
        length = len(data) - pos - len(d.unused_data)
        spans.append((pos, length))
        pos += length
    return spans
