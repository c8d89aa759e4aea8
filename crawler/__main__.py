"""The crawl's own process: ``python -m crawler ARGS.json``, started by :mod:`crawler.run` (the Twisted reactor
cannot restart within a process, so every crawl gets one).

``ARGS.json`` is ``{"seeds": […], "settings": {…}}`` (and ``"spider": "capture"`` for
:func:`crawler.run.capture_urls`); the settings override ``crawler.settings``. A crawl that archives starts its
archivist before anything heavy is imported here, so the archivist's start-up overlaps ours instead of holding
up the first responses (:func:`archive.recorder.start_archivist`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    args = json.loads(Path(argv[0]).read_text("utf-8"))
    if _archives(args["settings"]):
        from archive.recorder import start_archivist

        start_archivist()
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.spiders.capture import CaptureSpider
    from crawler.spiders.reports import ReportsSpider

    _offline_public_suffixes()
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict({k: v for k, v in args["settings"].items() if v is not None}, priority="cmdline")
    process = CrawlerProcess(settings)
    spider = CaptureSpider if args.get("spider") == "capture" else ReportsSpider
    process.crawl(spider, seeds=args["seeds"])
    process.start()
    return 0


def _archives(overrides: dict) -> bool:
    """Whether the crawl will archive (``WARC_ENABLED``, as overridden)."""
    from crawler import settings as defaults

    value = overrides.get("WARC_ENABLED")
    return bool(defaults.WARC_ENABLED if value is None else value)


def _offline_public_suffixes() -> None:
    """Scrapy's cookie middleware would download the public suffix list; use tldextract's bundled copy."""
    from scrapy.downloadermiddlewares import cookies
    from tldextract import TLDExtract

    cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
