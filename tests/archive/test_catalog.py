"""Catalog helpers: rows after writes, originals for dedup, payloads read back."""

from __future__ import annotations

import gzip

import pytest

from archive import (
    ArchiveError, Capture, Exchange, IntegrityError, build_response, find_original, read_capture, record_capture,
    verify_catalog,
)
from nianbao.db import session
from tests.archive.conftest import GET, HTML, PLAIN, T0

URL = "http://www.example.gov.cn/nb.html"
GZ = gzip.compress(HTML, mtime=0)
GZIPPED = build_response("HTTP/1.1", 200, "OK", [("Content-Encoding", "gzip"), ("Content-Length", str(len(GZ)))], GZ)


def capture(engine, writer, response, *, truncated=None, lookup=True):
    with session(engine) as s:
        find = (lambda digest: find_original(s, digest)) if lookup else None
        req, resp = writer.write_exchange(Exchange(URL, GET, response, truncated=truncated), find)
    with session(engine) as s:
        record_capture(s, req, URL, None, None, "GET", None, T0)
        return record_capture(s, resp, URL, resp.status, resp.content_type, "GET", None, T0, truncated,
                              request_record_id=req.record_id)


def test_row_points_at_the_record(engine, writer):
    row = capture(engine, writer, PLAIN)
    assert (row.record_type, row.status, row.offset > 0, row.complete) == ("response", 200, True, True)
    assert row.sha256 and row.payload_length == len(HTML) and row.request_record_id


def test_truncated_capture_is_incomplete(engine, writer):
    row = capture(engine, writer, PLAIN, truncated="length")
    assert (row.truncated, row.complete) == ("length", False)


def test_find_original_returns_the_first_complete_response(engine, writer):
    first = capture(engine, writer, PLAIN)
    with session(engine) as s:
        original = find_original(s, first.payload_digest)
    assert (original.record_id, original.target_uri) == (first.record_id, URL)


def test_truncated_capture_is_never_an_original(engine, writer):
    cut = capture(engine, writer, PLAIN, truncated="length")
    with session(engine) as s:
        assert find_original(s, cut.payload_digest) is None


def test_second_identical_payload_is_a_revisit(engine, writer):
    first = capture(engine, writer, PLAIN)
    second = capture(engine, writer, PLAIN)
    assert (second.record_type, second.refers_to) == ("revisit", first.record_id)


def test_read_capture_decodes_content(engine, writer):
    row = capture(engine, writer, GZIPPED)
    assert read_capture(writer.directory, row) == HTML
    assert read_capture(writer.directory, row, decode=False) == GZ


def test_read_capture_follows_a_revisit(engine, writer):
    capture(engine, writer, PLAIN)
    revisit = capture(engine, writer, PLAIN)
    with session(engine) as s:
        assert read_capture(writer.directory, revisit, session=s) == HTML
    with pytest.raises(ArchiveError, match="pass session"):
        read_capture(writer.directory, revisit)  # detached: no session to follow it with
    with session(engine) as s:
        attached = s.get(Capture, revisit.id)
        assert read_capture(writer.directory, attached) == HTML


def test_read_capture_checks_sha256(engine, writer):
    row = capture(engine, writer, PLAIN)
    row.sha256 = "0" * 64
    with pytest.raises(IntegrityError, match="sha256"):
        read_capture(writer.directory, row)


def test_verify_catalog_reports_a_row_pointing_nowhere(engine, writer):
    row = capture(engine, writer, PLAIN)
    with session(engine) as s:
        assert verify_catalog(s, writer.directory) == []
        bad = s.get(Capture, row.id)
        bad.offset += 1
        s.add(bad)
    with session(engine) as s:
        (problem,) = verify_catalog(s, writer.directory)
    assert problem.capture_id == row.id and str(row.offset + 1) in problem.message


def test_insert_captures_returns_ids_in_order_and_rows_equal_to_capture_row(engine, writer):
    """The archivist's one-statement insert: ids in the order given, committed rows as capture_row builds them."""
    from archive.catalog import capture_row, capture_values, insert_captures

    written = writer.write_exchanges([Exchange(f"{URL}?n={n}", GET, PLAIN if n % 2 else GZIPPED) for n in range(5)])
    locations = [loc for pair in written for loc in pair][::-1]          # not in writing order
    args = [(loc, loc.target_uri, loc.status, loc.content_type, "GET", None, T0, "length" if n == 3 else None)
            for n, loc in enumerate(locations)]
    with session(engine) as s:
        rows = insert_captures(s, [capture_values(*a) for a in args])
    assert [r.record_id for r in rows] == [loc.record_id for loc in locations]
    assert len({r.id for r in rows}) == len(rows)
    with session(engine) as s:
        for row, a in zip(rows, args):
            stored = s.get(Capture, row.id).model_dump()
            assert stored == {**capture_row(*a).model_dump(), "id": row.id, "captured_at": stored["captured_at"]}
            assert read_capture(writer.directory, row, session=s) == read_capture(writer.directory, s.get(Capture, row.id))
