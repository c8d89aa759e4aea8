"""What every CMS family shares: responses, static routes, caching, robots.txt.

A family subclass describes one county's site: ``build_routes()`` returns
``{path: thunk}`` for every static page (rendered lazily, once, then cached),
``dynamic()`` answers the requests that depend on method, query or headers
(POST APIs, Referer checks), and ``report_path(article)`` names the page
that holds a report (for ground truth). Paths are absolute, without host.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from nianbao.demo_portal.chrome import esc, home_page, page
from nianbao.demo_portal.docassets import DOC_TYPE, doc_bytes
from nianbao.demo_portal.formats import docx_bytes, pdf_bytes
from nianbao.demo_portal.report import report_blocks
from nianbao.demo_portal.world import Article, County


@dataclass
class Response:
    """What the server sends. ``chunked``: sent with Transfer-Encoding: chunked."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    chunked: bool = False
    _gzipped: bytes | None = field(default=None, repr=False)

    def gzipped(self) -> bytes:
        """The body gzip-compressed (deterministic: mtime 0), computed once."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]     # lower-case names
    body: bytes = b""


def html_response(text: str, charset: str = "utf-8", declare_in_header: bool = True) -> Response:
    ctype = f"text/html; charset={charset}" if declare_in_header else "text/html"
    return Response(200, text.encode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset), ctype)


_ATTACHMENT_TYPES = {"pdf": "application/pdf", "doc": DOC_TYPE,
                     "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def attachment_response(county: County, article: Article, headers: list[tuple[str, str]] | None = None) -> Response:
    """A report attachment in the article's format (``pdf``, ``docx`` or ``doc``)."""
    if article.fmt == "doc":
        body = doc_bytes(article)
    else:
        render = pdf_bytes if article.fmt == "pdf" else docx_bytes
        body = render(report_blocks(county, article))
    return Response(200, body, _ATTACHMENT_TYPES[article.fmt], list(headers or []))


_NAV_PLACEHOLDERS = (("/hdjl/", "互动交流"), ("/bsfw/", "办事服务"))


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", "text/html", [("Location", location)])


class Family:
    """Base of the four CMS families; one instance serves one county."""

    name = "base"
    robots = "User-agent: *\nDisallow:\n"
    charset = "utf-8"
    extra_metas: dict[str, str] = {}   # CMS fingerprints on the home page (e.g. Generator)
    placeholders: tuple[tuple[str, str], ...] = ()   # (path, title) of other columns the nav links to
    gzip_text = False        # like nginx ``gzip on``: text responses gzip-coded when the client accepts it

    def __init__(self, county: County) -> None:
        self.county = county
        self._routes: dict[str, Callable[[], Response]] | None = None
        self._cache: dict[str, Response] = {}
        self._lock = threading.Lock()

    # ---- to override ------------------------------------------------------
    def build_routes(self) -> dict[str, Callable[[], Response]]:
        raise NotImplementedError

    def dynamic(self, request: Request) -> Response | None:
        return None

    def report_path(self, article: Article) -> str:
        raise NotImplementedError

    def column_path(self) -> str:
        """The county's 年报 column (what a registry may list as portal)."""
        raise NotImplementedError

    def home_links(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    # ---- shared -----------------------------------------------------------
    @property
    def routes(self) -> dict[str, Callable[[], Response]]:
        if self._routes is not None:
            return self._routes
        with self._lock:
            if self._routes is None:
                routes = self.build_routes()
                routes.setdefault("/robots.txt", lambda: Response(200, self.robots.encode(), "text/plain"))
                routes.setdefault("/", self.home)
                for path, title in (*_NAV_PLACEHOLDERS, *self.placeholders):
                    routes.setdefault(path, lambda t=title: self.placeholder(t))
                self._routes = routes
            return self._routes

    def home(self) -> Response:
        notices = [(a.title, self.report_path(a)) for a in self.county.articles if a.kind == "noise"][:5]
        links = self.home_links()
        text = home_page(self.county, links, [(t, p) for t, p in notices if p], self.charset, self.extra_metas)
        return html_response(text, self.charset)

    def placeholder(self, title: str) -> Response:
        """Another column of the portal (not a 年报 one): a short list, no reports."""
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; {esc(title)}</div>\n'
                f'<h2>{esc(title)}</h2><ul class="list"><li>暂无信息</li></ul>')
        return html_response(page(self.county, title, body, charset=self.charset), self.charset)

    def not_found(self) -> Response:
        text = page(self.county, "404 页面不存在", "<h2>404</h2><p>您访问的页面不存在或已被删除。</p>")
        return Response(404, text.encode("utf-8"))

    def respond(self, request: Request) -> Response:
        """Dynamic handlers first, then static routes (cached, with an ETag
        and 304 on a matching ``If-None-Match``), then a directory's missing
        slash (301), else 404."""
        found = self.dynamic(request)
        if found is not None:
            return found
        response = self._static(request.path)
        if response is None:
            if request.path + "/" in self.routes:
                return redirect(request.path + "/")
            return self.not_found()
        etag = next((v for k, v in response.headers if k == "ETag"), None)
        if etag and request.headers.get("if-none-match") == etag:
            return Response(304, b"", response.content_type, [("ETag", etag)])
        return response

    def _static(self, path: str) -> Response | None:
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        thunk = self.routes.get(path)
        if thunk is None:
            return None
        response = thunk()
        if response.status == 200:
            response.headers.append(("ETag", f'"{hashlib.md5(response.body).hexdigest()[:16]}"'))
        self._cache[path] = response
        return response

    def gk_page(self, title: str, links: list[tuple[str, str]], metas: dict[str, str] | None = None) -> Response:
        """A simple directory page (政府信息公开 area) linking onwards."""
        items = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in links)
        body = f'<div class="position">当前位置：<a href="/">首页</a> &gt; {esc(title)}</div>\n<ul class="gk-menu">{items}</ul>'
        return html_response(page(self.county, title, body, metas=metas, charset=self.charset), self.charset)
