"""Hanweb classic (大汉) lists: records in an embedded XML datastore, further pages from ``dataproxy.jsp``.

The column page embeds ``<script type="text/xml"><datastore>`` whose
``<recordset>`` holds the first group of CDATA ``<record>``s, and a
``jpage({...})`` call with ``totalRecord``, ``perPage``, ``groupSize``,
``proxyUrl`` and ``ajaxParam``. Further groups come from
``POST <proxyUrl>?startrecord=&endrecord=&perpage=`` with the form
``col=1&appid=1&webid=&path=/&columnid=&unitid=&webname=&permissiontype=0``;
``unitid`` is the widget's ``div id``, and the server checks the Referer.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, urlsplit

from scrapy import FormRequest, Selector
from scrapy.http import Response, TextResponse

from crawler.discovery import clean_text
from crawler.pagination.base import Entry, Follow, iso_date

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
_JPAGE = re.compile(r"jpage\(\s*\{(.*?)\}\s*\)", re.DOTALL)
_AJAX = re.compile(r"ajaxParam\s*:\s*\{(.*?)\}", re.DOTALL)
_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w./-]+))""")
_SELECTOR = re.compile(r"""\$\(\s*['"]#([\w-]+)['"]\s*\)\s*\.jpage""")
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"]", re.DOTALL)
_COLUMN_IN_URL = re.compile(r"/col/col(\d+)/")
_FORM_DEFAULTS = {"col": "1", "appid": "1", "webid": "", "path": "/", "columnid": "", "unitid": "",
                  "webname": "", "permissiontype": "0"}
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"


def detect(response: Response) -> bool:
    """A Hanweb list page or proxy answer: it holds a ``<datastore>`` or ``<recordset>``."""
    return isinstance(response, TextResponse) and ("<datastore>" in response.text or "<recordset>" in response.text)


def entries(response: Response) -> list[Entry]:
    """One entry per CDATA ``<record>`` (its first link, its title attribute or text, its date)."""
    found = []
    for snippet in _RECORD.findall(response.text):
        sel = Selector(text=snippet)
        a = sel.xpath("//a[@href]")
        if not a:
            continue
        a = a[0]
        title = clean_text(a.attrib.get("title")) or clean_text("".join(a.xpath(".//text()").getall()))
        text = "".join(sel.xpath("//text()").getall())
        found.append(Entry(response.urljoin(a.attrib["href"].strip()), title, iso_date(text.replace(title, ""))))
    return found


def _pairs(body: str) -> dict[str, str]:
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _PAIR.finditer(body)}


def config(response: Response) -> dict[str, str]:
    """The jpage settings and proxy form values found on the page (strings, possibly empty)."""
    text = response.text
    cfg: dict[str, str] = {}
    if m := _NEXTGROUP.search(text):
        cfg.update(parse_qsl(urlsplit(m.group(1)).query))
        cfg.setdefault("proxyUrl", urlsplit(m.group(1)).path)
    if m := _JPAGE.search(text):
        cfg.update({k: v for k, v in _pairs(_AJAX.sub("", m.group(1))).items() if v})
    if m := _AJAX.search(text):
        cfg.update({k: v for k, v in _pairs(m.group(1)).items() if v})
    if m := _SELECTOR.search(text):
        cfg.setdefault("unitid", m.group(1))
    if not cfg.get("unitid") and (div := response.xpath("//div[@id][.//script[@type='text/xml']]/@id").get()):
        cfg["unitid"] = div
    if not cfg.get("columnid") and (m := _COLUMN_IN_URL.search(response.url)):
        cfg["columnid"] = m.group(1)
    return cfg


def _form(cfg: dict[str, str]) -> dict[str, str]:
    return {k: cfg.get(k) or default for k, default in _FORM_DEFAULTS.items()}


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """From the column page only: one POST per group of records after those embedded, up to ``max_pages``."""
    if page != 1 or "<datastore>" not in response.text:
        return Follow()
    cfg = config(response)
    total, per_page = int(cfg.get("totalRecord") or 0), int(cfg.get("perPage") or 15)
    group = per_page * int(cfg.get("groupSize") or 3)
    pages = math.ceil(total / per_page) if total else 1
    limit = min(total, max_pages * per_page)
    proxy = response.urljoin(cfg.get("proxyUrl") or DEFAULT_PROXY)
    requests = []
    for start in range(len(_RECORD.findall(response.text)) + 1, limit + 1, group):
        end = min(start + group - 1, limit)
        url = f"{proxy}?startrecord={start}&endrecord={end}&perpage={per_page}"
        requests.append(FormRequest(url, formdata=_form(cfg), headers={"Referer": response.url},
                                    meta={"nb_page": math.ceil(start / per_page)}))
    return Follow(requests, pages > max_pages, pages)
