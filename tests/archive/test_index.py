"""CDXJ indexes: equal to a cdxj-indexer re-index, covering every record, each line pointing at one record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive import Exchange, Original, build_request, index_lines, read_record, rebuild_indexes, write_index
from archive.index import index_path
from tests.archive.conftest import CHUNKED, GET, PLAIN, make_writer

CDXJ_INDEXER = Path(sys.executable).with_name("cdxj-indexer")
URL = "http://www.example.gov.cn/文件/报告.pdf"


def closed_file(tmp_path) -> Path:
    w = make_writer(tmp_path / "warcs")
    first = w.write_exchange(Exchange(URL, GET, PLAIN))[1]
    w.write_exchange(Exchange(URL, GET, CHUNKED), lambda d: None)
    w.write_exchange(Exchange(URL, GET, PLAIN), lambda d: Original(first.record_id, URL, first.date))
    post = build_request("POST", "/form", [("Host", "www.example.gov.cn"), ("Content-Length", "7")], b"q=a&b=1")
    w.write_exchange(Exchange("http://www.example.gov.cn/form", post, PLAIN))
    w.write_resource("urn:text:" + URL, "text/plain", b"text")
    w.close()
    return next((tmp_path / "warcs").glob("*.warc.gz"))


def test_equals_cdxj_indexer_cli(tmp_path):
    warc = closed_file(tmp_path)
    cli = subprocess.run([CDXJ_INDEXER, "--post-append", "--sort", str(warc)], capture_output=True, text=True, check=True)
    assert index_lines(warc) == cli.stdout.splitlines()


def test_covers_every_response_revisit_and_resource(tmp_path):
    warc = closed_file(tmp_path)
    types = [json.loads(line.split(" ", 2)[2]).get("mime") for line in index_lines(warc)]
    assert len(types) == 5  # GET plain, GET chunked, the revisit, the POST response, the resource
    assert sum(1 for t in types if t == "warc/revisit") == 1


def test_each_line_locates_one_record(tmp_path):
    warc = closed_file(tmp_path)
    for line in index_lines(warc):
        fields = json.loads(line.split(" ", 2)[2])
        rec = read_record(warc.parent, fields["filename"], int(fields["offset"]), int(fields["length"]), verify=True)
        assert rec.header("WARC-Target-URI") == fields["url"]


def test_target_uris_in_the_index_are_ascii(tmp_path):
    assert all(line.isascii() for line in index_lines(closed_file(tmp_path)))


def test_write_and_rebuild(tmp_path):
    warc = closed_file(tmp_path)
    written = write_index(warc, tmp_path / "indexes")
    assert written == index_path(warc, tmp_path / "indexes") and written.name.endswith("-host.cdxj")
    before = written.read_text()
    written.unlink()
    assert rebuild_indexes(warc.parent, tmp_path / "indexes") == [written]
    assert written.read_text() == before


def test_growing_index_equals_indexing_the_closed_files(tmp_path):
    """Built range by range while writing (groups, a POST, a revisit, a resource, a rotation): the same lines."""
    from archive.index import GrowingIndex

    index = GrowingIndex(tmp_path / "indexes")
    w = make_writer(tmp_path / "warcs", max_size=2500, on_write=index.add, on_close=index.close)
    post = build_request("POST", "/form", [("Host", "www.example.gov.cn"), ("Content-Length", "7")], b"q=a&b=1")
    for n in range(4):
        first = w.write_exchanges([Exchange(f"{URL}?n={n}", GET, PLAIN), Exchange(f"{URL}?c={n}", GET, CHUNKED),
                                   Exchange("http://www.example.gov.cn/form", post, PLAIN)])[0][1]
        w.write_exchange(Exchange(URL, GET, PLAIN), lambda d: Original(first.record_id, URL, first.date))
        w.write_resource(f"urn:text:{URL}?n={n}", "text/plain", b"text")
    w.close()
    closed = sorted((tmp_path / "warcs").glob("*.warc.gz"))
    assert len(closed) >= 2
    for warc in closed:
        assert index_path(warc, tmp_path / "indexes").read_text().splitlines() == index_lines(warc)
