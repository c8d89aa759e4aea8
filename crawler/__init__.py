"""The crawler: finds 年报 columns from portal seeds, walks their lists, fetches reports and attachments.

What other packages may use (imported lazily, so Scrapy loading
``crawler.settings`` stays light):

- ``run_crawl(settings, seeds, *, engine, progress=None, extra=None) -> CrawlRun``
- ``CrawlError``: the crawl could not run.
- ``DocumentItem``, ``ProblemItem``: what the spider yields.
"""

from __future__ import annotations

from nianbao.lazy import exports

_EXPORTS = {
    "run_crawl": "crawler.run",
    "scrapy_settings": "crawler.run",
    "CrawlError": "crawler.errors",
    "DocumentItem": "crawler.items",
    "ProblemItem": "crawler.items",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = exports("crawler", _EXPORTS)
