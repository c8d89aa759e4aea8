"""开普云 (Ucap) lists: a ``zfxxgklby_nb.shtml`` page filled by script from a JSON search API.

The column ``/<site>/c<col>/zfxxgklby_nb.shtml`` names its channel
(``channelId = "<id>"`` or a literal ``/common/search/<id>``) and shows no
list of its own. Page N is
``GET /common/search/<channelId>?page=N&_pageSize=15&_isJson=true&_template=index``
answering ``{"data": {"total", "results": [{"title", "url", "publishedTimeStr",
"domainMetaList"}]}}``. Details are ``/<site>/c<col>/YYYYMM/<32 hex>.shtml``
(or ``c01_<n>.shtml``) with the body in ``<UCAPCONTENT>``.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qs, urlencode, urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.discovery import clean_text
from crawler.pagination.base import Entry, Follow, iso_date

PAGE_SIZE = 15
_API = re.compile(r"/common/search/(\w+)$")
_CHANNEL = (re.compile(r"""/common/search/(\w+)"""), re.compile(r"""channel_?id['"]?\s*[:=]\s*['"](\w+)['"]""", re.I))
_TAG = re.compile(r"<[^>]+>")


def _is_api(response: Response) -> bool:
    return bool(_API.search(urlsplit(response.url).path))


def channel(response: Response) -> str | None:
    """The search channel a column page names, else None."""
    if not isinstance(response, TextResponse):
        return None
    return next((m.group(1) for p in _CHANNEL if (m := p.search(response.text))), None)


def detect(response: Response) -> bool:
    """A search API answer, or a page that calls the search API for its channel."""
    return _is_api(response) or (isinstance(response, TextResponse) and "/common/search/" in response.text
                                 and channel(response) is not None)


def _data(response: Response) -> dict:
    try:
        return json.loads(response.text).get("data") or {}
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
        return {}


def entries(response: Response) -> list[Entry]:
    """The ``results`` of an API answer (none on the column page: its list is drawn by script)."""
    if not _is_api(response):
        return []
    return [Entry(response.urljoin(r["url"]), clean_text(_TAG.sub("", r.get("title") or "")),
                  iso_date(r.get("publishedTimeStr")))
            for r in _data(response).get("results") or [] if isinstance(r, dict) and r.get("url")]


def api_url(response: Response, channel_id: str, page: int, page_size: int = PAGE_SIZE) -> str:
    query = {"page": page, "_pageSize": page_size, "_isJson": "true", "_template": "index"}
    return response.urljoin(f"/common/search/{channel_id}") + "?" + urlencode(query)


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """Column page → API page 1; API page 1 → pages 2..N from ``total`` and the page size, capped."""
    if not _is_api(response):
        channel_id = channel(response)
        return Follow([Request(api_url(response, channel_id, 1), meta={"nb_page": 1})] if channel_id else [])
    if page != 1:
        return Follow()
    channel_id = _API.search(urlsplit(response.url).path).group(1)
    size = int(parse_qs(urlsplit(response.url).query).get("_pageSize", [PAGE_SIZE])[0])
    pages = math.ceil(int(_data(response).get("total") or 0) / max(size, 1))
    last = min(pages, max_pages)
    requests = [Request(api_url(response, channel_id, n, size), meta={"nb_page": n}) for n in range(2, last + 1)]
    return Follow(requests, pages > max_pages, pages)
