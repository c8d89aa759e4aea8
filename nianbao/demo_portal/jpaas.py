"""Hanweb jpaas (大汉 JPAAS) county, placement C: one flat 年报 column paged by a JSON page-build API.

URL shapes:

- ``/`` → ``/col/col1229500/index.html`` (政府信息公开) → ``/col/col1229561/index.html``
  (政府信息公开年报): list page 1 rendered in the page, then
  ``<div class="pagination" queryData="{…}">`` (JSON: ``webId``, ``tplSetId``,
  ``pageType``, ``tagId``, ``pageId``, ``pageSize``, ``total``);
- pages 2..N only from ``GET /api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic
  &webId=&tplSetId=&pageType=column&tagId=&pageId=1229561&paramJson={"pageNo":N,"pageSize":M}``
  → ``{"success": true, "data": {"html": "<ul>…</ul>"}}``; a wrong ``parseType``,
  ``webId``, ``tplSetId`` or ``pageId`` → ``{"success": false, "data": null}``;
- details ``/art/<YYYY>/art_<32 hex>.html`` (publication year; no day in the URL, so
  dates are only ``meta`` or ``page``); PDFs ``/attach/0/<32 hex>.pdf``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page, shown_date
from nianbao.demo_portal.family import Family, Request, Response, attachment_response, html_response
from nianbao.demo_portal.world import Article

PER_PAGE = 10
GK, COLUMN = 1229500, 1229561
API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
TAG = "信息列表"


class JpaasFamily(Family):
    name = "jpaas"
    extra_metas = {"Generator": "大汉版通"}
    placeholders = (("/col/col1229501/index.html", "政府信息公开指南"), ("/col/col1229502/index.html", "政府信息公开制度"))
    gzip_text = True

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        county.gk_path = f"/col/col{GK}/index.html"
        self.web_id = str(3000 + int(county.code) % 1000)
        self.tpl_set_id = hashlib.md5(f"tpl-{county.code}".encode()).hexdigest()[:16]
        self.items = [a for a in county.articles if a.kind != "broken"]

    def _hex(self, article: Article) -> str:
        return hashlib.md5(f"{self.county.code}-{article.id}".encode()).hexdigest()

    def column_path(self) -> str:
        return f"/col/col{COLUMN}/index.html"

    def report_path(self, article: Article) -> str:
        return f"/art/{article.url_date.year}/art_{self._hex(article)}.html"

    def _file_path(self, article: Article) -> str:
        return f"/attach/0/{self._hex(article)[::-1]}.pdf"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", f"/col/col{GK}/index.html")]

    def _metas(self, column: str) -> dict[str, str]:
        return {"Generator": "大汉版通", "SiteName": self.county.government, "SiteDomain": self.county.domain,
                "SiteIDCode": self.county.site_id_code, "ColumnName": column}

    # ---- pages ------------------------------------------------------------------
    def _rows(self, number: int) -> str:
        rows = "".join(f'<li><a href="{self.report_path(a)}" title="{esc(a.title)}" target="_blank">{esc(a.title)}</a>'
                       f'<b>{list_date(a)}</b></li>\n' for a in self.items[(number - 1) * PER_PAGE:number * PER_PAGE])
        return f'<ul class="list" id="unit_list">\n{rows}</ul>'

    def _column(self) -> Response:
        query = {"webId": self.web_id, "tplSetId": self.tpl_set_id, "pageType": "column", "tagId": TAG,
                 "pageId": str(COLUMN), "pageSize": PER_PAGE, "total": len(self.items)}
        body = (f'<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="{self.county.gk_path}">政府信息公开</a>'
                f' &gt; 政府信息公开年报</div>\n<div class="zfxxgk_zdgkc">{self._rows(1)}\n'
                f'<div class="pagination" id="page_{COLUMN}" queryData="{esc(json.dumps(query, ensure_ascii=False))}"></div>'
                f'</div>\n<script src="/static/jpaas/js/jpaas-page.js"></script>')
        return html_response(page(self.county, "政府信息公开年报", body, metas=self._metas("政府信息公开年报")))

    def _detail(self, article: Article) -> Response:
        attachment = ""
        if article.fmt == "pdf":
            attachment = f'<a href="{self._file_path(article)}">{esc(article.title)}.pdf</a>'
        source = article.township.agency if article.township else self.county.government
        metas = {"Generator": "大汉版通", **article_metas(self.county, article, "政府信息公开年报")}
        body = (f'<h1 class="article-title">{esc(article.title)}</h1>\n<div class="article-info">'
                f'{shown_date(article, "发布时间")}　来源：{esc(source)}</div>\n'
                f'<div class="article-content" id="zoom">{article_body(self.county, article, attachment)}</div>')
        return html_response(page(self.county, article.title, body, metas=metas))

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            f"/col/col{GK}/index.html": lambda: self.gk_page("政府信息公开", [
                ("政府信息公开指南", "/col/col1229501/index.html"), ("政府信息公开制度", "/col/col1229502/index.html"),
                ("政府信息公开年报", self.column_path())], self._metas("政府信息公开")),
            self.column_path(): self._column,
        }
        for a in self.items:
            routes[self.report_path(a)] = lambda a=a: self._detail(a)
            if a.fmt == "pdf":
                routes[self._file_path(a)] = lambda a=a: attachment_response(self.county, a)
        return routes

    # ---- the page-build API -----------------------------------------------------------
    def dynamic(self, request: Request) -> Response | None:
        if request.path != API:
            return None
        q = request.query
        expected = {"parseType": "bulidstatic", "webId": self.web_id, "tplSetId": self.tpl_set_id, "pageId": str(COLUMN)}
        try:
            number = int(json.loads(q.get("paramJson") or "{}").get("pageNo", 1))
        except (ValueError, AttributeError):
            number = 0
        if any(q.get(k) != v for k, v in expected.items()) or number < 1:
            data = {"success": False, "code": 500, "message": "参数错误", "data": None}
        else:
            data = {"success": True, "code": 200, "message": "操作成功", "data": {"html": self._rows(number)}}
        return Response(200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")
