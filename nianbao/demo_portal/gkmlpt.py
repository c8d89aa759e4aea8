"""Guangdong gkmlpt-like county, placement C: one flat JavaScript-rendered column.

URL shapes (``<u>`` is the unit slug, ``qixia`` for 栖霞市):

- ``/`` → ``/<u>/gkmlpt/index`` (an empty shell: ``window._CONFIG = {SID, TREE}``
  and a script; **no list in the HTML**); the 年报 category is ``#2519``
  (``/<u>/gkmlpt/index#2519``);
- the list: ``GET /<u>/gkmlpt/api/all/<cat>?page=N&sid=<SID>`` →
  ``{"total", "articles": [{"id", "title", "url", "display_publish_time",
  "identifier", "attachment": [...]}]}``; page 0 = page 1; ``PAGE_SIZE`` per
  page; a wrong or missing ``sid`` → 400; ``display_publish_time`` is epoch
  seconds (China time) or null;
- details ``/<u>/gkmlpt/content/<id//1e6>/<id//1e3>/post_<id>.html`` with a 信息公开
  table (索引号 · 分类 · 发布机构 · 成文日期 · 名称 · 文号 · 发布日期);
- PDFs ``/<u>/attachment/<att//1e6>/<att//1e3>/<att>/<postId>.pdf``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta, timezone

from nianbao.demo_portal.chrome import article_body, article_metas, esc, list_date, page
from nianbao.demo_portal.family import Family, Request, Response, attachment_response, html_response
from nianbao.demo_portal.world import Article

PAGE_SIZE = 10
CATEGORY = 2519
TREE = [{"id": 2510, "name": "政策文件", "parent": 0}, {"id": 2515, "name": "机构职能", "parent": 0},
        {"id": CATEGORY, "name": "政府信息公开年报", "parent": 0}]
CHINA = timezone(timedelta(hours=8))
SHELL_JS = """<script>
(function(){
  var cfg = window._CONFIG, box = document.getElementById('list'), pager = document.getElementById('pager');
  function load(cat, page){
    var xhr = new XMLHttpRequest();
    xhr.open('GET', cfg.API + cat + '?page=' + page + '&sid=' + cfg.SID);
    xhr.onload = function(){
      var data = JSON.parse(xhr.responseText), html = '';
      data.articles.forEach(function(a){
        var d = a.display_publish_time ? new Date((a.display_publish_time + 28800) * 1000).toISOString().slice(0, 10) : '';
        html += '<li><a href="' + a.url + '" target="_blank">' + a.title + '</a><span>' + d + '</span></li>';
      });
      box.innerHTML = html;
      var pages = Math.ceil(data.total / cfg.PAGE_SIZE), links = '';
      for (var i = 1; i <= pages; i++) links += '<a href="javascript:void(0)" data-page="' + i + '">' + i + '</a> ';
      pager.innerHTML = links;
      Array.prototype.forEach.call(pager.querySelectorAll('a'), function(el){
        el.onclick = function(){ load(cat, +el.getAttribute('data-page')); };
      });
    };
    xhr.send();
  }
  load((location.hash || '#' + cfg.DEFAULT).slice(1), 1);
  window.onhashchange = function(){ load(location.hash.slice(1), 1); };
})();
</script>"""


class GkmlptFamily(Family):
    name = "gkmlpt"
    gzip_text = True

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        self.unit = "qixia" if county.index == 2 else f"unit{county.index}"
        self.sid = f"{int(county.code) % 1000:03d}"
        county.gk_path = f"/{self.unit}/gkmlpt/index"
        self.items = list(county.articles)   # one flat column: departments, townships, noise

    @staticmethod
    def post_id(article: Article) -> int:
        return 4_000_000 + article.id

    @staticmethod
    def attachment_id(article: Article) -> int:
        return 1_100_000 + article.id

    def column_path(self) -> str:
        return f"/{self.unit}/gkmlpt/index#{CATEGORY}"

    def report_path(self, article: Article) -> str:
        pid = self.post_id(article)
        return f"/{self.unit}/gkmlpt/content/{pid // 1_000_000}/{pid // 1000}/post_{pid}.html"

    def _attachment_path(self, article: Article) -> str:
        att = self.attachment_id(article)
        return f"/{self.unit}/attachment/{att // 1_000_000}/{att // 1000}/{att}/{self.post_id(article)}.pdf"

    def home_links(self) -> list[tuple[str, str]]:
        return [("政府信息公开", f"/{self.unit}/gkmlpt/index"), ("政府信息公开年报", f"/{self.unit}/gkmlpt/index#{CATEGORY}")]

    def _identifier(self, article: Article) -> str:
        if article.published is None or article.date_mode == "none":
            return f"QX{self.county.code}-{article.id}"
        return f"0069{self.county.code[:5]}/{article.published.year}-{article.id % 100000:05d}"

    # ---- pages ------------------------------------------------------------------
    def _shell(self) -> Response:
        config = {"SID": self.sid, "TREE": TREE, "DEFAULT": CATEGORY, "PAGE_SIZE": PAGE_SIZE,
                  "API": f"/{self.unit}/gkmlpt/api/all/"}
        head = f"<script>window._CONFIG = {json.dumps(config, ensure_ascii=False)};</script>\n"
        body = '<div id="app"><ul id="tree"></ul><ul id="list"></ul><div id="pager"></div></div>\n' + SHELL_JS
        metas = {"SiteName": self.county.government, "SiteDomain": self.county.domain,
                 "SiteIDCode": self.county.site_id_code, "ColumnName": "政府信息公开"}
        return html_response(page(self.county, "政府信息公开", body, metas=metas, head=head))

    def _detail(self, article: Article) -> Response:
        dated = article.published is not None and article.date_mode in ("meta", "page")
        agency = article.township.agency if article.township else self.county.government
        signed = f"{article.signed:%Y-%m-%d}" if article.signed and dated else ""
        published = f"{article.published:%Y-%m-%d %H:%M}" if dated and article.published else ""
        rows = (("索引号", self._identifier(article), "分类", "政府信息公开年报"),
                ("发布机构", agency, "成文日期", signed), ("名称", article.title, "", ""),
                ("文号", "", "发布日期", published))
        table = "".join(f"<tr><th>{a}</th><td>{esc(b)}</td><th>{c}</th><td>{esc(d)}</td></tr>" for a, b, c, d in rows)
        attachment = ""
        if article.fmt == "pdf":
            attachment = f'<a href="{self._attachment_path(article)}">{esc(article.title)}.pdf</a>'
        body = (f'<div class="classify"><table class="xxgk-table">{table}</table></div>\n'
                f'<h1 class="content-title">{esc(article.title)}</h1>\n'
                f'<div class="article-content">{article_body(self.county, article, attachment)}</div>')
        return html_response(page(self.county, article.title, body,
                                  metas=article_metas(self.county, article, "政府信息公开年报")))

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {f"/{self.unit}/gkmlpt/index": self._shell}
        for a in self.items:
            if a.kind == "broken":
                continue
            routes[self.report_path(a)] = lambda a=a: self._detail(a)
            if a.fmt == "pdf":
                routes[self._attachment_path(a)] = lambda a=a: attachment_response(self.county, a)
        return routes

    # ---- the JSON API --------------------------------------------------------------
    def dynamic(self, request: Request) -> Response | None:
        prefix = f"/{self.unit}/gkmlpt/api/all/"
        if not request.path.startswith(prefix):
            return None
        if request.query.get("sid") != self.sid:
            return Response(400, b'{"error":"sid required"}', "application/json")
        try:
            cat, number = int(request.path[len(prefix):]), max(int(request.query.get("page", "1")), 1)
        except ValueError:
            return Response(400, b'{"error":"bad request"}', "application/json")
        items = self.items if cat == CATEGORY else []
        host = request.headers.get("host", "127.0.0.1")
        chosen = items[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        data = {"total": len(items), "articles": [self._api_article(a, host) for a in chosen]}
        return Response(200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8",
                        chunked=True)

    def _api_article(self, a: Article, host: str) -> dict:
        when = None
        if list_date(a):
            when = int(a.published.replace(tzinfo=CHINA).timestamp())
        attachments = []
        if a.fmt == "pdf":
            attachments = [{"name": f"{a.title}.pdf", "url": f"http://{host}{self._attachment_path(a)}", "file_ext": "pdf"}]
        return {"id": self.post_id(a), "title": a.title, "url": f"http://{host}{self.report_path(a)}",
                "display_publish_time": when, "identifier": self._identifier(a), "attachment": attachments}
