"""Status objects (INTERFACE.md) read from the compliance table, as dicts, CSV rows or JSON."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, select

from nianbao.registry import Unit, UnitMatcher, stem
from nianbao.timeutil import china_iso

from .models import ComplianceStatus

FIELDS = ("unit", "code", "county", "year", "status", "deadline", "deadline_adjusted", "deadline_source",
          "published", "published_source", "first_seen", "days_late", "on_time_only_if_adjusted", "observed", "withdrawn",
          "report_url", "warc_record_id")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def status_object(row: ComplianceStatus, unit: Unit, county: Unit | None) -> dict:
    return {
        "unit": unit.name, "code": unit.code, "county": county.name if county else None, "year": row.year,
        "status": row.status, "deadline": _iso(row.deadline), "deadline_adjusted": _iso(row.deadline_adjusted),
        "deadline_source": row.deadline_source, "published": _iso(row.published),
        "published_source": row.published_source, "first_seen": china_iso(row.first_seen),
        "days_late": row.days_late, "on_time_only_if_adjusted": row.adjusted_only, "observed": row.observed, "withdrawn": row.withdrawn,
        "report_url": row.report_url, "warc_record_id": row.warc_record_id,
    }


def _county_matches(county: Unit | None, wanted: str) -> bool:
    return county is not None and (wanted == county.code or stem(wanted) == county.stem)


def list_statuses(s: Session, *, year: int | None = None, county: str | None = None,
                  years: list[int] | None = None) -> list[dict]:
    """Status objects, ordered by county, unit code and year; ``county`` is a name or a code."""
    matcher = UnitMatcher(s)
    query = select(ComplianceStatus)
    if year is not None:
        query = query.where(ComplianceStatus.year == year)
    if years:
        query = query.where(ComplianceStatus.year.in_(years))
    out = []
    for row in s.exec(query):
        unit = matcher.units[row.unit_id]
        parent = matcher.ancestor(unit, "county") or matcher.ancestor(unit, "city")
        if county and not _county_matches(parent, county):
            continue
        out.append(status_object(row, unit, parent))
    return sorted(out, key=lambda o: (o["county"] or "", o["code"] or "", o["unit"], o["year"]))


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
