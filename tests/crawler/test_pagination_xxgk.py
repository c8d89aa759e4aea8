from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.pagination import adapter_for, xxgk
from tests.crawler.loader import load, url_of

SITE = "http://www.example-xxgk.gov.cn"
FORM = b"infotypeId=B0501&jdid=42&area=&divid=div3105&vc_title=&vc_number="


def _form(request) -> dict:
    return {k: v[0] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()}


def _query(request) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query, keep_blank_values=True).items()}


def _answer():
    """The search answer as the crawler receives it: fetched by a POST of the column's form."""
    response = load("xxgk/search_page1.html")
    response.request = response.request.replace(method="POST", body=FORM,
                                                headers={"Referer": url_of("xxgk/column.html")})
    return response


def _column_follow():
    return xxgk.follow(load("xxgk/column.html"), 1, 500)


@pytest.mark.parametrize("name", ["xxgk/column.html", "xxgk/search_page1.html", "xxgk/aggregator.html"])
def test_detects(name):
    assert xxgk.detect(load(name))


@pytest.mark.parametrize("name", ["hanweb/column.html", "trs/column.html", "generic/list.html"])
def test_rejects_other_families(name):
    assert not xxgk.detect(load(name))


@pytest.mark.parametrize("name", ["xxgk/column.html", "xxgk/search_page1.html", "xxgk/aggregator.html"])
def test_adapter_for_picks_xxgk(name):
    assert adapter_for(load(name)) is xxgk


def test_column_page_has_no_entries_of_its_own():
    assert xxgk.entries(load("xxgk/column.html")) == []


def test_site_search_box_without_category_is_not_xxgk():
    column = load("xxgk/column.html")
    assert not xxgk.detect(column.replace(body=column.body.replace(b'value="B0501"', b'value=""')))


def test_column_posts_search_page_one():
    assert [(r.method, _query(r)["currpage"]) for r in _column_follow().requests] == [("POST", "1")]


@pytest.mark.parametrize("key, value", [("standardXxgk", "1"), ("fbtime", "-1"), ("sortfield", ",compaltedate:0")])
def test_column_search_keeps_action_query(key, value):
    assert _query(_column_follow().requests[0])[key] == value


@pytest.mark.parametrize("key, value", [("infotypeId", "B0501"), ("jdid", "42"), ("area", ""), ("divid", "div3105")])
def test_column_search_form_field(key, value):
    assert _form(_column_follow().requests[0])[key] == value


def test_column_search_form_leaves_currpage_to_the_url():
    assert "currpage" not in _form(_column_follow().requests[0])


def test_column_search_referer():
    assert _column_follow().requests[0].headers[b"Referer"] == url_of("xxgk/column.html").encode()


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/art/2024/1/18/art_3105_88121.html"),
    (0, "title", "城南街道办事处2023年政府信息公开工作年度报告"),
    (0, "listed_date", "2024-01-18"),
    (2, "listed_date", "2023-12-18"),
])
def test_search_entry_field(index, field, value):
    assert getattr(xxgk.entries(_answer())[index], field) == value


def test_search_pages_requested():
    assert [_query(r)["currpage"] for r in xxgk.follow(_answer(), 1, 500).requests] == ["2", "3", "4"]


def test_search_pages_are_posts_with_the_same_form():
    assert {tuple(sorted(_form(r).items())) for r in xxgk.follow(_answer(), 1, 500).requests} == {
        tuple(sorted(_form(_answer().request).items()))}


def test_search_page_total():
    assert xxgk.follow(_answer(), 1, 500).total_pages == 4


def test_search_cap_is_reported():
    assert xxgk.follow(_answer(), 1, 2).capped


def test_search_later_pages_do_not_follow():
    assert xxgk.follow(_answer(), 2, 500).requests == []


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/art/2024/1/18/art_3106_88121.html"),
    (1, "title", "白河镇2023年政府信息公开工作年度报告"),
    (1, "listed_date", "2024-02-26"),
])
def test_aggregator_entry_field(index, field, value):
    assert getattr(xxgk.entries(load("xxgk/aggregator.html"))[index], field) == value


def test_aggregator_asks_every_offered_year():
    requests = xxgk.follow(load("xxgk/aggregator.html"), 1, 500).requests
    assert [(_query(r)["area"], _query(r)["fbtime"]) for r in requests] == [("", "2024"), ("", "2023"), ("", "2022"), ("", "2021")]


def test_aggregator_years_are_gets():
    assert {r.method for r in xxgk.follow(load("xxgk/aggregator.html"), 1, 500).requests} == {"GET"}


def test_aggregator_cap_is_reported():
    assert xxgk.follow(load("xxgk/aggregator.html"), 1, 3).capped
