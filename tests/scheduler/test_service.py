"""The scheduler service: jobs in the database, restarts that neither lose nor double jobs or alerts, one instance.

In-process tests use the service's BackgroundScheduler; the restart and
two-instance tests run it in child processes (``service_child.py``) with a
scripted sweep and SIGKILL one mid-sweep.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from scheduler.lock import AlreadyRunning
from scheduler.service import JOBS_TABLE, SchedulerError, Service, ServiceConfig, trigger
from tests.scheduler import world
from tests.scheduler.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
CLOCK = datetime(2027, 2, 6, 2, tzinfo=timezone.utc)   # 10:00 China time, after the 2026 reports' deadlines
STATIC_JOBS = {"sweep-season", "sweep-offseason", "deliver", "plan-deadlines"}
# report years 2026 and 2027: township/department 1/31 (2027: a Sunday → 2/1), governments 3/31
DEADLINE_JOBS = {"deadline-eval:2027-03-31", "deadline-eval:2028-01-31", "deadline-eval:2028-03-31"}


def _stored_jobs(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(text(f"SELECT id FROM {JOBS_TABLE}")))


def _service(engine, **kw) -> Service:
    config = ServiceConfig(sweeps=(("sweep-season", "interval:3600"), ("sweep-offseason", "cron:30 3 * 5-12 mon")),
                           delivery_seconds=3600, **kw)
    return Service(engine, lambda engine, now: None, config, clock=lambda: CLOCK)


@pytest.fixture
def running(engine):
    services = []

    def start(**kw) -> Service:
        service = _service(engine, **kw)
        service.start()
        services.append(service)
        return service

    yield start
    for service in services:
        service.stop()


def test_jobs_are_stored_in_the_database(engine, running):
    running()
    assert set(_stored_jobs(engine)) == STATIC_JOBS | DEADLINE_JOBS


def test_restart_neither_loses_nor_doubles_jobs(engine, running):
    running().stop()
    running()
    assert sorted(_stored_jobs(engine)) == sorted(STATIC_JOBS | DEADLINE_JOBS)


@pytest.mark.parametrize("field, value", [("coalesce", True), ("max_instances", 1), ("misfire_grace_time", 6 * 3600)])
def test_job_defaults(engine, running, field, value):
    service = running()
    assert {getattr(j, field) for j in service.scheduler.get_jobs() if j.id in STATIC_JOBS} == {value}


def test_deadline_evaluation_runs_however_late_a_restart_comes(engine, running):
    job = running().scheduler.get_job("deadline-eval:2028-01-31")
    assert job.misfire_grace_time is None


def test_deadline_evaluation_runs_at_0005_china_time_the_day_after(engine, running):
    job = running().scheduler.get_job("deadline-eval:2028-01-31")
    assert job.next_run_time.isoformat() == "2028-02-01T00:05:00+08:00"


def test_second_instance_in_process_is_refused(engine, running):
    running()
    with pytest.raises(AlreadyRunning, match="already running"):
        _service(engine).start()


def test_lock_is_released_on_stop(engine, running):
    running().stop()
    assert running().scheduler.running


@pytest.mark.parametrize("spec", ["cron:61 * * * *", "every day", "interval:soon"])
def test_bad_sweep_schedule_names_itself(spec):
    with pytest.raises(SchedulerError, match="Sweep schedule"):
        trigger(spec)


# -- child processes -------------------------------------------------------------------------------

def _child(tmp_path: Path, db_url: str, script: list[dict], urls: list[str], every: float = 2) -> subprocess.Popen:
    args = tmp_path / f"args-{time.monotonic_ns()}.json"
    args.write_text(json.dumps({"db_url": db_url, "log": str(tmp_path / "sweeps.log"), "script": script,
                                "alert_urls": urls, "sweep_every": every, "clock": CLOCK.isoformat()}))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    err = (tmp_path / f"{args.stem}.stderr").open("w")  # kept for a failing test's diagnosis
    return subprocess.Popen([sys.executable, "-m", "tests.scheduler.service_child", str(args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=err, text=True)


def _wait_for(condition, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _log(tmp_path: Path) -> list[str]:
    path = tmp_path / "sweeps.log"
    return path.read_text().splitlines() if path.exists() else []


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


SCRIPT = [
    {"publish": [["兴隆镇", 2026, "2027-01-20"]]},    # sweep 1: one on time, three become missing
    {"publish": [["龙山镇", 2026, "2027-02-05"]], "sleep": 120},  # sweep 2: killed mid-sweep
]


@pytest.fixture
def restarted(engine, db_url, tmp_path):
    """Child A sweeps once, is SIGKILLed mid-sweep 2; child B resumes. Yields (engine, receiver, uids, log)."""
    world.setup(engine)
    uids = {name: world.unit_id(engine, name) for name in world.TOWNSHIPS}
    with Receiver() as hook:
        first = _child(tmp_path, db_url, SCRIPT, [hook.url()])
        try:
            _wait_for(lambda: "sleeping 2" in _log(tmp_path), what="sweep 2 to be under way")
            _wait_for(lambda: len(hook.keys) >= 3, what="the first alerts")
        finally:
            first.kill()
            first.wait()
        second = _child(tmp_path, db_url, SCRIPT, [hook.url()], every=3600)
        try:
            _wait_for(lambda: "end 3" in _log(tmp_path), what="the interrupted sweep to be resumed")
            _wait_for(lambda: len(hook.keys) >= 4, what="the alert of the resumed sweep")
            time.sleep(2)  # time for any duplicate to arrive
            yield engine, hook, uids, _log(tmp_path), _stored_jobs(engine)
        finally:
            _stop(second)


def test_restart_sends_no_duplicate_alert(restarted):
    _, hook, uids, _, _ = restarted
    expected = sorted([f"became_missing:{uids[n]}:2026" for n in ("龙山镇", "凤岗镇", "庆丰乡")]
                      + [f"published_after_all:{uids['龙山镇']}:2026"])
    assert sorted(hook.keys) == expected


def test_restart_resumes_the_interrupted_sweep_at_once(restarted):
    _, _, _, log, _ = restarted
    assert log == ["start 1", "end 1", "start 2", "sleeping 2", "start 3", "end 3"]


def test_restart_loses_no_job(restarted):
    _, _, _, _, jobs = restarted
    assert set(jobs) == STATIC_JOBS | DEADLINE_JOBS


def test_second_instance_exits_with_a_clear_message(engine, db_url, tmp_path):
    first = _child(tmp_path, db_url, [], [], every=3600)
    try:
        assert first.stdout.readline().strip() == "started"
        second = _child(tmp_path, db_url, [], [], every=3600)
        second.wait(timeout=60)
        err = "".join(p.read_text() for p in tmp_path.glob("*.stderr"))
        assert (second.returncode, "already running" in err) == (3, True)
    finally:
        _stop(first)
