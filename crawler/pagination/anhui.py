"""Anhui 信息公开 lists: ``/XxgkContent/showList/<unit>/<cat>/page_N.html`` → ``/XxgkAnnualReport/show/<id>.html``.

The page count is read from the pager (``共 N 页`` or the highest
``page_N.html`` link). Report ids share one sequence across hosts, so a
report is known by host + id, which its URL already is.
"""

from __future__ import annotations

import re

from scrapy import Request
from scrapy.http import Response

from crawler.discovery import is_markup
from crawler.pagination.base import Entry, Follow, list_entries

_LIST = re.compile(r"/XxgkContent/showList/(\d+)/([\w-]+)/page_(\d+)\.html")
_PAGE_LINK = re.compile(r"page_(\d+)\.html")
_TOTAL = re.compile(r"共\s*(\d+)\s*页")


def detect(response: Response) -> bool:
    """An Anhui list page, by its URL."""
    return bool(_LIST.search(response.url))


def entries(response: Response) -> list[Entry]:
    """Report links (``/XxgkAnnualReport/show/<id>.html``) and other article or file links."""
    return list_entries(response) if is_markup(response) else []


def page_count(response: Response) -> int:
    """Pages in this list: ``共 N 页`` if shown, else the highest ``page_N.html`` linked (at least 1)."""
    if m := _TOTAL.search(" ".join(response.xpath("//body//text()").getall())):
        return int(m.group(1))
    numbers = [int(n) for href in response.xpath("//a/@href").getall() for n in _PAGE_LINK.findall(href)]
    return max(numbers + [1])


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """From the first page only: ``page_2.html`` … ``page_N.html``, up to ``max_pages``."""
    m = _LIST.search(response.url)
    if not m or page != 1:
        return Follow()
    pages = page_count(response)
    base = response.url[: m.start(3)]
    requests = [Request(f"{base}{n}.html", meta={"nb_page": n}) for n in range(2, min(pages, max_pages) + 1)]
    return Follow(requests, pages > max_pages, pages)
