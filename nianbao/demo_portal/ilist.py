"""A long-tail county on ``iList.jsp`` (博思-style), with a TRS sub-column of the newer paging script.

Two families on one host, so an adapter is chosen per page:

- ``/`` → ``/zwgk/index.htm`` (政府信息公开) → ``/info/iList.jsp?cat_id=10235`` (政府信息公开年报;
  county items and townships 1–3): ``cur_page=N`` pages with ``共 M 条记录　共N页　当前第k页``
  and a **script-only** pager (``javascript:goPage(k)``: no URL of page 2 in the HTML);
  ``cur_page`` past the end → an empty page; details ``/info/10235/<id>.htm`` (no date
  in the URL; one report has no date anywhere); PDFs
  ``/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=<id>&wbfileid=<n>``;
- the iList page links ``乡镇街道`` → ``/zwgk/xzjdnb/list.shtml`` (townships 4–5): TRS lists with
  ``createPageHTML('page_div',<pages>,<current from 1>,'list','shtml',<records>)``, page k ≥ 2 at
  ``list_k.shtml`` (there is no ``list_1.shtml``); details ``./YYYYMM/tYYYYMMDD_<id>.shtml``, PDFs
  ``./P0<YYYYMMDD><id>.pdf`` beside them.
"""

from __future__ import annotations

from collections.abc import Callable

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page, shown_date
from nianbao.demo_portal.family import Family, Request, Response, attachment_response, html_response
from nianbao.demo_portal.world import Article

PER_PAGE, TRS_PER_PAGE = 8, 4
CAT = "10235"
LIST, DOWNLOAD, TRS_DIR = "/info/iList.jsp", "/system/_content/download.jsp", "/zwgk/xzjdnb/"
TRS_TOWNSHIPS = 3   # townships from this index on live in the TRS sub-column


def _pages(items: list, per_page: int) -> int:
    return max(1, -(-len(items) // per_page))


class IlistFamily(Family):
    name = "ilist"
    placeholders = (("/zwgk/zn.htm", "政府信息公开指南"), ("/zwgk/zd.htm", "政府信息公开制度"))

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        county.gk_path = "/zwgk/index.htm"
        live = [a for a in county.articles if a.kind != "broken"]
        self.trs = [a for a in live if a.township is not None and a.township.index >= TRS_TOWNSHIPS]
        self.items = [a for a in live if a not in self.trs]

    def column_path(self) -> str:
        return f"{LIST}?cat_id={CAT}"

    def report_path(self, article: Article) -> str:
        if article.township is not None and article.township.index >= TRS_TOWNSHIPS:
            d = article.url_date
            return f"{TRS_DIR}{d:%Y%m}/t{d:%Y%m%d}_{article.id}.shtml"
        return f"/info/{CAT}/{article.id}.htm"

    def _file_url(self, article: Article) -> str:
        """The PDF: VSB's download.jsp for iList items, TRS's ``./P0<date><id>.pdf`` beside the page for the rest."""
        if article in self.trs:
            return f"./P0{article.url_date:%Y%m%d}{article.id:08d}.pdf"
        return f"{DOWNLOAD}?urltype=news.DownloadAttachUrl&owner={article.id}&wbfileid={article.id * 7 + 3}"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", self.county.gk_path)]

    def _position(self, name: str) -> str:
        return (f'<div class="location">您现在的位置：<a href="/">首页</a> &gt;&gt; '
                f'<a href="{self.county.gk_path}">政府信息公开</a> &gt;&gt; {esc(name)}</div>\n')

    # ---- iList.jsp --------------------------------------------------------------
    def _ilist(self, number: int) -> Response:
        pages = _pages(self.items, PER_PAGE)
        rows = "".join(f'<tr><td class="title"><a href="{self.report_path(a)}" target="_blank" title="{esc(a.title)}">'
                       f'{esc(a.title)}</a></td><td class="date">{list_date(a)}</td></tr>\n'
                       for a in self.items[(number - 1) * PER_PAGE:number * PER_PAGE])
        pager = [f"共 {len(self.items)} 条记录", f"共{pages}页", f"当前第{number}页",
                 f'<a href="iList.jsp?cat_id={CAT}&amp;cur_page=1">首页</a>']
        if number < pages:
            pager += [f'<a href="javascript:goPage({number + 1})">下一页</a>', f'<a href="javascript:goPage({pages})">尾页</a>']
        body = (self._position("政府信息公开年报")
                + f'<div class="subcol"><a href="{TRS_DIR}list.shtml">乡镇街道</a></div>\n'
                f'<table class="list" width="100%">\n{rows}</table>\n'
                f'<form name="pageForm" method="get" action="iList.jsp"><input type="hidden" name="cat_id" value="{CAT}">'
                f'<input type="hidden" name="cur_page" value="{number}"></form>\n'
                f'<div class="page">{"　".join(pager)}</div>\n'
                '<script>function goPage(n){ document.pageForm.cur_page.value = n; document.pageForm.submit(); }</script>')
        metas = {"SiteName": self.county.government, "SiteIDCode": self.county.site_id_code, "ColumnName": "政府信息公开年报"}
        return html_response(page(self.county, "政府信息公开年报", body, metas=metas))

    def dynamic(self, request: Request) -> Response | None:
        if request.path == DOWNLOAD:
            article = next((a for a in self.items if a.fmt == "pdf" and str(a.id) == request.query.get("owner")), None)
            return attachment_response(self.county, article) if article else self.not_found()
        if request.path != LIST:
            return None
        if request.query.get("cat_id") != CAT:
            return self.not_found()
        try:
            number = max(int(request.query.get("cur_page") or 1), 1)
        except ValueError:
            number = 1
        return self._ilist(number)

    # ---- the TRS sub-column (newer createPageHTML, pages from 1) ----------------------
    def _trs_list(self, number: int) -> Response:
        pages = _pages(self.trs, TRS_PER_PAGE)
        rows = "".join(f'<li><a href="./{self.report_path(a)[len(TRS_DIR):]}" title="{esc(a.title)}" target="_blank">'
                       f'{esc(a.title)}</a><span>{list_date(a)}</span></li>\n'
                       for a in self.trs[(number - 1) * TRS_PER_PAGE:number * TRS_PER_PAGE])
        body = (self._position("乡镇街道") + f'<ul class="list">\n{rows}</ul>\n<div id="page_div"></div>\n'
                f"<script>createPageHTML('page_div',{pages},{number},'list','shtml',{len(self.trs)});</script>")
        return html_response(page(self.county, "乡镇街道政府信息公开年报", body))

    def _detail(self, article: Article) -> Response:
        attachment = ""
        if article.fmt == "pdf":
            attachment = f'<a href="{esc(self._file_url(article))}">{esc(article.title)}.pdf</a>'
        source = article.township.agency if article.township else self.county.government
        body = (f'<h1 class="title">{esc(article.title)}</h1>\n<div class="info">{shown_date(article)}　'
                f'来源：{esc(source)}</div>\n<div class="v_news_content">{article_body(self.county, article, attachment)}</div>')
        return html_response(page(self.county, article.title, body,
                                  metas=article_metas(self.county, article, "政府信息公开年报")))

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            self.county.gk_path: lambda: self.gk_page("政府信息公开", [
                ("政府信息公开指南", "/zwgk/zn.htm"), ("政府信息公开制度", "/zwgk/zd.htm"),
                ("政府信息公开年报", self.column_path())]),
        }
        for number in range(1, _pages(self.trs, TRS_PER_PAGE) + 1):
            name = "list" if number == 1 else f"list_{number}"
            routes[f"{TRS_DIR}{name}.shtml"] = lambda n=number: self._trs_list(n)
        for a in self.items + self.trs:
            routes[self.report_path(a)] = lambda a=a: self._detail(a)
            if a.fmt == "pdf" and a in self.trs:
                folder = self.report_path(a).rsplit("/", 1)[0]
                routes[f"{folder}/{self._file_url(a)[2:]}"] = lambda a=a: attachment_response(self.county, a)
        return routes
