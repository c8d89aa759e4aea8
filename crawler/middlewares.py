"""Downloader middlewares: back-off on 429/503/412, and gb18030 for undeclared Chinese pages."""

from __future__ import annotations

import codecs
import logging
import re

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, TextResponse

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*['\"]?([\w-]+)", re.IGNORECASE)


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries ``BACKOFF_HTTP_CODES`` (429, 503, 412…) and slows the host down each time.

    The host's download slot delay doubles (from ``DOWNLOAD_DELAY`` or 1 s)
    up to ``BACKOFF_MAX_DELAY`` seconds, or follows ``Retry-After`` when the
    server sends seconds. Nothing sleeps: the slot spaces the retry.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_codes = {int(c) for c in settings.getlist("BACKOFF_HTTP_CODES", [429, 503, 412])}
        self.max_delay = settings.getfloat("BACKOFF_MAX_DELAY", 60.0)
        self.base_delay = max(settings.getfloat("DOWNLOAD_DELAY"), 1.0)

    def process_response(self, request, response, spider=None):
        if response.status not in self.backoff_codes or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        self._slow_down(request, response)
        return self._retry(request, f"backoff {response.status}") or response

    def _slow_down(self, request, response) -> None:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        after = (response.headers.get(b"Retry-After") or b"").decode("latin-1").strip()
        delay = float(after) if after.isdigit() else max(slot.delay * 2, self.base_delay)
        slot.delay = min(delay, self.max_delay)
        logger.info("Backing off %s: %s, delay now %.1fs", key, response.status, slot.delay)


class ChineseEncodingMiddleware:
    """Decodes HTML that declares no charset (header, BOM, ``<meta>``) and is not UTF-8 as gb18030.

    Declared gbk/gb2312 already decode as gb18030 (w3lib's translation);
    this covers the undeclared pages Scrapy's sniffing would misread.
    """

    def __init__(self, enabled: bool):
        if not enabled:
            raise NotConfigured

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("NIANBAO_SNIFF_GB18030", True))

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse) or _declared(response) or _decodes(response.body, "utf-8"):
            return response
        return response.replace(encoding="gb18030") if _decodes(response.body, "gb18030") else response


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _declared(response: TextResponse) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    if b"charset=" in content_type or response.body[:3] == codecs.BOM_UTF8 or response.body[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return True
    return isinstance(response, HtmlResponse) and bool(_META_CHARSET.search(response.body[:4096]))
