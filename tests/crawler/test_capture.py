"""crawler.capture in a real Scrapy crawl of a loopback server: archived bytes against the bytes the server logged."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from sqlmodel import select

from archive import ArchiveError, Capture, audit_warc, check_wacz, export_wacz, index_lines, read_capture, read_record, verify_catalog
from archive.index import index_path
from crawler.capture import WarcCaptureMiddleware
from nianbao.db import connect, session
from tests.archive.conftest import gzip_members
from tests.archive.loopback import GBK_HTML, PDF, SAME, LoopbackServer, self_signed_context

SCRIPT = Path(__file__).parents[1] / "archive" / "crawl_loopback.py"
BIN = Path(sys.executable).parent


class Crawl:
    def __init__(self, root: Path):
        self.server, self.tls_server = LoopbackServer(), LoopbackServer(tls=self_signed_context(root))
        self.warc_dir, self.db_url = root / "warcs", f"sqlite:///{root / 'nianbao.db'}"
        out = root / "spider.jsonl"
        self.result = subprocess.run(
            [sys.executable, str(SCRIPT), self.server.base, str(self.warc_dir), self.db_url, str(out),
             self.tls_server.base], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
        self.server.close()
        self.tls_server.close()
        self.spider = [json.loads(line) for line in out.read_text("utf-8").splitlines()] if out.exists() else []
        self.engine = connect(self.db_url)
        self.records = [read_record(self.warc_dir, f.name, off, length)
                        for f in sorted(self.warc_dir.glob("*.warc.gz")) for off, length, _ in gzip_members(f)]

    def by_id(self, record_id):
        return next(r for r in self.records if r.record_id == record_id)

    def responses(self, path, base=None):
        uri = (base or self.server.base) + path
        return [r for r in self.records if r.record_type in ("response", "revisit") and r.header("WARC-Target-URI") == uri]

    def request_of(self, response):
        return self.by_id(response.header("WARC-Concurrent-To"))

    def sent_for(self, request_record):
        """What the server sent in answer to exactly these request bytes."""
        log = self.server.log + self.tls_server.log
        return next(e["response"] for e in log if e["request"] == request_record.block)

    def rows(self):
        with session(self.engine) as s:
            return s.exec(select(Capture)).all()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    crawl = Crawl(tmp_path_factory.mktemp("capture"))
    assert crawl.result.returncode == 0, crawl.result.stderr[-3000:]
    yield crawl
    crawl.engine.dispose()


def one(crawl, path):
    (rec,) = crawl.responses(path)
    return rec


def test_the_crawl_archived_without_errors(crawl):
    assert "Traceback" not in crawl.result.stderr, crawl.result.stderr[-3000:]
    assert not list(crawl.warc_dir.glob("*.open"))


def test_every_request_record_is_what_the_server_received(crawl):
    sent = sorted(r.block for r in crawl.records if r.record_type == "request")
    assert sent == sorted(e["request"] for e in crawl.server.log + crawl.tls_server.log)


@pytest.mark.parametrize("path", ["/robots.txt", "/gbk.html", "/r1", "/r2", "/r3", "/final", "/reason", "/文件/报告.pdf",
                                  "/search?q=%C4%EA%B1%A8&page=2", "/form"])
def test_response_block_is_the_bytes_the_server_sent(crawl, path):
    path = path if path.isascii() else "/%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf"
    rec = one(crawl, path)
    assert rec.block == crawl.sent_for(crawl.request_of(rec))
    rec.verify()


def test_gbk_page_keeps_the_real_status_line_and_both_cookies(crawl):
    rec = one(crawl, "/gbk.html")
    assert rec.http.start == "HTTP/1.1 200 OK"
    assert [v for k, v in rec.http_headers if k == "Set-Cookie"] == [
        "JSESSIONID=abc123; Path=/", "__jsluid_h=0f1e2d; Path=/; HttpOnly"]
    assert rec.http.get("Transfer-Encoding") == "chunked" and rec.http.get("Content-Encoding") == "gzip"


def test_gbk_page_keeps_odd_header_bytes(crawl):
    """A lower-case name, no space after the colon, raw UTF-8 in a value: archived as sent, not re-serialised."""
    block = one(crawl, "/gbk.html").block
    assert b"\r\nx-frame-options: SAMEORIGIN\r\n" in block and b"\r\nx-server:TRS WCM\r\n" in block
    assert "\r\nX-Title: 年报\r\n".encode("utf-8") in block


def test_gbk_page_payload_is_the_gzip_entity_and_decodes_to_the_page(crawl):
    rec = one(crawl, "/gbk.html")
    assert gzip.decompress(rec.payload) == GBK_HTML == rec.content
    assert "兴隆镇人民政府" in rec.content.decode("gb18030")


def test_https_exchange_is_taped_inside_tls(crawl):
    (rec,) = crawl.responses("/search?q=tls", base=crawl.tls_server.base)
    assert rec.header("WARC-Target-URI").startswith("https://") and rec.record_type == "response"
    assert rec.block == crawl.sent_for(crawl.request_of(rec))


def test_same_payload_over_https_is_a_revisit_of_the_http_capture(crawl):
    (rec,) = crawl.responses("/gbk.html", base=crawl.tls_server.base)
    assert rec.record_type == "revisit" and rec.header("WARC-Refers-To") == one(crawl, "/gbk.html").record_id
    assert crawl.sent_for(crawl.request_of(rec)).startswith(rec.block)


def test_every_redirect_hop_is_its_own_record_pair(crawl):
    hops = [one(crawl, p) for p in ("/r1", "/r2", "/r3", "/final")]
    assert [h.status for h in hops] == [301, 302, 307, 200]
    assert [crawl.request_of(h).http.start for h in hops] == [
        "GET /r1 HTTP/1.1", "GET /r2 HTTP/1.1", "GET /r3 HTTP/1.1", "GET /final HTTP/1.1"]


def test_custom_reason_phrase_is_kept(crawl):
    assert one(crawl, "/reason").http.start == "HTTP/1.1 200 Everything Fine Here"


def test_chinese_path_pdf_has_an_ascii_target_and_exact_bytes(crawl):
    rec = one(crawl, "/%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf")
    assert rec.header("WARC-Target-URI").isascii() and rec.payload == PDF
    row = next(r for r in crawl.rows() if r.record_id == rec.record_id)
    assert row.sha256 == hashlib.sha256(PDF).hexdigest()


def test_query_string_is_in_the_request_line(crawl):
    req = crawl.request_of(one(crawl, "/search?q=%C4%EA%B1%A8&page=2"))
    assert req.http.start == "GET /search?q=%C4%EA%B1%A8&page=2 HTTP/1.1"


def test_post_body_is_recorded(crawl):
    req = crawl.request_of(one(crawl, "/form"))
    assert req.http.start == "POST /form HTTP/1.1" and req.payload == b"q=%E5%B9%B4%E6%8A%A5&year=2023"


@pytest.mark.parametrize("header", ["Host", "Accept-Encoding", "Cookie", "Referer"])
def test_request_headers_as_sent(crawl, header):
    req = crawl.request_of(one(crawl, "/form"))
    assert req.http.get(header)


def test_robots_txt_is_archived(crawl):
    assert one(crawl, "/robots.txt").payload.startswith(b"User-agent: *")


def test_unchanged_page_captured_twice_is_a_revisit(crawl):
    first, second = crawl.responses("/same")
    assert (first.record_type, second.record_type) == ("response", "revisit")
    assert second.header("WARC-Refers-To") == first.record_id
    assert second.header("WARC-Refers-To-Date") == first.header("WARC-Date")
    assert second.header("WARC-Payload-Digest") == first.header("WARC-Payload-Digest")
    revisit_row = next(r for r in crawl.rows() if r.record_id == second.record_id)
    with session(crawl.engine) as s:
        assert read_capture(crawl.warc_dir, revisit_row, session=s) == SAME


def test_download_cut_by_maxsize_is_archived_as_truncated(crawl):
    rec = one(crawl, "/big")
    assert rec.header("WARC-Truncated") == "length"
    assert crawl.sent_for(crawl.request_of(rec)).startswith(rec.block)
    row = next(r for r in crawl.rows() if r.record_id == rec.record_id)
    assert (row.truncated, row.complete) == ("length", False)


def test_download_cut_by_timeout_is_archived_as_truncated(crawl):
    rec = one(crawl, "/slow")
    assert rec.header("WARC-Truncated") == "time" and rec.status == 200
    assert crawl.sent_for(crawl.request_of(rec)).startswith(rec.block) and len(rec.payload) < 4000
    row = next(r for r in crawl.rows() if r.record_id == rec.record_id)
    assert (row.truncated, row.complete) == ("time", False)


def test_connection_lost_mid_body_is_archived_as_truncated(crawl):
    rec = one(crawl, "/short")
    assert rec.header("WARC-Truncated") == "disconnect" and rec.block == crawl.sent_for(crawl.request_of(rec))
    row = next(r for r in crawl.rows() if r.record_id == rec.record_id)
    assert (row.truncated, row.complete, row.payload_length) == ("disconnect", False, 500)


@pytest.mark.parametrize("path, error", [("/big", "DownloadCancelledError"), ("/slow", "DownloadTimeoutError"),
                                         ("/short", "ResponseDataLossError")])
def test_errback_of_a_cut_download_points_at_its_capture(crawl, path, error):
    (noted,) = [n for n in crawl.spider if n["url"].endswith(path)]
    assert error in noted["error"] and noted["capture"]["record_id"] == one(crawl, path).record_id


def test_every_catalogued_capture_rereads_from_its_offset(crawl):
    rows = crawl.rows()
    assert len(rows) == len([r for r in crawl.records if r.record_type != "warcinfo"])
    for row in rows:
        rec = read_record(crawl.warc_dir, row.warc_file, row.offset, row.length, verify=True)
        assert rec.record_id == row.record_id and rec.record_type == row.record_type
        if row.record_type == "response":
            assert hashlib.sha256(rec.payload).hexdigest() == row.sha256


def test_spider_responses_point_at_their_captures(crawl):
    rows = {r.id: r for r in crawl.rows()}
    noted = [n for n in crawl.spider if n["status"]]
    assert len(noted) == 10  # http: gbk, same ×2, form, search, pdf, final, reason; https: gbk, search (robots, hops: none)
    for n in noted:
        row = rows[n["capture"]["capture_id"]]
        assert (row.url, row.record_id, row.warc_file) == (n["url"], n["capture"]["record_id"], n["capture"]["warc_file"])


def test_warcinfo_names_operator_robots_and_crawl(crawl):
    info = crawl.records[0]
    assert info.record_type == "warcinfo"
    assert {b"operator: nianbao tests", b"robots: obey", b"isPartOf: loopback"} <= set(info.block.splitlines())


def test_warcio_check_fails_only_chunked_payload_digests(crawl):
    result = subprocess.run([BIN / "warcio", "check", "-v", *map(str, crawl.warc_dir.glob("*.warc.gz"))],
                            capture_output=True, text=True)
    failed = [line for line in result.stdout.splitlines() if "failed" in line]
    chunked = [r for r in crawl.records if r.record_type == "response" and r.http.get("Transfer-Encoding") == "chunked"]
    assert len(failed) == len(chunked) == 2 and all("payload digest" in line for line in failed)


def test_files_rotate_and_each_begins_with_warcinfo(crawl):
    files = sorted(crawl.warc_dir.glob("*.warc.gz"))
    assert len(files) > 1
    for f in files:
        assert gzip_members(f)[0][2].startswith(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")


def test_index_written_on_close_equals_cdxj_indexer(crawl):
    for warc in crawl.warc_dir.glob("*.warc.gz"):
        written = index_path(warc, crawl.warc_dir.parent / "indexes").read_text().splitlines()
        cli = subprocess.run([BIN / "cdxj-indexer", "--post-append", "--sort", str(warc)], capture_output=True, text=True)
        assert written == index_lines(warc) == cli.stdout.splitlines()


def test_middleware_is_not_configured_when_off():
    with pytest.raises(NotConfigured):
        WarcCaptureMiddleware.from_crawler(get_crawler(settings_dict={"WARC_ENABLED": False}))


def test_middleware_refuses_to_start_without_the_taping_handler():
    with pytest.raises(ArchiveError, match="DOWNLOAD_HANDLERS"):
        WarcCaptureMiddleware.from_crawler(get_crawler(settings_dict={"WARC_ENABLED": True}))


def test_every_file_passes_our_audit(crawl):
    assert [p for f in crawl.warc_dir.glob("*.warc.gz") for p in audit_warc(f)] == []


def test_the_crawl_exports_as_a_sound_wacz(crawl, tmp_path):
    from datetime import datetime, timezone

    wacz = export_wacz(crawl.warc_dir.glob("*.warc.gz"), tmp_path / "crawl.wacz", created=datetime.now(timezone.utc))
    assert check_wacz(wacz) == []


def test_catalog_verifies_clean(crawl):
    with session(crawl.engine) as s:
        assert verify_catalog(s, crawl.warc_dir) == []
