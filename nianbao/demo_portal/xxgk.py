"""Hanweb 信息公开 module county: a POSTed search list, and townships only in the 年报 aggregator (placement E).

URL shapes:

- ``/`` → ``/col/col3100/index.html`` (政府信息公开) → ``/col/col3105/index.html`` (政府信息公开年报):
  a form posting to ``/module/xxgk/search.jsp?standardXxgk=1&…`` (``infotypeId``, ``jdid``,
  ``area``, ``divid``) and **no list in the HTML**, plus a link 乡镇（街道）年报;
- ``POST /module/xxgk/search.jsp?…&currpage=N`` (GET → 405; a wrong ``infotypeId`` → no rows):
  county items and townships 1–3, ``PER_PAGE`` rows and ``共N页`` with a script-only pager;
- ``/module/xxgk/xxgkAnnualReport.jsp?area=<unit>&fbtime=<year>`` (the aggregator): the reports of
  townships 4–5 *published* in ``fbtime`` (empty: the latest year), one row per township
  (未发布 when none); the other years only as ``<option>``s of its form;
- details ``/art/YYYY/M/D/art_<col>_<id>.html`` (col 3105 from the search, 3106 from the
  aggregator); DOCX ``/module/download/downfile.jsp?classid=0&filename=<32 hex>.docx``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import parse_qsl, quote

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page, shown_date
from nianbao.demo_portal.family import Family, Request, Response, attachment_response, html_response
from nianbao.demo_portal.world import YEARS, Article

PER_PAGE = 8
GK, COLUMN, TOWNSHIP_COLUMN = 3100, 3105, 3106
SEARCH, AGGREGATOR, DOWNLOAD = "/module/xxgk/search.jsp", "/module/xxgk/xxgkAnnualReport.jsp", "/module/download/downfile.jsp"
INFOTYPE = "B0501"
AGGREGATED_FROM = 3     # townships from this index on are only in the aggregator
FBTIMES = tuple(y + 1 for y in YEARS)


class XxgkFamily(Family):
    name = "xxgk"
    extra_metas = {"Generator": "大汉版通"}
    placeholders = (("/col/col3101/index.html", "政府信息公开指南"), ("/col/col3102/index.html", "政府信息公开制度"))

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        county.gk_path = f"/col/col{GK}/index.html"
        live = [a for a in county.articles if a.kind != "broken"]
        self.aggregated = [a for a in live if a.kind == "report" and a.township.index >= AGGREGATED_FROM]
        self.items = [a for a in live if a not in self.aggregated]
        self.files = {hashlib.md5(f"{county.code}-{a.id}".encode()).hexdigest() + ".docx": a
                      for a in live if a.fmt == "docx"}

    def column_path(self) -> str:
        return f"/col/col{COLUMN}/index.html"

    def report_path(self, article: Article) -> str:
        d, column = article.url_date, TOWNSHIP_COLUMN if article in self.aggregated else COLUMN
        return f"/art/{d.year}/{d.month}/{d.day}/art_{column}_{article.id}.html"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", self.county.gk_path)]

    def _metas(self, column: str) -> dict[str, str]:
        return {"Generator": "大汉版通", "SiteName": self.county.government, "SiteDomain": self.county.domain,
                "SiteIDCode": self.county.site_id_code, "ColumnName": column}

    # ---- pages ------------------------------------------------------------------
    def _column(self) -> Response:
        fields = {"infotypeId": INFOTYPE, "jdid": "42", "area": "", "divid": f"div{COLUMN}", "vc_title": "",
                  "vc_number": "", "currpage": "1"}
        inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{self.county.gk_path}">政府信息公开</a>'
                f' &gt; 政府信息公开年报</div>\n<ul class="subcol"><li><a href="{AGGREGATOR}?area=&amp;fbtime=">乡镇（街道）年报</a></li></ul>\n'
                f'<form id="searchform" name="searchform" method="post" action="{SEARCH}?standardXxgk=1&amp;isAllList=1'
                f'&amp;texttype=0&amp;fbtime=-1&amp;sortfield=,compaltedate:0">{inputs}</form>\n<div id="div{COLUMN}"></div>\n'
                f"<script src=\"/module/xxgk/js/xxgk.js\"></script><script>xxgkSearch('searchform', 'div{COLUMN}', 1);</script>")
        return html_response(page(self.county, "政府信息公开年报", body, metas=self._metas("政府信息公开年报")))

    def _search(self, request: Request) -> Response:
        if request.method != "POST":
            return Response(405, b"<html><body>405 Method Not Allowed</body></html>", headers=[("Allow", "POST")])
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        items = self.items if form.get("infotypeId") == INFOTYPE else []
        try:
            number = max(int(request.query.get("currpage") or 1), 1)
        except ValueError:
            number = 1
        pages = max(1, -(-len(items) // PER_PAGE))
        rows = "".join(f'<tr><td>{self.county.code}/{a.url_date.year}-{a.id % 100000:05d}</td><td><a href="{self.report_path(a)}"'
                       f' target="_blank" title="{esc(a.title)}">{esc(a.title)}</a></td><td>{list_date(a)}</td></tr>\n'
                       for a in items[(number - 1) * PER_PAGE:number * PER_PAGE]) or '<tr><td colspan="3">暂无信息</td></tr>'
        pager = "".join(f"<a href=\"javascript:void(0)\" onclick=\"xxgkSearch('searchform','div{COLUMN}',{n})\">{n}</a> "
                        for n in range(1, pages + 1))
        text = (f'<table width="100%" class="xxgk_list">\n<tr><th>索引号</th><th>名称</th><th>发布日期</th></tr>\n{rows}</table>\n'
                f'<div class="xxgk_page">共 {len(items)} 条　共{pages}页　第{number}页　{pager}</div>')
        return html_response(text)

    def _aggregator(self, request: Request) -> Response:
        fbtime = request.query.get("fbtime") or str(FBTIMES[-1])
        area = request.query.get("area", "")
        units = [t for t in self.county.townships if t.index >= AGGREGATED_FROM and area in ("", t.code[:9])]
        rows = []
        for t in units:
            found = [a for a in self.aggregated if a.township is t and a.published and str(a.published.year) == fbtime]
            cell = "".join(f'<a href="{self.report_path(a)}" target="_blank">{esc(a.title)}</a>' for a in found) or "未发布"
            rows.append(f"<tr><td>{esc(t.agency)}</td><td>{cell}</td><td>{' '.join(list_date(a) for a in found)}</td></tr>")
        areas = "".join(f'<option value="{t.code[:9]}"{" selected" if area == t.code[:9] else ""}>{esc(t.name)}</option>'
                        for t in self.county.townships if t.index >= AGGREGATED_FROM)
        years = "".join(f'<option value="{y}"{" selected" if str(y) == fbtime else ""}>{y}</option>' for y in reversed(FBTIMES))
        body = (f'<form name="nbform" method="get" action="{AGGREGATOR}">单位：<select name="area"><option value="">全部</option>'
                f'{areas}</select> 年度：<select name="fbtime">{years}</select> <input type="submit" value="查询"></form>\n'
                f'<table class="nb_table"><tr><th>单位名称</th><th>年度报告</th><th>发布日期</th></tr>{"".join(rows)}</table>')
        return html_response(page(self.county, "乡镇（街道）政府信息公开工作年度报告", body, metas=self._metas("乡镇（街道）年报")))

    def _detail(self, article: Article) -> Response:
        attachment = ""
        if article.fmt == "docx":
            name = next(k for k, v in self.files.items() if v is article)
            attachment = f'<a href="{DOWNLOAD}?classid=0&amp;filename={name}">{esc(article.title)}.docx</a>'
        metas = {"Generator": "大汉版通", **article_metas(self.county, article, "政府信息公开年报")}
        body = (f'<h1>{esc(article.title)}</h1>\n<div class="info">{shown_date(article, "发布时间", True)}　'
                f'信息来源：{esc(article.township.agency if article.township else self.county.government)}</div>\n'
                f'<div id="zoom">{article_body(self.county, article, attachment)}</div>')
        return html_response(page(self.county, article.title, body, metas=metas))

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            self.county.gk_path: lambda: self.gk_page("政府信息公开", [
                ("政府信息公开指南", "/col/col3101/index.html"), ("政府信息公开制度", "/col/col3102/index.html"),
                ("政府信息公开年报", self.column_path())], self._metas("政府信息公开")),
            self.column_path(): self._column,
        }
        for a in self.items + self.aggregated:
            routes[self.report_path(a)] = lambda a=a: self._detail(a)
        return routes

    def dynamic(self, request: Request) -> Response | None:
        if request.path == SEARCH:
            return self._search(request)
        if request.path == AGGREGATOR:
            return self._aggregator(request)
        if request.path == DOWNLOAD:
            article = self.files.get(request.query.get("filename", ""))
            if article is None:
                return self.not_found()
            disposition = f"attachment; filename*=UTF-8''{quote(article.title)}.docx"
            return attachment_response(self.county, article, [("Content-Disposition", disposition)])
        return None
