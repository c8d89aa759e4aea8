"""Getting an interrupted crawl ready to resume: which run, and its ``.open`` WARC files recovered.

Scrapy's JOBDIR keeps its queue state only on a clean shutdown, so after
``kill -9`` it would lose the frontier. nianbao resumes from what survives
any crash instead: the catalog (rows committed only after their bytes are
flushed) and the WARC files: the run's ``.open`` files are recovered by
:func:`archive.recover.recover` (cut back to their last whole record, closed,
indexed). The resumed crawl starts from the run's seeds
again and :mod:`crawler.incremental` replays every exchange the run already
archived, so the same graph is walked and nothing archived is fetched twice.
"""

from __future__ import annotations

import logging
import re
import zlib
from pathlib import Path

from sqlmodel import col, select

from archive import recover
from archive.recover import OPEN_SUFFIX
from crawler.errors import CrawlError
from crawler.models import CrawlRun
from nianbao.db import session

logger = logging.getLogger(__name__)
_PART_OF = re.compile(rb"\r\nisPartOf: ([^\r\n]*)\r\n")


def prepare_resume(engine, warc_dir: Path, index_dir: Path, run_id: int | None = None) -> CrawlRun:
    """The run to resume, set running again, after its ``.open`` WARC files are recovered and closed."""
    run = resumable_run(engine, run_id)
    for path in run_open_files(warc_dir, run.id):
        recover(path, index_dir)  # refuses a file a live writer still holds (flock)
    with session(engine) as s:
        row = s.get(CrawlRun, run.id)
        row.status, row.finished_at, row.error = "running", None, None
        s.add(row)
    with session(engine) as s:
        return s.get(CrawlRun, run.id)


def resumable_run(engine, run_id: int | None = None) -> CrawlRun:
    """``run_id``'s run, or the newest the crawler never closed (no stats written); CrawlError if none."""
    with session(engine) as s:
        if run_id is not None:
            run = s.get(CrawlRun, run_id)
            if run is None:
                raise CrawlError(f"No crawl run {run_id}; `nianbao crawl --resume` without a run resumes the last one.")
        else:
            runs = s.exec(select(CrawlRun).order_by(col(CrawlRun.id).desc())).all()
            run = next((r for r in runs if not r.stats), None)
            if run is None:
                raise CrawlError("No interrupted crawl to resume: every run finished. Start a new crawl instead.")
        if run.stats:
            raise CrawlError(f"Crawl run {run.id} finished ({run.status}); there is nothing to resume.")
        s.expunge(run)
        return run


def run_open_files(warc_dir: Path, run_id: int) -> list[Path]:
    """The ``.open`` WARC files whose warcinfo names ``run_id`` (``isPartOf: reports-run-N``)."""
    wanted = re.compile(rf"-run-{run_id}$".encode())
    return [p for p in sorted(Path(warc_dir).glob(f"*.warc.gz{OPEN_SUFFIX}")) if wanted.search(_part_of(p) or b"")]


def _part_of(path: Path) -> bytes | None:
    """The warcinfo ``isPartOf`` of a WARC file (its first gzip member), or None when unreadable."""
    with open(path, "rb") as f:
        head = f.read(65536)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        text = d.decompress(head)
    except zlib.error:
        return None
    match = _PART_OF.search(text)
    return match.group(1).strip() if match else None
