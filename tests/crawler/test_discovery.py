import pytest
from scrapy.http import HtmlResponse

from crawler.discovery import (Link, LinkKind, classify_link, is_attachment_url, is_column_page, page_documents,
                               page_links, redirect_target, same_site, title_verdict, viewed_document)
from tests.crawler.loader import load

SITE = "http://www.hljyy.gov.cn"


@pytest.mark.parametrize("text, url, kind", [
    ("政务公开", SITE + "/zwgk/index.html", LinkKind.GK_AREA),
    ("政府信息公开", SITE + "/xxgk/", LinkKind.GK_AREA),
    ("信息公开", SITE + "/a/b.html", LinkKind.GK_AREA),
    ("政府信息公开年报", SITE + "/zwgk/zfxxgknb/index.html", LinkKind.COLUMN),
    ("政府信息公开工作年度报告", SITE + "/c/index.html", LinkKind.COLUMN),
    ("年度报告", SITE + "/c/index.html", LinkKind.COLUMN),
    ("兴隆镇政府信息公开年报", SITE + "/xlz/nb/index.html", LinkKind.COLUMN),
    ("凤岗街道办事处政府信息公开工作年度报告", SITE + "/fg/nb/index.html", LinkKind.COLUMN),
    ("更多", SITE + "/zwgk/zfxxgknb_81503/", LinkKind.COLUMN),
    ("更多", SITE + "/xxgk/xxgknb/", LinkKind.COLUMN),
    ("2023年", SITE + "/col/col1200/index.html", LinkKind.GROUPING),
    ("2023年度", SITE + "/y/index.html", LinkKind.GROUPING),
    ("乡镇街道", SITE + "/x/index.html", LinkKind.GROUPING),
    ("乡镇", SITE + "/x/index.html", LinkKind.GROUPING),
    ("街道", SITE + "/x/index.html", LinkKind.GROUPING),
    ("兴隆镇", SITE + "/x/xlz/index.html", LinkKind.GROUPING),
    ("西山乡", SITE + "/x/xsx/index.html", LinkKind.GROUPING),
    ("凤岗街道办事处", SITE + "/x/fg/index.html", LinkKind.GROUPING),
    ("更多", SITE + "/zfxxgknb/xzjd/", LinkKind.GROUPING),
    ("更多", SITE + "/zwgk/zfxxgknb/index.html", LinkKind.COLUMN),
    ("更多", SITE + "/nb/xzjd/", LinkKind.GROUPING),
    ("兴隆镇2022年政府信息公开工作年度报告", SITE + "/a.html", LinkKind.REPORT),
    ("城关镇情况", SITE + "/art/2023/1/20/art_1240_5678.html", LinkKind.DETAIL),
    ("附件", SITE + "/module/download/downfile.jsp?classid=0&filename=a.docx", LinkKind.ATTACHMENT),
    ("新闻中心", SITE + "/xwzx/index.html", LinkKind.OTHER),
])
def test_classify_link(text, url, kind):
    assert classify_link(Link(url, text)) is kind


@pytest.mark.parametrize("title, verdict", [
    ("兴隆镇2022年政府信息公开工作年度报告", "report"),
    ("2022年度兴隆镇政府信息公开工作报告", "report"),
    ("兴隆镇政府信息公开年报", "report"),
    ("兴隆镇2022年政府信息公开工作年度报告（图片版）", "report"),
    ("图解：兴隆镇2022年政府信息公开工作年度报告", "lookalike"),
    ("《兴隆镇2022年政府信息公开工作年度报告》解读", "lookalike"),
    ("友谊县2022年度政府信息公开工作年度报告公布情况", "lookalike"),
    ("兴隆镇政府信息公开指南", "lookalike"),
    ("政府信息公开制度", "lookalike"),
    ("2023年政务公开工作要点", "lookalike"),
    ("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", "lookalike"),
    ("迎春镇关于秸秆禁烧的通告", "lookalike"),
    ("寺口镇便民服务中心办事指引", "lookalike"),
    ("兴隆镇人民政府", "ambiguous"),
    ("兴隆镇2022年度", "ambiguous"),
])
def test_title_verdict(title, verdict):
    assert title_verdict(title) == verdict


@pytest.mark.parametrize("url, expected", [
    ("http://a.gov.cn/P020230120382295081505.pdf", True),
    ("http://a.gov.cn/x/report.DOCX", True),
    ("http://a.gov.cn/x/report.wps", True),
    ("http://a.gov.cn/x/report.ofd", True),
    ("http://a.gov.cn/x/scan.jpg", True),
    ("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=1.docx", True),
    ("http://a.gov.cn/xxz/attachment/1/1117/1117295/9484570.pdf", True),
    ("http://a.gov.cn/x/t20230120_1.html", False),
    ("http://a.gov.cn/x/", False),
])
def test_is_attachment_url(url, expected):
    assert is_attachment_url(url) is expected


@pytest.mark.parametrize("url, allowed, expected", [
    (SITE + "/zwgk/", (), True),
    ("http://www.hljyy.gov.cn:80/zwgk/", (), True),
    ("https://www.hljyy.gov.cn/zwgk/", (), False),
    ("http://www.hljyy.gov.cn:8080/zwgk/", (), False),
    ("http://www.hljyy.gov.cn.example-mirror.com/zwgk/", (), False),
    ("http://xxgk.hljyy.gov.cn/nb/", ("hljyy.gov.cn",), True),
    ("http://evilhljyy.gov.cn/nb/", ("hljyy.gov.cn",), False),
])
def test_same_site(url, allowed, expected):
    assert same_site(url, SITE + "/", allowed) is expected


@pytest.mark.parametrize("fixture, target", [
    ("discovery/replace_shell.html", SITE + "/zwgk/zfxxgknb/index.html"),
    ("discovery/refresh_shell.html", SITE + "/zwgk/zfxxgknb_81503/index.html"),
    ("discovery/window_shell.html", SITE + "/zwgk/zfxxgknb/"),
    ("discovery/home.html", None),
])
def test_redirect_target(fixture, target):
    assert redirect_target(load(fixture)) == target


@pytest.mark.parametrize("fixture, expected", [
    ("discovery/column.html", True),
    ("trs/column.html", True),
    ("hanweb/column.html", True),
    ("discovery/home.html", False),
    ("discovery/gk.html", False),
])
def test_is_column_page(fixture, expected):
    assert is_column_page(load(fixture)) is expected


def test_page_links_drop_javascript():
    assert not any(link.url.startswith("javascript") for link in page_links(load("discovery/home.html")))


def test_home_reaches_gk_area():
    kinds = {link.url: classify_link(link) for link in page_links(load("discovery/home.html"))}
    assert kinds[SITE + "/zwgk/index.html"] is LinkKind.GK_AREA


def test_gk_area_reaches_column():
    kinds = {link.url: classify_link(link) for link in page_links(load("discovery/gk.html"))}
    assert kinds[SITE + "/zwgk/zfxxgknb/index.html"] is LinkKind.COLUMN


def test_gk_area_guide_is_not_column():
    kinds = {link.url: classify_link(link) for link in page_links(load("discovery/gk.html"))}
    assert kinds[SITE + "/zwgk/zfxxgkzn/index.html"] is not LinkKind.COLUMN


@pytest.mark.parametrize("path", ["2023/index.html", "2022n/index.html", "xzjd/index.html", "xzjd/xlz/index.html",
                                  "xzjd/fhjd/index.html"])
def test_column_groupings(path):
    kinds = {link.url: classify_link(link) for link in page_links(load("discovery/column.html"))}
    assert kinds[SITE + "/zwgk/zfxxgknb/" + path] in (LinkKind.GROUPING, LinkKind.COLUMN)


def test_department_group_is_not_grouping():
    kinds = {link.url: classify_link(link) for link in page_links(load("discovery/column.html"))}
    assert kinds[SITE + "/zwgk/zfxxgknb/bmnb/index.html"] not in (LinkKind.GROUPING, LinkKind.COLUMN)


# --- documents a report page embeds or shows through a web viewer ---------------------------

PAGE = SITE + "/zwgk/nb/202301/t20230120_1.html"
KK = "http://www.hljyy.gov.cn/preview/onlinePreview?url="


@pytest.mark.parametrize("url, expected", [
    (SITE + "/pdfjs/web/viewer.html?file=/uploads/2023/nb.pdf", SITE + "/uploads/2023/nb.pdf"),
    (SITE + "/pdfjs/web/viewer.html?file=%2Fuploads%2F2023%2Fnb.pdf#page=1", SITE + "/uploads/2023/nb.pdf"),
    (SITE + "/static/pdfjs/web/viewer.html?file=../../../files/nb.pdf", SITE + "/files/nb.pdf"),   # relative to the viewer
    (SITE + "/viewer.jsp?file=http%3A%2F%2Ffiles.hljyy.gov.cn%2Fa%2Fnb.ofd", "http://files.hljyy.gov.cn/a/nb.ofd"),
    (KK + "aHR0cDovL3d3dy5obGp5eS5nb3YuY24vZmlsZXMvbmIuZG9jeA%3D%3D", SITE + "/files/nb.docx"),      # base64, kkFileView
    (SITE + "/search?url=/zwgk/index.html", SITE + "/search?url=/zwgk/index.html"),          # not a file: as it is
    (SITE + "/pdfjs/web/viewer.html?file=", SITE + "/pdfjs/web/viewer.html?file="),
    (KK + "bm90IGEgdXJs", KK + "bm90IGEgdXJs"),                                                # base64, not a URL
])
def test_viewed_document(url, expected):
    assert viewed_document(url) == expected


def test_page_documents_embedded_and_viewed_once_each():
    body = f"""<html><body><h1>兴隆镇2022年政府信息公开工作年度报告</h1>
    <iframe src="/pdfjs/web/viewer.html?file=/uploads/nb.pdf" width="100%"></iframe>
    <a href="/pdfjs/web/viewer.html?file=/uploads/nb.pdf">在线预览</a> <a href="/uploads/nb.pdf">下载</a>
    <embed src="../files/nb.ofd" type="application/ofd"><object data="/files/nb2.pdf"></object>
    <a href="javascript:void(0)">打印</a> <a href="/zwgk/index.html">返回</a> <iframe src="/share.html"></iframe>
    </body></html>""".encode()
    response = HtmlResponse(PAGE, body=body, encoding="utf-8")
    assert [url for url, _ in page_documents(response)] == [
        SITE + "/uploads/nb.pdf", SITE + "/zwgk/nb/files/nb.ofd", SITE + "/files/nb2.pdf"]
