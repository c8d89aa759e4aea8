"""TRS WCM (拓尔思) county, placement A: one 年报 sub-column per township.

URL shapes (``<s>`` is ``html``, or ``shtml`` for counties whose registry
seed is the home page):

- ``/`` → ``/zwgk/`` (政府信息公开) → ``/zwgk/zfxxgknb/`` (= ``index.<s>``; county-level
  items plus links to township sub-columns ``xzjd/<pinyin>/index.<s>``);
- every list is paged statically: ``index.<s>``, ``index_1.<s>``, … ; the only
  pager is the script call ``createPageHTML(<pages>, <current from 0>, "index", "<s>")``
  (no ``<a>`` to the next page in the HTML);
- details are relative: ``./YYYYMM/tYYYYMMDD_<id>.<s>``;
- attachments ``<a href="./P0<YYYYMMDD><12 digits>.pdf" OLDSRC="/protect/P0YYYYMM/P0YYYYMMDD/….pdf">``,
  resolved against the detail page; the OLDSRC path 404s.
"""

from __future__ import annotations

from collections.abc import Callable

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page, shown_date
from nianbao.demo_portal.family import Family, Response, attachment_response, html_response
from nianbao.demo_portal.world import Article

PER_PAGE = 5
PAGER_JS = """<script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
 if(_nPageCount == null || _nPageCount<=1){ return; }
 var nCurrIndex = _nCurrIndex || 0;
 if(nCurrIndex == 0) document.write("<span>首页</span> ");
 else document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a> ");
 if(nCurrIndex > 0) document.write("<a href=\\""+_sPageName+(nCurrIndex==1?"":"_"+(nCurrIndex-1))+"."+_sPageExt+"\\">上一页</a> ");
 if(nCurrIndex < _nPageCount-1) document.write("<a href=\\""+_sPageName+"_"+(nCurrIndex+1)+"."+_sPageExt+"\\">下一页</a> ");
 document.write("<a href=\\""+_sPageName+"_"+(_nPageCount-1)+"."+_sPageExt+"\\">尾页</a>");
}
</script>"""


class TrsFamily(Family):
    name = "trs"
    placeholders = (("/zwyw/", "政务要闻"), ("/zwgk/zfxxgkzn/", "政府信息公开指南"), ("/zwgk/zfxxgkzd/", "政府信息公开制度"), ("/zwgk/fdzdgknr/", "法定主动公开内容"))

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        self.ext = "html" if county.portal_kind == "column" else "shtml"
        self.gzip_text = county.portal_kind != "column"
        county.gk_path = "/zwgk/"

    # ---- where things are ---------------------------------------------------
    def column_path(self) -> str:
        return "/zwgk/zfxxgknb/"

    def _column_dir(self, article: Article) -> str:
        if article.township is not None:
            return f"/zwgk/zfxxgknb/xzjd/{article.township.slug}/"
        return "/zwgk/zfxxgknb/"

    def _detail_rel(self, article: Article) -> str:
        d = article.url_date
        return f"{d:%Y%m}/t{d:%Y%m%d}_{article.id}.{self.ext}"

    def report_path(self, article: Article) -> str:
        return self._column_dir(article) + self._detail_rel(article)

    def _attachment_name(self, article: Article) -> str:
        d = article.url_date
        return f"P0{d:%Y%m%d}{article.id:06d}{d:%H%M}{article.id % 97:02d}.pdf"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", "/zwgk/"), ("政务要闻", "/zwyw/"), ("办事服务", "/bsfw/")]

    # ---- pages ----------------------------------------------------------------
    def _list_page(self, title: str, items: list[Article], number: int, pages: int, extra: str = "") -> Response:
        rows = []
        for a in items[number * PER_PAGE:(number + 1) * PER_PAGE]:
            when = f"<span>{list_date(a)}</span>" if list_date(a) else ""
            rows.append(f'<li><a href="./{self._detail_rel(a)}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a>{when}</li>')
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; {esc(title)}</div>\n'
                f'{extra}<ul class="list">\n' + "\n".join(rows) + "\n</ul>\n"
                f'<div class="page">{PAGER_JS}<script>createPageHTML({pages}, {number}, "index", "{self.ext}");</script></div>')
        return html_response(page(self.county, title, body))

    def _paged(self, routes: dict, directory: str, title: str, items: list[Article], extra: str = "") -> None:
        pages = max(1, -(-len(items) // PER_PAGE))
        for number in range(pages):
            name = "index" if number == 0 else f"index_{number}"
            routes[f"{directory}{name}.{self.ext}"] = (
                lambda n=number: self._list_page(title, items, n, pages, extra))
        routes[directory] = routes[f"{directory}index.{self.ext}"]

    def _detail(self, article: Article, column: str) -> Response:
        attachment = ""
        if article.fmt == "pdf":
            name, d = self._attachment_name(article), article.url_date
            attachment = (f'<a href="./{name}" OLDSRC="/protect/P0{d:%Y%m}/P0{d:%Y%m%d}/{name}">'
                          f'{esc(article.title)}.pdf</a>')
        date = shown_date(article)
        source = article.township.agency if article.township else self.county.government
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; {esc(column)}</div>\n'
                f'<h1 class="title">{esc(article.title)}</h1>\n<div class="info">{date}　来源：{esc(source)}</div>\n'
                f'<div class="TRS_Editor">{article_body(self.county, article, attachment)}</div>')
        return html_response(page(self.county, article.title, body, metas=article_metas(self.county, article, column)))

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            "/zwgk/": lambda: self.gk_page("政府信息公开", [
                ("政府信息公开指南", "/zwgk/zfxxgkzn/"), ("政府信息公开制度", "/zwgk/zfxxgkzd/"),
                ("法定主动公开内容", "/zwgk/fdzdgknr/"), ("政府信息公开年报", "/zwgk/zfxxgknb/")]),
        }
        routes["/zwgk/index.html"] = routes["/zwgk/"]
        county_items = [a for a in self.county.articles if a.township is None]
        subcolumns = "".join(f'<li><a href="./xzjd/{t.slug}/index.{self.ext}">{esc(t.name)}</a></li>'
                             for t in self.county.townships)
        extra = f'<div class="subcolumns"><h3>乡镇街道政府信息公开年报</h3><ul>{subcolumns}</ul></div>\n'
        self._paged(routes, "/zwgk/zfxxgknb/", "政府信息公开年报", county_items, extra)
        for t in self.county.townships:
            items = [a for a in self.county.articles if a.township is t]
            self._paged(routes, f"/zwgk/zfxxgknb/xzjd/{t.slug}/", f"{t.name}政府信息公开年报", items)
        for a in self.county.articles:
            if a.kind == "broken":
                continue
            column = f"{a.township.name}政府信息公开年报" if a.township else "政府信息公开年报"
            routes[self.report_path(a)] = lambda a=a, c=column: self._detail(a, c)
            if a.fmt == "pdf":
                path = self._column_dir(a) + self._detail_rel(a).split("/")[0] + "/" + self._attachment_name(a)
                routes[path] = lambda a=a: attachment_response(self.county, a)
        return routes
