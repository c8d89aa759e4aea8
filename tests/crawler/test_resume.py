"""Resume after ``kill -9`` (DOMAIN.md §6 bar 17): the crawl child is SIGKILLed mid-run, then resumed.

Checked against an uninterrupted crawl of the same demo portal: the same URL set, no exchange
captured twice, every WARC file sound, the ``.open`` file recovered, no catalog row pointing at
missing bytes, and nothing the killed run archived fetched again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from archive import Capture, audit_warc, verify_catalog
from crawler.errors import CrawlError
from crawler.models import CrawlRun, Document
from crawler.run import resume_crawl, run_crawl
from nianbao.db import connect, session
from tests.crawler.test_run import fast_settings
from tests.processes import kill_tree

pytestmark = pytest.mark.slow
KILL_AFTER = 40  # responses


class Killer:
    """A progress callback that SIGKILLs the crawl (its process and the archivist) once it has seen ``KILL_AFTER``
    responses."""

    def __init__(self):
        self.pid, self.killed_at = None, None

    def __call__(self, event: dict) -> None:
        if event["event"] == "started":
            self.pid = event["pid"]
        elif self.killed_at is None and event.get("responses", 0) >= KILL_AFTER:
            self.killed_at = event["responses"]
            kill_tree(self.pid)


def _exchanges(engine, run_id: int) -> list[tuple[str, str, str | None]]:
    """(url, method, request body digest) of every response/revisit the run archived."""
    with session(engine) as s:
        requests = {c.record_id: c.payload_digest for c in s.exec(select(Capture).where(Capture.record_type == "request"))}
        rows = s.exec(select(Capture).where(Capture.run_id == run_id, col(Capture.record_type).in_(("response", "revisit"))))
        return [(c.url, c.method, requests.get(c.request_record_id)) for c in rows]


class Resumed:
    def __init__(self, tmp: Path):
        from nianbao.demo_portal import DemoPortal

        with DemoPortal() as portal:
            seeds = [{"portal_id": None, "url": url} for url in portal.counties.values()]
            self.base_settings = fast_settings(tmp / "whole")
            self.base_engine = connect(self.base_settings.db_url)
            self.base_run = run_crawl(self.base_settings, seeds, engine=self.base_engine)
            self.settings = fast_settings(tmp / "killed")
            self.engine = connect(self.settings.db_url)
            self.killer = Killer()
            self.killed_run = run_crawl(self.settings, seeds, engine=self.engine, progress=self.killer)
            self.killed = _exchanges(self.engine, self.killed_run.id)
            self.open_after_kill = sorted(self.settings.warc_dir.glob("*.warc.gz.open"))
            self.open_sizes = {p.name: p.stat().st_size for p in self.open_after_kill}
            self.run = resume_crawl(self.settings, engine=self.engine)
        self.exchanges = _exchanges(self.engine, self.run.id)
        self.base = _exchanges(self.base_engine, self.base_run.id)


@pytest.fixture(scope="module")
def resumed(tmp_path_factory):
    return Resumed(tmp_path_factory.mktemp("resume"))


def test_baseline_ok(resumed):
    assert resumed.base_run.status == "ok"


def test_child_was_killed_mid_run(resumed):
    assert (resumed.killer.killed_at is not None, resumed.killed_run.status) == (True, "failed")


def test_killed_run_archived_part_of_the_crawl(resumed):
    assert 0 < len(resumed.killed) < len(resumed.base)


def test_kill_left_an_open_file(resumed):
    assert resumed.open_after_kill != []


def test_resumed_the_same_run(resumed):
    assert resumed.run.id == resumed.killed_run.id


def test_resumed_run_ok(resumed):
    assert (resumed.run.status, resumed.run.error) == ("ok", None)


def test_url_set_equals_uninterrupted_run(resumed):
    assert {u for u, _, _ in resumed.exchanges} == {u for u, _, _ in resumed.base}


def test_no_exchange_captured_twice(resumed):
    assert len(resumed.exchanges) == len(set(resumed.exchanges))


def test_uninterrupted_run_captures_each_exchange_once(resumed):
    assert len(resumed.base) == len(set(resumed.base))


def test_nothing_archived_before_the_kill_refetched(resumed):
    assert resumed.run.stats["incremental/resumed"] >= len(resumed.killed)


def test_documents_equal_uninterrupted_run(resumed):
    def urls(engine):
        with session(engine) as s:
            return set(s.exec(select(Document.url)))
    assert urls(resumed.engine) == urls(resumed.base_engine)


def test_no_open_file_left(resumed):
    assert list(resumed.settings.warc_dir.glob("*.warc.gz.open")) == []


def test_open_file_recovered_closed(resumed):
    closed = {p.name for p in resumed.settings.warc_dir.glob("*.warc.gz")}
    assert all(name.removesuffix(".open") in closed for name in resumed.open_sizes)


def test_recovered_file_cut_to_whole_records(resumed):
    for name, size in resumed.open_sizes.items():
        path = resumed.settings.warc_dir / name.removesuffix(".open")
        assert (path.stat().st_size <= size, audit_warc(path)) == (True, [])


def test_every_closed_warc_passes_audit(resumed):
    problems = [p for path in sorted(resumed.settings.warc_dir.glob("*.warc.gz")) for p in audit_warc(path)]
    assert problems == []


def test_no_catalog_row_points_at_missing_bytes(resumed):
    with session(resumed.engine) as s:
        assert verify_catalog(s, resumed.settings.warc_dir) == []


def test_nothing_left_to_resume(resumed):
    with pytest.raises(CrawlError):
        resume_crawl(resumed.settings, engine=resumed.engine)


def test_resume_of_a_finished_run_refused(resumed):
    with pytest.raises(CrawlError):
        resume_crawl(resumed.base_settings, engine=resumed.base_engine, run_id=resumed.base_run.id)


def test_single_run_row(resumed):
    with session(resumed.engine) as s:
        assert len(s.exec(select(CrawlRun)).all()) == 1
