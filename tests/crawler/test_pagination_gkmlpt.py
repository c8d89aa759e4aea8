import pytest

from crawler.pagination import adapter_for, gkmlpt
from tests.crawler.loader import load

SITE = "http://www.example-gd.gov.cn"


def test_detects_shell():
    assert gkmlpt.detect(load("gkmlpt/index.html"))


def test_detects_api_answer():
    assert gkmlpt.detect(load("gkmlpt/api_page1.json"))


def test_adapter_for_picks_gkmlpt():
    assert adapter_for(load("gkmlpt/index.html")) is gkmlpt


def test_shell_has_no_entries():
    assert gkmlpt.entries(load("gkmlpt/index.html")) == []


def test_categories_from_tree():
    assert gkmlpt.categories(load("gkmlpt/index.html")) == ["2118", "2121"]


def test_categories_from_fragment():
    assert gkmlpt.categories(load("gkmlpt/index.html", url=SITE + "/xxz/gkmlpt/index#2200")) == ["2200"]


def test_shell_follows_api_page_one():
    urls = [r.url for r in gkmlpt.follow(load("gkmlpt/index.html"), 1, 500).requests]
    assert urls == [SITE + "/xxz/gkmlpt/api/all/2118?page=1&sid=xxz", SITE + "/xxz/gkmlpt/api/all/2121?page=1&sid=xxz"]


@pytest.mark.parametrize("index, field, value", [
    (0, "url", SITE + "/xxz/gkmlpt/content/9/9484/post_9484570.html"),
    (0, "title", "某某镇2023年政府信息公开工作年度报告"),
    (0, "attachments", (SITE + "/xxz/attachment/1/1117/1117295/9484570.pdf",)),
    (0, "listed_date", "2024-01-22"),  # epoch seconds, China time
    (1, "listed_date", "2023-01-19"),
    (1, "attachments", ()),
])
def test_api_entry_field(index, field, value):
    assert getattr(gkmlpt.entries(load("gkmlpt/api_page1.json"))[index], field) == value


def test_api_page_one_follows_rest():
    urls = [r.url for r in gkmlpt.follow(load("gkmlpt/api_page1.json"), 1, 500).requests]
    assert urls == [SITE + "/xxz/gkmlpt/api/all/2118?page=2&sid=xxz", SITE + "/xxz/gkmlpt/api/all/2118?page=3&sid=xxz"]


def test_pages_past_one_are_speculative():
    assert all(r.meta["nb_speculative"] for r in gkmlpt.follow(load("gkmlpt/api_page1.json"), 1, 500).requests)


def test_cap():
    assert gkmlpt.follow(load("gkmlpt/api_page1.json"), 1, 2).capped


def test_later_api_pages_do_not_follow():
    assert gkmlpt.follow(load("gkmlpt/api_page1.json"), 2, 500).requests == []
