"""Compliance tables: deadline rules, statuses, alerts. Written by the scheduler stage."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint


class DeadlineRule(SQLModel, table=True):
    """When reports of ``applies_to`` units in ``jurisdiction`` are due.

    ``jurisdiction`` is a division code prefix-owner (None = national);
    the most specific matching rule wins. ``due_month``/``due_day`` fall in
    the year after the report year.
    """

    id: int | None = Field(default=None, primary_key=True)
    jurisdiction: str | None = Field(default=None, index=True)
    applies_to: str = Field(description="township | county_gov | city_gov | province_gov | department")
    year_from: int | None = None
    year_to: int | None = None
    due_month: int
    due_day: int
    source: str
    confidence: str = "confirmed"


class ComplianceStatus(SQLModel, table=True):
    """The verdict for one unit and report year, with its evidence (INTERFACE.md status object)."""

    __table_args__ = (UniqueConstraint("unit_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    year: int = Field(index=True)
    status: str
    deadline: date
    deadline_adjusted: date
    deadline_source: str
    published: date | None = None
    published_source: str | None = None
    first_seen: datetime | None = None
    days_late: int | None = None
    observed: bool = True
    adjusted_only: bool = Field(default=False, description="on time only with the holiday-adjusted deadline")
    withdrawn: bool = False
    report_id: int | None = Field(default=None, foreign_key="report.id")
    report_url: str | None = None
    warc_record_id: str | None = None
    as_of: date
    evaluated_at: datetime


class Alert(SQLModel, table=True):
    """An alert, recorded once under its ``key`` and sent once."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    kind: str
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    year: int | None = None
    message: str
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime
    sent_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = Field(default=None, description="earliest retry after a failed send (back-off)")
    delivered_to: list = Field(default_factory=list, sa_column=Column(JSON),
                               description="ids (hashes) of the targets that accepted it, so a retry skips them")
