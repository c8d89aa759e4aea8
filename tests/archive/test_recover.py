"""archive.recover: an ``.open`` file cut back to its last complete record and closed; live files left alone."""

from __future__ import annotations

import pytest

from archive import ArchiveError, Exchange, audit_warc, recover, recover_all
from tests.archive.conftest import GET, PLAIN, gzip_members, make_writer


def _crashed(tmp_path, exchanges: int, tail: bytes):
    """An ``.open`` file with ``exchanges`` whole exchanges and ``tail`` appended, as a dead writer leaves it."""
    w = make_writer(tmp_path)
    for i in range(exchanges):
        w.write_exchange(Exchange(f"http://www.example.gov.cn/{i}", GET, PLAIN))
    path = w.directory / f"{w.current_file.name}.open"
    data = path.read_bytes()
    w._file.close()  # the process "dies": no rename, lock released
    path.write_bytes(data + tail)
    return path, len(data)


def test_a_partial_record_is_cut_and_the_file_closed_and_indexed(tmp_path):
    path, good = _crashed(tmp_path, 2, tail=b"\x1f\x8b\x08\x00partial")
    result = recover(path, tmp_path / "indexes")
    assert (result.path.name, result.records, result.cut_bytes) == (path.name[:-5], 5, 11)
    assert result.path.stat().st_size == good and audit_warc(result.path) == []
    assert (tmp_path / "indexes" / path.name.replace(".warc.gz.open", ".cdxj")).exists()


def test_a_whole_gzip_member_that_is_not_a_record_is_cut(tmp_path):
    import gzip

    path, good = _crashed(tmp_path, 1, tail=gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\nshort"))
    result = recover(path)
    assert result.records == 3 and result.path.stat().st_size == good


def test_a_file_without_one_complete_record_is_removed(tmp_path):
    path = tmp_path / "x-1.warc.gz.open"
    path.write_bytes(b"\x1f\x8b\x08")
    assert recover(path).path is None and not path.exists()


def test_a_file_a_live_writer_holds_is_refused(tmp_path):
    w = make_writer(tmp_path)
    w.write_exchange(Exchange("http://www.example.gov.cn/", GET, PLAIN))
    live = w.directory / f"{w.current_file.name}.open"
    with pytest.raises(ArchiveError, match="live process"):
        recover(live)
    assert recover_all(tmp_path) == [] and live.exists()
    w.close()
    (closed,) = tmp_path.glob("*.warc.gz")
    assert len(gzip_members(closed)) == 3  # warcinfo, request, response: untouched by the refused recovery


def test_closed_files_are_never_touched(tmp_path):
    closed = tmp_path / "x.warc.gz"
    closed.write_bytes(b"")
    with pytest.raises(ArchiveError, match="never touched"):
        recover(closed)
