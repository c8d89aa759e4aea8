"""CDXJ indexes, one per closed WARC file, in ``indexes/``; rebuilt from the WARCs at any time.

An index file is ``indexes/<warc name without .warc.gz>.cdxj``: the lines
``cdxj-indexer --post-append --sort <warc>`` prints for that file (response,
revisit and resource records; POST/PUT bodies folded into the URL key as
pywb expects). Request and warcinfo records get no line of their own: the
catalog reaches them, replay does not need them.

While a crawl writes, :class:`GrowingIndex` indexes the records of each
write as they are flushed into a spool file, and on close sorts the lines
into the index: the same lines as indexing the closed file, without reading
the whole file again at the end of the crawl. The writer tells it what it
wrote (:class:`archive.RecordLocation`, with each HTTP head), so a record
whose head is plain ASCII in the usual shape gets its line from that, as
cdxj-indexer would write it, without decompressing and re-parsing the
record; any other exchange (a POST, whose body goes into the URL key; a
folded, non-ASCII or odd head) is indexed by cdxj-indexer itself over its
byte range. A test holds both ways to indexing the closed file, on random
heads.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_timestamp

from archive._http import ascii_uri
from archive.errors import ArchiveError
from archive.records import RecordLocation
from archive.writer import warc_date

SUFFIX = ".warc.gz"


def index_lines(warc_path: str | os.PathLike) -> list[str]:
    """The sorted CDXJ lines of one WARC file (``filename`` is its bare name)."""
    warc_path = Path(warc_path)
    try:
        with open(warc_path, "rb") as f:
            return sorted(set(_lines(f, _final_name(warc_path))))
    except (OSError, ArchiveLoadFailed, zlib.error, EOFError) as exc:
        raise ArchiveError(f"Cannot index {warc_path}: {exc}. Run `nianbao archive verify` to find the damaged record.") from exc


def _lines(stream, filename: str, base: int = 0) -> list[str]:
    """CDXJ lines (unsorted) of the records in ``stream``, which starts at byte ``base`` of ``filename``."""
    out = io.StringIO()
    _OffsetIndexer(out, [stream], base=base, post_append=True, sort=False, filename=filename).process_all()
    return out.getvalue().splitlines()


class _OffsetIndexer(CDXJIndexer):
    """cdxj-indexer over a part of a file: offsets counted from the part's start are shifted by ``base``."""

    def __init__(self, *args, base: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base

    def get_field(self, record, name, it, filename):
        value = super().get_field(record, name, it, filename)
        return str(int(value) + self.base) if name == "offset" and value is not None else value


class GrowingIndex:
    """The index of each WARC file a writer produces, built range by range (see the module docstring).

    Wire it to :class:`archive.WarcWriter` as ``on_write=index.add`` and
    ``on_close=index.close``. A file whose ranges could not all be indexed is
    re-indexed whole when it closes.
    """

    def __init__(self, index_dir: str | os.PathLike):
        self.index_dir = Path(index_dir)
        self._spools: dict[str, tuple[io.TextIOBase | None, str]] = {}

    def add(self, open_path: Path, start: int, end: int, records: list[RecordLocation] | None = None) -> None:
        """Index the records just flushed to bytes ``start:end`` of ``open_path`` (whole records; ``records``
        their locations, or None to read the range back)."""
        name = _final_name(Path(open_path))
        spool, _ = self._spools.get(name) or (tempfile.TemporaryFile("w+", encoding="utf-8"), name)
        self._spools[name] = (spool, name)
        if spool is None:
            return
        lines: list[str] = []
        spans = [(start, end, None)] if records is None else _spans(records, name)
        for span_start, span_end, known in spans:
            if known is not None:
                lines += known
                continue
            try:
                with open(open_path, "rb") as f:
                    f.seek(span_start)
                    lines += _lines(io.BytesIO(f.read(span_end - span_start)), name, span_start)
            except (OSError, ArchiveLoadFailed, zlib.error, EOFError):
                spool.close()
                self._spools[name] = (None, name)   # index it whole on close
                return
        spool.writelines(line + "\n" for line in lines)

    def close(self, path: Path) -> Path:
        """Write the sorted index of the closed file ``path``; returns the index path."""
        spool, _ = self._spools.pop(_final_name(Path(path)), (None, ""))
        if spool is None:
            return write_index(path, self.index_dir)
        spool.seek(0)
        lines = sorted(set(spool.read().splitlines()))
        spool.close()
        return _write_lines(lines, index_path(path, self.index_dir))


# -- lines from what the writer wrote ------------------------------------------------------

_TOKEN = rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_FIELDS = rb"(?:" + _TOKEN + rb":[\t\x20-\x7e]*\r\n)*\r\n\Z"
_PLAIN_RESPONSE = re.compile(rb"HTTP/\d\.\d (\d{3})(?: [\t\x20-\x7e]*)?\r\n" + _FIELDS)
_PLAIN_REQUEST = re.compile(rb"(" + _TOKEN + rb") [!-~]+ HTTP/\d\.\d\r\n" + _FIELDS)
_APPENDED = ("POST", "PUT")  # methods whose body --post-append folds into the URL key


class _Unplain(Exception):
    """A record whose line only cdxj-indexer itself should write."""


def _spans(records: list[RecordLocation], filename: str) -> Iterator[tuple[int, int, list[str] | None]]:
    """(start, end, lines) per exchange (a request with its response or revisit) or lone record; lines None when
    the span must be read back and indexed by cdxj-indexer."""
    n = 0
    while n < len(records):
        span = records[n:n + 2] if (n + 1 < len(records) and records[n].record_type == "request"
                                     and records[n + 1].concurrent_to == records[n].record_id) else records[n:n + 1]
        n += len(span)
        try:
            lines = [line for loc in span if (line := _line(loc, filename)) is not None]
        except _Unplain:
            lines = None
        yield span[0].offset, span[-1].offset + span[-1].length, lines


def _line(loc: RecordLocation, filename: str) -> str | None:
    """The CDXJ line cdxj-indexer (``--post-append``) writes for ``loc``; None for a record it gives no line."""
    if loc.record_type == "request":
        plain = loc.head is not None and _PLAIN_REQUEST.match(loc.head)
        if not plain or plain.group(1).decode("ascii").upper() in _APPENDED:
            raise _Unplain
        return None
    if loc.record_type in ("response", "revisit"):
        plain = loc.head is not None and _PLAIN_RESPONSE.match(loc.head)
        if not plain:
            raise _Unplain
        status = plain.group(1).decode("ascii")
        mime = "warc/revisit" if loc.record_type == "revisit" else _mime(loc.content_type)
    elif loc.record_type in ("resource", "metadata"):
        if loc.content_type is None or not loc.content_type.isascii() or not loc.content_type.isprintable():
            raise _Unplain
        if loc.content_type == "application/warc-fields":
            return None
        status, mime = None, _mime(loc.content_type)
    else:
        return None
    url = ascii_uri(loc.target_uri)  # as the writer wrote WARC-Target-URI (already so for HTTP records)
    fields = {"url": url, "mime": mime, "status": status, "digest": loc.payload_digest,
              "length": str(loc.length), "offset": str(loc.offset), "filename": filename}
    stamp = iso_date_to_timestamp(warc_date(loc.date))
    return f"{CDXJIndexer.get_url_key(None, url)} {stamp} {json.dumps({k: v for k, v in fields.items() if v is not None})}"


def _mime(content_type: str | None) -> str | None:
    """cdxj-indexer's ``mime``: the media type before any parameter."""
    return content_type if not content_type else CDXJIndexer.RE_SPACE.split(content_type, 1)[0].strip()


def index_path(warc_path: str | os.PathLike, index_dir: str | os.PathLike) -> Path:
    """Where the index of ``warc_path`` lives in ``index_dir``."""
    name = _final_name(Path(warc_path))
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    return Path(index_dir) / f"{stem}.cdxj"


def write_index(warc_path: str | os.PathLike, index_dir: str | os.PathLike) -> Path:
    """Write (atomically replace) the index of one WARC file; returns its path."""
    return _write_lines(index_lines(warc_path), index_path(warc_path, index_dir))


def _write_lines(lines: list[str], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in lines), "utf-8")
    os.replace(tmp, target)
    return target


def rebuild_indexes(warc_dir: str | os.PathLike, index_dir: str | os.PathLike) -> list[Path]:
    """Re-index every closed ``*.warc.gz`` in ``warc_dir`` (``.open`` files are skipped: still being written)."""
    return [write_index(p, index_dir) for p in sorted(Path(warc_dir).glob(f"*{SUFFIX}"))]


def _final_name(path: Path) -> str:
    return path.name[: -len(".open")] if path.name.endswith(".open") else path.name
