"""``iList.jsp`` lists (long-tail CMS): ``/info/iList.jsp?…&cur_page=N`` with a 共N页 / 下一页 pager.

Details are ``/info/<col>/<id>.htm``. The 下一页 link is often script
(``javascript:goPage(2)``), so pages are computed: from page 1, every
``cur_page`` up to the 共N页 count; when the count is missing, the 下一页
link if it is a real URL, one page at a time.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.http import Response

from crawler.discovery import is_markup
from crawler.pagination import generic
from crawler.pagination.base import Entry, Follow, list_entries

_LIST = re.compile(r"/iList\.jsp$", re.IGNORECASE)
_TOTAL = re.compile(r"共\s*(\d+)\s*页")
PAGE_PARAM = "cur_page"


def detect(response: Response) -> bool:
    """An ``iList.jsp`` page, by its URL."""
    return bool(_LIST.search(urlsplit(response.url).path)) and is_markup(response)


def entries(response: Response) -> list[Entry]:
    """Article links (``/info/<col>/<id>.htm``), files and report-titled links."""
    return list_entries(response)


def page_url(url: str, page: int) -> str:
    """``url`` with ``cur_page=page`` (set or replaced, other parameters kept in order)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PAGE_PARAM]
    return urlunsplit(parts._replace(query=urlencode([*query, (PAGE_PARAM, str(page))])))


def page_count(response: Response) -> int | None:
    """The 共N页 count of the pager, else None."""
    m = _TOTAL.search(" ".join(response.xpath("//body//text()").getall()))
    return int(m.group(1)) if m else None


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """Page 1 with 共N页: ``cur_page=2..N`` (capped); without it, the 下一页 chain of the generic adapter."""
    pages = page_count(response)
    if pages is None:
        return generic.follow(response, page, max_pages)
    if page != 1:
        return Follow()
    last = min(pages, max_pages)
    requests = [Request(page_url(response.url, n), meta={"nb_page": n}) for n in range(2, last + 1)]
    return Follow(requests, pages > max_pages, pages)
