"""CDXJ indexes: equal to a cdxj-indexer re-index, covering every record, each line pointing at one record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import Exchange, Original, build_request, index_lines, read_record, rebuild_indexes, write_index
from archive.index import index_path
from tests.archive.conftest import CHUNKED, GET, HTML, PLAIN, T0, make_writer

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


# -- lines from what the writer wrote, against cdxj-indexer ------------------------------------------------

_NAMES = st.sampled_from(["Content-Type", "content-type", "CONTENT-TYPE", "Server", "X-Odd", "Set-Cookie",
                          "Content Type", "X-Bad "])
_VALUES = st.one_of(
    st.sampled_from(["text/html", "text/html; charset=gbk", "TEXT/HTML;charset=utf-8", "", " text/html",
                     "text/html\t; q", "application/pdf", "a b", "text/html ; x=1"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=12),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x4e2d), max_size=6))
_STATUS_LINES = st.sampled_from(["HTTP/1.1 200 OK", "HTTP/1.0 404 Not Found", "HTTP/1.1 200", "HTTP/1.1 200 ",
                                 "HTTP/1.1 200  OK", "http/1.1 302 Found", "HTTP/1.1 20 OK", "HTTP/1.1 299 自定义",
                                 "HTTP/1.1 500 Internal\tError", "HTTP/2 200 OK"])


@st.composite
def _heads(draw, start):
    headers = draw(st.lists(st.tuples(_NAMES, _VALUES), max_size=4))
    newline = draw(st.sampled_from(["\r\n", "\r\n", "\r\n", "\n"]))
    lines = [draw(start), *(f"{k}:{draw(st.sampled_from([' ', '', '  ']))}{v}" for k, v in headers)]
    if headers and draw(st.booleans()):
        lines.insert(2, " folded continuation")
    return (newline.join(lines) + newline + newline).encode("utf-8")


_REQUEST_LINES = st.sampled_from(["GET /a?b=1 HTTP/1.1", "HEAD /a HTTP/1.1", "POST /form HTTP/1.1",
                                  "put /x HTTP/1.1", "GET /文件 HTTP/1.1", "GET  /a HTTP/1.1"])
_EXCHANGES = st.lists(st.tuples(st.one_of(st.just(GET), st.just(GET), _heads(_REQUEST_LINES)), _heads(_STATUS_LINES), st.sampled_from([b"", b"q=a&b=1", HTML]),
                                st.booleans()), min_size=1, max_size=5)
_RESOURCE_TYPES = st.sampled_from(["text/plain", "image/png", "application/warc-fields", "text/plain; charset=utf-8",
                                   "文本/纯"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(groups=st.lists(st.tuples(_EXCHANGES, st.lists(_RESOURCE_TYPES, max_size=2)), min_size=1, max_size=4))
def test_growing_index_on_random_heads_equals_cdxj_indexer(tmp_path_factory, groups):
    """Plain heads take the writer's path, odd ones (folded, non-ASCII, POST, bad status lines) cdxj-indexer's;
    either way (truncated responses and in-group revisits too) the lines are those of indexing the closed file."""
    from archive.index import GrowingIndex

    tmp = tmp_path_factory.mktemp("random")
    index = GrowingIndex(tmp / "indexes")
    w = make_writer(tmp / "warcs", max_size=6000, on_write=index.add, on_close=index.close)
    originals: dict[str, Original] = {}
    for n, (exchanges, resources) in enumerate(groups):
        batch = [Exchange(f"{URL}?g={n}&e={k}", req + body, resp + (body[:len(body) // 2] if cut else body),
                          truncated="length" if cut else None)
                 for k, (req, resp, body, cut) in enumerate(exchanges)]
        w.write_exchanges(batch, lambda digests: {d: originals[d] for d in digests if d in originals})
        for kind in resources:
            w.write_resource(f"urn:text:{URL}?g={n}", kind, b"text")
        originals.setdefault("sha1:" + "A" * 32, Original("<urn:uuid:x>", URL, T0))
    w.close()
    for warc in sorted((tmp / "warcs").glob("*.warc.gz")):
        assert index_path(warc, tmp / "indexes").read_text().splitlines() == index_lines(warc)


def test_plain_exchanges_are_indexed_without_reading_the_file_back(tmp_path, monkeypatch):
    import archive.index as index_module

    index = index_module.GrowingIndex(tmp_path / "indexes")
    w = make_writer(tmp_path / "warcs", on_write=index.add, on_close=index.close)
    first = w.write_exchanges([Exchange(f"{URL}?n=1", GET, PLAIN), Exchange(f"{URL}?n=2", GET, CHUNKED)])[0][1]
    monkeypatch.setattr(index_module, "_lines", lambda *a, **k: pytest.fail("read back"))
    w.write_exchange(Exchange(URL, GET, PLAIN), lambda d: Original(first.record_id, URL, first.date))
    w.write_resource(f"urn:text:{URL}", "text/plain; charset=utf-8", "文本".encode())
    monkeypatch.undo()
    w.close()
    warc = next((tmp_path / "warcs").glob("*.warc.gz"))
    assert index_path(warc, tmp_path / "indexes").read_text().splitlines() == index_lines(warc)
