"""Our WACZ in ReplayWeb.page, in headless Chromium: the GBK report page renders, the Chinese-path PDF replays byte-exact.

ReplayWeb.page's ``ui.js`` and ``sw.js`` (npm package ``replaywebpage``) are
looked for in ``REPLAYWEBPAGE_DIR``, else ``.venv-tools/replaywebpage``
(``scripts/setup.sh --with-checkers`` puts them there), else unpacked from
the local npm cache (``npm pack --offline``; never the network). A loopback
server serves ``index.html`` with ``<replay-web-page source="archive.wacz">``,
``replay/ui.js``, ``replay/sw.js`` and the WACZ (with Range requests, as
ReplayWeb.page reads a WACZ piecewise).
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import tarfile
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archive import Exchange, build_request, build_response, export_wacz
from tests.archive.conftest import make_writer
from tests.archive.loopback import GBK_HTML, PDF, gbk_response

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
RWP_VERSION = "2.5.3"
HOST = "http://www.example.gov.cn"
PDF_URI = HOST + "/%E6%96%87%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf"
TITLE = "兴隆镇人民政府2023年政府信息公开工作年度报告"


def _replaywebpage_files(tmp: Path) -> Path | None:
    """A folder with ui.js and sw.js, or None."""
    for folder in filter(None, [os.environ.get("REPLAYWEBPAGE_DIR"), ROOT / ".venv-tools" / "replaywebpage"]):
        if (Path(folder) / "ui.js").exists() and (Path(folder) / "sw.js").exists():
            return Path(folder)
    if not shutil.which("npm"):
        return None
    packed = subprocess.run(["npm", "pack", "--offline", "--silent", f"replaywebpage@{RWP_VERSION}"], cwd=tmp,
                            capture_output=True, text=True, timeout=60)
    tgz = tmp / f"replaywebpage-{RWP_VERSION}.tgz"
    if packed.returncode != 0 or not tgz.exists():
        return None
    with tarfile.open(tgz) as tar:
        for name in ("ui.js", "sw.js"):
            (tmp / name).write_bytes(tar.extractfile(f"package/{name}").read())
    return tmp


def _site(root: Path, files: Path) -> None:
    (root / "replay").mkdir(parents=True)
    for name in ("ui.js", "sw.js"):
        shutil.copy(files / name, root / "replay" / name)
    w = make_writer(root / "warcs")
    host = [("Host", "www.example.gov.cn")]
    w.write_exchange(Exchange(HOST + "/gbk.html", build_request("GET", "/gbk.html", host), gbk_response()))
    pdf = build_response("HTTP/1.1", 200, "OK", [("Content-Type", "application/pdf"),
                                                 ("Content-Length", str(len(PDF)))], PDF)
    w.write_exchange(Exchange(HOST + "/文件/报告.pdf", build_request("GET", PDF_URI[len(HOST):], host), pdf))
    w.close()
    export_wacz((root / "warcs").glob("*.warc.gz"), root / "archive.wacz", created=datetime(2026, 1, 21, tzinfo=timezone.utc))
    (root / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><script src="/replay/ui.js"></script></head><body>'
        f'<replay-web-page source="/archive.wacz" coll="nb" url="{HOST}/gbk.html" replayBase="/replay/" '
        'embed="replayonly"></replay-web-page></body></html>', "utf-8")


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with single ``Range: bytes=a-b`` requests answered 206."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "application/javascript",
                      ".wacz": "application/wacz"}

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = self.translate_path(self.path.split("?")[0])
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        if not match or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        start = int(match.group(1) or 0)
        end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(end - start + 1)
        self.send_response(206)
        for name, value in [("Content-Type", self.guess_type(path)), ("Accept-Ranges", "bytes"),
                            ("Content-Range", f"bytes {start}-{end}/{size}"), ("Content-Length", str(len(data)))]:
            self.send_header(name, value)
        self.end_headers()
        import io

        return io.BytesIO(data)


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found (scripts/setup.sh installs Debian's chromium)")
    files = _replaywebpage_files(tmp_path_factory.mktemp("rwp-files"))
    if files is None:
        pytest.skip("ReplayWeb.page's ui.js/sw.js not found: run scripts/setup.sh --with-checkers or set REPLAYWEBPAGE_DIR")
    from playwright.sync_api import sync_playwright

    root = tmp_path_factory.mktemp("rwp-site")
    _site(root, files)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _RangeHandler(*a, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        yield page, _replay_frame(page)
        browser.close()
    server.shutdown()


def _replay_frame(page, attempts: int = 3, timeout_ms: int = 20_000):
    """The iframe ReplayWeb.page shows the archived page in (``/replay/w/<coll>/…mp_/<url>``), once it has the text.

    On a first visit ReplayWeb.page can create its inner frame before its service worker controls it, and that
    frame then never starts; so once the worker is registered the page is reloaded (what a second visit sees).
    """
    for _ in range(attempts):
        _wait(page, lambda: page.context.service_workers, timeout_ms)
        page.reload()
        frame = _wait(page, lambda: _frame_with_title(page), timeout_ms)
        if frame:
            return frame
    raise AssertionError(f"ReplayWeb.page never showed the report page; frames: {[f.url for f in page.frames]}")


def _wait(page, probe, timeout_ms: int):
    for _ in range(timeout_ms // 250):
        found = probe()
        if found:
            return found
        page.wait_for_timeout(250)
    return None


def _frame_with_title(page):
    from playwright.sync_api import Error

    for frame in page.frames:
        if "/replay/w/" in frame.url and frame.url.endswith("/gbk.html"):
            try:
                if TITLE in frame.content():
                    return frame
            except Error:  # the frame navigated while being read; look again
                pass
    return None


def test_report_page_renders_decoded_from_gzip_chunked_gbk(replay):
    _, frame = replay
    text = frame.inner_text("body")
    assert "本报告由兴隆镇人民政府编制" in text
    assert frame.title() == TITLE == GBK_HTML.decode("gbk").split("<title>")[1].split("</title>")[0]


def test_chinese_path_pdf_replays_byte_exact_in_id_mode(replay):
    _, frame = replay
    prefix = re.sub(r"/\d{14}mp_/.*$", "", frame.url)
    status, body = frame.evaluate(
        "async (u) => { const r = await fetch(u); return [r.status, Array.from(new Uint8Array(await r.arrayBuffer()))]; }",
        f"{prefix}/id_/{PDF_URI}")
    assert status == 200 and bytes(body) == PDF
