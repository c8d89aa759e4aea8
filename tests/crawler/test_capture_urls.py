"""``nianbao capture`` (pipeline.capture → crawler.run.capture_urls → the capture spider) against the loopback server,
and change detection (bar 18) across two captures of the same URLs."""

from __future__ import annotations

import gzip
import socket
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from archive import Capture, CaptureChange, changes, read_capture, verify_catalog
from nianbao import pipeline
from nianbao.config import load_settings
from nianbao.db import session
from tests.archive import loopback
from tests.archive.loopback import PDF, PDF_PATH, LoopbackServer

NEWS_V1 = "<html><head><title>通知</title></head><body><p>第一版：年报将于1月31日前公布。</p></body></html>"
NEWS_V2 = "<html><head><title>通知</title></head><body><p>第二版：年报已公布。</p></body></html>"
PAGE = "<html><body><p>兴隆镇2023年政府信息公开工作年度报告</p><!-- build 1 --></body></html>"


class Versioned:
    """Routes whose answers change with ``version`` (1, then 2): the loopback pages plus pages that change or not."""

    def __init__(self):
        self.version = 1

    def __call__(self, method: str, target: str, body: bytes) -> bytes:
        path, v2 = target.split("?")[0], self.version == 2
        if path == "/news":
            return loopback._plain((NEWS_V2 if v2 else NEWS_V1).encode(), "text/html; charset=utf-8")
        if path == "/recompressed":  # same document, served gzip the second time: new digest, empty diff
            html = PAGE.replace("build 1", "build 2" if v2 else "build 1").encode()
            if v2:
                return loopback._plain(gzip.compress(html, mtime=0), "text/html; charset=utf-8",
                                       extra=[("Content-Encoding", "gzip")])
            return loopback._plain(html, "text/html; charset=utf-8")
        if path == "/doc.pdf":
            return loopback._plain(PDF + (b"% revised\n" if v2 else b""), "application/pdf")
        return loopback.route(method, target, body)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    home = tmp_path_factory.mktemp("capture")
    settings = load_settings(environ={}, home=home, download_delay=0, autothrottle=False, download_timeout=10)
    engine = pipeline.open_db(settings)
    routes = Versioned()
    server = LoopbackServer(routes=routes)
    base = server.base
    urls = [f"{base}/r1", f"{base}{PDF_PATH}", f"{base}/search?q=年报", f"{base}/gbk.html", f"{base}/same",
            f"{base}/news", f"{base}/recompressed", f"{base}/doc.pdf"]
    first = pipeline.capture(settings, engine, urls)
    between = datetime.now(timezone.utc)
    log_after_first = len(server.log)
    routes.version = 2
    second = pipeline.capture(settings, engine, urls)
    dead = pipeline.capture(settings, engine, [f"http://127.0.0.1:{_free_port()}/gone"])
    server.close()
    yield {"settings": settings, "engine": engine, "server": server, "base": base, "first": first, "second": second,
           "between": between, "first_log": server.log[:log_after_first], "dead": dead}
    engine.dispose()


def _urls(result):
    return [(c.url.rsplit("/", 1)[-1], c.status, c.record_type) for c in result.captures]


def test_capture_run_is_ok_and_everything_given_was_archived(world):
    first = world["first"]
    assert (first.run.status, first.run.error, first.missing) == ("ok", None, [])


def test_redirect_chain_is_archived_hop_by_hop(world):
    hops = [(name, status) for name, status, _ in _urls(world["first"]) if name in ("r1", "r2", "r3", "final")]
    assert hops == [("r1", 301), ("r2", 302), ("r3", 307), ("final", 200)]


def test_only_the_given_urls_were_fetched_no_discovery(world):
    paths = {entry["path"].split("?")[0] for entry in world["first_log"]}
    # gbk.html links to /r1, the PDF and /search; those were given too, but nothing else on it is followed
    assert paths == {"/robots.txt", "/r1", "/r2", "/r3", "/final", PDF_PATH, "/search", "/gbk.html", "/same", "/news",
                     "/recompressed", "/doc.pdf"}
    assert sum(1 for e in world["first_log"] if e["path"] == "/gbk.html") == 1


def test_query_and_chinese_path_are_kept(world):
    names = [c.url for c in world["first"].captures]
    assert f"{world['base']}/search?q=%E5%B9%B4%E6%8A%A5" in names
    assert f"{world['base']}/%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf" in names


def test_the_pdf_reads_back_byte_exact(world):
    (pdf,) = [c for c in world["first"].captures if c.url.endswith(".pdf") and "doc" not in c.url]
    with session(world["engine"]) as s:
        assert read_capture(world["settings"].warc_dir, pdf, session=s) == PDF


def test_unreachable_url_is_reported_missing(world):
    dead = world["dead"]
    assert dead.missing == [dead.run.seeds[0]["url"]]
    assert [p.reason.split(":")[0] for p in dead.problems] == ["connection refused"]


def test_unchanged_recapture_writes_revisits_only(world):
    second = {name: kind for name, status, kind in _urls(world["second"]) if status == 200}
    for name in ("robots.txt", "final", "gbk.html", "same"):
        assert second[name] == "revisit", name
    assert second["%E6%8A%A5%E5%91%8A.pdf"] == "revisit"


def test_changed_pages_are_changes_linking_both_captures(world):
    with session(world["engine"]) as s:
        found = changes(s)
        got = {c.url.rsplit("/", 1)[-1]: c for c in found}
        assert sorted(got) == ["doc.pdf", "news"]
        for change in found:
            before, after = s.get(Capture, change.before_id), s.get(Capture, change.after_id)
            assert (before.run_id, after.run_id) == (world["first"].run.id, world["second"].run.id)
            assert (change.before_digest, change.after_digest) == (before.payload_digest, after.payload_digest)
            assert change.before_digest != change.after_digest and change.diff.strip()


def test_a_change_diff_shows_the_text(world):
    with session(world["engine"]) as s:
        (news,) = [c for c in changes(s) if c.url.endswith("/news")]
    assert "-第一版：年报将于1月31日前公布。" in news.diff and "+第二版：年报已公布。" in news.diff


def test_same_document_recompressed_is_no_change(world):
    with session(world["engine"]) as s:
        rows = s.exec(select(Capture).where(Capture.url.endswith("/recompressed"), Capture.record_type == "response")).all()
        assert len({r.payload_digest for r in rows}) == 2
        assert not s.exec(select(CaptureChange).where(CaptureChange.url.endswith("/recompressed"))).all()


def test_changes_since(world):
    with session(world["engine"]) as s:
        assert len(changes(s, since=world["between"])) == 2
        assert changes(s, since=datetime.now(timezone.utc)) == []


def test_the_archive_verifies_after_both_captures(world):
    settings = world["settings"]
    with session(world["engine"]) as s:
        assert verify_catalog(s, settings.warc_dir, settings.index_dir) == []


def test_cli_capture_archives_and_exits_0(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    server = LoopbackServer()
    env = {**os.environ, "NIANBAO_HOME": str(tmp_path), "NIANBAO_DOWNLOAD_DELAY": "0", "COLUMNS": "300"}
    env.pop("DATABASE_URL", None)
    try:
        result = subprocess.run([str(Path(sys.executable).with_name("nianbao")), "capture", f"{server.base}/r1"],
                                env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.close()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines() if line[:1].isdigit()] == [
        ["200", "response"], ["301", "response"], ["302", "response"], ["307", "response"],
        ["200", "response"]]  # robots.txt, then the hops
