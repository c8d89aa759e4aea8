"""The one helper that turns a saved page under ``tests/fixtures/<family>/`` into a Scrapy response.

Every fixture has the URL it would really be served from (below), so relative
links resolve as on the portal. Fixture pages are written for these tests,
never copied from real portals.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

HTML = "text/html"
# fixture → (URL it is served from, Content-Type header; None = no header charset)
PAGES: dict[str, tuple[str, str]] = {
    "trs/column.html": ("http://www.hljyy.gov.cn/zwgk/zfxxgknb/xzjd/xlz/index.html", "text/html; charset=utf-8"),
    "trs/column_countpage.html": ("http://www.example-trs.gov.cn/zwgk/zfxxgknb/index.html", "text/html; charset=utf-8"),
    "trs/column_newer.html": ("http://www.example-trs.gov.cn/zwgk/zfxxgknb/list.shtml", "text/html; charset=utf-8"),
    "trs/detail.html": ("http://www.hljyy.gov.cn/zwgk/zfxxgknb/xzjd/xlz/202301/t20230120_123456.html", "text/html; charset=utf-8"),
    "hanweb/column.html": ("http://www.example-hw.gov.cn/col/col1240/index.html", "text/html; charset=utf-8"),
    "hanweb/dataproxy.xml": ("http://www.example-hw.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15", "text/xml; charset=utf-8"),
    "hanweb/detail.html": ("http://www.example-hw.gov.cn/art/2023/1/20/art_1240_5678.html", "text/html; charset=utf-8"),
    "gkmlpt/index.html": ("http://www.example-gd.gov.cn/xxz/gkmlpt/index", "text/html; charset=utf-8"),
    "gkmlpt/api_page1.json": ("http://www.example-gd.gov.cn/xxz/gkmlpt/api/all/2118?page=1&sid=xxz", "application/json;charset=UTF-8"),
    "anhui/list_page1.html": ("http://www.example-ah.gov.cn/XxgkContent/showList/35/nb/page_1.html", HTML),
    "anhui/list_undeclared.html": ("http://www.example-ah.gov.cn/XxgkContent/showList/35/nb/page_1.html", HTML),
    "generic/list.html": ("http://www.example-gen.gov.cn/ndbg/list.jsp?cur_page=1", "text/html; charset=utf-8"),
    "generic/static.html": ("http://www.example-gen.gov.cn/zfxxgknb/index.html", "text/html; charset=utf-8"),
    "jpaas/column.html": ("http://www.example-jp.gov.cn/col/col1229561/index.html", "text/html; charset=utf-8"),
    "jpaas/column_nocount.html": ("http://www.example-jp.gov.cn/col/col1229570/index.html", "text/html; charset=utf-8"),
    "jpaas/api_page2.json": ("http://www.example-jp.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=3485&tplSetId=f6b2c1d0e9a84b7c&pageType=column&tagId=%E4%BF%A1%E6%81%AF%E5%88%97%E8%A1%A8&pageId=1229561&paramJson=%7B%22pageNo%22%3A2%2C%22pageSize%22%3A3%7D", "application/json;charset=UTF-8"),
    "jpaas/api_empty.json": ("http://www.example-jp.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=3485&tplSetId=x&pageType=column&tagId=&pageId=1&paramJson=%7B%22pageNo%22%3A2%2C%22pageSize%22%3A3%7D", "application/json;charset=UTF-8"),
    "ucap/column.html": ("http://www.example-ucap.gov.cn/lqx/c112233/zfxxgklby_nb.shtml", "text/html; charset=utf-8"),
    "ucap/column_literal.html": ("http://www.example-ucap.gov.cn/lqx/c112240/zfxxgklby_nb.shtml", "text/html; charset=utf-8"),
    "ucap/api_page1.json": ("http://www.example-ucap.gov.cn/common/search/0f2a7c9e4b1d4e3a8c6b5d4e3f2a1b0c?page=1&_pageSize=15&_isJson=true&_template=index", "application/json;charset=UTF-8"),
    "ilist/list_page1.html": ("http://www.example-il.gov.cn/info/iList.jsp?cat_id=10235", "text/html; charset=utf-8"),
    "ilist/list_nocount.html": ("http://www.example-il.gov.cn/info/iList.jsp?tm_id=7&cat_id=10240&cur_page=2", "text/html; charset=utf-8"),
    "xxgk/column.html": ("http://www.example-xxgk.gov.cn/col/col3105/index.html", "text/html; charset=utf-8"),
    "xxgk/search_page1.html": ("http://www.example-xxgk.gov.cn/module/xxgk/search.jsp?standardXxgk=1&isAllList=1&texttype=0&fbtime=-1&sortfield=,compaltedate:0&currpage=1", "text/html; charset=utf-8"),
    "xxgk/aggregator.html": ("http://www.example-xxgk.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=&fbtime=", "text/html; charset=utf-8"),
    "discovery/home.html": ("http://www.hljyy.gov.cn/", "text/html; charset=utf-8"),
    "discovery/gk.html": ("http://www.hljyy.gov.cn/zwgk/index.html", "text/html; charset=utf-8"),
    "discovery/column.html": ("http://www.hljyy.gov.cn/zwgk/zfxxgknb/index.html", "text/html; charset=utf-8"),
    "discovery/replace_shell.html": ("http://www.hljyy.gov.cn/zfxxgknb/", HTML),
    "discovery/refresh_shell.html": ("http://www.hljyy.gov.cn/zwgk/zfxxgknb/index.html", HTML),
    "discovery/window_shell.html": ("http://www.hljyy.gov.cn/zwgk/nb.html", HTML),
}

_CLASSES = {"text/html": HtmlResponse, "text/xml": XmlResponse, "application/json": TextResponse}


def url_of(name: str) -> str:
    """The URL fixture ``name`` (``"trs/column.html"``) is served from."""
    return PAGES[name][0]


def load(name: str, *, meta: dict | None = None, url: str | None = None, callback=None) -> Response:
    """A response for fixture ``name`` with its real URL and Content-Type; ``meta`` lands on its request."""
    page_url, content_type = PAGES[name]
    url = url or page_url
    cls = next(c for prefix, c in _CLASSES.items() if content_type.startswith(prefix))
    request = Request(url, meta=meta or {}, callback=callback)
    return cls(url=url, body=(FIXTURES / name).read_bytes(), headers={"Content-Type": content_type},
               request=request, status=200)
