"""Anhui-style 年报 module, GBK-encoded county (placement C, one flat column).

URL shapes (every page ``charset=gbk``, bytes really GBK; the home page, the
政府信息公开 page, list page 1 and every other detail page declare it only in
``<meta>``, not the HTTP header):

- ``/`` → ``/xxgk/index.html`` (政府信息公开) → ``/XxgkContent/showList/6608/100/page_1.html``,
  ``page_2.html`` … (``<a>`` 下一页 links and ``共N页``);
- details ``/XxgkAnnualReport/show/<id>.html`` (no date in the URL);
- DOCX/DOC attachments ``/group1/M00/<HEX2>/<HEX2>/<32 hex>.docx`` (``.doc``);
- ``robots.txt`` disallows ``/search/`` and ``/member/``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page
from nianbao.demo_portal.family import Family, Response, attachment_response, html_response
from nianbao.demo_portal.world import Article

PER_PAGE = 8
UNIT, CATEGORY = "6608", "100"


class AnhuiFamily(Family):
    name = "anhui"
    placeholders = (("/zwfw/index.html", "政务服务"), ("/xxgk/zn/index.html", "政府信息公开指南"), ("/xxgk/zd/index.html", "政府信息公开制度"))
    charset = "gbk"
    robots = "User-agent: *\nDisallow: /search/\nDisallow: /member/\n"

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        county.gk_path = "/xxgk/index.html"

    def column_path(self) -> str:
        return self._list_path(1)

    @staticmethod
    def _list_path(number: int) -> str:
        return f"/XxgkContent/showList/{UNIT}/{CATEGORY}/page_{number}.html"

    def report_path(self, article: Article) -> str:
        return f"/XxgkAnnualReport/show/{article.id}.html"

    def _file_path(self, article: Article) -> str:
        digest = hashlib.md5(f"{self.county.code}-{article.id}".encode()).hexdigest()
        return f"/group1/M00/{digest[:2].upper()}/{digest[2:4].upper()}/{digest}.{article.fmt}"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", "/xxgk/index.html"), ("政务服务", "/zwfw/index.html")]

    def home(self) -> Response:
        return _meta_only(super().home())

    def gk_page(self, title: str, links: list[tuple[str, str]], metas: dict[str, str] | None = None) -> Response:
        return _meta_only(super().gk_page(title, links, metas))

    def _gbk(self, text: str, in_header: bool = True) -> Response:
        return html_response(text, "gbk", declare_in_header=in_header)

    def _list(self, number: int, pages: int) -> Response:
        rows = []
        for a in self.county.articles[(number - 1) * PER_PAGE:number * PER_PAGE]:
            when = list_date(a)
            rows.append(f'<li><a href="{self.report_path(a)}" title="{esc(a.title)}" target="_blank">{esc(a.title)}</a>'
                        f'<span class="date">{when}</span></li>')
        pager = [f"共{pages}页", f"当前第{number}页"]
        if number > 1:
            pager.append(f'<a href="{self._list_path(number - 1)}">上一页</a>')
        if number < pages:
            pager.append(f'<a href="{self._list_path(number + 1)}">下一页</a>')
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/index.html">政府信息公开</a> &gt; 政府信息公开年报</div>\n'
                f'<ul class="xxgk_list">\n' + "\n".join(rows) + f'\n</ul>\n<div class="pagination">{" ".join(pager)}</div>')
        return self._gbk(page(self.county, "政府信息公开年报", body, charset="gbk"), in_header=number != 1)

    def _detail(self, article: Article) -> Response:
        dated = article.published is not None and article.date_mode in ("meta", "page")
        agency = article.township.agency if article.township else self.county.government
        when = f"{article.published:%Y-%m-%d}" if dated and article.published else ""
        rows = (("信息名称", article.title), ("发布机构", agency), ("发布日期", when), ("信息分类", "政府信息公开年报"))
        table = "".join(f"<tr><td class='label'>{k}：</td><td>{esc(v)}</td></tr>" for k, v in rows)
        attachment = ""
        if article.fmt in ("docx", "doc"):
            attachment = f'<a href="{self._file_path(article)}">{esc(article.title)}.{article.fmt}</a>'
        body = (f'<table class="xxgk_table">{table}</table>\n<h1>{esc(article.title)}</h1>\n'
                f'<div class="wzcon j-fontContent">{article_body(self.county, article, attachment)}</div>')
        text = page(self.county, article.title, body, metas=article_metas(self.county, article, "政府信息公开年报"),
                    charset="gbk")
        return self._gbk(text, in_header=article.id % 2 == 0)

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        pages = max(1, -(-len(self.county.articles) // PER_PAGE))
        routes: dict[str, Callable[[], Response]] = {
            "/xxgk/index.html": lambda: self.gk_page("政府信息公开", [
                ("政府信息公开指南", "/xxgk/zn/index.html"), ("政府信息公开制度", "/xxgk/zd/index.html"),
                ("政府信息公开工作年度报告", self._list_path(1))]),
        }
        for number in range(1, pages + 1):
            routes[self._list_path(number)] = lambda n=number: self._list(n, pages)
        for a in self.county.articles:
            if a.kind == "broken":
                continue
            routes[self.report_path(a)] = lambda a=a: self._detail(a)
            if a.fmt in ("docx", "doc"):
                routes[self._file_path(a)] = lambda a=a: attachment_response(self.county, a)
        return routes


def _meta_only(response: Response) -> Response:
    """The same GBK page with a bare ``text/html`` header: the charset only in ``<meta>``."""
    response.content_type = "text/html"
    return response
