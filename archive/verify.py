"""What ``nianbao archive verify`` runs: every catalogued record re-read and checked, and the indexes re-derived.

Per catalog row: the record at (file, offset, length) is one gzip member
holding that record id and type, its digests match its bytes and the row
(block digest, payload sha256), its status and WARC-Truncated agree with the
row, and its HTTP message is consistent (:func:`http_problems`: start line,
Content-Length or chunk framing vs the stored body, Content-Encoding
decodable). Per archive: every revisit resolves to a catalogued response, a
missing WARC file is one problem, and each closed file's CDXJ equals a fresh
re-index (DOMAIN.md §6 bar 13). :func:`audit_warc` checks one file by our
rules, catalog or not.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from archive._http import decode_content, dechunk, is_chunked, status_of
from archive.catalog import Capture
from archive.errors import ArchiveError
from archive.index import SUFFIX, index_lines, index_path
from archive.reader import read_record


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the archive: a catalog row (``capture_id``), a whole WARC file, or an index file (``capture_id`` None)."""

    capture_id: int | None
    warc_file: str
    offset: int | None
    message: str

    def __str__(self) -> str:
        where = self.warc_file if self.offset is None else f"{self.warc_file} @ {self.offset}"
        return f"{where} (capture {self.capture_id}): {self.message}" if self.capture_id else f"{where}: {self.message}"


def verify_capture(warc_dir: str | os.PathLike, row: Capture) -> str | None:
    """None when ``row``'s record reads back matching its row (id, type, digests, sha256, status, truncation)
    and its HTTP message is consistent (:func:`http_problems`); else what is wrong."""
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
    problems = _row_problems(rec, row) + http_problems(rec, row.method)
    return "; ".join(problems) or None


def verify_catalog(session, warc_dir: str | os.PathLike, index_dir: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem found over all catalog rows, and (with ``index_dir``) the CDXJ indexes; empty when sound.

    A missing WARC file is one problem (with how many rows point into it), not one per row.
    """
    problems, missing = [], {}
    for row in session.exec(select(Capture).order_by(Capture.id)):
        if row.warc_file in missing or not _exists(warc_dir, row.warc_file):
            missing[row.warc_file] = missing.get(row.warc_file, 0) + 1
            continue
        message = verify_capture(warc_dir, row)
        if message:
            problems.append(Problem(row.id, row.warc_file, row.offset, message))
    problems += [Problem(None, name, None, f"file missing; {n} catalog rows point into it") for name, n in missing.items()]
    problems += _unresolved_revisits(session)
    if index_dir is not None:
        problems += verify_indexes(warc_dir, index_dir)
    return problems


def verify_indexes(warc_dir: str | os.PathLike, index_dir: str | os.PathLike) -> list[Problem]:
    """Each closed WARC file's CDXJ index against a fresh re-index of the file (bar 13); stray indexes too."""
    problems, expected = [], set()
    for warc in sorted(Path(warc_dir).glob(f"*{SUFFIX}")):
        path = index_path(warc, index_dir)
        expected.add(path.name)
        if not path.exists():
            problems.append(Problem(None, path.name, None, f"index of {warc.name} is missing; run a re-index"))
            continue
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # warcio prints warnings on damaged files; we report them
                stored, fresh = path.read_text("utf-8").splitlines(), index_lines(warc)
        except ArchiveError as exc:
            problems.append(Problem(None, warc.name, None, f"cannot be re-indexed: {exc}"))
            continue
        if stored != fresh:
            lost, extra = len(set(fresh) - set(stored)), len(set(stored) - set(fresh))
            problems.append(Problem(None, path.name, None, f"differs from a fresh re-index of {warc.name} "
                                    f"({lost} lines missing, {extra} extra, {len(stored)} vs {len(fresh)} lines)"))
    for stray in sorted(Path(index_dir).glob("*.cdxj")):
        if stray.name not in expected:
            problems.append(Problem(None, stray.name, None, "index of a WARC file that is not in the WARC folder"))
    return problems


def http_problems(rec, method: str = "GET") -> list[str]:
    """HTTP consistency of a request/response/revisit record: its start line parses; a response body agrees with
    its Content-Length or chunk framing (unless WARC-Truncated says why not) and its Content-Encoding decodes."""
    if rec.http is None or rec.record_type not in ("request", "response", "revisit"):
        return []
    if rec.record_type == "request":
        parts = rec.http.start.split(" ")
        return [] if len(parts) == 3 and parts[2].startswith("HTTP/") else [f"request line {rec.http.start!r} does not parse"]
    protocol, code, _ = status_of(rec.http.start)
    if not protocol.startswith("HTTP/") or code is None or not 100 <= code <= 599:
        return [f"status line {rec.http.start!r} does not parse"]
    if rec.record_type == "revisit" or method == "HEAD" or code in (204, 304) or code < 200:
        return []
    truncated = rec.header("WARC-Truncated")
    problems = _framing_problems(rec.http, truncated)
    if not truncated and not problems:
        problems += _encoding_problems(rec.payload, rec.http.get("Content-Encoding"))
    return problems


def _framing_problems(message, truncated: str | None) -> list[str]:
    if is_chunked(message):
        complete = dechunk(message.body)[1]
        return [] if complete or truncated else ["chunked body ends before its last chunk, and no WARC-Truncated"]
    lengths = {v.strip() for k, v in message.headers if k.lower() == "content-length"}
    if not lengths:
        return []
    if len(lengths) > 1 or not all(v.isdigit() for v in lengths):
        return [f"Content-Length {', '.join(sorted(lengths))} is not one number"]
    declared, actual = int(lengths.pop()), len(message.body)
    if actual > declared or (actual < declared and not truncated):
        return [f"body is {actual} bytes but Content-Length says {declared}"
                + ("" if actual > declared else ", and no WARC-Truncated")]
    return []


def _encoding_problems(payload: bytes, content_encoding: str | None) -> list[str]:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    if not payload or not codings:
        return []
    data = payload
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip", "deflate"):
            data, ok = _inflate_whole(data, coding)
            if not ok:
                return [f"Content-Encoding {content_encoding} does not decode: the body is not a whole {coding} stream"]
        elif coding == "identity":
            continue
        else:
            try:
                data = decode_content(data, coding)
            except Exception as exc:  # brotli and unknown codings raise their own types; all mean "unsatisfiable"
                return [f"Content-Encoding {content_encoding} does not decode: {exc}"]
    return []


def _inflate_whole(data: bytes, coding: str) -> tuple[bytes, bool]:
    for wbits in ((16 + zlib.MAX_WBITS,) if coding != "deflate" else (zlib.MAX_WBITS, -zlib.MAX_WBITS)):
        d = zlib.decompressobj(wbits)
        try:
            out = d.decompress(data) + d.flush()
        except zlib.error:
            continue
        if d.eof:
            return out, True
    return data, False


def _row_problems(rec, row: Capture) -> list[str]:
    out = []
    if row.record_type in ("response", "revisit") and rec.status != row.status:
        out.append(f"status {rec.status} in the record, {row.status} in the catalog")
    if (rec.header("WARC-Truncated") or None) != (row.truncated or None) or row.complete == bool(row.truncated):
        out.append(f"WARC-Truncated {rec.header('WARC-Truncated')!r} disagrees with the catalog "
                   f"(truncated {row.truncated!r}, complete {row.complete})")
    return out


def _unresolved_revisits(session) -> list[Problem]:
    known = set(session.exec(select(Capture.record_id).where(Capture.record_type == "response")))
    return [Problem(r.id, r.warc_file, r.offset, f"revisit refers to {r.refers_to}, which is not a catalogued response")
            for r in session.exec(select(Capture).where(Capture.record_type == "revisit")) if r.refers_to not in known]


def _exists(warc_dir, name: str) -> bool:
    path = Path(warc_dir) / name
    return path.exists() or Path(f"{path}.open").exists()


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
