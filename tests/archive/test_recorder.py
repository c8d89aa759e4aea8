"""The recorder: exchanges and renderings archived by the archivist process, rows committed before the answer;
an archivist started ahead is adopted, or let go when its caller exits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlmodel import select

from archive import Capture, Exchange
from archive import recorder as recorder_module
from archive.recorder import Recorder, WriterSpec, start_archivist
from nianbao.db import connect, session
from tests.archive.conftest import GET, PLAIN

URL = "http://www.example.gov.cn/nb.html"


@pytest.fixture
def spec(tmp_path):
    return WriterSpec(str(tmp_path / "warcs"), {"prefix": "t", "fsync_each": False}, index_dir=str(tmp_path / "indexes"))


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    connect(url).dispose()
    return url


def test_rows_are_committed_when_the_future_resolves(spec, db_url):
    recorder = Recorder(spec, db_url, None)
    try:
        done = recorder.exchange(Exchange(URL, GET, PLAIN)).result(timeout=60)
        shot = recorder.resource("urn:view:" + URL, "image/png", b"\x89PNG", refers_to=done.record_id).result(timeout=60)
        engine = connect(db_url)
        with session(engine) as s:       # another connection: the rows are committed
            rows = {c.record_id: c for c in s.exec(select(Capture))}
        engine.dispose()
    finally:
        recorder.close()
    assert (rows[done.record_id].id, rows[done.record_id].record_type, rows[done.record_id].status) == (
        done.capture_id, "response", 200)
    assert (rows[shot.record_id].record_type, rows[shot.record_id].refers_to) == ("resource", done.record_id)
    assert len(rows) == 3  # request, response, resource


def test_an_archivist_started_ahead_is_adopted(spec, db_url):
    start_archivist()
    ahead = recorder_module._started[0]
    recorder = Recorder(spec, db_url, None)
    try:
        assert recorder._process is ahead and recorder_module._started is None
        assert recorder.exchange(Exchange(URL, GET, PLAIN)).result(timeout=60).record_type == "response"
    finally:
        recorder.close()
    assert not ahead.is_alive()


def test_an_archivist_started_ahead_and_never_adopted_exits_with_its_caller(tmp_path):
    """The caller's exit is not held up by it (multiprocessing joins its children at exit), and it does not linger."""
    script = textwrap.dedent("""
        from archive import recorder
        recorder.start_archivist()
        print(recorder._started[0].pid, flush=True)
    """)
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                           cwd=tmp_path, env={"PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert child.returncode == 0, child.stderr
    archivist = Path(f"/proc/{int(child.stdout.split()[0])}")
    deadline = time.monotonic() + 10
    while archivist.exists() and "zombie" not in _state(archivist) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not archivist.exists() or "zombie" in _state(archivist)


def _state(proc: Path) -> str:
    try:
        return next((line for line in (proc / "status").read_text().splitlines() if line.startswith("State:")), "")
    except OSError:
        return "gone"
