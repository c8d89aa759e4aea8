from crawler.pagination import adapter_for, generic
from tests.crawler.loader import load

SITE = "http://www.example-gen.gov.cn"


def test_adapter_for_falls_back_to_generic():
    assert adapter_for(load("generic/list.html")) is generic


def test_entries_keep_report_titles():
    assert [e.url for e in generic.entries(load("generic/list.html"))] == [SITE + "/info/1001/20230.htm"]


def test_entry_date_chinese_form():
    assert generic.entries(load("generic/list.html"))[0].listed_date == "2023-01-16"


def test_next_link_followed():
    assert [r.url for r in generic.follow(load("generic/list.html"), 1, 500).requests] == [SITE + "/ndbg/list.jsp?cur_page=2"]


def test_next_link_page_number():
    assert generic.follow(load("generic/list.html"), 4, 500).requests[0].meta["nb_page"] == 5


def test_next_link_capped():
    assert generic.follow(load("generic/list.html"), 500, 500).capped


def test_index_n_links():
    urls = [r.url for r in generic.follow(load("generic/static.html"), 1, 500).requests]
    assert urls == [SITE + "/zfxxgknb/index_1.html", SITE + "/zfxxgknb/index_2.html"]


def test_index_n_capped():
    assert generic.follow(load("generic/static.html"), 1, 2).capped
