"""The baseline: ``wget --recursive --level=inf --no-parent --warc-file`` over the same seeds."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


def wget_crawl(seeds: list[str], workdir: Path) -> dict:
    """Crawl ``seeds`` with wget into ``workdir``; returns {"seconds", "pages", "warc_bytes"}."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = ["wget", "--recursive", "--level=inf", "--no-parent", "--no-verbose", "--tries=1", "--timeout=30",
               f"--warc-file={workdir / 'wget'}", f"--directory-prefix={workdir / 'files'}", *seeds]
    start = time.monotonic()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.monotonic() - start
    warcs = list(workdir.glob("wget*.warc.gz"))
    return {"seconds": seconds, "pages": sum(_responses(p) for p in warcs),
            "warc_bytes": sum(p.stat().st_size for p in warcs)}


def _responses(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for record in ArchiveIterator(f) if record.rec_type == "response")
