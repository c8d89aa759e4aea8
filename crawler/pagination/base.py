"""What every pagination adapter returns, and the list-reading helpers they share.

An adapter is a module with three functions:

- ``detect(response) -> bool``: this page is of my family (decided per page);
- ``entries(response) -> list[Entry]``: the items listed on this page;
- ``follow(response, page, max_pages) -> Follow``: requests for further list
  pages, given that ``response`` is list page number ``page`` (1 = first).

Requests carry no callback; the spider attaches its own and the column
context. ``meta["nb_page"]`` on them is the list page number they fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapy import Request
from scrapy.http import Response

from crawler.discovery import LinkKind, classify_link, page_links

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass(frozen=True)
class Entry:
    """One item of a column list: its absolute URL, the title the list shows, the date beside it.

    ``listed_date`` is ISO ``YYYY-MM-DD`` (None when the list shows none);
    ``attachments`` are file URLs the list itself gives (gkmlpt JSON).
    """

    url: str
    title: str
    listed_date: str | None = None
    attachments: tuple[str, ...] = ()


@dataclass
class Follow:
    """Requests for further list pages; ``capped`` when ``max_pages`` cut the column short."""

    requests: list[Request] = field(default_factory=list)
    capped: bool = False
    total_pages: int | None = None


def iso_date(text: str | None) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD`` (2023-1-5, 2023/01/05, 2023年1月5日), else None."""
    m = _DATE.search(text or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


ENTRY_KINDS = (LinkKind.REPORT, LinkKind.DETAIL, LinkKind.ATTACHMENT)


def list_entries(response: Response) -> list[Entry]:
    """Entries of an HTML list: links shaped like article pages or files, or titled like reports.

    The date is read from the link's row (``<li>``/``<tr>``), outside the link text.
    """
    rows = {}
    for a in response.xpath("//a[@href]"):
        row = a.xpath("ancestor::*[self::li or self::tr or self::dd or self::p][1]")
        rows.setdefault(response.urljoin(a.attrib["href"].strip()).split("#", 1)[0], row)
    found = []
    for link in page_links(response):
        if classify_link(link) in ENTRY_KINDS:
            row = rows.get(link.url)
            row_text = "".join(row.xpath(".//text()").getall()) if row else ""
            found.append(Entry(link.url, link.text, iso_date(row_text.replace(link.text, ""))))
    return found


