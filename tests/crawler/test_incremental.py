"""Incremental re-crawl and withdrawal, on the demo portal: one portal kept up across several sweeps of one catalog.

Sweeps: 1 full; 2 unchanged; 3 after the portal withdrew one report; 4 after it restored it;
5 with a re-check interval of zero (every report page and attachment asked conditionally).
"""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler
from sqlmodel import col, select

from archive import Capture, verify_catalog
from crawler.models import CrawlRun, Document
from crawler.pipelines import DatabasePipeline
from crawler.run import run_crawl
from crawler.spiders.reports import ReportsSpider
from nianbao.db import connect, session
from tests.crawler.test_pipelines import T0, Clock, page
from tests.crawler.test_run import fast_settings

pytestmark = pytest.mark.slow
FULL = ("response", "revisit")


class Sweeps:
    def __init__(self, home):
        from nianbao.demo_portal import DemoPortal

        self.settings = fast_settings(home)
        self.engine = connect(self.settings.db_url)
        self.portal = DemoPortal()
        self.portal.start()
        try:
            self.seeds = [{"portal_id": None, "url": url} for url in self.portal.counties.values()]
            self.runs, self.docs = [], []
            self.gone_url = next(r["url"] for r in self.portal.truth() if r["url"] and r["format"] == "html")
            self.sweep()
            self.sweep()
            self.portal.withdraw(self.gone_url)
            self.sweep()
            self.portal.restore(self.gone_url)
            self.sweep()
            self.sweep(INCREMENTAL_RECHECK_DAYS=0)
        finally:
            self.portal.stop()

    def sweep(self, **extra):
        self.runs.append(run_crawl(self.settings, self.seeds, engine=self.engine, extra=extra or None))
        with session(self.engine) as s:
            self.docs.append({d.url: (d.capture_id, d.gone_since) for d in s.exec(select(Document))})

    def captures(self, sweep: int, *, status=None, types=FULL) -> list[Capture]:
        query = select(Capture).where(Capture.run_id == self.runs[sweep].id, col(Capture.record_type).in_(types))
        if status is not None:
            query = query.where(Capture.status == status)
        with session(self.engine) as s:
            return list(s.exec(query))


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    return Sweeps(tmp_path_factory.mktemp("incremental"))


@pytest.mark.parametrize("sweep", range(5))
def test_sweep_ok(sweeps, sweep):
    assert (sweeps.runs[sweep].status, sweeps.runs[sweep].error) == ("ok", None)


def test_second_sweep_full_downloads_at_most_ten_percent(sweeps):
    assert len(sweeps.captures(1, status=200)) <= 0.10 * len(sweeps.captures(0, status=200))


def test_second_sweep_finds_every_document_again(sweeps):
    assert set(sweeps.docs[1]) >= set(sweeps.docs[0])


def test_second_sweep_documents_keep_their_last_full_capture(sweeps):
    assert {u: sweeps.docs[1][u][0] for u in sweeps.docs[0]} == {u: c for u, (c, _) in sweeps.docs[0].items()}


def test_second_sweep_skips_report_pages(sweeps):
    assert sweeps.runs[1].stats["incremental/skipped"] >= len(sweeps.docs[0])


def test_second_sweep_lists_asked_conditionally(sweeps):
    assert sweeps.runs[1].stats["incremental/not_modified"] > 0


def test_not_modified_archived_as_304_response(sweeps):
    assert len(sweeps.captures(1, status=304, types=("response",))) == sweeps.runs[1].stats["incremental/not_modified"]


def test_not_modified_has_its_request_record(sweeps):
    with session(sweeps.engine) as s:
        requests = set(s.exec(select(Capture.record_id).where(Capture.record_type == "request")))
    assert all(c.request_record_id in requests for c in sweeps.captures(1, status=304))


def test_conditional_request_carries_validator(sweeps):
    from archive import read_record

    c = sweeps.captures(1, status=304)[0]
    with session(sweeps.engine) as s:
        req = s.exec(select(Capture).where(Capture.record_id == c.request_record_id)).one()
    headers = dict(read_record(sweeps.settings.warc_dir, req.warc_file, req.offset, req.length).http_headers)
    assert headers.get("If-None-Match", "").startswith('"')


def test_withdrawn_report_marked_gone(sweeps):
    assert sweeps.docs[2][sweeps.gone_url][1] is not None


def test_only_the_withdrawn_report_marked_gone(sweeps):
    assert [u for u, (_, gone) in sweeps.docs[2].items() if gone] == [sweeps.gone_url]


def test_restored_report_cleared(sweeps):
    assert sweeps.docs[3][sweeps.gone_url][1] is None


def test_withdrawal_counted_on_the_run(sweeps):
    assert sweeps.runs[2].stats["nianbao/withdrawn"] >= 1


def test_recheck_due_asks_report_pages_conditionally(sweeps):
    stats = sweeps.runs[4].stats
    assert (stats.get("incremental/skipped", 0), stats["incremental/not_modified"] >= len(sweeps.docs[0])) == (0, True)


def test_recheck_due_downloads_little(sweeps):
    # Pages without a validator (dynamic APIs, challenge shells) come in full when due; the rest answer 304.
    assert len(sweeps.captures(4, status=200)) <= 0.25 * len(sweeps.captures(0, status=200))


def test_catalog_sound_after_sweeps(sweeps):
    with session(sweeps.engine) as s:
        assert verify_catalog(s, sweeps.settings.warc_dir) == []


# --- withdrawal rules at the pipeline, offline ------------------------------------------------

COLUMN = page().column_url


def _second_sweep(tmp_path, *, read: set[str], failed: set[str]):
    """A first sweep lists one report in COLUMN; a second lists nothing, having read ``read`` and failed ``failed``."""
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    connect(url).dispose()  # migrations
    for n, items in enumerate(([page()], [])):
        crawler = get_crawler(ReportsSpider, {"NIANBAO_DATABASE_URL": url})
        crawler.spider = ReportsSpider.from_crawler(crawler, seeds=[{"url": page().seed_url}])
        crawler.spider.columns_read, crawler.spider.columns_failed = (read, failed) if n else ({COLUMN}, set())
        clock = Clock()
        clock.now = T0.replace(day=T0.day + n)
        p = DatabasePipeline(url, None, clock=clock)
        p.crawler = crawler
        for item in items:
            p.process_item(item)
        p.close_spider(crawler.spider)
    with session(connect(url)) as s:
        return s.exec(select(Document)).one().gone_since


def test_unlisted_in_a_read_column_is_gone(tmp_path):
    assert _second_sweep(tmp_path, read={COLUMN}, failed=set()) is not None


def test_unlisted_in_a_failed_column_is_not_gone(tmp_path):
    assert _second_sweep(tmp_path, read={COLUMN}, failed={COLUMN}) is None


def test_unlisted_in_an_unread_column_is_not_gone(tmp_path):
    assert _second_sweep(tmp_path, read=set(), failed=set()) is None


def test_crawlrun_rows(sweeps):
    with session(sweeps.engine) as s:
        assert len(s.exec(select(CrawlRun)).all()) == 5
