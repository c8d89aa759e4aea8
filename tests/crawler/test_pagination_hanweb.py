from urllib.parse import parse_qs

import pytest

from crawler.pagination import adapter_for, hanweb
from tests.crawler.loader import load

SITE = "http://www.example-hw.gov.cn"


def _follow(max_pages=500):
    return hanweb.follow(load("hanweb/column.html"), 1, max_pages)


def _form(request) -> dict:
    return {k: v[0] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()}


def test_detects_datastore():
    assert hanweb.detect(load("hanweb/column.html"))


def test_detects_proxy_answer():
    assert hanweb.detect(load("hanweb/dataproxy.xml"))


def test_adapter_for_picks_hanweb():
    assert adapter_for(load("hanweb/column.html")) is hanweb


def test_embedded_record_count():
    assert len(hanweb.entries(load("hanweb/column.html"))) == 3


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/art/2023/1/20/art_1240_5678.html"),
    (0, "title", "城关镇2022年政府信息公开工作年度报告"),
    (0, "listed_date", "2023-01-20"),
    (2, "title", "东湖街道办事处2022年度政府信息公开工作报告"),
    (2, "listed_date", "2023-01-09"),
])
def test_embedded_entry_field(index, field, value):
    assert getattr(hanweb.entries(load("hanweb/column.html"))[index], field) == value


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/art/2022/1/18/art_1240_4012.html"),
    (1, "title", "西山乡2020年政府信息公开年报"),
    (1, "listed_date", "2021-01-25"),
])
def test_proxy_entry_field(index, field, value):
    assert getattr(hanweb.entries(load("hanweb/dataproxy.xml"))[index], field) == value


@pytest.mark.parametrize("key, value", [
    ("totalRecord", "100"), ("perPage", "15"), ("groupSize", "3"),
    ("proxyUrl", "/module/web/jpage/dataproxy.jsp"), ("unitid", "5678"), ("columnid", "1240"), ("webid", "7"),
])
def test_config_value(key, value):
    assert hanweb.config(load("hanweb/column.html"))[key] == value


def test_proxy_requests_are_posts():
    assert {r.method for r in _follow().requests} == {"POST"}


def test_proxy_record_ranges():
    urls = [r.url for r in _follow().requests]
    assert urls == [
        SITE + "/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=48&perpage=15",
        SITE + "/module/web/jpage/dataproxy.jsp?startrecord=49&endrecord=93&perpage=15",
        SITE + "/module/web/jpage/dataproxy.jsp?startrecord=94&endrecord=100&perpage=15",
    ]


@pytest.mark.parametrize("key, value", [
    ("col", "1"), ("appid", "1"), ("webid", "7"), ("path", "/"), ("columnid", "1240"), ("unitid", "5678"),
    ("webname", "某某县"), ("permissiontype", "0"),
])
def test_proxy_form_field(key, value):
    assert _form(_follow().requests[0])[key] == value


def test_proxy_referer_is_column():
    assert _follow().requests[0].headers[b"Referer"] == (SITE + "/col/col1240/index.html").encode()


def test_cap_limits_records():
    assert _follow(max_pages=2).requests[-1].url.endswith("endrecord=30&perpage=15")


def test_cap_is_reported():
    assert _follow(max_pages=2).capped


def test_proxy_answer_does_not_follow():
    assert hanweb.follow(load("hanweb/dataproxy.xml"), 1, 500).requests == []
