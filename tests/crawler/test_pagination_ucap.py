from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.pagination import adapter_for, ucap
from tests.crawler.loader import load

SITE = "http://www.example-ucap.gov.cn"
CHANNEL = "0f2a7c9e4b1d4e3a8c6b5d4e3f2a1b0c"


def _query(request) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def _api_follow(max_pages=500):
    return ucap.follow(load("ucap/api_page1.json"), 1, max_pages)


@pytest.mark.parametrize("name", ["ucap/column.html", "ucap/column_literal.html", "ucap/api_page1.json"])
def test_detects(name):
    assert ucap.detect(load(name))


@pytest.mark.parametrize("name", ["hanweb/column.html", "trs/column.html", "gkmlpt/api_page1.json"])
def test_rejects_other_families(name):
    assert not ucap.detect(load(name))


@pytest.mark.parametrize("name", ["ucap/column.html", "ucap/api_page1.json"])
def test_adapter_for_picks_ucap(name):
    assert adapter_for(load(name)) is ucap


@pytest.mark.parametrize("name, channel", [
    ("ucap/column.html", CHANNEL), ("ucap/column_literal.html", "5b6c7d8e9f0a4b1c8d2e3f4a5b6c7d8e"),
])
def test_channel(name, channel):
    assert ucap.channel(load(name)) == channel


def test_column_page_has_no_entries_of_its_own():
    assert ucap.entries(load("ucap/column.html")) == []


def test_column_page_asks_api_page_one():
    requests = ucap.follow(load("ucap/column.html"), 1, 500).requests
    assert [r.url for r in requests] == [SITE + f"/common/search/{CHANNEL}?page=1&_pageSize=15&_isJson=true&_template=index"]


def test_column_request_page_number():
    assert ucap.follow(load("ucap/column.html"), 1, 500).requests[0].meta["nb_page"] == 1


def test_entries_skip_results_without_url():
    assert len(ucap.entries(load("ucap/api_page1.json"))) == 3


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/lqx/c112233/202401/6f1e2d3c4b5a49788796a5b4c3d2e1f0.shtml"),
    (0, "title", "城关街道办事处2023年政府信息公开工作年度报告"),
    (0, "listed_date", "2024-01-18"),
    (1, "url", SITE + "/lqx/c112233/202402/7a2b3c4d5e6f40718293a4b5c6d7e8f9.shtml"),
    (1, "title", "东城镇2023年政府信息公开工作年度报告"),
    (1, "listed_date", "2024-02-05"),
])
def test_api_entry_field(index, field, value):
    assert getattr(ucap.entries(load("ucap/api_page1.json"))[index], field) == value


def test_page_count_from_total():
    assert _api_follow().total_pages == 4


def test_api_pages_requested():
    assert [_query(r)["page"] for r in _api_follow().requests] == ["2", "3", "4"]


@pytest.mark.parametrize("key, value", [("_pageSize", "15"), ("_isJson", "true"), ("_template", "index")])
def test_api_query_parameter(key, value):
    assert _query(_api_follow().requests[0])[key] == value


def test_api_path_keeps_channel():
    assert urlsplit(_api_follow().requests[0].url).path == f"/common/search/{CHANNEL}"


def test_api_page_numbers():
    assert [r.meta["nb_page"] for r in _api_follow().requests] == [2, 3, 4]


def test_cap_cuts_pages():
    assert len(_api_follow(max_pages=3).requests) == 2


def test_cap_is_reported():
    assert _api_follow(max_pages=3).capped


def test_later_api_pages_do_not_follow():
    assert ucap.follow(load("ucap/api_page1.json"), 2, 500).requests == []
