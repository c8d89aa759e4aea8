"""The database pipeline on a real SQLite file: Document upserts, problems, the run's verdict."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import SQLAlchemyError
from scrapy.utils.test import get_crawler
from sqlmodel import select

from crawler.items import DocumentItem, ProblemItem
from crawler.models import CrawlProblem, CrawlRun, Document
from crawler.pipelines import DatabasePipeline
from crawler.spiders.reports import ReportsSpider
from nianbao.db import connect, session
from nianbao.timeutil import as_utc

SEED = "http://www.hljyy.gov.cn/"
OTHER_SEED = "http://www.example-hw.gov.cn/"
T0 = datetime(2024, 1, 21, 1, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    return url, connect(url)


@pytest.fixture
def pipeline(db):
    url, _ = db
    crawler = get_crawler(ReportsSpider, {"NIANBAO_DATABASE_URL": url})
    crawler.spider = ReportsSpider.from_crawler(crawler, seeds=[{"url": SEED}, {"url": OTHER_SEED}])
    p = DatabasePipeline(url, None, clock=Clock())
    p.crawler = crawler
    return p


def page(url=SEED + "a/t20230120_1.html", **kw):
    return DocumentItem(url=url, kind="page", seed_url=SEED, title="兴隆镇2022年政府信息公开工作年度报告",
                        column_url=SEED + "a/", listed_date="2023-01-20", **kw)


def docs(db):
    with session(db[1]) as s:
        return {d.url: d for d in s.exec(select(Document)).all()}


def run_row(db, pipeline):
    with session(db[1]) as s:
        return s.get(CrawlRun, pipeline.run_id)


@pytest.mark.parametrize("field, value", [
    ("kind", "page"), ("title", "兴隆镇2022年政府信息公开工作年度报告"), ("column_url", SEED + "a/"),
    ("listed_date", date(2023, 1, 20)), ("portal_id", None), ("capture_id", None),
])
def test_document_field(db, pipeline, field, value):
    pipeline.process_item(page())
    assert getattr(docs(db)[page().url], field) == value


def test_upsert_keeps_one_row(db, pipeline):
    pipeline.process_item(page())
    pipeline.process_item(page())
    assert len(docs(db)) == 1


def test_upsert_keeps_first_seen(db, pipeline):
    pipeline.process_item(page())
    pipeline.clock.now = T0 + timedelta(days=3)
    pipeline.process_item(page())
    assert as_utc(docs(db)[page().url].first_seen_at) == T0


def test_upsert_moves_last_seen(db, pipeline):
    pipeline.process_item(page())
    pipeline.clock.now = T0 + timedelta(days=3)
    pipeline.process_item(page())
    assert as_utc(docs(db)[page().url].last_seen_at) == T0 + timedelta(days=3)


def test_attachment_links_parent(db, pipeline):
    pipeline.process_item(page())
    pipeline.process_item(DocumentItem(url=SEED + "a/P1.pdf", kind="attachment", seed_url=SEED, parent_url=page().url))
    d = docs(db)
    assert d[SEED + "a/P1.pdf"].parent_id == d[page().url].id


def test_attachment_stored_before_its_page_is_linked_on_close(db, pipeline):
    pipeline.process_item(DocumentItem(url=SEED + "a/P1.pdf", kind="attachment", seed_url=SEED, parent_url=page().url))
    pipeline.process_item(page())
    pipeline.close_spider()
    d = docs(db)
    assert d[SEED + "a/P1.pdf"].parent_id == d[page().url].id


def test_unknown_portal_stored_as_none(db, pipeline):
    pipeline.process_item(page(portal_id=999))
    assert docs(db)[page().url].portal_id is None


def test_uncatalogued_capture_stored_as_none(db, pipeline):
    pipeline.process_item(page(capture_id=12345))
    assert docs(db)[page().url].capture_id is None


@pytest.mark.parametrize("field, value", [("url", SEED + "gone.html"), ("reason", "HTTP 404"), ("status", 404)])
def test_problem_field(db, pipeline, field, value):
    pipeline.process_item(ProblemItem(url=SEED + "gone.html", reason="HTTP 404", seed_url=SEED, status=404))
    with session(db[1]) as s:
        assert getattr(s.exec(select(CrawlProblem)).one(), field) == value


def test_run_failed_when_a_seed_found_nothing(db, pipeline):
    pipeline.process_item(page())
    pipeline.close_spider()
    assert run_row(db, pipeline).status == "failed"


def test_run_error_names_the_empty_seed(db, pipeline):
    pipeline.process_item(page())
    pipeline.close_spider()
    assert OTHER_SEED in run_row(db, pipeline).error


def test_run_ok_when_every_seed_found_candidates(db, pipeline):
    pipeline.process_item(page())
    pipeline.process_item(DocumentItem(url=OTHER_SEED + "art/2023/1/20/art_1_2.html", kind="page", seed_url=OTHER_SEED))
    pipeline.close_spider()
    assert run_row(db, pipeline).status == "ok"


def test_run_stats_count_candidates_per_seed(db, pipeline):
    pipeline.process_item(page())
    pipeline.close_spider()
    assert run_row(db, pipeline).stats["nianbao/candidates_per_seed"] == {SEED: 1, OTHER_SEED: 0}


def test_run_finished_at_set(db, pipeline):
    pipeline.close_spider()
    assert as_utc(run_row(db, pipeline).finished_at) == T0


def test_write_error_raised(db, pipeline):
    with pytest.raises(SQLAlchemyError):
        pipeline.process_item(DocumentItem(url=SEED + "x.html", kind=None, seed_url=SEED))


def test_write_error_fails_the_run(db, pipeline):
    pipeline.process_item(page())
    pipeline.process_item(DocumentItem(url=OTHER_SEED + "a.html", kind="page", seed_url=OTHER_SEED))
    with pytest.raises(SQLAlchemyError):
        pipeline.process_item(DocumentItem(url=SEED + "x.html", kind=None, seed_url=SEED))
    pipeline.close_spider()
    assert run_row(db, pipeline).error == "1 item(s) could not be stored (see the crawl log)"


@pytest.mark.parametrize("key, value", [("documents", 2), ("problems", 1), ("responses", 0)])
def test_run_summary_stat(db, pipeline, key, value):
    pipeline.process_item(page())
    pipeline.process_item(page(url=SEED + "b.html"))
    pipeline.process_item(ProblemItem(url=SEED + "gone.html", reason="HTTP 404", seed_url=SEED, status=404))
    pipeline.close_spider()
    assert run_row(db, pipeline).stats[key] == value
