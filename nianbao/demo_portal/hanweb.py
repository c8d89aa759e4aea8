"""Hanweb classic (大汉) county, placement B: a county 年报 column split by year.

URL shapes:

- ``/`` → ``/col/col1200/index.html`` (政府信息公开) → ``/col/col1205/index.html``
  (old 年报 column, **301** to) ``/col/col1240/index.html`` (年报 column: year
  sub-columns ``2024年`` … ``2022年`` by *publication* year, plus older items);
- each year column ``/col/col<1241+k>/index.html`` links its groups 县政府部门 and
  乡镇街道 (``/col/col<1250+2k>/…``, ``/col/col<1251+2k>/…``);
- every list embeds ``<div id="<unitid>"><script type="text/xml"><datastore>``
  with the first ``perPage*groupSize`` CDATA records and a ``jpage({…})`` call;
  the rest: ``POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=``
  with form ``col=1&appid=1&webid=1&path=/&columnid=&unitid=&webname=&permissiontype=0``
  (records are 1-based, inclusive); **403 without a Referer**;
- details ``/art/YYYY/M/D/art_<columnid>_<id>.html``; DOCX/DOC attachments
  ``/module/download/downfile.jsp?classid=0&filename=<32 hex>.docx`` (``.doc``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import parse_qsl, quote

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page, shown_date
from nianbao.demo_portal.family import Family, Request, Response, attachment_response, html_response, redirect
from nianbao.demo_portal.world import YEARS, Article

PUBLICATION_YEARS = tuple(y + 1 for y in YEARS)

PER_PAGE, GROUP_SIZE = 3, 3
ROOT, GK, OLD_ROOT = 1240, 1200, 1205
# A small stand-in for Hanweb's jpage.js: renders the embedded records and pages through dataproxy.jsp.
JPAGE_JS = """function jpage(o){
 var box = document.getElementById(o.divId), xml = box.querySelector('script[type="text/xml"]').textContent;
 function records(text){ var out = [], re = /<record><!\\[CDATA\\[([\\s\\S]*?)\\]\\]><\\/record>/g, m;
   while ((m = re.exec(text))) out.push(m[1]); return out; }
 var cache = records(xml), list = document.createElement('ul'), pager = document.createElement('div');
 box.appendChild(list); box.appendChild(pager);
 function show(page){
  var start = (page - 1) * o.perPage;
  if (start >= cache.length && start < o.totalRecord) { fetchGroup(page); return; }
  list.innerHTML = cache.slice(start, start + o.perPage).join('');
  var pages = Math.ceil(o.totalRecord / o.perPage), html = '';
  for (var i = 1; i <= pages; i++) html += '<a href="javascript:void(0)" data-p="' + i + '">' + i + '</a> ';
  pager.innerHTML = html;
  Array.prototype.forEach.call(pager.querySelectorAll('a'), function(a){ a.onclick = function(){ show(+a.getAttribute('data-p')); }; });
 }
 function fetchGroup(page){
  var start = cache.length + 1, end = Math.min(start + o.perPage * o.groupSize - 1, o.totalRecord), form = [];
  for (var k in o.ajaxParam) form.push(k + '=' + encodeURIComponent(o.ajaxParam[k]));
  var xhr = new XMLHttpRequest();
  xhr.open('POST', o.proxyUrl + '?startrecord=' + start + '&endrecord=' + end + '&perpage=' + o.perPage);
  xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
  xhr.onload = function(){ cache = cache.concat(records(xhr.responseText)); show(page); };
  xhr.send(form.join('&'));
 }
 show(1);
}
"""


def _record(article: Article, path: str) -> str:
    when = f"<span>{list_date(article)}</span>" if list_date(article) else ""
    return f'<li><a href="{path}" title="{esc(article.title)}" target="_blank">{esc(article.title)}</a>{when}</li>'


def _datastore(records: list[str], nextgroup: str = "", total: int | None = None) -> str:
    head = f"<totalrecord>{total}</totalrecord><totalpage>{-(-total // PER_PAGE)}</totalpage>" if total is not None else ""
    body = "".join(f"<record><![CDATA[{r}]]></record>\n" for r in records)
    return f"<datastore>{head}<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n<recordset>\n{body}</recordset>\n</datastore>"


class HanwebFamily(Family):
    name = "hanweb"
    placeholders = (("/col/col1100/index.html", "新闻中心"), ("/col/col1201/index.html", "政府信息公开指南"), ("/col/col1202/index.html", "政府信息公开制度"))
    gzip_text = True
    extra_metas = {"Generator": "大汉版通"}

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        county.gk_path = f"/col/col{GK}/index.html"
        self.columns: dict[int, tuple[str, list[Article]]] = {}   # column id → (name, items)
        self.home_of: dict[int, int] = {}                          # article id → column id
        self.files: dict[str, Article] = {}
        self._plan()

    def _plan(self) -> None:
        """Year columns hold what was *published* that year, newest first, so
        a year's reports sit behind later notices (some only via dataproxy)."""
        placed: set[int] = set()
        for k, year in enumerate(PUBLICATION_YEARS):
            in_year = [a for a in self.county.articles if a.published and a.published.year == year]
            dept = [a for a in in_year if a.township is None and a.kind == "lookalike" and a.lookalike != "指南"]
            towns = [a for a in in_year if a.township is not None]
            self.columns[1250 + 2 * k] = ("县政府部门", dept)
            self.columns[1251 + 2 * k] = ("乡镇街道", towns)
            placed |= {a.id for a in dept + towns}
        self.columns[ROOT] = ("政府信息公开年报", [a for a in self.county.articles if a.id not in placed])
        for column, (_, items) in self.columns.items():
            for a in items:
                self.home_of[a.id] = column
        for a in self.county.articles:
            if a.fmt in ("docx", "doc"):
                self.files[hashlib.md5(f"{self.county.code}-{a.id}".encode()).hexdigest() + "." + a.fmt] = a

    def column_path(self) -> str:
        return f"/col/col{ROOT}/index.html"

    def report_path(self, article: Article) -> str:
        d = article.url_date
        return f"/art/{d.year}/{d.month}/{d.day}/art_{self.home_of[article.id]}_{article.id}.html"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", f"/col/col{GK}/index.html"), ("新闻中心", "/col/col1100/index.html")]

    def _metas(self, column: str) -> dict[str, str]:
        return {"Generator": "大汉版通", "SiteName": self.county.government, "SiteDomain": self.county.domain,
                "SiteIDCode": self.county.site_id_code, "ColumnName": column}

    def _ajax_param(self, column: int) -> str:
        return (f"{{col:1, appid:1, webid:1, path:'/', columnid:{column}, sourceContentType:1, "
                f"unitid:'{self._unit(column)}', webname:'{self.county.government}', permissiontype:0}}")

    @staticmethod
    def _unit(column: int) -> int:
        return 5000 + column

    def _list(self, column: int, links: list[tuple[str, str]] = ()) -> Response:  # type: ignore[assignment]
        name, items = self.columns[column]
        first = [_record(a, self.report_path(a)) for a in items[:PER_PAGE * GROUP_SIZE]]
        nextgroup = ""
        if len(items) > PER_PAGE * GROUP_SIZE:
            nextgroup = (f'<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={column}'
                         f'&unitid={self._unit(column)}&webname={quote(self.county.government)}&permissiontype=0"></a>')
        sub = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in links)
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{GK}/index.html">政府信息公开</a> &gt; {esc(name)}</div>\n'
                f'<ul class="subcol">{sub}</ul>\n<div id="{self._unit(column)}"><script type="text/xml">'
                f'{_datastore(first, nextgroup)}</script>'
                f'<script language="javascript" src="/module/web/jpage/jpage.js"></script>'
                f'<script>jpage({{totalRecord:{len(items)}, perPage:{PER_PAGE}, groupSize:{GROUP_SIZE}, '
                f"proxyUrl:'/module/web/jpage/dataproxy.jsp', ajaxParam:{self._ajax_param(column)}, "
                f"divId:'{self._unit(column)}'}});</script></div>")
        return html_response(page(self.county, name, body, metas=self._metas(name)))

    def _detail(self, article: Article) -> Response:
        column = self.columns[self.home_of[article.id]][0]
        attachment = ""
        if article.fmt in ("docx", "doc"):
            name = next(k for k, v in self.files.items() if v is article)
            attachment = (f'<a href="/module/download/downfile.jsp?classid=0&filename={name}">'
                          f'{esc(article.title)}.{article.fmt}</a>')
        metas = {"Generator": "大汉版通", **article_metas(self.county, article, column)}
        body = (f'<h1>{esc(article.title)}</h1>\n<div class="info">{shown_date(article, "发布时间", True)}　'
                f'信息来源：{esc(article.township.agency if article.township else self.county.government)}</div>\n'
                f'<div id="zoom">{article_body(self.county, article, attachment)}</div>')
        return html_response(page(self.county, article.title, body, metas=metas))

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        years = [(f"{y}年", f"/col/col{1241 + k}/index.html") for k, y in enumerate(PUBLICATION_YEARS)][::-1]
        routes: dict[str, Callable[[], Response]] = {
            f"/col/col{GK}/index.html": lambda: self.gk_page("政府信息公开", [
                ("政府信息公开指南", "/col/col1201/index.html"), ("政府信息公开制度", "/col/col1202/index.html"),
                ("政府信息公开年报", f"/col/col{OLD_ROOT}/index.html")], self._metas("政府信息公开")),
            f"/col/col{OLD_ROOT}/index.html": lambda: redirect(f"/col/col{ROOT}/index.html"),
            "/module/web/jpage/jpage.js": lambda: Response(200, JPAGE_JS.encode(), "application/javascript"),
            f"/col/col{ROOT}/index.html": lambda: self._list(ROOT, years),
        }
        for k, year in enumerate(PUBLICATION_YEARS):
            groups = [("县政府部门", f"/col/col{1250 + 2 * k}/index.html"), ("乡镇街道", f"/col/col{1251 + 2 * k}/index.html")]
            routes[f"/col/col{1241 + k}/index.html"] = lambda g=groups, y=year: self.gk_page(f"{y}年", g, self._metas(f"{y}年"))
            for column in (1250 + 2 * k, 1251 + 2 * k):
                routes[f"/col/col{column}/index.html"] = lambda c=column: self._list(c)
        for a in self.county.articles:
            if a.kind != "broken":
                routes[self.report_path(a)] = lambda a=a: self._detail(a)
        return routes

    # ---- dynamic: dataproxy.jsp and downfile.jsp ----------------------------------
    def dynamic(self, request: Request) -> Response | None:
        if request.path == "/module/web/jpage/dataproxy.jsp":
            return self._dataproxy(request)
        if request.path == "/module/download/downfile.jsp":
            article = self.files.get(request.query.get("filename", ""))
            if article is None:
                return self.not_found()
            disposition = f"attachment; filename*=UTF-8''{quote(article.title)}.{article.fmt}"
            return attachment_response(self.county, article, [("Content-Disposition", disposition)])
        return None

    def _dataproxy(self, request: Request) -> Response:
        if not request.headers.get("referer"):
            return Response(403, b"<html><body>403 Forbidden</body></html>")
        form = {**request.query, **dict(parse_qsl(request.body.decode("utf-8", "replace")))}
        try:
            column = int(form.get("columnid", ""))
            start, end = int(form.get("startrecord", "1")), int(form.get("endrecord", "0"))
        except ValueError:
            return Response(400, b"bad parameters")
        if column not in self.columns or form.get("unitid") != str(self._unit(column)):
            return Response(200, _datastore([], total=0).encode(), "text/xml; charset=utf-8")
        items = self.columns[column][1]
        chosen = items[max(start, 1) - 1:end]
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + _datastore(
            [_record(a, self.report_path(a)) for a in chosen], total=len(items))
        return Response(200, xml.encode("utf-8"), "text/xml; charset=utf-8")
