"""Re-read every catalogued record and check it against its row: what ``nianbao archive verify`` runs."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

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
