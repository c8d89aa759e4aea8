"""After ``kill -9`` mid-crawl: closed files pass the audit, every location already returned reads back; a real
crawl (``crawler.run``'s child, ``python -m crawler``) killed mid-write leaves an ``.open`` file that ``archive.recover`` closes, and
no catalog row pointing at missing bytes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from archive import audit_warc, read_record
from tests.processes import kill_tree, signal_tree, stop_tree

WARCIO = Path(sys.executable).with_name("warcio")
WRITER = """
import json, sys
from archive import Exchange, WarcWriter, build_request, build_response
w = WarcWriter(sys.argv[1], prefix="crash", max_size=3000, info={"operator": "tests"})
body = b"x" * 500
resp = build_response("HTTP/1.1", 200, "OK", [("Content-Length", str(len(body)))], body)
i = 0
while True:
    i += 1
    req = build_request("GET", f"/{i}", [("Host", "example.gov.cn")])
    for loc in w.write_exchange(Exchange(f"http://example.gov.cn/{i}", req, resp)):
        print(json.dumps([loc.warc_file, loc.offset, loc.length, loc.record_id]), flush=True)
"""


def test_kill_9_leaves_closed_files_valid_and_returned_locations_readable(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    locations = [json.loads(proc.stdout.readline()) for _ in range(40)]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    closed = sorted(tmp_path.glob("*.warc.gz"))
    assert len(closed) >= 3 and len(list(tmp_path.glob("*.warc.gz.open"))) <= 1
    check = subprocess.run([WARCIO, "check", *map(str, closed)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    for name, offset, length, record_id in locations:
        assert read_record(tmp_path, name, offset, length, verify=True).record_id == record_id


# -- a real crawl (crawler.run's child process) killed mid-write ------------------------------------------------

PAGES = 200
MIN_RESPONSES = 30


def _pages(method: str, target: str, body: bytes) -> bytes:
    """Each /p/N answers 1 MB of incompressible bytes, so each record takes the writer a while."""
    from tests.archive import loopback

    if target.startswith("/p/"):
        import random

        data = random.Random(target).randbytes(1_000_000)
        return loopback._plain(data, "application/pdf")
    return loopback.route(method, target, body)


def _start_crawl(home):
    import os

    from crawler.models import CrawlRun
    from crawler.run import ROOT, scrapy_settings
    from nianbao.config import load_settings
    from nianbao.db import connect, session
    from nianbao.timeutil import utcnow
    from tests.archive.loopback import LoopbackServer

    settings = load_settings(environ={}, home=home, download_delay=0, autothrottle=False, download_timeout=10)
    engine = connect(settings.db_url)
    server = LoopbackServer(routes=_pages)
    seeds = [{"url": f"{server.base}/p/{i}"} for i in range(PAGES)]
    with session(engine) as s:
        run = CrawlRun(started_at=utcnow(), seeds=seeds)
        s.add(run)
        s.flush()
        run_id = run.id
    overrides = {**scrapy_settings(settings, run_id), "WARC_MAX_SIZE": 5_000_000, "INCREMENTAL_ENABLED": False,
                 "LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS": 8, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}
    args = home / "args.json"
    args.write_text(json.dumps({"spider": "capture", "seeds": seeds, "settings": overrides}), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "crawler", str(args)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return settings, engine, server, child


def _responses(engine) -> int:
    from sqlmodel import func, select

    from archive import Capture
    from nianbao.db import session

    with session(engine) as s:
        return s.exec(select(func.count()).select_from(Capture).where(Capture.record_type == "response")).one()


def _partial(path: Path, known: dict) -> bool:
    """Whether ``path`` ends inside a record now (``known`` caches where its complete records end)."""
    from archive.recover import complete_prefix

    try:
        data = path.read_bytes()
    except FileNotFoundError:  # closed and renamed meanwhile
        return False
    start = known.get(path, 0)
    known[path] = start + complete_prefix(data[start:])[0]
    return known[path] < len(data)


def _kill_mid_record(child, warc_dir: Path, deadline: float) -> bool:
    """SIGKILL the crawl (``child`` and the archivist writing for it) while an ``.open`` file ends in a partial
    record: seen, frozen (SIGSTOP), seen again."""
    import time

    known: dict = {}
    while time.monotonic() < deadline and child.poll() is None:
        for path in warc_dir.glob("*.warc.gz.open"):
            if _partial(path, known):
                stop_tree(child.pid)
                if _partial(path, known):
                    kill_tree(child.pid)
                    return True
                signal_tree(child.pid, signal.SIGCONT)
        time.sleep(0.001)
    kill_tree(child.pid)
    return False


@pytest.fixture(scope="module")
def killed_crawl(tmp_path_factory):
    import time

    home = tmp_path_factory.mktemp("killed")
    settings, engine, server, child = _start_crawl(home)
    deadline = time.monotonic() + 90
    while _responses(engine) < MIN_RESPONSES and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    mid_record = _kill_mid_record(child, settings.warc_dir, deadline)
    child.wait()
    server.close()
    assert child.returncode == -signal.SIGKILL, child.stderr.read().decode()[-2000:]
    assert mid_record, "the crawl was never caught in the middle of a record"
    yield settings, engine
    engine.dispose()


def test_killed_crawl_was_mid_crawl(killed_crawl):
    settings, engine = killed_crawl
    assert MIN_RESPONSES <= _responses(engine) < PAGES
    assert len(list(settings.warc_dir.glob("*.warc.gz"))) >= 2
    assert len(list(settings.warc_dir.glob("*.warc.gz.open"))) == 1


def test_killed_crawl_closed_files_pass_audit_and_warcio(killed_crawl):
    settings, _ = killed_crawl
    closed = sorted(settings.warc_dir.glob("*.warc.gz"))
    assert {str(p.name): audit_warc(p) for p in closed} == {str(p.name): [] for p in closed}
    check = subprocess.run([WARCIO, "check", *map(str, closed)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_killed_crawl_open_file_recovers_and_nothing_catalogued_is_lost(killed_crawl):
    from archive import recover, verify_catalog
    from nianbao.db import session

    settings, engine = killed_crawl
    (open_file,) = settings.warc_dir.glob("*.warc.gz.open")
    size = open_file.stat().st_size
    recovered = recover(open_file, settings.index_dir)
    assert recovered.path is not None and recovered.records >= 1 and recovered.cut_bytes > 0
    assert recovered.path.stat().st_size == size - recovered.cut_bytes
    assert audit_warc(recovered.path) == []
    assert not list(settings.warc_dir.glob("*.open"))
    with session(engine) as s:
        assert verify_catalog(s, settings.warc_dir, settings.index_dir) == []


def test_killing_only_the_crawler_lets_the_archivist_close_its_file(tmp_path):
    """``kill -9`` of the crawler process alone: the archivist finishes what it was given, closes and indexes its
    file and exits — no ``.open`` file, every catalogued record sound."""
    import time

    from archive import verify_catalog
    from nianbao.db import session
    from tests.processes import descendants, state

    settings, engine, server, child = _start_crawl(tmp_path)
    try:
        deadline = time.monotonic() + 90
        while _responses(engine) < MIN_RESPONSES and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        archivists = descendants(child.pid)
        assert archivists, "the crawl has no archivist process"
        child.send_signal(signal.SIGKILL)
        child.wait()
        while any(state(pid) not in (None, "Z") for pid in archivists) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.close()
    assert list(settings.warc_dir.glob("*.open")) == []
    closed = sorted(settings.warc_dir.glob("*.warc.gz"))
    assert closed and {p.name: audit_warc(p) for p in closed} == {p.name: [] for p in closed}
    assert all((settings.index_dir / (p.name[:-len(".warc.gz")] + ".cdxj")).exists() for p in closed)
    with session(engine) as s:
        assert verify_catalog(s, settings.warc_dir, settings.index_dir) == []
    assert _responses(engine) >= MIN_RESPONSES
    engine.dispose()
