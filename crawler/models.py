"""Crawl tables: runs, the problems met on them, and the documents found. Written by the crawler."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class CrawlRun(SQLModel, table=True):
    """One crawl. ``status``: running | ok | failed (failed also when nothing was found where reports were expected)."""

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "running"
    seeds: list = Field(default_factory=list, sa_column=Column(JSON))
    stats: dict = Field(default_factory=dict, sa_column=Column(JSON))
    error: str | None = None


class CrawlProblem(SQLModel, table=True):
    """Something that went wrong on one URL; the crawl went on."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="crawlrun.id", index=True)
    url: str
    reason: str
    status: int | None = None
    at: datetime


class Document(SQLModel, table=True):
    """A candidate report found by the crawler: a report page or one of its attachments.

    One row per URL; ``capture_id`` is the latest capture. ``title`` is the
    entry's text in the column list, ``column_url`` the list it was found on,
    ``listed_date`` the date the list showed beside it.
    """

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(index=True, unique=True)
    kind: str = Field(description="page | attachment")
    parent_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    portal_id: int | None = Field(default=None, foreign_key="portal.id", index=True)
    capture_id: int | None = Field(default=None, foreign_key="capture.id")
    title: str | None = None
    column_url: str | None = None
    listed_date: date | None = None
    first_seen_at: datetime
    last_seen_at: datetime
    gone_since: datetime | None = Field(default=None, description="first sweep that no longer listed it (withdrawn)")
