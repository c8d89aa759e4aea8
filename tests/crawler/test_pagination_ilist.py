from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.pagination import adapter_for, ilist
from tests.crawler.loader import load

SITE = "http://www.example-il.gov.cn"


def _follow(max_pages=500):
    return ilist.follow(load("ilist/list_page1.html"), 1, max_pages)


@pytest.mark.parametrize("name", ["ilist/list_page1.html", "ilist/list_nocount.html"])
def test_detects(name):
    assert ilist.detect(load(name))


@pytest.mark.parametrize("name", ["generic/list.html", "anhui/list_page1.html"])
def test_rejects_other_lists(name):
    assert not ilist.detect(load(name))


def test_adapter_for_picks_ilist():
    assert adapter_for(load("ilist/list_page1.html")) is ilist


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/info/10235/58812.htm"),
    (0, "title", "和平镇2023年政府信息公开工作年度报告"),
    (0, "listed_date", "2024-01-23"),
    (1, "title", "新华街道办事处2023年度政府信息公开工作报告"),
    (2, "url", SITE + "/upload/2023/ndbg_hpz_2022.pdf"),
    (2, "listed_date", "2023-01-19"),
])
def test_entry_field(index, field, value):
    assert getattr(ilist.entries(load("ilist/list_page1.html"))[index], field) == value


def test_entries_are_report_titles_and_files():
    """Notices on ``/info/`` pages are not article-shaped URLs to the crawler; only report titles and files count."""
    assert len(ilist.entries(load("ilist/list_page1.html"))) == 3


def test_page_count():
    assert _follow().total_pages == 3


def test_pages_requested():
    assert [r.url for r in _follow().requests] == [SITE + "/info/iList.jsp?cat_id=10235&cur_page=2",
                                                   SITE + "/info/iList.jsp?cat_id=10235&cur_page=3"]


def test_page_numbers():
    assert [r.meta["nb_page"] for r in _follow().requests] == [2, 3]


@pytest.mark.parametrize("url, page, expected", [
    ("http://x/info/iList.jsp?cat_id=1", 2, "http://x/info/iList.jsp?cat_id=1&cur_page=2"),
    ("http://x/info/iList.jsp?cur_page=1&cat_id=1", 5, "http://x/info/iList.jsp?cat_id=1&cur_page=5"),
    ("http://x/info/iList.jsp?tm_id=7&cat_id=&cur_page=2", 3, "http://x/info/iList.jsp?tm_id=7&cat_id=&cur_page=3"),
])
def test_page_url(url, page, expected):
    assert ilist.page_url(url, page) == expected


def test_cap_cuts_pages():
    assert len(_follow(max_pages=2).requests) == 1


def test_cap_is_reported():
    assert _follow(max_pages=2).capped


def test_later_pages_do_not_follow_again():
    assert ilist.follow(load("ilist/list_page1.html"), 2, 500).requests == []


def test_without_count_follows_next_link():
    follow = ilist.follow(load("ilist/list_nocount.html"), 2, 500)
    assert [parse_qs(urlsplit(r.url).query)["cur_page"] for r in follow.requests] == [["3"]]


def test_without_count_chain_capped():
    assert ilist.follow(load("ilist/list_nocount.html"), 2, 2).capped
