"""Hanweb jpaas (大汉 JPAAS) lists: a column page whose further pages come from a JSON page-build API.

The column page ``…/col/col<pageId>/index.html`` renders list page 1 and a
pagination div whose ``queryData`` attribute holds the build parameters
(``webId``, ``tplSetId``, ``pageType``, ``tagId``, ``pageId``, ``pageSize``
and a ``totalPage`` or ``total``). Page N is
``GET /api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=&tplSetId=&pageType=column&tagId=&pageId=<col>&paramJson={"pageNo":N,"pageSize":M}``
(``bulidstatic`` is the real spelling) answering ``{"data": {"html": "…"}}``.
Details are ``…/art/YYYY/art_<32 hex>.html``. Without a page count the
pages are chained: the next is asked while a page comes back full.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urlencode, urlsplit

from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse

from crawler.pagination.base import Entry, Follow, list_entries

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w.-]+))""")
_COLUMN_IN_URL = re.compile(r"/col/col(\d+)/")
_TOTAL_PAGES = re.compile(r"共\s*(\d+)\s*页")
_PARAMS = ("webId", "tplSetId", "pageType", "tagId", "pageId")


def detect(response: Response) -> bool:
    """A jpaas column page (a ``queryData`` pagination div) or an answer of its page-build API."""
    if urlsplit(response.url).path.endswith(API_PATH):
        return True
    return isinstance(response, TextResponse) and "querydata" in response.text.lower() and bool(query_data(response))


def query_data(response: Response) -> dict[str, str]:
    """The ``queryData`` parameters of the page's pagination div (JSON or JS-object syntax), else {}."""
    raw = response.xpath("//*[@querydata]/@querydata").get() if isinstance(response, HtmlResponse) else None
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        data = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _PAIR.finditer(raw)}
    data = {k: str(v) for k, v in data.items() if v is not None}
    if not data.get("pageId") and (m := _COLUMN_IN_URL.search(response.url)):
        data["pageId"] = m.group(1)
    return data if data.get("pageId") else {}


def _html(response: Response) -> HtmlResponse | None:
    """The API answer's ``data.html`` as an HTML response at the column's URL (None if it has none)."""
    try:
        html = (json.loads(response.text).get("data") or {}).get("html")
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
        return None
    if not html:
        return None
    referer = (response.request.headers.get(b"Referer") or b"").decode() if response.request else ""
    return HtmlResponse(url=referer or response.url, body=html.encode("utf-8"), encoding="utf-8")


def entries(response: Response) -> list[Entry]:
    """Article links of the column page's list, or of an API answer's ``data.html``."""
    if urlsplit(response.url).path.endswith(API_PATH):
        html = _html(response)
        return list_entries(html) if html is not None else []
    return list_entries(response)


def page_count(response: Response, data: dict[str, str]) -> int | None:
    """Pages in the column: ``totalPage``, else ``ceil(total / pageSize)``, else ``共N页``; None if unknown."""
    if (data.get("totalPage") or "").isdigit():
        return int(data["totalPage"])
    if (data.get("total") or "").isdigit() and (data.get("pageSize") or "").isdigit():
        return math.ceil(int(data["total"]) / max(int(data["pageSize"]), 1))
    m = _TOTAL_PAGES.search(" ".join(response.xpath("//body//text()").getall()))
    return int(m.group(1)) if m else None


def api_url(response: Response, data: dict[str, str], page: int) -> str:
    """The page-build API URL of list page ``page``."""
    query = {"parseType": "bulidstatic", **{k: data.get(k, "") for k in _PARAMS}}
    query["pageType"] = query["pageType"] or "column"
    query["paramJson"] = json.dumps({"pageNo": page, "pageSize": int(data.get("pageSize") or 15)},
                                    separators=(",", ":"))
    return response.urljoin(API_PATH) + "?" + urlencode(query)


def _request(response: Response, data: dict[str, str], page: int, referer: str, chained: bool) -> Request:
    meta = {"nb_page": page, "nb_jpaas": data, "nb_speculative": chained}
    return Request(api_url(response, data, page), headers={"Referer": referer}, meta=meta)


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """Column page: API pages 2..N (N from the page, capped), or page 2 alone when N is unknown;
    an API answer of a chained column: the next page while this one came back full."""
    if urlsplit(response.url).path.endswith(API_PATH):
        data = response.meta.get("nb_jpaas") or {}
        full = len(entries(response)) >= int(data.get("pageSize") or 15)
        if not (data and response.meta.get("nb_speculative") and full):
            return Follow()
        if page >= max_pages:
            return Follow(capped=True)
        referer = (response.request.headers.get(b"Referer") or b"").decode()
        return Follow([_request(response, data, page + 1, referer, True)])
    data = query_data(response)
    if page != 1 or not data:
        return Follow()
    pages = page_count(response, data)
    if pages is None:
        return Follow([_request(response, data, 2, response.url, True)] if max_pages > 1 else [], max_pages <= 1)
    last = min(pages, max_pages)
    return Follow([_request(response, data, n, response.url, False) for n in range(2, last + 1)], pages > max_pages, pages)

