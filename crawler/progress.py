"""Progress as JSON lines on stdout, for the parent process (``crawler.run``) to show.

Enabled by ``NIANBAO_PROGRESS``. Each line: ``{"event": "progress", "responses": n,
"documents": n, "problems": n, "requests": n}``, at most every
``NIANBAO_PROGRESS_INTERVAL`` seconds, and a last one with ``"event": "closed"``.
"""

from __future__ import annotations

import json
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import DocumentItem, ProblemItem


class ProgressLines:
    def __init__(self, crawler, interval: float, stream=None):
        self.crawler = crawler
        self.interval = interval
        self.stream = stream or sys.stdout
        self.counts = {"responses": 0, "documents": 0, "problems": 0, "requests": 0}
        self._last = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NIANBAO_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL", 0.5))
        crawler.signals.connect(ext.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def request_scheduled(self, request, spider=None):
        self._bump("requests")

    def response_received(self, response, request, spider=None):
        self._bump("responses")

    def item_scraped(self, item, response=None, spider=None):
        if isinstance(item, DocumentItem):
            self._bump("documents")
        elif isinstance(item, ProblemItem):
            self._bump("problems")

    def spider_closed(self, spider=None, reason=None):
        self._emit("closed")

    def _bump(self, key: str) -> None:
        self.counts[key] += 1
        if time.monotonic() - self._last >= self.interval:
            self._emit("progress")

    def _emit(self, event: str) -> None:
        self._last = time.monotonic()
        self.stream.write(json.dumps({"event": event, **self.counts}) + "\n")
        self.stream.flush()
