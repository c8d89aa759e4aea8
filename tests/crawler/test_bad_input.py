"""Bad input (issue 3 item 8): one crawl of a demo county plus a misbehaving loopback server.

Every misbehaviour ends as a problem on the crawl run with its URL and reason, bounded in what it
costs, and the crawl goes on (the demo county's reports are still found).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from archive import Capture
from crawler.models import CrawlProblem, Document
from crawler.run import run_crawl
from nianbao.config import load_settings
from nianbao.db import connect, session
from tests.crawler.misbehaving import MisbehavingServer

pytestmark = pytest.mark.slow
BAD = ("/trickle", "/reset", "/reset-early", "/storm", "/busy", "/loop-a", "/malformed/", "/trap/index.html")
TIME_LIMIT = 2  # seconds, per request, whole response


class BadCrawl:
    def __init__(self, home):
        from nianbao.demo_portal import DemoPortal

        settings = load_settings(environ={}, home=home, download_delay=0, autothrottle=False,
                                 download_timeout=TIME_LIMIT)
        self.engine = connect(settings.db_url)
        self.server = MisbehavingServer()
        try:
            with DemoPortal() as portal:
                self.good = next(iter(portal.counties.values()))
                self.truth = [r["url"] for r in portal.truth() if r["url"] and r["url"].startswith(self.good)]
                seeds = [{"portal_id": None, "url": self.good}] + [{"portal_id": None, "url": self.server.base + p}
                                                                     for p in BAD]
                self.run = run_crawl(settings, seeds, engine=self.engine, extra={"NIANBAO_MAX_LIST_PAGES": 30})
        finally:
            self.server.close()
        with session(self.engine) as s:
            self.problems = [(p.url, p.reason, p.status) for p in s.exec(select(CrawlProblem))]
            self.docs = set(s.exec(select(Document.url)))
            self.captures = list(s.exec(select(Capture).where(Capture.record_type != "request")))

    def reasons(self, path: str) -> list[str]:
        return [reason for url, reason, _ in self.problems if url == self.server.base + path]


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    return BadCrawl(tmp_path_factory.mktemp("bad-input"))


def test_crawl_finished(bad):
    assert bad.run.finished_at is not None and "exited with status" not in (bad.run.error or "")


def test_crawl_went_on_to_find_the_good_reports(bad):
    assert bad.truth and set(bad.truth) <= bad.docs


def test_seeds_without_reports_fail_the_run_loudly(bad):
    assert bad.run.status == "failed" and bad.server.base + "/storm" in bad.run.error


def test_trickle_cut_by_the_time_limit(bad):
    assert [r.split(":")[0] for r in bad.reasons("/trickle")] == ["timed out"]


def test_trickle_archived_as_truncated(bad):
    cut = {(c.truncated, c.complete) for c in bad.captures if c.url == bad.server.base + "/trickle"}
    assert cut == {("time", False)}


def test_trickle_tried_a_bounded_number_of_times(bad):
    assert bad.server.hits["/trickle"] == 3  # the request and RETRY_TIMES = 2 retries


@pytest.mark.parametrize("path", ["/reset", "/reset-early"])
def test_connection_reset_recorded(bad, path):
    assert len(bad.reasons(path)) == 1


def test_reset_mid_body_archived_as_truncated(bad):
    assert {(c.truncated, c.complete) for c in bad.captures if c.url == bad.server.base + "/reset"} == {("disconnect", False)}


@pytest.mark.parametrize("path", ["/reset", "/reset-early"])
def test_connection_reset_retried_a_bounded_number_of_times(bad, path):
    assert bad.server.hits[path] <= 6  # RETRY_TIMES = 2, each try retried once by Twisted on a reused connection


@pytest.mark.parametrize("path, status", [("/storm", 500), ("/busy", 503)])
def test_5xx_storm_given_up_and_recorded(bad, path, status):
    assert bad.reasons(path) == [f"HTTP {status}"]


@pytest.mark.parametrize("path", ["/storm", "/busy"])
def test_5xx_storm_retried_a_bounded_number_of_times(bad, path):
    assert bad.server.hits[path] == 3  # the request and RETRY_TIMES = 2 retries


def test_redirect_loop_recorded(bad):
    assert [r.split(":")[0] for r in bad.reasons("/loop-b")] == ["redirect loop"]


def test_redirect_loop_names_the_chain(bad):
    assert "/loop-a → " in bad.reasons("/loop-b")[0]


def test_redirect_loop_bounded(bad):
    assert (bad.server.hits["/loop-a"], bad.server.hits["/loop-b"]) == (1, 1)


def test_malformed_html_read(bad):
    assert bad.server.base + "/malformed/t20240115_1.html" in bad.docs


def test_malformed_html_no_crash(bad):
    assert [r for url, r, _ in bad.problems if "/malformed/" in url and "Error" in r] == []


def test_trap_capped_and_recorded(bad):
    assert [r for url, r, _ in bad.problems if "/trap/index.html" in url and ("trap" in r or "cap" in r)] != []


def test_trap_bounded(bad):
    assert bad.server.hits["/trap/index.html"] <= 31


def test_every_problem_has_url_and_reason(bad):
    assert all(url and reason for url, reason, _ in bad.problems)
