"""The browser path: when a page is rendered, challenges, the recording proxy, trap caps; real Chromium.

Rules are tested on small inline pages; the recording proxy against the demo
portal with a raw socket; Chromium through ``run_crawl`` on the demo
portal's quirk counties and on a server whose challenge never clears.
"""

from __future__ import annotations

import asyncio
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from sqlmodel import select

from archive import read_record
from archive.catalog import Capture
from crawler.browser import CHROMIUM, RecordingProxy, needs_rendering
from crawler.challenge import detect
from crawler.items import ProblemItem
from crawler.models import CrawlProblem, Document
from crawler.run import run_crawl
from crawler.traps import TrapGuardMiddleware
from nianbao.config import load_settings
from nianbao.db import connect, session
from nianbao.demo_portal import DemoPortal

_NEEDS_CHROMIUM = (pytest.mark.browser, pytest.mark.slow,
                   pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"Debian's Chromium is not at {CHROMIUM}"))


def chromium(test):
    """Marks a test that drives real Chromium (skipped, saying why, where it is not installed)."""
    for mark in _NEEDS_CHROMIUM:
        test = mark(test)
    return test


def _page(body: str, url: str = "http://www.example.gov.cn/zwgk/zfxxgknb/index.html") -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><head><title>年报</title></head><body>{body}</body></html>".encode(),
                        encoding="utf-8", request=Request(url))


# ---- when to render ----------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ("<ul id='l'></ul><script>var x=new XMLHttpRequest();x.open('GET','/d.do');</script>", True),
    ("<script>fetch('/api/list').then(r => r.json())</script>", True),
    ("<script>$.ajax({url: '/inc/l.jsp'})</script>", True),
    ("<script>$.getJSON('/inc/l.json', f)</script>", True),
    ("<script src='/js/jquery.js'></script><ul></ul>", False),
    ("<script>document.write('<a href=index_1.html>下一页</a>')</script>", False),
    ("<p>暂无信息</p>", False),
])
def test_needs_rendering(body, expected):
    assert needs_rendering(_page(body)) is expected


# ---- challenge shapes --------------------------------------------------------------------

@pytest.mark.parametrize("status, body, expected", [
    (521, b"<script>document.cookie='__jsl_clearance=1;path=/';location.reload()</script>", "jiasule"),
    (412, b"<meta content='x'><script>$_ts=window['$_ts'];$_ts.nsd=1;</script>", "ruishu"),
    (200, "<title>服务器安全狗防护验证页面</title><script>self.location='/x?sg=1'</script>".encode(), "safedog"),
    (200, "<title>服务器安全狗防护验证页面</title><script>self.location='/x'</script>".encode("gbk"), "safedog"),
    (200, b"<script>var arg1='3A4B';document.cookie='acw_sc__v2='+x</script>", "aliyun"),
    (200, "<title>政府信息公开年报</title><script>document.cookie='font=big'</script>".encode(), None),
    (521, b"origin down", None),
    (404, b"<script>document.cookie='a=1'</script>", None),
])
def test_challenge_detect(status, body, expected):
    assert detect(status, body) == expected


# ---- crawl traps -------------------------------------------------------------------------

class _Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key):
        self.values[key] = self.values.get(key, 0) + 1


def _guarded(urls):
    guard = TrapGuardMiddleware(_Stats())
    return guard, list(guard.process_spider_output(_page(""), (Request(u) for u in urls)))


def test_calendar_variants_are_capped_with_one_problem():
    guard, out = _guarded([f"http://h.gov.cn/rl/list.html?date=2024-01-{d:02d}" for d in range(1, 31)])
    requests = [o for o in out if isinstance(o, Request)]
    problems = [o for o in out if isinstance(o, ProblemItem)]
    assert (len(requests), len(problems), guard.stats.values["nianbao/traps/dropped"]) == (12, 1, 18)
    assert "crawl trap" in problems[0].reason and "/rl/list.html" in problems[0].reason


def test_page_numbers_are_not_a_calendar():
    _, out = _guarded([f"http://h.gov.cn/info/iList.jsp?cat_id=1&cur_page={n}" for n in range(1, 60)])
    assert all(isinstance(o, Request) for o in out) and len(out) == 59


def test_repeated_variant_is_not_counted_twice():
    _, out = _guarded(["http://h.gov.cn/rl?date=2024-01-01"] * 20)
    assert len(out) == 20


# ---- the recording proxy (raw sockets, no browser) -----------------------------------------

def _through_proxy(raw: bytes, allow=lambda url: True):
    """(bytes the client got back, [(url, method, tape)] the proxy handed on) for one raw request."""
    exchanges = []

    async def go():
        proxy = RecordingProxy(lambda url, method, tape: exchanges.append((url, method, tape)), allow)
        port = await proxy.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        await writer.drain()
        data = await reader.read()
        writer.close()
        await proxy.close()
        return data

    return asyncio.run(go()), exchanges


@pytest.fixture(scope="module")
def portal():
    with DemoPortal(quirks=True) as p:
        yield p


def test_proxy_tapes_exactly_what_it_relays(portal):
    url = portal.counties["林口县"] + "inc/lmxx.do?k=nb"
    got, exchanges = _through_proxy(f"GET {url} HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n"
                                    "Proxy-Connection: keep-alive\r\nAccept: */*\r\n\r\n".encode())
    (target, method, tape), = exchanges
    assert (target, method, bytes(tape.received)) == (url, "GET", got)
    assert got.startswith(b"HTTP/1.1 200 OK\r\n")


def test_proxy_sends_origin_form_without_hop_headers(portal):
    url = portal.counties["林口县"] + "inc/lmxx.do?k=nb"
    _, [(_, _, tape)] = _through_proxy(f"GET {url} HTTP/1.1\r\nHost: x\r\nProxy-Connection: keep-alive\r\n\r\n".encode())
    assert bytes(tape.sent) == b"GET /inc/lmxx.do?k=nb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def test_proxy_refuses_off_site_hosts_without_contacting_them(portal):
    url = portal.counties["林口县"] + "zwgk/"
    before = len(portal.hits("林口县"))
    got, exchanges = _through_proxy(f"GET {url} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), allow=lambda u: False)
    assert got.startswith(b"HTTP/1.1 403 ") and exchanges == [] and len(portal.hits("林口县")) == before


def test_proxy_does_not_tunnel_tls():
    got, exchanges = _through_proxy(b"CONNECT www.example.gov.cn:443 HTTP/1.1\r\nHost: www.example.gov.cn:443\r\n\r\n")
    assert got.startswith(b"HTTP/1.1 501 ") and exchanges == []


# ---- real Chromium ---------------------------------------------------------------------

def _fast(home):
    return load_settings(environ={}, home=home, download_delay=0, autothrottle=False, download_timeout=20)


@pytest.fixture(scope="module")
def quirk_crawl(portal, tmp_path_factory):
    settings = _fast(tmp_path_factory.mktemp("browser"))
    engine = connect(settings.db_url)
    seeds = [{"portal_id": None, "url": portal.counties[c] + "zwgk/zfxxgknb/index.html"} for c in ("林口县",)]
    seeds += [{"portal_id": None, "url": portal.counties["穆棱市"] + "zwgk/zfxxgknb/"}]
    run = run_crawl(settings, seeds, engine=engine)
    with session(engine) as s:
        return dict(run=run, settings=settings, docs={d.url for d in s.exec(select(Document))},
                    captures=list(s.exec(select(Capture))))


@chromium
@pytest.mark.parametrize("county", ["林口县", "穆棱市"])
def test_browser_crawl_finds_every_report(portal, quirk_crawl, county):
    urls = [t["url"] for t in portal.truth() if t["county"] == county and t["url"]]
    assert urls and [u for u in urls if u not in quirk_crawl["docs"]] == []


@chromium
def test_browser_navigation_is_archived_with_chromiums_request(portal, quirk_crawl):
    column = portal.counties["林口县"] + "zwgk/zfxxgknb/index.html"
    blocks = [read_record(quirk_crawl["settings"].warc_dir, c.warc_file, c.offset, c.length).block
              for c in quirk_crawl["captures"] if c.url == column and c.record_type == "request"]
    assert any(b"sec-ch-ua" in b.lower() for b in blocks)   # the browser's own request, as sent


@chromium
def test_browser_responses_are_response_or_revisit_records(portal, quirk_crawl):
    column = portal.counties["林口县"] + "zwgk/zfxxgknb/index.html"
    kinds = sorted(c.record_type for c in quirk_crawl["captures"] if c.url == column)
    assert kinds == ["request", "request", "response", "revisit"]   # Scrapy's fetch, then the browser's


class _StubbornChallenge(BaseHTTPRequestHandler):
    """521 + a cookie script forever: the cookie it sets is never accepted."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        if self.path == "/robots.txt":
            body, status = b"User-agent: *\nDisallow:\n", 200
        else:
            body = b"<html><script>document.cookie='__jsl_clearance=x;path=/';setTimeout(function(){location.reload()},200)</script></html>"
            status = 521
        self.send_response(status, "Web Server Is Down")
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # noqa: ANN002
        return


@chromium
def test_a_challenge_that_never_clears_is_rendered_once_and_recorded(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubbornChallenge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = _fast(tmp_path)
        engine = connect(settings.db_url)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        seeds = [{"portal_id": None, "url": base + "/zwgk/zfxxgknb/"}, {"portal_id": None, "url": base + "/zwgk/"}]
        run = run_crawl(settings, seeds, engine=engine)
    finally:
        server.shutdown()
        server.server_close()
    with session(engine) as s:
        reasons = [p.reason for p in s.exec(select(CrawlProblem))]
    assert run.status == "failed"
    assert run.stats.get("nianbao/challenges/jiasule/met") == 1
    assert any(r.startswith("anti-bot challenge not passed") for r in reasons)
    pages = [h for h in _StubbornChallenge.hits if h != "/robots.txt"]
    assert len(pages) <= 2 + 3   # two plain requests, one render whose reloads the proxy stops at three
