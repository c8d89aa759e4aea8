import json
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.pagination import adapter_for, jpaas
from tests.crawler.loader import load, url_of

SITE = "http://www.example-jp.gov.cn"
COLUMN = url_of("jpaas/column.html")


def _query(request) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query, keep_blank_values=True).items()}


def _follow(max_pages=500):
    return jpaas.follow(load("jpaas/column.html"), 1, max_pages)


def _api(name="jpaas/api_page2.json", data=None, chained=False):
    meta = {"nb_jpaas": data or {"pageSize": "3"}, "nb_speculative": chained}
    return load(name, meta=meta)


@pytest.mark.parametrize("name", ["jpaas/column.html", "jpaas/column_nocount.html", "jpaas/api_page2.json"])
def test_detects(name):
    assert jpaas.detect(load(name))


@pytest.mark.parametrize("name", ["hanweb/column.html", "trs/column.html", "generic/list.html"])
def test_rejects_other_families(name):
    assert not jpaas.detect(load(name))


@pytest.mark.parametrize("name", ["jpaas/column.html", "jpaas/api_page2.json"])
def test_adapter_for_picks_jpaas(name):
    assert adapter_for(load(name)) is jpaas


@pytest.mark.parametrize("key, value", [
    ("webId", "3485"), ("tplSetId", "f6b2c1d0e9a84b7c"), ("pageType", "column"), ("tagId", "信息列表"),
    ("pageId", "1229561"), ("pageSize", "3"), ("total", "11"),
])
def test_query_data_json(key, value):
    assert jpaas.query_data(load("jpaas/column.html"))[key] == value


@pytest.mark.parametrize("key, value", [("webId", "3485"), ("tagId", "当前栏目list"), ("pageSize", "2"), ("pageId", "1229570")])
def test_query_data_js_object_and_page_id_from_url(key, value):
    assert jpaas.query_data(load("jpaas/column_nocount.html"))[key] == value


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/art/2024/art_3f1c0e7a9b2d4c6e8f0a1b2c3d4e5f60.html"),
    (0, "title", "某某县城关镇人民政府2023年政府信息公开工作年度报告"),
    (0, "listed_date", "2024-01-19"),
    (1, "listed_date", "2024-01-12"),
])
def test_column_entry_field(index, field, value):
    assert getattr(jpaas.entries(load("jpaas/column.html"))[index], field) == value


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/art/2023/art_7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f.html"),
    (1, "title", "溪口乡2022年政府信息公开工作年度报告"),
    (1, "listed_date", "2023-02-21"),
    (2, "url", SITE + "/art/2022/art_9e3f4a5b6c7d8e9f0a1b2c3d4e5f6071.html"),
])
def test_api_entry_field(index, field, value):
    assert getattr(jpaas.entries(_api())[index], field) == value


def test_api_entry_count():
    assert len(jpaas.entries(_api())) == 3


def test_failed_api_answer_has_no_entries():
    assert jpaas.entries(_api("jpaas/api_empty.json")) == []


def test_page_count_from_total_and_page_size():
    assert _follow().total_pages == 4


def test_api_pages_requested():
    assert [json.loads(_query(r)["paramJson"])["pageNo"] for r in _follow().requests] == [2, 3, 4]


@pytest.mark.parametrize("key, value", [
    ("parseType", "bulidstatic"), ("webId", "3485"), ("tplSetId", "f6b2c1d0e9a84b7c"), ("pageType", "column"),
    ("tagId", "信息列表"), ("pageId", "1229561"), ("paramJson", '{"pageNo":2,"pageSize":3}'),
])
def test_api_query_parameter(key, value):
    assert _query(_follow().requests[0])[key] == value


def test_api_path():
    assert urlsplit(_follow().requests[0].url).path == "/api-gateway/jpaas-publish-server/front/page/build/unit"


def test_api_request_referer_is_column():
    assert _follow().requests[0].headers[b"Referer"] == COLUMN.encode()


def test_api_request_page_numbers():
    assert [r.meta["nb_page"] for r in _follow().requests] == [2, 3, 4]


def test_cap_cuts_pages():
    assert len(_follow(max_pages=2).requests) == 1


def test_cap_is_reported():
    assert _follow(max_pages=2).capped


def test_counted_pages_do_not_chain():
    assert jpaas.follow(_api(), 2, 500).requests == []


def test_unknown_count_asks_page_two():
    follow = jpaas.follow(load("jpaas/column_nocount.html"), 1, 500)
    assert [(json.loads(_query(r)["paramJson"])["pageNo"], r.meta["nb_speculative"]) for r in follow.requests] == [(2, True)]


def test_chained_full_page_asks_the_next():
    follow = jpaas.follow(_api(chained=True), 2, 500)
    assert json.loads(_query(follow.requests[0])["paramJson"]) == {"pageNo": 3, "pageSize": 3}


def test_chained_short_page_stops():
    assert jpaas.follow(_api(data={"pageSize": "15"}, chained=True), 2, 500).requests == []


def test_chain_cap_is_reported():
    assert jpaas.follow(_api(chained=True), 5, 5).capped
