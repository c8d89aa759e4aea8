import pytest

from crawler.pagination import adapter_for, trs
from tests.crawler.loader import load

BASE = "http://www.hljyy.gov.cn/zwgk/zfxxgknb/xzjd/xlz/"


def test_detects_createpagehtml():
    assert trs.detect(load("trs/column.html"))


def test_adapter_for_picks_trs():
    assert adapter_for(load("trs/column.html")) is trs


@pytest.mark.parametrize("index, url", [
    (0, BASE + "202301/t20230120_123456.html"),
    (2, BASE + "202201/t20220118_112233.html"),
    (3, BASE + "P020210125556677889900.pdf"),
])
def test_entry_urls_are_absolute(index, url):
    assert trs.entries(load("trs/column.html"))[index].url == url


def test_entry_title_prefers_full_title_attribute():
    assert trs.entries(load("trs/column.html"))[0].title == "友谊县兴隆镇人民政府2022年政府信息公开工作年度报告"


@pytest.mark.parametrize("index, date", [(0, "2023-01-20"), (2, "2022-01-18"), (3, "2021-01-25")])
def test_entry_listed_date(index, date):
    assert trs.entries(load("trs/column.html"))[index].listed_date == date


def test_entries_skip_navigation():
    assert len(trs.entries(load("trs/column.html"))) == 4


def test_classic_next_pages():
    urls = [r.url for r in trs.follow(load("trs/column.html"), 1, 500).requests]
    assert urls == [BASE + "index_1.html", BASE + "index_2.html"]


def test_classic_next_page_numbers():
    assert [r.meta["nb_page"] for r in trs.follow(load("trs/column.html"), 1, 500).requests] == [2, 3]


def test_count_page_variable():
    follow = trs.follow(load("trs/column_countpage.html"), 1, 500)
    assert follow.requests[-1].url.endswith("/zwgk/zfxxgknb/index_16.html")


def test_count_page_total():
    assert trs.follow(load("trs/column_countpage.html"), 1, 500).total_pages == 17


def test_cap_cuts_pages():
    assert len(trs.follow(load("trs/column_countpage.html"), 1, 5).requests) == 4


def test_cap_is_reported():
    assert trs.follow(load("trs/column_countpage.html"), 1, 5).capped


def test_not_capped_below_limit():
    assert not trs.follow(load("trs/column.html"), 1, 500).capped


def test_later_pages_do_not_follow_again():
    assert trs.follow(load("trs/column.html"), 2, 500).requests == []


def test_newer_form_asks_both_page_two_names():
    urls = [r.url for r in trs.follow(load("trs/column_newer.html"), 1, 500).requests]
    assert urls[:2] == ["http://www.example-trs.gov.cn/zwgk/zfxxgknb/list_1.shtml",
                        "http://www.example-trs.gov.cn/zwgk/zfxxgknb/list_2.shtml"]


def test_newer_form_requests_are_speculative():
    assert all(r.meta["nb_speculative"] for r in trs.follow(load("trs/column_newer.html"), 1, 500).requests)


def test_newer_form_page_count():
    assert trs.follow(load("trs/column_newer.html"), 1, 500).total_pages == 10
