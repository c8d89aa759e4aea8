"""Parsed reports. Written by the parsing stage."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Report(SQLModel, table=True):
    """The report read from one document. ``data`` is the INTERFACE.md report object.

    ``error`` is set (and ``data`` may be empty) when the document could not
    be parsed; the reason is kept, never skipped silently.
    """

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True)
    capture_id: int | None = Field(default=None, foreign_key="capture.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    year: int | None = Field(default=None, index=True)
    agency: str | None = None
    agency_kind: str | None = None
    is_report: bool = Field(default=True, description="False for look-alikes (解读, 公布情况, notices)")
    published: date | None = None
    published_source: str | None = None
    format: str | None = None
    data: dict = Field(default_factory=dict, sa_column=Column(JSON))
    error: str | None = None
    parsed_at: datetime
    parser_version: str = "1"
