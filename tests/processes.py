"""Signals to a whole process tree: a crawl is the crawler process and the archivist it spawned."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (Linux ``/proc``), parents before their children."""
    out: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return out
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        for child in children:
            out += [child, *descendants(child)]
    return out


def signal_tree(pid: int, sig: int) -> list[int]:
    """Send ``sig`` to ``pid`` and all its descendants (listed first, so a killed parent cannot orphan them);
    the pids signalled."""
    targets = [pid, *descendants(pid)]
    for target in targets:
        try:
            os.kill(target, sig)
        except ProcessLookupError:
            pass
    return targets


def kill_tree(pid: int, timeout: float = 10.0) -> None:
    """SIGKILL ``pid`` and its descendants and return once all are gone (their files closed, their locks released)."""
    deadline = time.monotonic() + timeout
    targets = signal_tree(pid, signal.SIGKILL)
    while time.monotonic() < deadline and any(state(t) not in ("Z", None) for t in targets):
        time.sleep(0.005)


def stop_tree(pid: int, timeout: float = 5.0) -> None:
    """SIGSTOP ``pid`` and its descendants and return once each is stopped (a write in flight has completed)."""
    deadline = time.monotonic() + timeout
    targets = signal_tree(pid, signal.SIGSTOP)
    while time.monotonic() < deadline and any(state(t) not in ("T", "t", "Z", None) for t in targets):
        time.sleep(0.001)


def state(pid: int) -> str | None:
    """The process state letter of ``pid`` (R, S, T, Z …), None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
