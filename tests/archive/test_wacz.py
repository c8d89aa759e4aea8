"""WACZ 1.1.1 export: required files, STOREd WARCs, hashes, pages; ``wacz validate`` when available."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from datetime import datetime, timezone

import pytest

from archive import ArchiveError, Exchange, build_request, build_response, check_wacz, export_wacz
from tests.archive.conftest import GET, PLAIN, make_writer
from tests.archive.loopback import PDF

WACZ_CLI = os.environ.get("WACZ_CLI") or shutil.which("wacz")
CREATED = datetime(2026, 1, 21, tzinfo=timezone.utc)
PDF_RESPONSE = build_response("HTTP/1.1", 200, "OK", [("Content-Type", "application/pdf"),
                                                      ("Content-Length", str(len(PDF)))], PDF)
ROBOTS = build_response("HTTP/1.1", 200, "OK", [("Content-Type", "text/plain"), ("Content-Length", "0")])


@pytest.fixture
def wacz(tmp_path):
    w = make_writer(tmp_path / "warcs", max_size=1)
    w.write_exchange(Exchange("http://www.example.gov.cn/nb.html", GET, PLAIN))
    w.write_exchange(Exchange("http://www.example.gov.cn/文件/报告.pdf", build_request("GET", "/x", []), PDF_RESPONSE))
    w.write_exchange(Exchange("http://www.example.gov.cn/robots.txt", build_request("GET", "/robots.txt", []), ROBOTS))
    w.close()
    return export_wacz((tmp_path / "warcs").glob("*.warc.gz"), tmp_path / "out.wacz", created=CREATED)


def test_has_the_required_files(wacz):
    names = set(zipfile.ZipFile(wacz).namelist())
    assert {"datapackage.json", "datapackage-digest.json", "pages/pages.jsonl", "indexes/index.cdxj"} <= names
    assert len([n for n in names if n.startswith("archive/")]) == 3


def test_warcs_are_stored_uncompressed(wacz):
    z = zipfile.ZipFile(wacz)
    assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist() if i.filename.startswith("archive/"))


def test_pages_list_documents_not_robots(wacz):
    lines = zipfile.ZipFile(wacz).read("pages/pages.jsonl").decode().splitlines()
    assert json.loads(lines[0])["format"] == "json-pages-1.0"
    assert sorted(json.loads(x)["url"] for x in lines[1:]) == [
        "http://www.example.gov.cn/%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf", "http://www.example.gov.cn/nb.html"]


def test_passes_our_check(wacz):
    assert check_wacz(wacz) == []


def test_our_check_rejects_a_package_without_pages(wacz, tmp_path):
    broken = tmp_path / "broken.wacz"
    with zipfile.ZipFile(wacz) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            if item.filename != "pages/pages.jsonl":
                dst.writestr(item, src.read(item))
    assert check_wacz(broken) == ["pages/pages.jsonl is missing"]


def test_nothing_to_export(tmp_path):
    with pytest.raises(ArchiveError, match="No closed WARC"):
        export_wacz([], tmp_path / "x.wacz", created=CREATED)


@pytest.mark.skipif(not WACZ_CLI, reason="wacz CLI not found (set WACZ_CLI)")
def test_wacz_validate_accepts_it(wacz):
    result = subprocess.run([WACZ_CLI, "validate", "-f", str(wacz)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
