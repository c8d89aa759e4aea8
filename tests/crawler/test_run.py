"""run_crawl end to end: Scrapy in a child process against the demo portal on loopback, and against a dead host."""

from __future__ import annotations

import socket

import pytest
from sqlmodel import select

from archive.catalog import Capture
from crawler.models import CrawlProblem, CrawlRun, Document
from crawler.run import run_crawl, scrapy_settings
from nianbao.config import load_settings
from nianbao.db import connect, session
from nianbao.registry import Portal, import_registry

# Kinds the crawler itself must reject by title; departments and county reports go to parsing to classify.
REJECTED_KINDS = {"解读", "图解", "公布情况", "指南"}


def fast_settings(home):
    return load_settings(environ={}, home=home, download_delay=0, autothrottle=False, download_timeout=10)


class DemoCrawl:
    """One crawl of the whole demo portal, registry imported first so documents carry portal ids."""

    def __init__(self, home):
        from nianbao.demo_portal import DemoPortal

        self.settings = fast_settings(home)
        self.engine = connect(self.settings.db_url)
        self.portal = DemoPortal()
        self.portal.start()
        try:
            with session(self.engine) as s:
                import_registry(s, self.portal.registry_csv())
            with session(self.engine) as s:
                self.seeds = [{"portal_id": p.id, "url": p.url} for p in s.exec(select(Portal))]
            self.events: list[dict] = []
            self.run = run_crawl(self.settings, self.seeds, engine=self.engine, progress=self.events.append)
            self.truth, self.lookalikes = self.portal.truth(), self.portal.lookalikes()
        finally:
            self.portal.stop()
        with session(self.engine) as s:
            self.docs = {d.url: d for d in s.exec(select(Document))}
            self.problems = list(s.exec(select(CrawlProblem)))
            self.captures = {c.id: c for c in s.exec(select(Capture))}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return DemoCrawl(tmp_path_factory.mktemp("demo-crawl"))


pytestmark = pytest.mark.slow


def test_demo_run_ok(demo):
    assert (demo.run.status, demo.run.error) == ("ok", None)


def test_demo_every_seed_has_candidates(demo):
    assert all(demo.run.stats["nianbao/candidates_per_seed"].values())


def test_demo_every_township_report_found(demo):
    missing = [(r["county"], r["township"], r["year"], r["url"]) for r in demo.truth if r["url"] and r["url"] not in demo.docs]
    assert missing == []


def test_demo_truth_has_reports(demo):
    assert sum(1 for r in demo.truth if r["url"]) > 0


def test_demo_rejected_lookalikes_not_stored(demo):
    stored = [(l["kind"], l["title"]) for l in demo.lookalikes if l["kind"] in REJECTED_KINDS and l["url"] in demo.docs]
    assert stored == []


def test_demo_documents_carry_portal(demo):
    assert {d.portal_id for d in demo.docs.values()} == {s["portal_id"] for s in demo.seeds}


def test_demo_documents_carry_capture(demo):
    assert all(d.capture_id in demo.captures for d in demo.docs.values())


def test_demo_capture_is_the_document_url(demo):
    assert all(demo.captures[d.capture_id].url == d.url for d in demo.docs.values())


def test_demo_attachments_found(demo):
    assert any(d.kind == "attachment" and d.parent_id for d in demo.docs.values())


def test_demo_report_pages_have_column(demo):
    reports = [demo.docs[r["url"]] for r in demo.truth if r["url"]]
    assert all(d.column_url for d in reports)


def test_demo_no_problems(demo):
    assert [(p.url, p.reason) for p in demo.problems] == []


def test_demo_progress_ends_with_closed(demo):
    assert demo.events[-1]["event"] == "closed"


def test_demo_progress_counts_documents(demo):
    assert demo.events[-1]["documents"] >= len(demo.docs)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dead(tmp_path_factory):
    settings = fast_settings(tmp_path_factory.mktemp("dead-crawl"))
    engine = connect(settings.db_url)
    url = f"http://127.0.0.1:{_closed_port()}/"
    run = run_crawl(settings, [{"portal_id": None, "url": url}], engine=engine)
    with session(engine) as s:
        return url, run, list(s.exec(select(CrawlProblem).where(CrawlProblem.run_id == run.id)))


def test_dead_seed_fails_the_run(dead):
    assert dead[1].status == "failed"


def test_dead_seed_error_names_it(dead):
    assert dead[0] in dead[1].error


def test_dead_seed_recorded_as_problem(dead):
    assert [p.url for p in dead[2]] == [dead[0]]


def test_dead_seed_reason(dead):
    assert "connection refused" in dead[2][0].reason


@pytest.fixture(scope="module")
def gone(tmp_path_factory):
    """A seed the demo portal answers with 404 (a dead column: routine drift)."""
    from nianbao.demo_portal import DemoPortal

    settings = fast_settings(tmp_path_factory.mktemp("gone-crawl"))
    engine = connect(settings.db_url)
    with DemoPortal() as portal:
        url = next(iter(portal.counties.values())) + "zwgk/no-such-column/index.html"
        run = run_crawl(settings, [{"portal_id": None, "url": url}], engine=engine)
    with session(engine) as s:
        return url, run, list(s.exec(select(CrawlProblem).where(CrawlProblem.run_id == run.id)))


def test_gone_seed_fails_the_run(gone):
    assert gone[1].status == "failed"


def test_gone_seed_404_recorded(gone):
    assert [(p.url, p.status, p.reason) for p in gone[2]] == [(gone[0], 404, "HTTP 404")]


@pytest.fixture(scope="module")
def uncaptured(tmp_path_factory):
    """One demo county crawled with WARC capture off: documents land with no capture."""
    from nianbao.demo_portal import DemoPortal

    settings = fast_settings(tmp_path_factory.mktemp("uncaptured-crawl"))
    engine = connect(settings.db_url)
    with DemoPortal() as portal:
        url = next(iter(portal.counties.values()))
        run = run_crawl(settings, [{"portal_id": None, "url": url}], engine=engine, extra={"WARC_ENABLED": False})
    with session(engine) as s:
        return run, list(s.exec(select(Document)))


def test_uncaptured_run_ok(uncaptured):
    assert (uncaptured[0].status, uncaptured[0].error) == ("ok", None)


def test_uncaptured_documents_stored(uncaptured):
    assert len(uncaptured[1]) > 0


def test_uncaptured_documents_have_no_capture(uncaptured):
    assert {d.capture_id for d in uncaptured[1]} == {None}


@pytest.mark.parametrize("key, value", [
    ("USER_AGENT", "nianbao-test (+http://example.org/contact)"), ("ROBOTSTXT_OBEY", True),
    ("CONCURRENT_REQUESTS_PER_DOMAIN", 2), ("DOWNLOAD_DELAY", 0.0), ("AUTOTHROTTLE_ENABLED", False),
    ("DOWNLOAD_TIMEOUT", 10), ("NIANBAO_MAX_LIST_PAGES", 500), ("NIANBAO_DISCOVERY_DEPTH", 4),
    ("WARC_ENABLED", True), ("WARC_PREFIX", "nianbao"), ("NIANBAO_RUN_ID", 3),
])
def test_scrapy_settings(tmp_path, key, value):
    settings = load_settings(environ={}, home=tmp_path, download_delay=0, autothrottle=False, download_timeout=10,
                             user_agent="nianbao-test (+http://example.org/contact)")
    assert scrapy_settings(settings, 3)[key] == value


def test_scrapy_settings_database(tmp_path):
    settings = load_settings(environ={}, home=tmp_path)
    assert scrapy_settings(settings, 3)["NIANBAO_DATABASE_URL"] == settings.db_url


def test_scrapy_settings_warc_dir(tmp_path):
    settings = load_settings(environ={}, home=tmp_path)
    assert scrapy_settings(settings, 3)["WARC_DIR"] == str(tmp_path / "warcs")
