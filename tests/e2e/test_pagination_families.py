"""The demo portal's further CMS families end to end: reports only an adapter can reach, found by a crawl.

For each family a row names the pages a browser-less reader sees without
the adapter (the column's own HTML) and which report URLs belong to that
family; every report of the family *not* linked from those pages is only
reachable through the adapter's requests (JSON API, POST, ``cur_page``,
``list_k``, aggregator years). The crawl of the four counties must store
them all.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from sqlmodel import select

from crawler.models import CrawlProblem, Document
from crawler.run import run_crawl
from nianbao.config import load_settings
from nianbao.db import connect, session
from nianbao.demo_portal import DemoPortal
from nianbao.registry import Portal, import_registry

pytestmark = pytest.mark.slow

# (family, county, pages readable without the adapter, pattern of the family's report URLs)
FAMILIES = (
    ("jpaas", "桦南县", ["/col/col1229561/index.html"], r"/art/\d{4}/art_[0-9a-f]{32}\.html$"),
    ("ucap", "临朐县", ["/lqx/c112233/zfxxgklby_nb.shtml"], r"/lqx/c112233/\d{6}/[0-9a-f]{32}\.shtml$"),
    ("ilist", "依兰县", ["/info/iList.jsp?cat_id=10235"], r"/info/10235/\d+\.htm$"),
    ("trs-newer", "依兰县", ["/zwgk/xzjdnb/list.shtml"], r"/zwgk/xzjdnb/\d{6}/t\d{8}_\d+\.shtml$"),
    ("xxgk-search", "莱阳市", ["/col/col3105/index.html"], r"/art_3105_\d+\.html$"),
    ("xxgk-aggregator", "莱阳市", ["/module/xxgk/xxgkAnnualReport.jsp?area=&fbtime="], r"/art_3106_\d+\.html$"),
)
COUNTIES = sorted({row[1] for row in FAMILIES})


def fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One crawl of the four counties (registry seeds: home pages, the iList column), politeness off."""
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("families"), download_delay=0,
                             autothrottle=False, download_timeout=10)
    engine = connect(settings.db_url)
    with DemoPortal() as portal:
        with session(engine) as s:
            import_registry(s, portal.registry_csv())
        bases = {portal.counties[c] for c in COUNTIES}
        with session(engine) as s:
            seeds = [{"portal_id": p.id, "url": p.url} for p in s.exec(select(Portal))
                     if any(p.url.startswith(b) for b in bases)]
        run = run_crawl(settings, seeds, engine=engine)
        static = {row[0]: _linked(portal.counties[row[1]], row[2]) for row in FAMILIES}
        truth = portal.truth()
    with session(engine) as s:
        docs = {d.url for d in s.exec(select(Document))}
        problems = [(p.url, p.reason) for p in s.exec(select(CrawlProblem))]
    return dict(run=run, truth=truth, static=static, docs=docs, problems=problems, seeds=seeds)


def _linked(base: str, paths: list[str]) -> set[str]:
    """Absolute URLs linked from ``paths`` as served (no script run, no POST)."""
    found = set()
    for path in paths:
        status, body = fetch(base.rstrip("/") + path)
        assert status == 200, path
        page_dir = (base.rstrip("/") + path.split("?")[0]).rsplit("/", 1)[0] + "/"
        for href in re.findall(r'href="([^"]+)"', body.decode("utf-8")):
            found.add(urllib.request.urljoin(page_dir if href.startswith("./") else base, href))
    return found


def _adapter_only(crawl, family: str) -> list[dict]:
    _, county, _, pattern = next(row for row in FAMILIES if row[0] == family)
    return [r for r in crawl["truth"] if r["county"] == county and r["url"] and re.search(pattern, r["url"])
            and r["url"] not in crawl["static"][family]]


def test_crawl_ok(crawl):
    assert (crawl["run"].status, len(crawl["seeds"])) == ("ok", len(COUNTIES))


def test_crawl_records_no_problems(crawl):
    assert crawl["problems"] == []


@pytest.mark.parametrize("family", [row[0] for row in FAMILIES])
def test_two_townships_only_reachable_through_the_adapter(crawl, family):
    assert len({r["township"] for r in _adapter_only(crawl, family)}) >= 2


@pytest.mark.parametrize("family", [row[0] for row in FAMILIES])
def test_adapter_only_reports_are_found(crawl, family):
    assert [r["url"] for r in _adapter_only(crawl, family) if r["url"] not in crawl["docs"]] == []


@pytest.mark.parametrize("county", COUNTIES)
def test_every_report_of_the_county_is_found(crawl, county):
    assert [r["url"] for r in crawl["truth"] if r["county"] == county and r["url"] and r["url"] not in crawl["docs"]] == []


# ---- the demo's API guards (what a wrong request gets) ---------------------------------

@pytest.fixture(scope="module")
def portal():
    with DemoPortal() as p:
        yield p


def test_jpaas_api_refuses_wrong_web_id(portal):
    url = portal.counties["桦南县"] + ("api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic"
                                     "&webId=1&tplSetId=x&pageType=column&tagId=&pageId=1229561&paramJson=%7B%22pageNo%22%3A2%7D")
    assert json.loads(fetch(url)[1])["success"] is False


def test_ucap_search_needs_is_json(portal):
    page = fetch(portal.counties["临朐县"] + "lqx/c112233/zfxxgklby_nb.shtml")[1].decode()
    channel = re.search(r'channelId = "(\w+)"', page).group(1)
    assert fetch(portal.counties["临朐县"] + f"common/search/{channel}?page=1")[0] == 400


def test_xxgk_search_refuses_get(portal):
    assert fetch(portal.counties["莱阳市"] + "module/xxgk/search.jsp?currpage=1")[0] == 405


def test_ilist_page_past_the_end_lists_nothing(portal):
    page = fetch(portal.counties["依兰县"] + "info/iList.jsp?cat_id=10235&cur_page=99")[1].decode()
    assert "/info/10235/" not in page


@pytest.mark.parametrize("name, status", [("list.shtml", 200), ("list_1.shtml", 404), ("list_2.shtml", 200)])
def test_trs_newer_pages_are_numbered_from_one(portal, name, status):
    assert fetch(portal.counties["依兰县"] + f"zwgk/xzjdnb/{name}")[0] == status


def test_trs_newer_script_signature(portal):
    page = fetch(portal.counties["依兰县"] + "zwgk/xzjdnb/list_2.shtml")[1].decode()
    assert re.search(r"createPageHTML\('page_div',\d+,2,'list','shtml',\d+\)", page)
