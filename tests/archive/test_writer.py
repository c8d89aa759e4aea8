"""The WARC writer: exact bytes, digests, revisits, rotation, file lifecycle."""

from __future__ import annotations

import base64
import gzip
import hashlib
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archive import ArchiveError, Exchange, Original, audit_warc, read_record
from archive.writer import SOFTWARE
from tests.archive.conftest import CHUNKED, GET, HTML, PLAIN, gzip_members, make_writer, read_all

URL = "http://www.example.gov.cn/col/nb.html?page=2"
WARCIO = Path(sys.executable).with_name("warcio")


def b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def test_exact_bytes_of_a_file_with_one_exchange(tmp_path):
    w = make_writer(tmp_path)
    w.write_exchange(Exchange(URL, GET, PLAIN))
    w.close()

    info = (f"software: {SOFTWARE}\r\nformat: WARC File Format 1.1\r\n"
            "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
            "operator: tests\r\nrobots: obey\r\nisPartOf: run-1\r\n").encode()
    name = "t-20260120010203456-00000-host.warc.gz"
    date = "2026-01-20T01:02:03Z"
    expected = record([("WARC-Type", "warcinfo"), ("WARC-Record-ID", "<urn:uuid:00000001>"), ("WARC-Date", date),
                       ("WARC-Filename", name), ("Content-Type", "application/warc-fields"),
                       ("WARC-Block-Digest", b32(info))], info)
    expected += record([("WARC-Type", "request"), ("WARC-Record-ID", "<urn:uuid:00000002>"), ("WARC-Date", date),
                        ("WARC-Target-URI", URL), ("WARC-Concurrent-To", "<urn:uuid:00000003>"),
                        ("Content-Type", "application/http; msgtype=request"), ("WARC-Block-Digest", b32(GET)),
                        ("WARC-Payload-Digest", b32(b""))], GET)
    expected += record([("WARC-Type", "response"), ("WARC-Record-ID", "<urn:uuid:00000003>"), ("WARC-Date", date),
                        ("WARC-Target-URI", URL), ("WARC-Concurrent-To", "<urn:uuid:00000002>"),
                        ("Content-Type", "application/http; msgtype=response"), ("WARC-Block-Digest", b32(PLAIN)),
                        ("WARC-Payload-Digest", b32(HTML))], PLAIN)
    assert read_all(tmp_path / name) == expected


def test_one_gzip_member_per_record_at_the_returned_locations(tmp_path, writer):
    locations = writer.write_exchange(Exchange(URL, GET, PLAIN)) + writer.write_exchange(Exchange(URL, GET, CHUNKED))
    path = writer.current_file.with_name(writer.current_file.name + ".open")
    members = gzip_members(path)
    assert [(m[0], m[1]) for m in members[1:]] == [(loc.offset, loc.length) for loc in locations]


def test_request_and_response_point_at_each_other(writer):
    req, resp = writer.write_exchange(Exchange(URL, GET, PLAIN))
    assert (req.record_type, resp.record_type) == ("request", "response")
    assert (req.concurrent_to, resp.concurrent_to) == (resp.record_id, req.record_id)


def test_chunked_and_unchunked_copies_share_a_payload_digest(writer):
    plain = writer.write_exchange(Exchange(URL, GET, PLAIN))[1]
    chunked = writer.write_exchange(Exchange(URL, GET, CHUNKED))[1]
    assert plain.payload_digest == chunked.payload_digest == b32(HTML)
    assert chunked.sha256 == hashlib.sha256(HTML).hexdigest() and chunked.payload_length == len(HTML)


def test_response_block_is_the_bytes_given(tmp_path, writer):
    loc = writer.write_exchange(Exchange(URL, GET, CHUNKED))[1]
    rec = read_record(writer.directory, loc.warc_file, loc.offset, loc.length, verify=True)
    assert rec.block == CHUNKED and rec.payload == HTML


def test_non_ascii_target_uri_is_percent_encoded(writer):
    loc = writer.write_exchange(Exchange("http://www.example.gov.cn/文件/报告.pdf?q=年报", GET, PLAIN))[1]
    assert loc.target_uri == "http://www.example.gov.cn/%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf?q=%E5%B9%B4%E6%8A%A5"
    assert loc.target_uri.isascii()


def test_revisit_when_the_payload_was_captured_before(writer):
    first = writer.write_exchange(Exchange(URL, GET, PLAIN))[1]
    original = Original(first.record_id, URL, datetime(2026, 1, 19, tzinfo=timezone.utc))
    loc = writer.write_exchange(Exchange(URL, GET, CHUNKED), lambda digest: original if digest == first.payload_digest else None)[1]
    rec = read_record(writer.directory, loc.warc_file, loc.offset, loc.length)
    assert rec.record_type == "revisit" and loc.refers_to == first.record_id
    assert rec.header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert (rec.header("WARC-Refers-To"), rec.header("WARC-Refers-To-Target-URI"), rec.header("WARC-Refers-To-Date")) == (
        first.record_id, URL, "2026-01-19T00:00:00Z")
    assert rec.header("WARC-Payload-Digest") == first.payload_digest
    assert rec.block == CHUNKED[: CHUNKED.index(b"\r\n\r\n") + 4]


def test_odd_header_bytes_are_kept_as_sent(writer):
    """No space after the colon, runs of spaces, a trailing space, raw UTF-8 and a folded line stay byte for byte."""
    odd = (b"HTTP/1.1 200  Fine\r\nX-A:b\r\nServer:  two  spaces \r\nX-Cn: \xe4\xb8\xad\r\n"
           b"X-Fold: one\r\n two\r\nContent-Length: 2\r\n\r\nhi")
    req, resp = writer.write_exchange(Exchange(URL, GET + b"", odd))
    rec = read_record(writer.directory, resp.warc_file, resp.offset, resp.length, verify=True)
    assert rec.block == odd and rec.header("WARC-Block-Digest") == b32(odd) and resp.block_digest == b32(odd)


def test_a_payload_repeated_within_a_group_is_a_revisit_of_its_first_response(writer):
    first, again, other = writer.write_exchanges(
        [Exchange(URL, GET, PLAIN), Exchange(URL + "&x=1", GET, CHUNKED), Exchange(URL, GET, PLAIN + b"!")])
    assert (first[1].record_type, again[1].record_type, other[1].record_type) == ("response", "revisit", "response")
    assert again[1].refers_to == first[1].record_id


def test_a_group_looks_originals_up_once(writer):
    asked = []
    hit = Original("<urn:uuid:old>", URL, datetime(2026, 1, 19, tzinfo=timezone.utc))
    out = writer.write_exchanges([Exchange(URL, GET, PLAIN), Exchange(URL, GET, PLAIN + b"!")],
                                 lambda digests: asked.append(digests) or {b32(HTML): hit})
    assert asked == [sorted({b32(HTML), b32(HTML + b"!")})]
    assert [loc[1].record_type for loc in out] == ["revisit", "response"]


def test_no_revisit_for_a_truncated_response(writer):
    hit = Original("<urn:uuid:x>", URL, datetime(2026, 1, 19, tzinfo=timezone.utc))
    loc = writer.write_exchange(Exchange(URL, GET, PLAIN, truncated="length"), lambda d: hit)[1]
    rec = read_record(writer.directory, loc.warc_file, loc.offset, loc.length)
    assert rec.record_type == "response" and rec.header("WARC-Truncated") == "length" and loc.truncated == "length"


def test_declared_normalisation_is_a_warc_comment(writer):
    loc = writer.write_exchange(Exchange(URL, GET, PLAIN, normalisation="reason phrase unknown"))[1]
    rec = read_record(writer.directory, loc.warc_file, loc.offset, loc.length)
    assert rec.header("WARC-Comment") == "reason phrase unknown"


def test_file_is_open_while_written_and_renamed_on_close(tmp_path, writer):
    loc = writer.write_exchange(Exchange(URL, GET, PLAIN))[0]
    assert [p.name for p in writer.directory.iterdir()] == [loc.warc_file + ".open"]
    writer.close()
    assert [p.name for p in writer.directory.iterdir()] == [loc.warc_file]


def test_records_can_be_read_from_the_open_file(writer):
    loc = writer.write_exchange(Exchange(URL, GET, PLAIN))[1]
    assert read_record(writer.directory, loc.warc_file, loc.offset, loc.length).payload == HTML


def test_warcinfo_is_first_in_every_file(tmp_path):
    w = make_writer(tmp_path, max_size=1)
    for _ in range(3):
        w.write_exchange(Exchange(URL, GET, PLAIN))
    w.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) == 3
    for f in files:
        first = gzip_members(f)[0][2]
        assert first.startswith(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n") and b"operator: tests" in first


def test_rotation_names_are_unique_and_sortable(tmp_path):
    w = make_writer(tmp_path, max_size=1)
    names = [w.write_exchange(Exchange(URL, GET, PLAIN))[0].warc_file for _ in range(3)]
    assert names == sorted(names) and len(set(names)) == 3
    assert names[0] == "t-20260120010203456-00000-host.warc.gz"


def test_closed_files_are_never_reopened(tmp_path):
    first = make_writer(tmp_path)
    name = first.write_exchange(Exchange(URL, GET, PLAIN))[0].warc_file
    first.close()
    before = (tmp_path / name).read_bytes()
    second = make_writer(tmp_path)  # same clock, same serial: must pick a new name
    other = second.write_exchange(Exchange(URL, GET, PLAIN))[0].warc_file
    second.close()
    assert other != name and (tmp_path / name).read_bytes() == before


def test_resource_record_for_a_rendering(writer):
    loc = writer.write_resource("urn:text:" + URL, "text/plain; charset=utf-8", "年报".encode(), refers_to="<urn:uuid:x>")
    rec = read_record(writer.directory, loc.warc_file, loc.offset, loc.length, verify=True)
    assert rec.record_type == "resource" and rec.block == "年报".encode()
    assert rec.header("WARC-Target-URI") == "urn:text:" + URL and rec.header("WARC-Refers-To") == "<urn:uuid:x>"


def test_an_exchange_without_response_bytes_is_refused(writer):
    with pytest.raises(ArchiveError, match="No response bytes"):
        writer.write_exchange(Exchange(URL, GET, b""))


def test_warcio_check_passes_unchunked_records(tmp_path):
    w = make_writer(tmp_path)
    w.write_exchange(Exchange(URL, GET, PLAIN))
    w.write_resource("urn:text:" + URL, "text/plain", b"text")
    w.close()
    result = subprocess.run([WARCIO, "check", "-v", *map(str, tmp_path.glob("*.warc.gz"))], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("digest pass") == 4


def test_warcio_check_disagrees_only_on_chunked_payload_digests(tmp_path):
    """warcio hashes chunk framing (DOMAIN.md §6); our digest is over the de-chunked entity, as WARC 1.1 says."""
    w = make_writer(tmp_path)
    w.write_exchange(Exchange(URL, GET, CHUNKED))
    w.close()
    result = subprocess.run([WARCIO, "check", "-v", *map(str, tmp_path.glob("*.warc.gz"))], capture_output=True, text=True)
    problems = [line.strip().replace("failed:", "failed") for line in result.stdout.splitlines() if "failed" in line]
    assert problems == [f"payload digest failed {b32(HTML)}"]


def test_written_files_pass_our_audit(tmp_path):
    w = make_writer(tmp_path, max_size=1)
    for response in (PLAIN, CHUNKED):
        w.write_exchange(Exchange("http://www.example.gov.cn/文件", GET, response))
    w.close()
    assert [audit_warc(f) for f in sorted(tmp_path.glob("*.warc.gz"))] == [[], []]


def test_audit_finds_a_changed_byte(tmp_path):
    w = make_writer(tmp_path)
    w.write_exchange(Exchange(URL, GET, PLAIN))
    w.close()
    (f,) = tmp_path.glob("*.warc.gz")
    members = gzip_members(f)
    offset, length, content = members[-1]
    damaged = gzip.compress(content.replace(HTML, HTML.upper()), mtime=0)
    f.write_bytes(f.read_bytes()[:offset] + damaged)
    (problem,) = audit_warc(f)
    assert "does not match" in problem
