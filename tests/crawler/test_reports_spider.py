"""The reports spider on saved pages: which requests and items each callback yields."""

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.items import DocumentItem, ProblemItem
from crawler.spiders.reports import ReportsSpider
from tests.crawler.loader import load, url_of

HOME = "http://www.hljyy.gov.cn/"
SEED = {"seed_url": HOME, "portal_id": 7, "depth": 0}


def spider(**settings) -> ReportsSpider:
    crawler = get_crawler(ReportsSpider, settings)
    return ReportsSpider.from_crawler(crawler, seeds=[{"portal_id": 7, "url": HOME}])


def column_ctx(name: str, seed: str = HOME, **extra) -> dict:
    return {"seed_url": seed, "portal_id": 7, "depth": 0, "column_url": url_of(name), "group_depth": 0, "page": 1, **extra}


def run(callback_name: str, name: str, meta: dict, **settings) -> list:
    s = spider(**settings)
    return list(getattr(s, callback_name)(load(name, meta={"nb": meta})))


def requests(out) -> dict[str, Request]:
    return {r.url: r for r in out if isinstance(r, Request)}


def items(out, cls):
    return [i for i in out if isinstance(i, cls)]


# --- seeds and discovery -------------------------------------------------------------

def test_home_seed_goes_to_gk_area():
    assert requests(run("parse_seed", "discovery/home.html", SEED))[HOME + "zwgk/index.html"].callback.__name__ == "parse_discover"


def test_home_seed_never_follows_mirror():
    assert not any("mirror" in url for url in requests(run("parse_seed", "discovery/home.html", SEED)))


def test_gk_area_depth_grows():
    assert requests(run("parse_seed", "discovery/home.html", SEED))[HOME + "zwgk/index.html"].meta["nb"]["depth"] == 1


def test_discovery_depth_bound():
    out = run("parse_discover", "discovery/home.html", {**SEED, "depth": 3}, NIANBAO_DISCOVERY_DEPTH=4)
    assert HOME + "zwgk/index.html" not in requests(out)


def test_gk_area_leads_to_column():
    req = requests(run("parse_discover", "discovery/gk.html", {**SEED, "depth": 1}))[HOME + "zwgk/zfxxgknb/index.html"]
    assert req.callback.__name__ == "parse_column"


@pytest.mark.parametrize("fixture, target", [
    ("discovery/replace_shell.html", HOME + "zwgk/zfxxgknb/index.html"),
    ("discovery/window_shell.html", HOME + "zwgk/zfxxgknb/"),
])
def test_redirect_shell_followed(fixture, target):
    assert list(requests(run("parse_seed", fixture, SEED))) == [target]


def test_redirect_off_site_is_a_problem():
    meta = {"nb": SEED, "redirect_urls": [HOME + "zwgk/"]}
    out = list(spider().parse_seed(load("discovery/gk.html", meta=meta, url="http://spam.example.com/zwgk/index.html")))
    assert [i.reason for i in items(out, ProblemItem)] == [f"redirected off-site from {HOME}zwgk/"]


def test_redirect_off_site_followed_no_further():
    meta = {"nb": SEED, "redirect_urls": [HOME + "zwgk/"]}
    out = list(spider().parse_seed(load("discovery/gk.html", meta=meta, url="http://spam.example.com/zwgk/index.html")))
    assert requests(out) == {}


def test_column_seed_detected_by_column_type_meta():
    out = run("parse_seed", "trs/column.html", {**SEED})
    assert requests(out)[HOME + "zwgk/zfxxgknb/xzjd/xlz/202301/t20230120_123456.html"].callback.__name__ == "parse_detail"


# --- a 年报 column -------------------------------------------------------------------------

COLUMN = HOME + "zwgk/zfxxgknb/"


@pytest.mark.parametrize("path", ["2023/index.html", "2022n/index.html", "xzjd/index.html", "xzjd/xlz/index.html",
                                  "xzjd/fhjd/index.html"])
def test_column_follows_grouping(path):
    req = requests(run("parse_column", "discovery/column.html", column_ctx("discovery/column.html")))[COLUMN + path]
    assert req.meta["nb"]["group_depth"] == 1


def test_column_skips_department_group():
    assert COLUMN + "bmnb/index.html" not in requests(run("parse_column", "discovery/column.html", column_ctx("discovery/column.html")))


@pytest.mark.parametrize("path", ["202402/t20240201_500000.html", "202402/t20240220_500002.html"])
def test_column_skips_lookalikes(path):
    assert COLUMN + path not in requests(run("parse_column", "discovery/column.html", column_ctx("discovery/column.html")))


def test_column_keeps_county_report_for_parsing_to_classify():
    assert COLUMN + "202403/t20240329_500001.html" in requests(run("parse_column", "discovery/column.html", column_ctx("discovery/column.html")))


def test_grouping_depth_bound():
    out = run("parse_column", "discovery/column.html", column_ctx("discovery/column.html", group_depth=4), NIANBAO_DISCOVERY_DEPTH=4)
    assert COLUMN + "xzjd/index.html" not in requests(out)


TRS = "http://www.hljyy.gov.cn/zwgk/zfxxgknb/xzjd/xlz/"


@pytest.mark.parametrize("field, value", [
    ("title", "友谊县兴隆镇人民政府2022年政府信息公开工作年度报告"),
    ("listed_date", "2023-01-20"),
    ("column_url", TRS + "index.html"),
    ("portal_id", 7),
])
def test_detail_request_carries(field, value):
    out = run("parse_column", "trs/column.html", column_ctx("trs/column.html"))
    assert requests(out)[TRS + "202301/t20230120_123456.html"].meta["nb"][field] == value


def test_trs_tujie_skipped():
    assert TRS + "202301/t20230121_123470.html" not in requests(run("parse_column", "trs/column.html", column_ctx("trs/column.html")))


def test_listed_pdf_fetched_as_attachment():
    out = run("parse_column", "trs/column.html", column_ctx("trs/column.html"))
    assert requests(out)[TRS + "P020210125556677889900.pdf"].callback.__name__ == "parse_attachment"


def test_next_pages_requested_with_page_number():
    out = run("parse_column", "trs/column.html", column_ctx("trs/column.html"))
    assert requests(out)[TRS + "index_2.html"].meta["nb"]["page"] == 3


def test_next_pages_only_from_first_page():
    out = run("parse_column", "trs/column.html", column_ctx("trs/column.html", page=2))
    assert TRS + "index_1.html" not in requests(out)


def test_pagination_cap_recorded_as_problem():
    ctx = column_ctx("trs/column_countpage.html", seed="http://www.example-trs.gov.cn/")
    out = run("parse_column", "trs/column_countpage.html", ctx, NIANBAO_MAX_LIST_PAGES=3)
    assert "pagination cap of 3 pages hit" in items(out, ProblemItem)[0].reason


def test_hanweb_proxy_posts_come_back_to_parse_column():
    out = run("parse_column", "hanweb/column.html", column_ctx("hanweb/column.html", seed="http://www.example-hw.gov.cn/"))
    posts = [r for r in requests(out).values() if r.method == "POST"]
    assert {r.callback.__name__ for r in posts} == {"parse_column"}


def test_gkmlpt_attachment_json_requested_with_parent():
    out = run("parse_column", "gkmlpt/api_page1.json", column_ctx("gkmlpt/api_page1.json", seed="http://www.example-gd.gov.cn/"))
    req = requests(out)["http://www.example-gd.gov.cn/xxz/attachment/1/1117/1117295/9484570.pdf"]
    assert req.meta["nb"]["parent_url"] == "http://www.example-gd.gov.cn/xxz/gkmlpt/content/9/9484/post_9484570.html"


def test_empty_list_is_a_problem():
    out = run("parse_column", "discovery/gk.html", column_ctx("discovery/gk.html", page=2))
    assert "yielded zero entries" in items(out, ProblemItem)[0].reason


# --- report pages and attachments --------------------------------------------------------

DETAIL = url_of("trs/detail.html")


def detail_out(capture=None):
    meta = {"nb": {**column_ctx("trs/column.html"), "title": "兴隆镇2022年年报", "listed_date": "2023-01-20"}}
    if capture:
        meta["capture"] = capture
    return list(spider().parse_detail(load("trs/detail.html", meta=meta)))


@pytest.mark.parametrize("field, value", [
    ("url", DETAIL), ("kind", "page"), ("title", "兴隆镇2022年年报"), ("listed_date", "2023-01-20"),
    ("column_url", TRS + "index.html"), ("portal_id", 7), ("seed_url", HOME), ("capture_id", None),
])
def test_detail_document_field(field, value):
    assert getattr(items(detail_out(), DocumentItem)[0], field) == value


def test_capture_id_from_meta():
    capture = {"capture_id": 42, "record_id": "<urn:uuid:x>", "warc_file": "a.warc.gz"}
    assert items(detail_out(capture), DocumentItem)[0].capture_id == 42


def test_attachments_requested_by_href():
    assert set(requests(detail_out())) == {TRS + "202301/P020230120382295081505.pdf", TRS + "202301/P020230120382295081506.docx"}


def test_oldsrc_kept_as_fallback():
    req = requests(detail_out())[TRS + "202301/P020230120382295081505.pdf"]
    assert req.meta["nb"]["fallback_url"] == "http://www.hljyy.gov.cn/protect/P0202301/P020230120/P020230120382295081505.pdf"


def test_attachment_parent_is_report_page():
    assert requests(detail_out())[TRS + "202301/P020230120382295081505.pdf"].meta["nb"]["parent_url"] == DETAIL


def test_attachment_document():
    meta = {"nb": {**column_ctx("trs/column.html"), "parent_url": DETAIL, "title": "年报.pdf"}}
    response = Response(TRS + "202301/P020230120382295081505.pdf", body=b"%PDF-1.4", request=Request(TRS, meta=meta))
    item = list(spider().parse_attachment(response))[0]
    assert (item.kind, item.parent_url) == ("attachment", DETAIL)


def test_hanweb_downfile_is_attachment():
    out = list(spider().parse_detail(load("hanweb/detail.html", meta={"nb": column_ctx("hanweb/detail.html", seed="http://www.example-hw.gov.cn/")})))
    assert "http://www.example-hw.gov.cn/module/download/downfile.jsp?classid=0&filename=2301201030123456.docx" in requests(out)


# --- errors --------------------------------------------------------------------------------

def failure_of(request: Request, exc: Exception) -> Failure:
    failure = Failure(exc)
    failure.request = request
    return failure


def http_error(url: str, status: int, meta: dict) -> Failure:
    request = Request(url, meta=meta)
    return failure_of(request, HttpError(Response(url, status=status, request=request)))


def test_href_failure_tries_oldsrc():
    s = spider()
    meta = {"nb": {**SEED, "fallback_url": HOME + "protect/a.pdf"}}
    out = list(s.on_error(http_error(HOME + "a.pdf", 404, meta)))
    assert [r.url for r in out] == [HOME + "protect/a.pdf"]


def test_speculative_404_is_quiet():
    out = list(spider().on_error(http_error(HOME + "list_1.shtml", 404, {"nb": SEED, "nb_speculative": True})))
    assert out == []


@pytest.mark.parametrize("field, value", [("url", HOME + "gone.html"), ("status", 404), ("reason", "HTTP 404"), ("seed_url", HOME)])
def test_http_error_problem_field(field, value):
    out = list(spider().on_error(http_error(HOME + "gone.html", 404, {"nb": SEED})))
    assert getattr(out[0], field) == value


def test_dns_error_problem():
    failure = failure_of(Request("http://nowhere.invalid/", meta={"nb": SEED}), DNSLookupError("nowhere.invalid"))
    assert list(spider().on_error(failure))[0].reason.startswith("DNS lookup failed")


def test_file_shown_in_a_viewer_iframe_is_fetched_as_attachment():
    body = ('<html><head><meta name="ArticleTitle" content="兴隆镇2022年政府信息公开工作年度报告"></head><body>'
            '<iframe src="/pdfjs/web/viewer.html?file=%2Fuploads%2F2023%2Fnb.pdf"></iframe></body></html>').encode()
    meta = {"nb": {**column_ctx("trs/column.html"), "title": "兴隆镇2022年年报"}}
    response = HtmlResponse(DETAIL, body=body, encoding="utf-8", request=Request(DETAIL, meta=meta))
    req = requests(spider().parse_detail(response))["http://www.hljyy.gov.cn/uploads/2023/nb.pdf"]
    assert (req.callback.__name__, req.meta["nb"]["parent_url"]) == ("parse_attachment", DETAIL)
