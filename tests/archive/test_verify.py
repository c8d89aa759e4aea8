"""``verify_catalog`` / ``nianbao archive verify``: planted defects are each reported, a sound archive passes."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive import Exchange, build_response, record_capture, verify_catalog, write_index
from archive.reader import read_record
from archive.verify import http_problems
from nianbao.db import connect, session
from tests.archive.conftest import CHUNKED, GET, PLAIN, gzip_members, make_writer

HOST = "http://www.example.gov.cn"
BODY = b"<html>report</html>"
LYING = build_response("HTTP/1.1", 200, "OK", [("Content-Type", "text/html"), ("Content-Length", "1000")], BODY)
NOT_GZIP = build_response("HTTP/1.1", 200, "OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                                  ("Content-Length", str(len(BODY)))], BODY)
GZIP = gzip.compress(BODY, mtime=0)
GOOD_GZIP = build_response("HTTP/1.1", 200, "OK", [("Content-Encoding", "gzip"), ("Content-Length", str(len(GZIP)))], GZIP)
BAD_STATUS = b"HTTP/1.1 OK\r\nContent-Length: 2\r\n\r\nok"
CUT_CHUNKS = CHUNKED[: CHUNKED.rindex(b"0\r\n")]


class Archive:
    """An archive in a nianbao home (``warcs/``, ``indexes/``, ``nianbao.db``), one exchange per WARC file."""

    def __init__(self, home: Path):
        self.home, self.warc_dir, self.index_dir = home, home / "warcs", home / "indexes"
        self.engine = connect(f"sqlite:///{home / 'nianbao.db'}")
        self.writer = make_writer(self.warc_dir, max_size=1, on_close=lambda p: write_index(p, self.index_dir))
        self.rows: dict[str, tuple[int, str, int]] = {}

    def add(self, name: str, response: bytes, truncated: str | None = None) -> None:
        req, resp = self.writer.write_exchange(Exchange(f"{HOST}/{name}", GET, response, truncated=truncated))
        with session(self.engine) as s:
            record_capture(s, req, req.target_uri, None, None, "GET", None, req.date)
            row = record_capture(s, resp, resp.target_uri, resp.status, resp.content_type, "GET", None, resp.date,
                                 truncated, request_record_id=req.record_id)
            self.rows[name] = (row.id, row.warc_file, row.offset)

    def problems(self):
        with session(self.engine) as s:
            return verify_catalog(s, self.warc_dir, self.index_dir)


@pytest.fixture
def archive(tmp_path):
    a = Archive(tmp_path)
    for name, response in [("plain", PLAIN), ("chunked", CHUNKED), ("gzip", GOOD_GZIP), ("corrupt", PLAIN),
                           ("missing", PLAIN), ("indexed", PLAIN)]:
        a.add(name, response)
    a.add("cut", CUT_CHUNKS, truncated="disconnect")
    yield a
    a.engine.dispose()


def _flip_byte_in_payload(path: Path, offset: int) -> None:
    """Damage the record at ``offset``: one byte of its payload changed, the gzip member rebuilt to the same length."""
    data = path.read_bytes()
    length, record = next((n, content) for o, n, content in gzip_members(path) if o == offset)
    i = record.rindex(b"</html>")
    for level in range(10):  # a compression level that gives back the original length keeps the catalog row's span
        damaged = gzip.compress(record[:i] + b"</htmX>" + record[i + 7:], compresslevel=level, mtime=0)
        if len(damaged) == length:
            break
    else:
        damaged = data[offset:offset + length - 12] + bytes(b ^ 0xFF for b in data[offset + length - 12:offset + length])
    path.write_bytes(data[:offset] + damaged + data[offset + length:])


def test_a_sound_archive_has_no_problems(archive):
    assert archive.problems() == []


def test_truncated_chunked_body_is_consistent_when_declared(archive):
    _, name, offset = archive.rows["cut"]
    assert not [p for p in archive.problems() if p.warc_file == name]


def test_corrupt_record_is_reported(archive):
    capture_id, name, offset = archive.rows["corrupt"]
    _flip_byte_in_payload(archive.warc_dir / name, offset)
    problems = archive.problems()
    assert [p.capture_id for p in problems if p.warc_file == name and p.capture_id] == [capture_id]
    assert [p.message[:23] for p in problems if p.warc_file == name and not p.capture_id] == ["cannot be re-indexed: C"]


def test_missing_file_is_one_problem(archive):
    _, name, _ = archive.rows["missing"]
    (archive.warc_dir / name).unlink()
    problems = [p for p in archive.problems() if p.warc_file == name]
    assert [p.message for p in problems] == ["file missing; 2 catalog rows point into it"]


@pytest.mark.parametrize("response, expected", [
    (LYING, "body is 19 bytes but Content-Length says 1000, and no WARC-Truncated"),
    (NOT_GZIP, "Content-Encoding gzip does not decode"),
    (BAD_STATUS, "status line 'HTTP/1.1 OK' does not parse"),
    (CUT_CHUNKS, "chunked body ends before its last chunk, and no WARC-Truncated"),
])
def test_http_inconsistency_is_reported(tmp_path, response, expected):
    a = Archive(tmp_path)
    a.add("x", response)
    capture_id = a.rows["x"][0]
    problems = a.problems()
    a.engine.dispose()
    assert len(problems) == 1 and problems[0].capture_id == capture_id and expected in problems[0].message


def test_a_longer_body_than_content_length_is_reported_even_if_truncated():
    long = build_response("HTTP/1.1", 200, "OK", [("Content-Length", "2")], b"abc")
    rec = _roundtrip(long, truncated="length")
    assert http_problems(rec) == ["body is 3 bytes but Content-Length says 2"]


def _roundtrip(response: bytes, truncated=None):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        w = make_writer(Path(tmp))
        _, loc = w.write_exchange(Exchange(f"{HOST}/y", GET, response, truncated=truncated))
        w.close()
        return read_record(tmp, loc.warc_file, loc.offset, loc.length)


def test_stale_index_is_reported(archive):
    _, name, _ = archive.rows["indexed"]
    index = archive.index_dir / name.replace(".warc.gz", ".cdxj")
    index.write_text("", "utf-8")
    problems = [p for p in archive.problems() if p.warc_file == index.name]
    assert len(problems) == 1 and "differs from a fresh re-index" in problems[0].message


def test_missing_index_is_reported(archive):
    _, name, _ = archive.rows["plain"]
    (archive.index_dir / name.replace(".warc.gz", ".cdxj")).unlink()
    assert [p.message for p in archive.problems()] == [f"index of {name} is missing; run a re-index"]


def test_cli_exits_1_with_one_line_per_problem(archive):
    _, corrupt, offset = archive.rows["corrupt"]
    _flip_byte_in_payload(archive.warc_dir / corrupt, offset)
    (archive.warc_dir / archive.rows["missing"][1]).unlink()
    expected = len(archive.problems())
    env = {**os.environ, "NIANBAO_HOME": str(archive.home), "COLUMNS": "2000"}  # rich wraps at 80 otherwise
    env.pop("DATABASE_URL", None)
    result = subprocess.run([str(Path(sys.executable).with_name("nianbao")), "archive", "verify"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    # corrupt record + its file cannot be re-indexed; missing file + its index now stray
    assert expected == 4 and len(result.stderr.strip().splitlines()) == expected, result.stderr
