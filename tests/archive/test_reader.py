"""Reading one record back from (file, offset, length)."""

from __future__ import annotations

import gzip

import pytest

from archive import Exchange, IntegrityError, RecordNotFound, build_response, read_record
from tests.archive.conftest import CHUNKED, GET, HTML, PLAIN

URL = "http://www.example.gov.cn/nb.html"
GZ = gzip.compress(HTML, mtime=0)
GZIPPED = build_response("HTTP/1.1", 200, "OK", [("Content-Encoding", "gzip"), ("Set-Cookie", "a=1"),
                                                 ("Set-Cookie", "b=2"), ("Content-Length", str(len(GZ)))], GZ)


def write(writer, response):
    return writer.write_exchange(Exchange(URL, GET, response))


def read(writer, loc, **kw):
    return read_record(writer.directory, loc.warc_file, loc.offset, loc.length, **kw)


def test_response_status_and_headers_in_order_with_repeats(writer):
    rec = read(writer, write(writer, GZIPPED)[1])
    assert rec.status == 200 and rec.http.start == "HTTP/1.1 200 OK"
    assert [v for k, v in rec.http_headers if k == "Set-Cookie"] == ["a=1", "b=2"]


def test_payload_keeps_content_encoding_and_content_undoes_it(writer):
    rec = read(writer, write(writer, GZIPPED)[1])
    assert rec.payload == GZ and rec.content == HTML


def test_chunked_payload_is_dechunked(writer):
    rec = read(writer, write(writer, CHUNKED)[1])
    assert rec.block == CHUNKED and rec.payload == HTML


def test_request_record_has_the_request_as_sent(writer):
    rec = read(writer, write(writer, PLAIN)[0])
    assert rec.record_type == "request" and rec.block == GET and rec.status is None


def test_reads_from_a_file_still_open(writer):
    loc = write(writer, PLAIN)[1]
    assert not (writer.directory / loc.warc_file).exists()
    assert read(writer, loc).payload == HTML


def test_reads_after_close(writer):
    loc = write(writer, PLAIN)[1]
    writer.close()
    assert read(writer, loc, verify=True).record_id == loc.record_id


@pytest.mark.parametrize("delta_offset, delta_length", [(1, 0), (0, -1), (0, 1)])
def test_wrong_offset_or_length_is_not_a_record(writer, delta_offset, delta_length):
    write(writer, PLAIN)
    loc = write(writer, PLAIN)[0]
    with pytest.raises(RecordNotFound):
        read_record(writer.directory, loc.warc_file, loc.offset + delta_offset, loc.length + delta_length)


def test_missing_file(writer, tmp_path):
    with pytest.raises(RecordNotFound, match="Cannot read"):
        read_record(tmp_path, "nope.warc.gz", 0, 10)


def test_verify_detects_changed_bytes(writer):
    loc = write(writer, PLAIN)[1]
    rec = read(writer, loc)
    rec.block = rec.block.replace(HTML, HTML[::-1])
    rec.http = None
    with pytest.raises(IntegrityError, match="WARC-Block-Digest"):
        rec.verify()
