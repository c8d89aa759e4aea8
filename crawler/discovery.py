"""Discovery: from a portal page to the 年报 column(s), and what a link on a page is.

Pure functions over Scrapy responses and the tables in :mod:`crawler.rules`;
the spider decides what to request. Nothing here fetches.
"""

from __future__ import annotations

import base64
import enum
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

from scrapy.http import HtmlResponse, Response, XmlResponse

from crawler import rules

_WS = re.compile(r"\s+")
_META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)
_SKIP_HREF = re.compile(r"^(javascript:|mailto:|tel:|#|data:)", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s*[-_|—｜]+\s*")
_YEAR = re.compile(r"(19|20)\d{2}")


class LinkKind(enum.Enum):
    """What a link leads to, as far as its text and URL tell."""

    REPORT = "report"          # a report entry (title says so)
    ATTACHMENT = "attachment"  # a file (PDF, DOC…) or download endpoint
    COLUMN = "column"          # a 年报 column
    GROUPING = "grouping"      # a year / 乡镇街道 / township sub-column inside a 年报 column
    GK_AREA = "gk_area"        # the 政府信息公开 area, one step closer
    DETAIL = "detail"          # an article page by URL shape, title not telling
    OTHER = "other"


@dataclass(frozen=True)
class Link:
    """An absolute URL and the cleaned text (or title attribute) shown for it."""

    url: str
    text: str


def clean_text(text: str | None) -> str:
    """NFKC-normalised text with all whitespace removed ('' for None)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def _matches(patterns, value: str) -> bool:
    return any(p.search(value) for p in patterns)


def is_markup(response: Response) -> bool:
    """True for HTML and XML responses (which XPath can read); False for JSON, plain text, binaries."""
    return isinstance(response, (HtmlResponse, XmlResponse))


def page_links(response: Response) -> list[Link]:
    """Every followable ``<a href>`` on an HTML page, absolute, in page order, first text per URL."""
    if not is_markup(response):
        return []
    seen: dict[str, Link] = {}
    for a in response.xpath("//a[@href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or _SKIP_HREF.match(href):
            continue
        url = response.urljoin(href).split("#", 1)[0]
        text = _link_text(a)
        if url not in seen or (text and not seen[url].text):
            seen[url] = Link(url, text)
    return list(seen.values())


def _link_text(a) -> str:
    """The title attribute when present (lists cut long titles with …), else the anchor text."""
    return clean_text(a.attrib.get("title")) or clean_text("".join(a.xpath(".//text()").getall()))


def title_verdict(title: str) -> str:
    """``report``, ``lookalike`` (解读, 图解, 公布情况, 指南…) or ``ambiguous`` for a cleaned title."""
    title = clean_text(title)
    if _matches(rules.LOOKALIKE_TITLE, title):
        return "lookalike"
    if _matches(rules.REPORT_TITLE, title):
        return "report"
    return "ambiguous"


def is_attachment_url(url: str) -> bool:
    """True for file URLs by extension (pdf, docx, ofd, images…) or a known download endpoint."""
    path = urlsplit(url).path.lower()
    ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    return ext in rules.ATTACHMENT_EXTENSIONS or _matches(rules.ATTACHMENT_URL, url)


VIEWER_PARAMS = ("file", "url", "src", "fileUrl")   # pdf.js viewer.html?file=…, kkFileView onlinePreview?url=<base64>
_EMBEDDERS = "//a[@href] | //iframe[@src] | //frame[@src] | //embed[@src] | //object[@data]"
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")


def page_documents(response: Response) -> list[tuple[str, object]]:
    """(absolute file URL, element) of every document a report page links or embeds: ``<a href>``,
    an ``<iframe>``/``<embed>``/``<object>`` showing it, or a web viewer's link to it (unwrapped)."""
    out, seen = [], set()
    for el in response.xpath(_EMBEDDERS):
        raw = (el.attrib.get("href") or el.attrib.get("src") or el.attrib.get("data") or "").strip()
        if not raw or _SKIP_HREF.match(raw):
            continue
        url = viewed_document(response.urljoin(raw))
        if is_attachment_url(url) and url not in seen:
            seen.add(url)
            out.append((url, el))
    return out


def viewed_document(url: str) -> str:
    """The file a web viewer URL shows (``/pdfjs/web/viewer.html?file=/u/a.pdf``, a base64 ``url=``
    parameter as kkFileView takes it), resolved against the viewer's URL; any other URL as it is."""
    query = parse_qs(urlsplit(url).query)
    for name in VIEWER_PARAMS:
        for value in query.get(name, ()):
            for inner in (value.strip(), _unbase64(value.strip())):
                if inner and is_attachment_url(target := urljoin(url, inner)):
                    return target
    return url


def _unbase64(value: str) -> str | None:
    if not _BASE64.fullmatch(value):
        return None
    try:
        text = base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return text if text.startswith(("http://", "https://", "/")) else None


def is_detail_url(url: str) -> bool:
    """True when the URL has the shape of a CMS article page (TRS tYYYYMMDD_id, Hanweb /art/…)."""
    return _matches(rules.DETAIL_URL, urlsplit(url).path)


def classify_link(link: Link) -> LinkKind:
    """The kind of ``link`` by its text first, then its URL slug."""
    text, path = link.text, urlsplit(link.url).path
    if is_attachment_url(link.url):
        return LinkKind.ATTACHMENT
    if title_verdict(text) == "report" and _YEAR.search(text):
        return LinkKind.REPORT
    if _matches(rules.NIANBAO_COLUMN_TEXT, text):
        return LinkKind.COLUMN
    if _matches(rules.GROUPING_TEXT, text):
        return LinkKind.GROUPING
    if _matches(rules.GK_AREA_TEXT, text):
        return LinkKind.GK_AREA
    if is_detail_url(link.url):
        return LinkKind.DETAIL
    for patterns, kind in _SLUG_KINDS:
        if _matches(patterns, link.url if kind is LinkKind.COLUMN else path):
            return kind
    return LinkKind.OTHER


_SLUG_KINDS = (
    (rules.NIANBAO_COLUMN_SLUG, LinkKind.COLUMN),
    (rules.GROUPING_SLUG, LinkKind.GROUPING),
    (rules.GK_AREA_SLUG, LinkKind.GK_AREA),
)


def redirect_target(response: Response) -> str | None:
    """The absolute URL a redirect shell sends to (meta refresh, ``location.replace``…), else None.

    Only small pages count as shells: a full page that happens to contain a
    ``window.location`` assignment is not one.
    """
    if not is_markup(response) or len(response.body) > rules.REDIRECT_SHELL_MAX_BYTES:
        return None
    refresh = response.xpath("//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content").get()
    if refresh and (m := _META_REFRESH_URL.search(refresh)):
        return response.urljoin(m.group(1).strip())
    for pattern in rules.REDIRECT_SCRIPT:
        if m := pattern.search(response.text):
            return response.urljoin(m.group(1).strip())
    return None


def site_key(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with default ports made explicit."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def same_site(url: str, seed_url: str, allowed_domains: tuple[str, ...] | list[str] = ()) -> bool:
    """True when ``url`` is on the seed's scheme+host+port, or its host is (under) an allowed domain.

    Spam mirrors copy reports onto other hosts under identical paths, so
    anything else is off-site and never followed.
    """
    if site_key(url) == site_key(seed_url):
        return True
    host = site_key(url)[1]
    return any(host == d or host.endswith("." + d) for d in (d.lower().lstrip(".") for d in allowed_domains))


def is_column_page(response: Response) -> bool:
    """True when the page itself is a 年报 column: by URL slug, ``ColumnName`` meta or ``<title>``."""
    if _matches(rules.NIANBAO_COLUMN_SLUG, response.url):
        return True
    if not is_markup(response):
        return False
    names = response.xpath("//meta[@name='ColumnName' or @name='ColumnType']/@content").getall()
    names += _TITLE_SPLIT.split(response.xpath("//title/text()").get() or "")
    return any(_matches(rules.NIANBAO_COLUMN_TEXT, clean_text(n)) for n in names)
