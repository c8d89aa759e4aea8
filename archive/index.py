"""CDXJ indexes, one per closed WARC file, in ``indexes/``; rebuilt from the WARCs at any time.

An index file is ``indexes/<warc name without .warc.gz>.cdxj``: the lines
``cdxj-indexer --post-append --sort <warc>`` prints for that file (response,
revisit and resource records; POST/PUT bodies folded into the URL key as
pywb expects). Request and warcinfo records get no line of their own: the
catalog reaches them, replay does not need them.

While a crawl writes, :class:`GrowingIndex` indexes each newly written byte
range as it is flushed (whole exchanges, so a POST's request and response
are indexed together) into a spool file, and on close sorts the lines into
the index: the same lines as indexing the closed file, without reading the
whole file again at the end of the crawl.
"""

from __future__ import annotations

import io
import os
import tempfile
import zlib
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import ArchiveError

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

    def add(self, open_path: Path, start: int, end: int) -> None:
        """Index bytes ``start:end`` of ``open_path`` (whole records, just flushed)."""
        name = _final_name(Path(open_path))
        spool, _ = self._spools.get(name) or (tempfile.TemporaryFile("w+", encoding="utf-8"), name)
        self._spools[name] = (spool, name)
        if spool is None:
            return
        try:
            with open(open_path, "rb") as f:
                f.seek(start)
                lines = _lines(io.BytesIO(f.read(end - start)), name, start)
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
