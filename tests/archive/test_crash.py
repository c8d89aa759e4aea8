"""After ``kill -9`` mid-crawl: closed files pass the audit, every location already returned reads back."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from archive import read_record

WARCIO = Path(sys.executable).with_name("warcio")
WRITER = """
import json, sys
from archive import Exchange, WarcWriter, build_request, build_response
w = WarcWriter(sys.argv[1], prefix="crash", max_size=3000, info={"operator": "tests"})
body = b"x" * 500
resp = build_response("HTTP/1.1", 200, "OK", [("Content-Length", str(len(body)))], body)
i = 0
while True:
    i += 1
    req = build_request("GET", f"/{i}", [("Host", "example.gov.cn")])
    for loc in w.write_exchange(Exchange(f"http://example.gov.cn/{i}", req, resp)):
        print(json.dumps([loc.warc_file, loc.offset, loc.length, loc.record_id]), flush=True)
"""


def test_kill_9_leaves_closed_files_valid_and_returned_locations_readable(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    locations = [json.loads(proc.stdout.readline()) for _ in range(40)]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    closed = sorted(tmp_path.glob("*.warc.gz"))
    assert len(closed) >= 3 and len(list(tmp_path.glob("*.warc.gz.open"))) <= 1
    check = subprocess.run([WARCIO, "check", *map(str, closed)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    for name, offset, length, record_id in locations:
        assert read_record(tmp_path, name, offset, length, verify=True).record_id == record_id
