"""Writer fixtures: a fixed clock and sequential record ids, so tests compare exact bytes."""

from __future__ import annotations

import gzip
import itertools
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archive import WarcWriter, build_request, build_response

T0 = datetime(2026, 1, 20, 1, 2, 3, 456000, tzinfo=timezone.utc)


def make_writer(directory: Path, **kw) -> WarcWriter:
    ids = itertools.count(1)
    kw.setdefault("info", {"operator": "tests", "robots": "obey", "isPartOf": "run-1"})
    return WarcWriter(directory, prefix="t", clock=lambda: T0, make_id=lambda: f"<urn:uuid:{next(ids):08d}>",
                      hostname="host", **kw)


@pytest.fixture
def writer(tmp_path):
    w = make_writer(tmp_path / "warcs")
    yield w
    w.close()


def gzip_members(path: Path) -> list[tuple[int, int, bytes]]:
    """(offset, length, decompressed) of every gzip member in a file."""
    data, pos, out = path.read_bytes(), 0, []
    while pos < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        content = d.decompress(data[pos:]) + d.flush()
        length = len(data) - pos - len(d.unused_data)
        out.append((pos, length, content))
        pos += length
    return out


def read_all(path: Path) -> bytes:
    return gzip.open(path).read()


GET = build_request("GET", "/col/nb.html?page=2", [("Host", "www.example.gov.cn"), ("Accept-Encoding", "gzip")])
HTML = "<html>年报</html>".encode("gbk")
PLAIN = build_response("HTTP/1.1", 200, "OK", [("Content-Type", "text/html"), ("Content-Length", str(len(HTML)))], HTML)
CHUNKED = build_response("HTTP/1.1", 200, "OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
                         b"4\r\n" + HTML[:4] + b"\r\n%x\r\n" % (len(HTML) - 4) + HTML[4:] + b"\r\n0\r\n\r\n")
