"""The fallback for lists of no known family: follow the 下一页 link, else static ``index_N`` links.

Pages chain one at a time, so the page number travels in ``nb_page`` and the
chain stops at ``max_pages`` (a trap guard: calendars and session ids make
endless "next" links).
"""

from __future__ import annotations

import re

from scrapy import Request
from scrapy.http import Response

from crawler import rules
from crawler.discovery import clean_text, is_markup, page_links
from crawler.pagination.base import Entry, Follow, list_entries

_INDEX_N = re.compile(r"/(index|list)_(\d+)\.s?html?$")


def detect(response: Response) -> bool:
    """Always true for HTML/XML: the last adapter tried."""
    return is_markup(response)


def entries(response: Response) -> list[Entry]:
    """Article links, file links and report-titled links on the page."""
    return list_entries(response)


def _next_link(response: Response) -> str | None:
    for a in response.xpath("//a[@href]"):
        text = clean_text("".join(a.xpath(".//text()").getall())) or clean_text(a.attrib.get("title"))
        href = a.attrib["href"].strip()
        if any(p.search(text) for p in rules.NEXT_PAGE_TEXT) and not href.lower().startswith("javascript"):
            url = response.urljoin(href).split("#", 1)[0]
            return url if url != response.url else None
    return None


def follow(response: Response, page: int, max_pages: int) -> Follow:
    """The next page (下一页), or on page 1 every linked ``index_N`` page; ``capped`` past ``max_pages``."""
    nxt = _next_link(response)
    if nxt:
        if page >= max_pages:
            return Follow(capped=True)
        return Follow([Request(nxt, meta={"nb_page": page + 1})])
    if page != 1:
        return Follow()
    numbered = sorted({(int(m.group(2)), link.url) for link in page_links(response) if (m := _INDEX_N.search(link.url))})
    kept = [(n, url) for n, url in numbered if n + 1 <= max_pages]
    return Follow([Request(url, meta={"nb_page": n + 1}) for n, url in kept], len(kept) < len(numbered))
