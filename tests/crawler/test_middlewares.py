"""Downloader middlewares: gb18030 for undeclared Chinese pages; back-off on 429/503/412."""

from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.middlewares import BackoffRetryMiddleware, ChineseEncodingMiddleware
from crawler.spiders.reports import ReportsSpider
from tests.crawler.loader import FIXTURES, load

URL = "http://www.example-ah.gov.cn/XxgkContent/showList/35/nb/page_1.html"


def decoded(name: str, content_type: str = "text/html"):
    body = (FIXTURES / name).read_bytes()
    response = HtmlResponse(URL, body=body, headers={"Content-Type": content_type}, request=Request(URL))
    return ChineseEncodingMiddleware(True).process_response(response.request, response)


def test_undeclared_gbk_decodes_as_gb18030():
    assert decoded("anhui/list_undeclared.html").encoding == "gb18030"


def test_undeclared_gbk_text_readable():
    assert "岗集镇2022年政府信息公开工作年度报告" in decoded("anhui/list_undeclared.html").text


def test_declared_meta_left_alone():
    assert decoded("anhui/list_page1.html").encoding == "gb18030"  # w3lib maps gb2312 → gb18030


def test_utf8_left_alone():
    assert decoded("trs/column.html").encoding == "utf-8"


def test_header_charset_wins():
    assert decoded("trs/column.html", "text/html; charset=utf-8").encoding == "utf-8"


KEY = "www.example-ah.gov.cn"


def backoff(delay: float = 0.0, **settings):
    crawler = get_crawler(ReportsSpider, {"DOWNLOAD_DELAY": delay, **settings})
    crawler.spider = ReportsSpider.from_crawler(crawler, seeds=[])
    slot = Slot(concurrency=2, delay=delay, jitter=0)
    # The engine is not running in a unit test; the middleware only needs the downloader's slots.
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(slots={KEY: slot}, get_slot_key=lambda request: KEY))
    return BackoffRetryMiddleware.from_crawler(crawler), slot


def answer(mw, status, headers=None):
    request = Request(URL)
    return mw.process_response(request, Response(URL, status=status, headers=headers or {}, request=request))


@pytest.mark.parametrize("status", [429, 503, 412])
def test_backoff_status_retried(status):
    mw, _ = backoff()
    assert isinstance(answer(mw, status), Request)


@pytest.mark.parametrize("status", [429, 503, 412])
def test_backoff_status_slows_host(status):
    mw, slot = backoff()
    answer(mw, status)
    assert slot.delay == 1.0


def test_backoff_doubles():
    mw, slot = backoff(delay=2.0)
    answer(mw, 503)
    answer(mw, 503)
    assert slot.delay == 8.0


def test_backoff_capped():
    mw, slot = backoff(delay=50.0)
    answer(mw, 429)
    assert slot.delay == 60.0


def test_retry_after_seconds_followed():
    mw, slot = backoff()
    answer(mw, 429, {"Retry-After": "7"})
    assert slot.delay == 7.0


def test_ok_response_passes():
    mw, slot = backoff()
    assert answer(mw, 200).status == 200


def test_plain_retry_codes_do_not_slow_down():
    mw, slot = backoff()
    answer(mw, 502)
    assert slot.delay == 0.0
