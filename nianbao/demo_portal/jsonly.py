"""A county whose 年报 list exists only after JavaScript, with no API signature any adapter knows.

Also carries the crawl quirks of real small portals (DOMAIN.md §4.4, §4.6):

- ``/`` → ``/zwgk/`` (政府信息公开) → ``/zwgk/nb.html``, a ~160-byte
  ``location.replace`` shell → ``/zwgk/nbtz.html``, a ``<meta http-equiv=refresh>``
  shell → the column ``/zwgk/zfxxgknb/index.html``;
- the column's HTML holds an empty ``<ul id="nblist">`` and an inline script
  that GETs ``/inc/lmxx.do?k=nb`` (``text/plain``, one ``id<TAB>title<TAB>date``
  row per item) and builds the links; no ``<a>`` to a report is in the HTML;
- details ``/zwgk/zfxxgknb/content_<id>.html``; PDF attachments ``/zwgk/zfxxgknb/P0<id>.pdf``;
- a date-browsing calendar linked from the column (``/zwgk/rl/list.html?date=YYYY-MM-DD``)
  whose 上一页 / 下一页 go one day back / forward forever (a crawl trap);
- ``robots.txt`` disallows ``/private/``, where the 政府信息公开 page links a decoy report;
- the home page links one report on an off-site mirror (``mirror_base``, set by
  the server), a copy of a real report under the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page, shown_date
from nianbao.demo_portal.family import Family, Request, Response, attachment_response, html_response
from nianbao.demo_portal.world import Article

COLUMN = "/zwgk/zfxxgknb/index.html"
DATA_PATH = "/inc/lmxx.do"
CALENDAR = "/zwgk/rl/list.html"
DECOY = "/private/zfxxgknb/content_1.html"
SHELL_REPLACE, SHELL_REFRESH = "/zwgk/nb.html", "/zwgk/nbtz.html"

LIST_SCRIPT = """<script>
(function(){var x=new XMLHttpRequest();x.open('GET','%s?k=nb',true);
x.onload=function(){var ul=document.getElementById('nblist');
x.responseText.split('\\n').forEach(function(r){if(!r)return;var p=r.split('\\t');
var li=document.createElement('li'),a=document.createElement('a');
a.href='/zwgk/zfxxgknb/content_'+p[0]+'.html';a.title=p[1];a.textContent=p[1];
var s=document.createElement('span');s.className='date';s.textContent=p[2];
li.appendChild(a);li.appendChild(s);ul.appendChild(li);});};x.send();})();
</script>""" % DATA_PATH


class JsOnlyFamily(Family):
    name = "jsonly"
    robots = "User-agent: *\nDisallow: /private/\n"
    placeholders = (("/zwgk/zn/", "政府信息公开指南"),)
    mirror_base = ""   # the off-site mirror's base URL, set by DemoPortal once it is bound

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        county.gk_path = "/zwgk/"

    def column_path(self) -> str:
        return COLUMN

    def report_path(self, article: Article) -> str:
        return f"/zwgk/zfxxgknb/content_{article.id}.html"

    def _file_path(self, article: Article) -> str:
        return f"/zwgk/zfxxgknb/P0{article.id}.{article.fmt}"

    def mirrored(self) -> Article:
        """The report the off-site mirror copies (the first dated report)."""
        return next(a for a in self.county.reports() if a.published)

    def home_links(self) -> list[tuple[str, str]]:
        links = [("政府信息公开", "/zwgk/"), ("政务服务", "/bsfw/")]
        if self.mirror_base:
            a = self.mirrored()
            links.append((a.title, self.mirror_base.rstrip("/") + self.report_path(a)))
        return links

    def _column(self) -> Response:
        sidebar = ('<div class="calendar"><h4>按日期浏览</h4>'
                   f'<a href="{CALENDAR}?date=2024-01-01">2024年</a></div>')
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 政府信息公开年报</div>\n'
                f'<h2>政府信息公开年报</h2><ul id="nblist" class="list"></ul>\n{sidebar}')
        return html_response(page(self.county, "政府信息公开年报", body, metas={"ColumnName": "政府信息公开年报"},
                                  head=LIST_SCRIPT))

    def _data(self) -> Response:
        rows = "".join(f"{a.id}\t{a.title}\t{list_date(a)}\n" for a in self.county.articles if a.kind != "broken")
        return Response(200, rows.encode("utf-8"), "text/plain; charset=utf-8")

    def _calendar(self, day: str) -> Response:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            when = date(2024, 1, 1)
        prev, nxt = when - timedelta(days=1), when + timedelta(days=1)
        body = (f'<h2>{when:%Y年%m月%d日}</h2><ul class="list"><li>暂无信息</li></ul>\n'
                f'<div class="pager"><a href="{CALENDAR}?date={prev}">上一页</a> <a href="{CALENDAR}?date={nxt}">下一页</a></div>')
        return html_response(page(self.county, "按日期浏览", body))

    def _detail(self, article: Article) -> Response:
        attachment = ""
        if article.fmt == "pdf":
            attachment = f'<a href="{self._file_path(article)}">{esc(article.title)}.pdf</a>'
        body = (f'<h1>{esc(article.title)}</h1><div class="info">{shown_date(article)}</div>\n'
                f'<div class="content">{article_body(self.county, article, attachment)}</div>')
        return html_response(page(self.county, article.title, body,
                                  metas=article_metas(self.county, article, "政府信息公开年报")))

    def _shell_replace(self) -> Response:
        text = f'<html><head><script>location.replace("{SHELL_REFRESH}");</script></head><body></body></html>'
        return html_response(text)

    def _shell_refresh(self) -> Response:
        text = f'<html><head><meta http-equiv="refresh" content="0;url={COLUMN}"></head><body></body></html>'
        return html_response(text)

    def dynamic(self, request: Request) -> Response | None:
        if request.path == CALENDAR:
            return self._calendar(request.query.get("date", ""))
        return None

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            "/zwgk/": lambda: self.gk_page("政府信息公开", [("政府信息公开指南", "/zwgk/zn/"),
                                                           ("政府信息公开工作年度报告", SHELL_REPLACE),
                                                           ("2019年政府信息公开工作年度报告（内部存档）", DECOY)]),
            SHELL_REPLACE: self._shell_replace, SHELL_REFRESH: self._shell_refresh,
            COLUMN: self._column, DATA_PATH: self._data,
            DECOY: lambda: html_response(page(self.county, "内部存档", "<p>robots.txt 禁止抓取的页面。</p>")),
        }
        for a in self.county.articles:
            if a.kind == "broken":
                continue
            routes[self.report_path(a)] = lambda a=a: self._detail(a)
            if a.fmt == "pdf":
                routes[self._file_path(a)] = lambda a=a: attachment_response(self.county, a)
        return routes
