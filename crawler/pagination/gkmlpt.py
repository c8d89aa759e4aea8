"""Guangdong gkmlpt lists: a Vue shell whose entries come only from a JSON API.

The shell ``/<unit>/gkmlpt/index`` sets ``window._CONFIG = {SID: …, TREE: […]}``;
the list of category ``<cat>`` is ``GET /<unit>/gkmlpt/api/all/<cat>?page=N&sid=<SID>``
answering ``{total, articles: [{id, title, url, display_publish_time,
identifier, attachment}]}``. Page 0 is page 1. Some units answer 404 past
page 1: those requests are marked ``nb_speculative`` so the 404 ends paging quietly.
"""

from __future__ import annotations

import json
from datetime import datetime
import math
import re
from urllib.parse import parse_qs, urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler import rules
from crawler.discovery import clean_text
from crawler.pagination.base import Entry, Follow, iso_date
from nianbao.timeutil import CHINA

_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\})\s*;?\s*</script>", re.DOTALL)
_SID = re.compile(r"""['"]?SID['"]?\s*:\s*['"]?([\w-]+)""")
_API = re.compile(r"/gkmlpt/api/all/(\d+)")
_UNIT = re.compile(r"^(.*?/gkmlpt)/")


def detect(response: Response) -> bool:
    """A gkmlpt shell (``window._CONFIG``) or an answer of its list API."""
    if _API.search(urlsplit(response.url).path):
        return True
    return isinstance(response, TextResponse) and "window._CONFIG" in response.text and "/gkmlpt/" in response.url


def _shell_config(response: Response) -> dict:
    """``window._CONFIG`` as a dict; only ``SID`` when it is not valid JSON."""
    m = _CONFIG.search(response.text)
    if not m:
        return {}
    try:
        return json.loads(m.group(1))
    except json.JSONDecodeError:
        sid = _SID.search(m.group(1))
        return {"SID": sid.group(1)} if sid else {}


def _walk(tree: list) -> list[dict]:
    nodes = []
    for node in tree or []:
        nodes.append(node)
        nodes.extend(_walk(node.get("children") or []))
    return nodes


def categories(response: Response) -> list[str]:
    """The 年报 categories: the ``#<cat>`` of the URL if numeric, else TREE nodes named like a 年报 column."""
    fragment = urlsplit(response.url).fragment
    if fragment.isdigit():
        return [fragment]
    names = rules.NIANBAO_COLUMN_TEXT
    return [str(n["id"]) for n in _walk(_shell_config(response).get("TREE") or [])
            if any(p.search(clean_text(str(n.get("name", "")))) for p in names)]


def _payload(response: Response) -> dict:
    try:
        return json.loads(response.text)
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
        return {}


def _attachments(article: dict, response: Response) -> tuple[str, ...]:
    items = article.get("attachment") or []
    if isinstance(items, dict):
        items = [items]
    return tuple(response.urljoin(a["url"]) for a in items if isinstance(a, dict) and a.get("url"))


def _date(article: dict) -> str | None:
    """``display_publish_time`` as an ISO date in China time: epoch seconds (the usual form) or a date string."""
    value = article.get("display_publish_time") or article.get("publish_time")
    if isinstance(value, (int, float)) or str(value or "").isdigit():
        return datetime.fromtimestamp(int(value), CHINA).date().isoformat()
    return iso_date(str(value or ""))


def entries(response: Response) -> list[Entry]:
    """The ``articles`` of an API answer (none on the shell)."""
    return [
        Entry(response.urljoin(a["url"]), clean_text(a.get("title")), _date(a), _attachments(a, response))
        for a in _payload(response).get("articles") or [] if a.get("url")
    ]


def _api_url(base: str, cat: str, page: int, sid: str) -> str:
    return f"{base}/api/all/{cat}?page={page}&sid={sid}"


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """Shell → page 1 of each 年报 category; API page 1 → pages 2.. from ``total`` / page size."""
    unit = _UNIT.search(urlsplit(response.url).path + "/")
    base = response.urljoin(unit.group(1)) if unit else response.urljoin("/gkmlpt")
    api = _API.search(urlsplit(response.url).path)
    if not api:
        sid = str(_shell_config(response).get("SID", ""))
        return Follow([Request(_api_url(base, cat, 1, sid), meta={"nb_page": 1}) for cat in categories(response)])
    if page != 1:
        return Follow()
    data = _payload(response)
    per_page = len(data.get("articles") or []) or 1
    pages = math.ceil(int(data.get("total") or 0) / per_page)
    sid = parse_qs(urlsplit(response.url).query).get("sid", [""])[0]
    last = min(pages, max_pages)
    requests = [Request(_api_url(base, api.group(1), n, sid), meta={"nb_page": n, "nb_speculative": True})
                for n in range(2, last + 1)]
    return Follow(requests, pages > max_pages, pages)
