"""TRS WCM (拓尔思) lists: a ``createPageHTML`` script gives the page count; pages are static files.

Classic: ``createPageHTML(9, 0, "index", "html")`` (pages, current from 0,
prefix, suffix), sometimes with ``var countPage = 17;``; page k+1 is
``index_k.html``. Newer: ``createPageHTML('page_div',10,1,'list','shtml',149)``
(container, pages, current from 1, prefix, suffix, records) whose page-2 name
varies between ``list_1`` and ``list_2``: both are requested and the one that
does not exist 404s quietly (``nb_speculative``).
"""

from __future__ import annotations

import re

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.pagination.base import Entry, Follow, list_entries

_CLASSIC = re.compile(r"""createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]\s*\)""")
_NEWER = re.compile(r"""createPageHTML\(\s*['"][\w-]+['"]\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]""")
_VAR = r"""var\s+{name}\s*=\s*(\d+)"""


def detect(response: Response) -> bool:
    """A TRS list page: its text calls ``createPageHTML``."""
    return isinstance(response, TextResponse) and "createPageHTML" in response.text


def entries(response: Response) -> list[Entry]:
    """Article links (``./YYYYMM/tYYYYMMDD_<id>.html``), files and report-titled links."""
    return list_entries(response)


def _resolve(token: str, text: str) -> int:
    """A ``createPageHTML`` argument: a number, or a ``var`` assigned a number in the page."""
    if token.isdigit():
        return int(token)
    m = re.search(_VAR.format(name=re.escape(token)), text)
    return int(m.group(1)) if m else 1


def _script(text: str) -> tuple[int, bool, str, str] | None:
    """(pages, newer form?, prefix, suffix) from the paging script, None when absent."""
    if m := _NEWER.search(text):
        return int(m.group(1)), True, m.group(3), m.group(4)
    if m := _CLASSIC.search(text):
        return _resolve(m.group(1), text), False, m.group(3), m.group(4)
    return None


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """From the first page only: ``<prefix>_k.<suffix>`` for every further page, up to ``max_pages``."""
    found = _script(response.text) if page == 1 else None
    if not found:
        return Follow()
    pages, newer, prefix, suffix = found
    last = min(pages, max_pages)
    # Classic: page k+1 is <prefix>_k. Newer: page 2 is <prefix>_1 or <prefix>_2, so ask for both.
    numbers = range(1, last + 1) if newer else range(1, last)
    requests = [
        Request(response.urljoin(f"{prefix}_{k}.{suffix}"), meta={"nb_page": k + 1, "nb_speculative": newer})
        for k in numbers
    ]
    return Follow(requests, pages > max_pages, pages)
