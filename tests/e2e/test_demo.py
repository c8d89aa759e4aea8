"""End to end: the demo portal's ground truth against the whole pipeline's verdicts.

One crawl per backend (module-scoped), then one assertion per township-year
so a failure names the unit and year that went wrong.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlmodel import select

from archive import read_capture
from archive.catalog import Capture
from nianbao import pipeline
from nianbao.db import session
from nianbao.demo_portal import DemoPortal

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def portal():
    with DemoPortal() as p:
        yield p


@pytest.fixture(scope="module")
def run(portal, tmp_path_factory):
    """The pipeline as `nianbao demo` runs it, on SQLite, politeness off (loopback)."""
    home = tmp_path_factory.mktemp("home")
    settings = pipeline.loopback_settings(home, environ={})
    engine, crawl = pipeline.crawl_demo(settings, portal.registry_csv())
    # as of the day the crawl ran (China time): a report found today counts from today, so a fixed date
    # would call it missing once the clock passes that date
    statuses = pipeline.evaluate(engine, pipeline.today_china())
    return dict(settings=settings, engine=engine, crawl=crawl,
                statuses={(s["code"], s["year"]): s for s in statuses})


def _truth(portal):
    return sorted(portal.truth(), key=lambda t: (t["code"], t["year"]))


def test_crawl_run_succeeds(run):
    assert run["crawl"].status == "ok"


def test_every_truth_row_has_a_status(portal, run):
    assert {(t["code"], t["year"]) for t in portal.truth()} <= set(run["statuses"])


def pytest_generate_tests(metafunc):
    if "truth" in metafunc.fixturenames:
        with DemoPortal() as p:
            rows = _truth(p)
        metafunc.parametrize("truth", rows, ids=[f"{t['township']}-{t['year']}" for t in rows])


def test_status_matches_truth(run, truth):
    assert run["statuses"][(truth["code"], truth["year"])]["status"] == truth["status"]


def test_published_date_matches_truth(run, truth):
    got = run["statuses"][(truth["code"], truth["year"])]
    expected = truth["published"].isoformat() if truth["published"] and truth["status"] != "undated" else None
    assert (got["published"] if truth["status"] in ("on_time", "late") else None) == (
        expected if truth["status"] in ("on_time", "late") else None)


def test_published_source_matches_truth(run, truth):
    got = run["statuses"][(truth["code"], truth["year"])]
    if truth["status"] in ("on_time", "late"):
        assert got["published_source"] == truth["published_source"]


def test_every_capture_rereads_from_its_offset(run):
    settings = run["settings"]
    with session(run["engine"]) as s:
        captures = s.exec(select(Capture).where(Capture.record_type == "response")).all()
        assert captures
        for capture in captures:
            read_capture(settings.warc_dir, capture)


def test_warcio_check_passes_on_every_warc(run):
    files = sorted(run["settings"].warc_dir.glob("*.warc.gz"))
    assert files and not list(run["settings"].warc_dir.glob("*.open"))
    result = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, files)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
