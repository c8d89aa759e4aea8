import pytest

from crawler.pagination import adapter_for, anhui
from tests.crawler.loader import load

SITE = "http://www.example-ah.gov.cn"


def test_detects_by_url():
    assert anhui.detect(load("anhui/list_page1.html"))


def test_adapter_for_picks_anhui():
    assert adapter_for(load("anhui/list_page1.html")) is anhui


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/XxgkAnnualReport/show/2871234.html"),
    (0, "title", "岗集镇2022年政府信息公开工作年度报告"),
    (1, "listed_date", "2023-01-12"),
])
def test_entry_field(index, field, value):
    assert getattr(anhui.entries(load("anhui/list_page1.html"))[index], field) == value


def test_declared_gb2312_decodes_as_gb18030():
    assert load("anhui/list_page1.html").encoding == "gb18030"


def test_page_count_from_pager_text():
    assert anhui.page_count(load("anhui/list_page1.html")) == 4


def test_next_pages():
    urls = [r.url for r in anhui.follow(load("anhui/list_page1.html"), 1, 500).requests]
    assert urls == [f"{SITE}/XxgkContent/showList/35/nb/page_{n}.html" for n in (2, 3, 4)]


def test_cap():
    assert anhui.follow(load("anhui/list_page1.html"), 1, 3).capped
