"""Running a crawl: a CrawlRun row, Scrapy in a child process, the finished run back.

The Twisted reactor cannot restart within a process, so every crawl runs in
``python -m crawler ARGS.json`` (:mod:`crawler.__main__`). The child prints JSON progress lines on
stdout (see :mod:`crawler.progress`); the parent passes each to ``progress``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from crawler.errors import CrawlError
from crawler.models import CrawlRun
from nianbao.config import Settings
from nianbao.db import session
from nianbao.timeutil import utcnow

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


def scrapy_settings(settings: Settings, run_id: int | None) -> dict:
    """The Scrapy settings a nianbao ``Settings`` stands for (politeness, limits, WARC, database)."""
    return {
        "USER_AGENT": settings.user_agent,
        "ROBOTSTXT_OBEY": settings.obey_robots,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_per_host,
        "DOWNLOAD_DELAY": settings.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if settings.download_delay > 0 else 0.0,
        "AUTOTHROTTLE_ENABLED": settings.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(settings.download_delay, 0.1),
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.max_download_bytes,
        "DOWNLOAD_WARNSIZE": min(settings.max_download_bytes, 32 * 1024 * 1024),
        "NIANBAO_MAX_LIST_PAGES": settings.max_list_pages,
        "NIANBAO_DISCOVERY_DEPTH": settings.discovery_depth,
        "NIANBAO_ALLOWED_DOMAINS": list(settings.allowed_domains),
        "WARC_ENABLED": True,
        "WARC_DIR": str(settings.warc_dir),
        "WARC_PREFIX": settings.warc_prefix,
        "WARC_MAX_SIZE": settings.warc_max_size,
        "WARC_OPERATOR": settings.operator,
        "NIANBAO_DATABASE_URL": settings.db_url,
        "NIANBAO_RUN_ID": run_id,
        "INCREMENTAL_ENABLED": True,
    }


def run_crawl(settings: Settings, seeds: list[dict], *, engine: Engine,
              progress: Callable[[dict], None] | None = None, extra: dict | None = None) -> CrawlRun:
    """Crawl ``seeds`` (``{"portal_id", "url"}`` dicts) and return the finished CrawlRun.

    ``engine`` must point at ``settings.db_url`` (the child writes there).
    ``progress`` receives each progress dict the child prints. ``extra``
    overrides Scrapy settings (tests, e.g. ``LOG_LEVEL``). The run is
    ``failed`` with ``error`` set if the child dies; ``ok``/``failed`` as the
    pipeline decided otherwise.
    """
    for seed in seeds:
        if not isinstance(seed, dict) or not seed.get("url"):
            raise CrawlError(f"Each seed needs a 'url': got {seed!r}.")
    with session(engine) as s:
        run = CrawlRun(started_at=utcnow(), seeds=seeds)
        s.add(run)
        s.flush()
        run_id = run.id
    return _crawl_child(engine, run_id, seeds, {**scrapy_settings(settings, run_id), **(extra or {})}, progress)


def resume_crawl(settings: Settings, *, engine: Engine, run_id: int | None = None,
                 progress: Callable[[dict], None] | None = None, extra: dict | None = None) -> CrawlRun:
    """Resume an interrupted crawl (``nianbao crawl --resume``): the same CrawlRun, the same seeds.

    ``run_id`` defaults to the newest run the crawler never closed (killed,
    crashed). Its ``.open`` WARC files are first cut back to their last whole
    record and closed; then the crawl runs again with every exchange that run
    already archived replayed from the archive, not refetched
    (``INCREMENTAL_REPLAY_RUN``, :mod:`crawler.incremental`). Raises
    :class:`CrawlError` when there is nothing to resume.
    """
    from crawler.resume import prepare_resume

    run = prepare_resume(engine, settings.warc_dir, settings.index_dir, run_id)
    overrides = {**scrapy_settings(settings, run.id), "INCREMENTAL_REPLAY_RUN": run.id, **(extra or {})}
    return _crawl_child(engine, run.id, run.seeds, overrides, progress)


def _crawl_child(engine: Engine, run_id: int, seeds: list[dict], overrides: dict,
                 progress: Callable[[dict], None] | None) -> CrawlRun:
    """Runs the crawl child for ``run_id`` and marks the run failed if the child died."""
    args = {"seeds": seeds, "settings": {"NIANBAO_PROGRESS": True, **overrides}}
    code, tail = _run_child(args, progress)
    with session(engine) as s:
        run = s.get(CrawlRun, run_id)
        if code != 0 or run.status == "running":
            run.status, run.finished_at = "failed", run.finished_at or utcnow()
            run.error = f"crawler process exited with status {code}: {tail}"
            logger.error("Crawl %s failed: %s", run_id, run.error)
        s.add(run)
    with session(engine) as s:
        return s.get(CrawlRun, run_id)


def capture_urls(settings: Settings, urls: list[str], *, engine: Engine,
                 progress: Callable[[dict], None] | None = None, extra: dict | None = None) -> CrawlRun:
    """Archive exactly ``urls`` and their redirect hops, without discovery (``nianbao capture``); the finished run.

    The same child process and capture path as :func:`run_crawl`, with the
    ``capture`` spider and no conditional re-fetch (a capture always takes the
    whole response). What was archived is the run's ``Capture`` rows; a URL
    that could not be fetched is a ``CrawlProblem`` of the run. Raises
    :class:`CrawlError` unless every URL is http(s).
    """
    bad = [u for u in urls if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).netloc]
    if not urls or bad:
        raise CrawlError(f"Give absolute http(s) URLs to capture; not usable: {', '.join(bad) or 'none given'}.")
    seeds = [{"url": u} for u in urls]
    with session(engine) as s:
        run = CrawlRun(started_at=utcnow(), seeds=seeds)
        s.add(run)
        s.flush()
        run_id = run.id
    overrides = {"NIANBAO_PROGRESS": True, **scrapy_settings(settings, run_id), "INCREMENTAL_ENABLED": False, **(extra or {})}
    code, tail = _run_child({"spider": "capture", "seeds": seeds, "settings": overrides}, progress)
    with session(engine) as s:
        run = s.get(CrawlRun, run_id)
        if code != 0 or run.status == "running":
            run.status, run.finished_at = "failed", run.finished_at or utcnow()
            run.error = f"capture process exited with status {code}: {tail}"
        s.add(run)
    with session(engine) as s:
        return s.get(CrawlRun, run_id)


def _run_child(args: dict, progress: Callable[[dict], None] | None) -> tuple[int, str]:
    """Runs ``python -m crawler`` on ``args``; (exit code, last stderr lines)."""
    with tempfile.TemporaryDirectory(prefix="nianbao-crawl-") as tmp:
        path = Path(tmp) / "args.json"
        path.write_text(json.dumps(args, ensure_ascii=False), "utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        env.pop("SCRAPY_SETTINGS_MODULE", None)
        log = Path(tmp) / "stderr.log"
        with log.open("wb") as err:
            child = subprocess.Popen([sys.executable, "-m", "crawler", str(path)], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=err, text=True)
            if progress:
                progress({"event": "started", "pid": child.pid})
            for line in child.stdout:
                _progress_line(line, progress)
            code = child.wait()
        tail = deque(log.read_text("utf-8", errors="replace").splitlines(), maxlen=20)
    return code, " | ".join(tail) if code else ""


def _progress_line(line: str, progress: Callable[[dict], None] | None) -> None:
    if not line.startswith("{"):
        return
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        logger.debug("Not a progress line: %r", line)
        return
    if progress:
        progress(event)
