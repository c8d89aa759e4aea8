"""Hanweb 信息公开 module (``/module/xxgk/``): a POSTed search list and the 年报 query aggregator.

- A column page carries a form posting to ``/module/xxgk/search.jsp``
  (``infotypeId``, ``jdid``, ``area``, ``divid``…) and draws no list itself;
  page N is ``POST /module/xxgk/search.jsp?…&currpage=N`` with that form,
  answering an HTML fragment with the rows and a ``共N页`` pager.
- The annual-report aggregator ``/module/xxgk/xxgkAnnualReport.jsp?area=&fbtime=``
  (placement E) lists one year's reports per unit; its other years are the
  ``fbtime`` options of its form (or links). ``fbtime`` looks like the
  publication year (DOMAIN.md §4.1, unconfirmed), so every year offered is read.

Details are Hanweb's ``/art/YYYY/M/D/art_<col>_<id>.html``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import FormRequest, Request
from scrapy.http import Response

from crawler.discovery import is_markup
from crawler.pagination.base import Entry, Follow, list_entries

SEARCH, AGGREGATOR = "/module/xxgk/search.jsp", "xxgkAnnualReport.jsp"   # the aggregator's path varies
_TOTAL = re.compile(r"共\s*(\d+)\s*页")
_FORM = f"//form[contains(@action, '{SEARCH}')]"


def _path(response: Response) -> str:
    return urlsplit(response.url).path


def detect(response: Response) -> bool:
    """A search answer, an aggregator page, or a page whose xxgk search form names a category
    (a site-wide search box posts to the same endpoint with an empty ``infotypeId``)."""
    if _path(response).endswith((SEARCH, AGGREGATOR)):
        return is_markup(response)
    return is_markup(response) and search_form(response) is not None


def entries(response: Response) -> list[Entry]:
    """Rows of a search answer or aggregator; on a column page, whatever it links itself (its list is
    drawn by script, so usually nothing)."""
    return list_entries(response)


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` set (replacing existing values, other parameters kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode([*query, *params.items()])))


def search_form(response: Response) -> tuple[str, dict[str, str]] | None:
    """(action URL, form fields) of the page's search form for a category (``infotypeId`` set),
    ``currpage`` left out; None when there is none."""
    for form in response.xpath(_FORM):
        fields = {i.attrib["name"]: i.attrib.get("value", "") for i in form.xpath(".//input[@name]")}
        fields.pop("currpage", None)
        if fields.get("infotypeId"):
            return response.urljoin(form.attrib["action"]), fields
    return None


def _search(action: str, fields: dict[str, str], page: int, referer: str) -> FormRequest:
    return FormRequest(with_query(action, currpage=str(page)), formdata=fields, headers={"Referer": referer},
                       meta={"nb_page": page})


def _answer_form(response: Response) -> dict[str, str]:
    """The form a search answer was posted with (re-sent for its further pages)."""
    body = (response.request.body or b"").decode("utf-8", "replace") if response.request else ""
    return {k: v for k, v in parse_qsl(body, keep_blank_values=True) if k != "currpage"}


def _years(response: Response) -> list[str]:
    """The ``fbtime`` values the aggregator offers: its form's options and its links."""
    values = response.xpath("//select[@name='fbtime']/option/@value").getall()
    for href in response.xpath(f"//a[contains(@href, '{AGGREGATOR}')]/@href").getall():
        values += [v for k, v in parse_qsl(urlsplit(href).query) if k == "fbtime"]
    return list(dict.fromkeys(v for v in values if v.strip()))


def _aggregator(response: Response, max_pages: int) -> Follow:
    current = dict(parse_qsl(urlsplit(response.url).query, keep_blank_values=True))
    years = [y for y in _years(response) if y != current.get("fbtime")]
    kept = years[:max(max_pages - 1, 0)]
    requests = [Request(with_query(response.url, area=current.get("area", ""), fbtime=y), meta={"nb_page": n})
                for n, y in enumerate(kept, start=2)]
    return Follow(requests, len(kept) < len(years), len(years) + 1)


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """Column page → search page 1; search page 1 → pages 2..N (共N页, capped); aggregator → its other years."""
    if page != 1:
        return Follow()
    if _path(response).endswith(AGGREGATOR):
        return _aggregator(response, max_pages)
    if not _path(response).endswith(SEARCH):
        found = search_form(response)
        return Follow([_search(*found, 1, response.url)] if found else [])
    m = _TOTAL.search(" ".join(response.xpath("//body//text()").getall()))
    pages = int(m.group(1)) if m else 1
    referer = (response.request.headers.get(b"Referer") or b"").decode() if response.request else response.url
    action = with_query(response.url, currpage="1")
    requests = [_search(action, _answer_form(response), n, referer or response.url)
                for n in range(2, min(pages, max_pages) + 1)]
    return Follow(requests, pages > max_pages, pages)
