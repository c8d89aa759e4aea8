"""The stage finds a unit's previous-year report for the cross-year checks (real SQLite, in memory)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import Session, SQLModel, create_engine

import archive.catalog  # noqa: F401  (tables the Report's foreign keys name)
import crawler.models  # noqa: F401
import nianbao.registry  # noqa: F401
from parsing.models import Report
from parsing.stage import previous_report

NOW = datetime(2024, 2, 1, tzinfo=timezone.utc)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        yield s


def _report(s, doc, unit, year, **kw):
    r = Report(document_id=doc, unit_id=unit, year=year, parsed_at=NOW, data={"year": year}, **kw)
    s.add(r)
    s.flush()
    return r


def test_previous_is_same_unit_year_before(session):
    prev = _report(session, 1, 7, 2022)
    _report(session, 2, 8, 2022)
    _report(session, 3, 7, 2021)
    assert previous_report(session, _report(session, 4, 7, 2023)) == prev


@pytest.mark.parametrize("kw", [{"is_report": False}, {"error": "corrupt"}])
def test_wrappers_and_failures_are_not_previous(session, kw):
    _report(session, 1, 7, 2022, **kw)
    assert previous_report(session, _report(session, 2, 7, 2023)) is None


def test_unmatched_report_has_no_previous(session):
    _report(session, 1, None, 2022)
    assert previous_report(session, _report(session, 2, None, 2023)) is None
