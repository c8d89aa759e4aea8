"""The scheduler service in a child process, with a scripted sweep (for restart and single-instance tests).

``python -m tests.scheduler.service_child ARGS.json`` with
``{"db_url", "log", "script": [step, …], "alert_urls", "sweep_every", "clock"}``.
Sweep number N (counted across restarts in ``log``) runs ``script[N-1]``
(``{"publish": [[name, year, date]], "sleep": seconds}``); later sweeps do
nothing. The log gets ``start N`` and ``end N`` lines. Exit 3 with the
message on stderr when another instance holds the lock.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from nianbao.db import connect
from scheduler.delivery import Backoff
from scheduler.lock import AlreadyRunning
from scheduler.service import Service, ServiceConfig
from tests.scheduler import world


def _sweep_number(log: Path) -> int:
    lines = log.read_text().splitlines() if log.exists() else []
    return sum(1 for line in lines if line.startswith("start ")) + 1


def scripted_sweep(log: Path, script: list[dict], clock: datetime):
    def sweep(engine, now) -> None:
        n = _sweep_number(log)
        with log.open("a") as f:
            f.write(f"start {n}\n")
        step = script[n - 1] if n <= len(script) else {}
        for name, year, published in step.get("publish", []):
            world.publish(engine, name, year, published, clock)
        if step.get("sleep"):
            with log.open("a") as f:
                f.write(f"sleeping {n}\n")
            time.sleep(step["sleep"])
        with log.open("a") as f:
            f.write(f"end {n}\n")

    return sweep


def main(path: str) -> int:
    args = json.loads(Path(path).read_text())
    clock = datetime.fromisoformat(args["clock"])
    engine = connect(args["db_url"])
    config = ServiceConfig(alert_urls=tuple(args["alert_urls"]), delivery_seconds=0.5,
                           sweeps=(("sweep-season", f"interval:{args['sweep_every']}"),
                                   ("sweep-offseason", "cron:30 3 * 5-12 mon")),
                           backoff=Backoff(base=0.5, cap=2))
    started = datetime.now(timezone.utc)
    service = Service(engine, scripted_sweep(Path(args["log"]), args["script"], clock), config,
                      clock=lambda: clock + (datetime.now(timezone.utc) - started))  # simulated date, real pace
    try:
        service.start()
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr, flush=True)
        return 3
    print("started", flush=True)
    try:
        service.wait()
    finally:
        service.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
