"""Run a real Scrapy crawl of the loopback server through crawler/capture.py (in a subprocess: one reactor per process).

Usage: python crawl_loopback.py BASE_URL WARC_DIR DATABASE_URL OUT_JSONL [TLS_BASE_URL]
Each spider callback/errback appends ``{"url", "status", "capture", "error"}`` to OUT_JSONL.
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import FormRequest


class LoopbackSpider(scrapy.Spider):
    name = "loopback"

    def __init__(self, base: str, out: str, tls_base: str | None = None, **kw):
        super().__init__(**kw)
        self.base, self.out, self.tls_base = base, out, tls_base

    async def start(self):
        yield scrapy.Request(f"{self.base}/gbk.html", callback=self.parse_gbk)
        if self.tls_base:
            yield scrapy.Request(f"{self.tls_base}/gbk.html", callback=self.parse_any)
            yield scrapy.Request(f"{self.tls_base}/search?q=tls", callback=self.parse_any)

    def _note(self, response=None, failure=None, url=None):
        meta = response.meta if response is not None else failure.request.meta
        row = {"url": url or response.url, "status": getattr(response, "status", None), "capture": meta.get("capture"),
               "error": repr(failure.value) if failure is not None else None}
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")

    def parse_gbk(self, response):
        self._note(response)
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_any)
        yield FormRequest(f"{self.base}/form", formdata={"q": "年报", "year": "2023"}, callback=self.parse_any)
        yield scrapy.Request(f"{self.base}/same", callback=self.parse_same)
        yield scrapy.Request(f"{self.base}/reason", callback=self.parse_any)
        yield scrapy.Request(f"{self.base}/big", callback=self.parse_any, errback=self.failed,
                             meta={"download_maxsize": 10000})
        yield scrapy.Request(f"{self.base}/short", callback=self.parse_any, errback=self.failed,
                             meta={"dont_retry": True})
        yield scrapy.Request(f"{self.base}/slow", callback=self.parse_any, errback=self.failed,
                             meta={"download_timeout": 1, "dont_retry": True})

    def parse_same(self, response):
        self._note(response)
        if not response.meta.get("again"):
            yield response.request.replace(dont_filter=True, meta={"again": True})

    def parse_any(self, response):
        self._note(response)

    def failed(self, failure):
        self._note(failure=failure, url=failure.request.url)


def _offline_public_suffixes() -> None:
    """Scrapy's cookie middleware would fetch the public suffix list; tests stay on loopback."""
    from tldextract import TLDExtract

    from scrapy.downloadermiddlewares import cookies

    cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)


def main(base: str, warc_dir: str, db_url: str, out: str, tls_base: str | None = None) -> None:
    _offline_public_suffixes()
    process = CrawlerProcess(settings={
        "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "INFO",
        "CONCURRENT_REQUESTS": 1,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "USER_AGENT": "nianbao-test/0.1",
        "DOWNLOAD_HANDLERS": {"http": "crawler.capture.CaptureDownloadHandler",
                              "https": "crawler.capture.CaptureDownloadHandler"},
        "DOWNLOADER_MIDDLEWARES": {"crawler.capture.WarcCaptureMiddleware": 950},
        "WARC_ENABLED": True,
        "WARC_DIR": warc_dir,
        "WARC_PREFIX": "loopback",
        "WARC_OPERATOR": "nianbao tests",
        "WARC_MAX_SIZE": 6000,
        "NIANBAO_DATABASE_URL": db_url,
    })
    process.crawl(LoopbackSpider, base=base, out=out, tls_base=tls_base)
    process.start()


if __name__ == "__main__":
    main(*sys.argv[1:6])
