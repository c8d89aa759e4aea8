"""The crawler: finds 年报 columns from portal seeds, walks their lists, fetches reports and attachments.

What other packages may use (imported lazily, so Scrapy loading
``crawler.settings`` stays light):

- ``run_crawl(settings, seeds, *, engine, progress=None, extra=None) -> CrawlRun``
- ``CrawlError``: the crawl could not run.
- ``DocumentItem``, ``ProblemItem``: what the spider yields.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "run_crawl": "crawler.run",
    "scrapy_settings": "crawler.run",
    "CrawlError": "crawler.errors",
    "DocumentItem": "crawler.items",
    "ProblemItem": "crawler.items",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'crawler' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
