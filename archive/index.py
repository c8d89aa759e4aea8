"""CDXJ indexes, one per closed WARC file, in ``indexes/``; rebuilt from the WARCs at any time.

An index file is ``indexes/<warc name without .warc.gz>.cdxj``: the lines
``cdxj-indexer --post-append --sort <warc>`` prints for that file (response,
revisit and resource records; POST/PUT bodies folded into the URL key as
pywb expects). Request and warcinfo records get no line of their own: the
catalog reaches them, replay does not need them.
"""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import ArchiveError

SUFFIX = ".warc.gz"


def index_lines(warc_path: str | os.PathLike) -> list[str]:
    """The sorted CDXJ lines of one WARC file (``filename`` is its bare name)."""
    warc_path = Path(warc_path)
    out = io.StringIO()
    try:
        with open(warc_path, "rb") as f:
            indexer = CDXJIndexer(out, [f], post_append=True, sort=True, filename=_final_name(warc_path))
            indexer.process_all()
    except (OSError, ArchiveLoadFailed, zlib.error, EOFError) as exc:
        raise ArchiveError(f"Cannot index {warc_path}: {exc}. Run `nianbao archive verify` to find the damaged record.") from exc
    return out.getvalue().splitlines()


def index_path(warc_path: str | os.PathLike, index_dir: str | os.PathLike) -> Path:
    """Where the index of ``warc_path`` lives in ``index_dir``."""
    name = _final_name(Path(warc_path))
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    return Path(index_dir) / f"{stem}.cdxj"


def write_index(warc_path: str | os.PathLike, index_dir: str | os.PathLike) -> Path:
    """Write (atomically replace) the index of one WARC file; returns its path."""
    target = index_path(warc_path, index_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in index_lines(warc_path)), "utf-8")
    os.replace(tmp, target)
    return target


def rebuild_indexes(warc_dir: str | os.PathLike, index_dir: str | os.PathLike) -> list[Path]:
    """Re-index every closed ``*.warc.gz`` in ``warc_dir`` (``.open`` files are skipped: still being written)."""
    return [write_index(p, index_dir) for p in sorted(Path(warc_dir).glob(f"*{SUFFIX}"))]


def _final_name(path: Path) -> str:
    return path.name[: -len(".open")] if path.name.endswith(".open") else path.name
