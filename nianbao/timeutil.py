"""Time helpers: nianbao stores instants as timezone-aware UTC and shows China time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def utcnow() -> datetime:
    """The wall clock, aware, UTC. Only surfaces call it; deeper code takes times as arguments."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive values (as SQLite returns them) are taken to be UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def china_iso(value: datetime | None) -> str | None:
    """ISO 8601 in China time (``2023-01-21T09:14:02+08:00``), or None."""
    return None if value is None else as_utc(value).astimezone(CHINA).isoformat(timespec="seconds")
