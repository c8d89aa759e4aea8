"""开普云 (Ucap) county, placement C: one flat 年报 column whose list exists only in a JSON search API.

URL shapes (``<s>`` is the site slug, ``lqx``):

- ``/`` → ``/<s>/zfxxgk/index.shtml`` (政府信息公开) → ``/<s>/c112233/zfxxgklby_nb.shtml``
  (政府信息公开年报): **no list in the HTML**, a script with ``var channelId = "<32 hex>"``;
- the list: ``GET /common/search/<channelId>?page=N&_pageSize=15&_isJson=true&_template=index``
  → ``{"code", "msg", "data": {"total", "page", "rows", "results": [{"title", "url",
  "publishedTimeStr", "domainMetaList"}]}}``; ``_isJson`` missing → 400; another channel → 404;
- details ``/<s>/c112233/<YYYYMM>/<32 hex>.shtml`` with the body inside ``<UCAPCONTENT>``
  (no day in the URL: dates are ``meta`` or ``page``); DOCX ``/<s>/c112233/<YYYYMM>/files/<32 hex>.docx``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page, shown_date
from nianbao.demo_portal.family import Family, Request, Response, attachment_response, html_response
from nianbao.demo_portal.world import Article

SITE, COLUMN = "lqx", 112233
MAX_PAGE_SIZE = 100
LIST_JS = """<script>
function loadList(page){
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/common/search/' + channelId + '?page=' + page + '&_pageSize=15&_isJson=true&_template=index');
  xhr.onload = function(){
    var data = JSON.parse(xhr.responseText).data, html = '', pages = Math.ceil(data.total / 15), pager = '';
    data.results.forEach(function(r){ html += '<li><a href="' + r.url + '" target="_blank">' + r.title + '</a><span>' + r.publishedTimeStr.substring(0, 10) + '</span></li>'; });
    document.getElementById('ucap-list').innerHTML = html;
    for (var i = 1; i <= pages; i++) pager += '<a href="javascript:loadList(' + i + ')">' + i + '</a> ';
    document.getElementById('ucap-page').innerHTML = pager;
  };
  xhr.send();
}
loadList(1);
</script>"""


def _json(status: int, data: dict) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")


class UcapFamily(Family):
    name = "ucap"
    placeholders = ((f"/{SITE}/c112230/zfxxgkzn.shtml", "政府信息公开指南"), (f"/{SITE}/c112231/zfxxgkzd.shtml", "政府信息公开制度"))

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        county.gk_path = f"/{SITE}/zfxxgk/index.shtml"
        self.channel = hashlib.md5(f"channel-{county.code}".encode()).hexdigest()
        self.items = [a for a in county.articles if a.kind != "broken"]

    def _hex(self, article: Article) -> str:
        return hashlib.md5(f"{self.county.code}-{article.id}".encode()).hexdigest()

    def column_path(self) -> str:
        return f"/{SITE}/c{COLUMN}/zfxxgklby_nb.shtml"

    def report_path(self, article: Article) -> str:
        return f"/{SITE}/c{COLUMN}/{article.url_date:%Y%m}/{self._hex(article)}.shtml"

    def _file_path(self, article: Article) -> str:
        return f"/{SITE}/c{COLUMN}/{article.url_date:%Y%m}/files/{self._hex(article)[::-1]}.docx"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", self.county.gk_path)]

    def _metas(self, column: str) -> dict[str, str]:
        return {"SiteName": self.county.government, "SiteDomain": self.county.domain,
                "SiteIDCode": self.county.site_id_code, "ColumnName": column}

    # ---- pages ------------------------------------------------------------------
    def _column(self) -> Response:
        body = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="{self.county.gk_path}">政府信息公开</a>'
                f' &gt; <span>政府信息公开年报</span></div>\n<div class="zfxxgk-right"><div class="list-title">政府信息公开年报</div>'
                f'<ul class="zfxxgk-list" id="ucap-list"></ul><div class="page" id="ucap-page"></div></div>\n'
                f'<script>var channelId = "{self.channel}";</script>\n{LIST_JS}')
        return html_response(page(self.county, "政府信息公开年报", body, metas=self._metas("政府信息公开年报")))

    def _detail(self, article: Article) -> Response:
        attachment = ""
        if article.fmt == "docx":
            attachment = f'<a href="{self._file_path(article)}">{esc(article.title)}.docx</a>'
        source = article.township.agency if article.township else self.county.government
        body = (f'<div class="article"><h1>{esc(article.title)}</h1>\n<div class="article-attr">'
                f'<span>{shown_date(article)}</span><span>来源：{esc(source)}</span></div>\n'
                f'<div class="article-content"><UCAPCONTENT>{article_body(self.county, article, attachment)}'
                f'</UCAPCONTENT></div></div>')
        return html_response(page(self.county, article.title, body,
                                  metas=article_metas(self.county, article, "政府信息公开年报")))

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            self.county.gk_path: lambda: self.gk_page("政府信息公开", [
                ("政府信息公开指南", self.placeholders[0][0]), ("政府信息公开制度", self.placeholders[1][0]),
                ("政府信息公开年报", self.column_path())], self._metas("政府信息公开")),
            self.column_path(): self._column,
        }
        for a in self.items:
            routes[self.report_path(a)] = lambda a=a: self._detail(a)
            if a.fmt == "docx":
                routes[self._file_path(a)] = lambda a=a: attachment_response(self.county, a)
        return routes

    # ---- the search API ------------------------------------------------------------
    def dynamic(self, request: Request) -> Response | None:
        if not request.path.startswith("/common/search/"):
            return None
        if request.query.get("_isJson") != "true":
            return _json(400, {"code": 400, "msg": "_isJson required", "data": None})
        if request.path != f"/common/search/{self.channel}":
            return _json(404, {"code": 404, "msg": "channel not found", "data": None})
        try:
            number = max(int(request.query.get("page", "1")), 1)
            size = min(max(int(request.query.get("_pageSize", "15")), 1), MAX_PAGE_SIZE)
        except ValueError:
            return _json(400, {"code": 400, "msg": "bad request", "data": None})
        chosen = self.items[(number - 1) * size:number * size]
        data = {"total": len(self.items), "page": number, "rows": size, "results": [self._result(a) for a in chosen]}
        return _json(200, {"code": 200, "msg": "success", "data": data})

    def _result(self, a: Article) -> dict:
        when = f"{a.published:%Y-%m-%d %H:%M:%S}" if list_date(a) and a.published else ""
        agency = a.township.agency if a.township else self.county.government
        metas = [{"key": "fbjg", "name": "发布机构", "value": agency},
                 {"key": "fl", "name": "主题分类", "value": "政府信息公开年报"}]
        return {"title": a.title, "url": self.report_path(a), "publishedTimeStr": when, "domainMetaList": metas}
