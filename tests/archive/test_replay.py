"""pywb ``id_`` round trip: what we archive replays byte-exact, revisits resolve, a Chinese-path PDF answers 200.

pywb pins redis==2.10.6 (nianbao needs redis>=5), so it lives in a venv of its
own: set ``PYWB_WAYBACK`` to its ``wayback`` executable (or put ``wayback`` on
PATH). Without it these tests skip, saying so.
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from archive import Exchange, Original, build_request, write_index
from tests.archive.conftest import make_writer
from tests.archive.loopback import GBK_HTML, PDF, SAME, gbk_response, route

WAYBACK = os.environ.get("PYWB_WAYBACK") or shutil.which("wayback")
pytestmark = pytest.mark.skipif(not WAYBACK, reason="pywb's wayback not found (set PYWB_WAYBACK)")
HOST = "http://www.example.gov.cn"
PDF_URL = HOST + "/%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _archive(root):
    coll = root / "collections" / "nb"
    w = make_writer(coll / "archive")
    get = lambda path: build_request("GET", path, [("Host", "www.example.gov.cn")])  # noqa: E731
    w.write_exchange(Exchange(HOST + "/gbk.html", get("/gbk.html"), gbk_response()))
    w.write_exchange(Exchange(HOST + "/文件/报告.pdf", get(PDF_URL[len(HOST):]), route("GET", "/文件/报告.pdf", b"")))
    first = w.write_exchange(Exchange(HOST + "/same", get("/same"), route("GET", "/same", b"")))[1]
    original = Original(first.record_id, HOST + "/same", first.date)
    w.write_exchange(Exchange(HOST + "/same2", get("/same2"), route("GET", "/same", b"")), lambda d: original)
    w.close()
    (warc,) = (coll / "archive").glob("*.warc.gz")
    index = write_index(warc, coll / "indexes")
    index.rename(coll / "indexes" / "index.cdxj")


@pytest.fixture(scope="module")
def wayback(tmp_path_factory):
    root = tmp_path_factory.mktemp("pywb")
    _archive(root)
    port = _free_port()
    proc = subprocess.Popen([WAYBACK, "-p", str(port), "-b", "127.0.0.1"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/nb/2026id_/"
    proc.terminate()
    proc.wait(10)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_chinese_path_pdf_replays_byte_exact(wayback):
    status, _, body = fetch(wayback + PDF_URL)
    assert (status, body) == (200, PDF)


def test_gbk_gzip_chunked_page_replays_byte_exact(wayback):
    status, headers, body = fetch(wayback + HOST + "/gbk.html")
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    assert (status, body) == (200, GBK_HTML)


def test_revisit_resolves_to_its_original(wayback):
    status, _, body = fetch(wayback + HOST + "/same2")
    assert (status, body) == (200, SAME)
