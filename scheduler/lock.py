"""One active scheduler per database: an fcntl lock file beside a SQLite file, an advisory lock on PostgreSQL.

Both locks die with the process (a SIGKILLed scheduler never leaves a stale
lock behind): the kernel drops the ``flock`` when the file descriptor
closes, PostgreSQL drops the advisory lock when the session ends.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine


class AlreadyRunning(Exception):
    """Another scheduler holds the lock; the message says where and what to do."""


def _lock_key(engine: Engine) -> int:
    """A signed 64-bit advisory-lock key for this database URL (schema options included)."""
    digest = hashlib.sha256(f"nianbao-scheduler {engine.url.render_as_string(hide_password=True)}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def sqlite_lock_path(engine: Engine) -> Path | None:
    """``<database file>.scheduler.lock``, or None for an in-memory database."""
    database = engine.url.database
    return Path(f"{database}.scheduler.lock") if database and database != ":memory:" else None


class InstanceLock:
    """Held while a scheduler runs. ``acquire`` raises AlreadyRunning when another process holds it."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._fd: int | None = None
        self._conn = None

    def acquire(self) -> "InstanceLock":
        if self.engine.dialect.name == "postgresql":
            self._acquire_advisory()
        else:
            self._acquire_file()
        return self

    def _acquire_advisory(self) -> None:
        conn = self.engine.connect()
        held = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _lock_key(self.engine)}).scalar()
        conn.commit()
        if not held:
            conn.close()
            raise AlreadyRunning("Another nianbao scheduler is already running on this PostgreSQL database; "
                                 "stop it first (only one may run per database).")
        self._conn = conn

    def _acquire_file(self) -> None:
        path = sqlite_lock_path(self.engine)
        if path is None:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise AlreadyRunning(f"Another nianbao scheduler (pid {holder}) is already running on this database "
                                 f"(lock {path}); stop it first (only one may run per database).") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        if self._conn is not None:  # the pool keeps the session open: unlock explicitly
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _lock_key(self.engine)})
            self._conn.commit()
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "InstanceLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
