"""The ``capture`` spider: archive exactly the given URLs and their redirect hops ("save this page now").

No discovery, no link following: each URL is fetched once through the same
capture path as a crawl (``crawler/capture.py`` tapes and archives every hop,
robots.txt included). Run by :func:`crawler.run.capture_urls` (``nianbao
capture URL…``). A URL that could not be fetched, or answered an HTTP error,
becomes a ``ProblemItem`` on the run; an error page is still archived. The
URLs are ``self.urls``, not ``seeds``: the database pipeline checks seeds for
report candidates, and a capture looks for none.
"""

from __future__ import annotations

import scrapy

from crawler.errors import failure_reason
from crawler.items import ProblemItem


class CaptureSpider(scrapy.Spider):
    """``seeds``: URLs, or ``{"url": …}`` dicts (what ``crawler.run`` passes)."""

    name = "capture"

    def __init__(self, seeds=None, **kwargs):
        super().__init__(**kwargs)
        self.urls = [s["url"] if isinstance(s, dict) else s for s in seeds or []]

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error, dont_filter=True)

    def parse(self, response):
        """Archived already (by the capture middleware); nothing to extract."""
        self.crawler.stats.inc_value("nianbao/captured")
        return []

    def on_error(self, failure):
        reason, status = failure_reason(failure)
        self.crawler.stats.inc_value("nianbao/problems")
        yield ProblemItem(url=failure.request.url, reason=reason, seed_url=failure.request.url, status=status)
