"""End to end on the demo portal's quirk counties: JavaScript-only list, cookie challenge, GBK home page.

One crawl of 林口县 (list only after JavaScript, redirect shells, calendar
trap, robots decoy, off-site mirror), 穆棱市 (521 ``document.cookie``
challenge) and 方正县 (GBK home page declared only in ``<meta>``), each from
its home page; then one assertion per township-year, and the archive and
politeness checks. Needs Debian's Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlmodel import select

from archive import read_record
from archive.catalog import Capture
from crawler.browser import CHROMIUM
from crawler.models import CrawlProblem, Document
from nianbao import pipeline
from nianbao.config import load_settings
from nianbao.db import session
from nianbao.demo_portal import DemoPortal

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"Debian's Chromium is not at {CHROMIUM}")]
COUNTIES = ("林口县", "穆棱市", "方正县")


@pytest.fixture(scope="module")
def portal():
    with DemoPortal(quirks=True) as p:
        yield p


@pytest.fixture(scope="module")
def run(portal, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    settings = pipeline.loopback_settings(home, environ={})
    engine, crawl = pipeline.crawl_demo(settings, portal.registry_csv(), COUNTIES)
    # as of the day the crawl ran (China time): a report found today counts from today, so a fixed date
    # would call it missing once the clock passes that date
    statuses = pipeline.evaluate(engine, pipeline.today_china())
    with session(engine) as s:
        documents = {d.url for d in s.exec(select(Document)).all()}
        problems = [(p.url, p.reason) for p in s.exec(select(CrawlProblem)).all()]
        captures = s.exec(select(Capture)).all()
    return dict(settings=settings, crawl=crawl, documents=documents, problems=problems, captures=captures,
                statuses={(s["code"], s["year"]): s for s in statuses})


def pytest_generate_tests(metafunc):
    if "truth" in metafunc.fixturenames:
        rows = sorted((t for t in DemoPortal(quirks=True).truth() if t["county"] in COUNTIES),
                      key=lambda t: (t["code"], t["year"]))
        metafunc.parametrize("truth", rows, ids=[f"{t['county']}-{t['township']}-{t['year']}" for t in rows])


def _truth(portal, county):
    return [t for t in portal.truth() if t["county"] == county]


def _capture(run, url, record_type="response"):
    return next(c for c in run["captures"] if c.url == url and c.record_type == record_type)


def test_crawl_run_succeeds(run):
    assert run["crawl"].status == "ok", run["crawl"].error


def test_status_matches_truth(run, truth):
    assert run["statuses"][(truth["code"], truth["year"])]["status"] == truth["status"]


@pytest.mark.parametrize("county", COUNTIES)
def test_every_township_report_is_found(portal, run, county):
    urls = [t["url"] for t in _truth(portal, county) if t["url"]]
    assert len({t["township"] for t in _truth(portal, county)}) >= 3 and urls
    assert [u for u in urls if u not in run["documents"]] == []


def test_js_only_list_was_rendered_once(run):
    stats = run["crawl"].stats
    assert (stats.get("nianbao/browser/js_lists"), stats.get("nianbao/browser/renders")) == (1, 2)


def test_challenge_solved_once_per_host(portal, run):
    stats = run["crawl"].stats
    assert (stats.get("nianbao/challenges/jiasule/met"), stats.get("nianbao/challenges/jiasule/solved")) == (1, 1)
    challenge = next(f for f in portal.families if f.county.name == "穆棱市")
    assert challenge.challenges == 2   # Scrapy's first request, the browser's first navigation; then the cookie


def test_browser_xhr_is_archived_as_an_honest_response(portal, run):
    base = portal.counties["林口县"].rstrip("/")
    capture = _capture(run, base + "/inc/lmxx.do?k=nb")
    record = read_record(run["settings"].warc_dir, capture.warc_file, capture.offset, capture.length, verify=True)
    family = next(f for f in portal.families if f.county.name == "林口县")
    assert record.record_type == "response" and record.status == 200
    assert record.payload == family.routes["/inc/lmxx.do"]().body
    headers = {k.lower(): v for k, v in record.http_headers}
    assert int(headers["content-length"]) == len(record.payload) and "content-encoding" not in headers


def test_browser_request_record_says_what_was_sent(portal, run):
    base = portal.counties["林口县"].rstrip("/")
    capture = _capture(run, base + "/inc/lmxx.do?k=nb", "request")
    block = read_record(run["settings"].warc_dir, capture.warc_file, capture.offset, capture.length).block
    assert block.startswith(b"GET /inc/lmxx.do?k=nb HTTP/1.1\r\n") and b"\r\nConnection: close\r\n" in block
    assert b"Referer: " + base.encode() + b"/zwgk/zfxxgknb/index.html" in block


def test_rendered_dom_is_a_resource_linked_to_the_page(portal, run):
    column = portal.counties["林口县"].rstrip("/") + "/zwgk/zfxxgknb/index.html"
    dom = _capture(run, "urn:dom:" + column, "resource")
    record = read_record(run["settings"].warc_dir, dom.warc_file, dom.offset, dom.length, verify=True)
    page_ids = {c.record_id for c in run["captures"] if c.url == column and c.record_type in ("response", "revisit")}
    assert record.record_type == "resource" and record.header("WARC-Refers-To") in page_ids
    assert b"/zwgk/zfxxgknb/content_" in record.content


def test_screenshot_is_a_resource(portal, run):
    column = portal.counties["林口县"].rstrip("/") + "/zwgk/zfxxgknb/index.html"
    view = _capture(run, "urn:view:" + column, "resource")
    assert read_record(run["settings"].warc_dir, view.warc_file, view.offset, view.length).content[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_browser_dom_is_archived_as_a_response(run):
    assert not [c.url for c in run["captures"] if c.url.startswith("urn:") and c.record_type != "resource"]


def test_warcio_check_passes(run):
    files = sorted(run["settings"].warc_dir.glob("*.warc.gz"))
    result = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, files)], capture_output=True, text=True)
    assert files and result.returncode == 0, result.stdout + result.stderr


def test_off_site_mirror_is_linked_but_never_requested(portal, run):
    family = next(f for f in portal.families if f.county.name == "林口县")
    assert family.mirror_base and any(href.startswith(family.mirror_base) for _, href in family.home_links())
    assert portal.hits(mirror=True) == []


def test_calendar_trap_is_capped_and_recorded(portal, run):
    calendar = [h for h in portal.hits("林口县") if h[1].startswith("/zwgk/rl/list.html")]
    assert 0 < len(calendar) <= 12
    assert any("crawl trap" in reason and "/zwgk/rl/list.html" in reason for _, reason in run["problems"])


def test_robots_decoy_is_never_requested(portal, run):
    paths = [h[1] for h in portal.hits("林口县")]
    assert "/robots.txt" in paths and not [p for p in paths if p.startswith("/private/")]


def test_redirect_shells_are_followed(portal, run):
    paths = {h[1] for h in portal.hits("林口县")}
    assert {"/zwgk/nb.html", "/zwgk/nbtz.html", "/zwgk/zfxxgknb/index.html"} <= paths


def test_gbk_home_page_declares_its_charset_only_in_meta(portal):
    import urllib.request

    with urllib.request.urlopen(portal.counties["方正县"]) as response:
        assert response.headers["Content-Type"] == "text/html"
        assert b'charset=gbk' in response.read(512)


# ---- the CLI: `nianbao crawl --portal <home page>` ------------------------------------------

@pytest.mark.parametrize("county", ["方正县", "林口县"])
def test_cli_crawl_from_the_home_page_finds_every_township_report(portal, county, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_") and k != "DATABASE_URL"}
    env.update(NIANBAO_HOME=str(tmp_path), NIANBAO_DOWNLOAD_DELAY="0", NIANBAO_AUTOTHROTTLE="false",
               NIANBAO_CONCURRENT_PER_HOST="8")
    result = subprocess.run([sys.executable, "-m", "nianbao", "crawl", "--portal", portal.counties[county]],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    settings = load_settings(environ={}, home=tmp_path)
    with session(pipeline.open_db(settings)) as s:
        found = {d.url for d in s.exec(select(Document)).all()}
    urls = [t["url"] for t in _truth(portal, county) if t["url"]]
    assert urls and [u for u in urls if u not in found] == []
