"""Recovering a ``*.warc.gz.open`` file left by a crashed writer: cut back to its last complete record, close it.

The writer holds an exclusive ``flock`` on each ``.open`` file while it
writes (released by the kernel when the process dies, even on ``kill -9``),
so :func:`recover` refuses a file a live writer still owns. Catalog rows are
committed only after their record is fsync'd, so every row that points into
the file points at a record this keeps; the bytes cut are a record no row
names.
"""

from __future__ import annotations

import fcntl
import io
import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import ArchiveError
from archive.index import write_index

logger = logging.getLogger(__name__)
OPEN_SUFFIX = ".open"


@dataclass(frozen=True)
class Recovered:
    """What :func:`recover` did: the closed file (None when not even the warcinfo survived), records kept, bytes cut."""

    path: Path | None
    records: int
    cut_bytes: int


def recover(path: str | os.PathLike, index_dir: str | os.PathLike | None = None) -> Recovered:
    """Truncate an ``.open`` WARC file to its last complete record, rename it closed and (with ``index_dir``) index it.

    A record is complete when its gzip member ends and holds a parseable WARC
    record. A file with no complete record is removed. Raises
    :class:`ArchiveError` when ``path`` is not an ``.open`` file or a live writer holds it.
    """
    path = Path(path)
    if not path.name.endswith(OPEN_SUFFIX):
        raise ArchiveError(f"{path} is not a .open WARC file; closed files are never touched.")
    with open(path, "r+b") as f:
        _lock_or_refuse(f, path)
        data = f.read()
        end, records = complete_prefix(data)
        if end < len(data):
            logger.warning("Recovering %s: cutting %d bytes of a partial record", path.name, len(data) - end)
            f.truncate(end)
            f.flush()
            os.fsync(f.fileno())
        if records == 0:
            path.unlink()
            return Recovered(None, 0, len(data))
        final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
        if final.exists():
            raise ArchiveError(f"Cannot recover {path.name}: {final.name} already exists; move one of them aside.")
        os.replace(path, final)
    if index_dir is not None:
        write_index(final, index_dir)
    return Recovered(final, records, len(data) - end)


def recover_all(warc_dir: str | os.PathLike, index_dir: str | os.PathLike | None = None) -> list[Recovered]:
    """:func:`recover` every ``.open`` file in ``warc_dir`` that no live writer holds (held ones are left alone)."""
    done = []
    for path in sorted(Path(warc_dir).glob(f"*.warc.gz{OPEN_SUFFIX}")):
        try:
            done.append(recover(path, index_dir))
        except ArchiveError as exc:
            logger.info("Not recovered: %s", exc)
    return done


def complete_prefix(data: bytes) -> tuple[int, int]:
    """(offset just past the last complete record at the start of ``data``, number of complete records)."""
    pos = records = 0
    while pos < len(data):
        member = _member(data, pos)
        if member is None or not _is_record(member[1]):
            break
        pos, records = member[0], records + 1
    return pos, records


def _member(data: bytes, start: int) -> tuple[int, bytes] | None:
    """(end offset, decompressed bytes) of the gzip member at ``start``, or None when it is cut or corrupt."""
    view, pos, d, out = memoryview(data), start, zlib.decompressobj(16 + zlib.MAX_WBITS), []
    try:
        while not d.eof and pos < len(data):
            chunk = view[pos:pos + 65536]
            out.append(d.decompress(chunk))
            pos += len(chunk)
    except zlib.error:
        return None
    if not d.eof:
        return None
    return pos - len(d.unused_data), b"".join(out)


def _is_record(content: bytes) -> bool:
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(content), no_record_parse=True)))
        declared = int(record.rec_headers.get_header("Content-Length") or -1)
        return len(record.raw_stream.read()) == declared
    except (ArchiveLoadFailed, StopIteration, ValueError):
        return False


def _lock_or_refuse(f, path: Path) -> None:
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise ArchiveError(f"{path.name} is being written by a live process; recover it only after that crawl ends.") from exc
