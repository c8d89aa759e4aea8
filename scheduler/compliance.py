"""Compliance evaluation: for every unit and report year, a status with its evidence.

Statuses (INTERFACE.md): on_time, late, missing, pending, undated. ``as_of``
is always an argument ("today" in China time); nothing here reads the clock.
A report's portal date is a claim: when it says on time but our first
capture came after the deadline, the status stays on_time with
``observed = False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, delete, select

from archive.catalog import Capture
from crawler.models import Document
from nianbao.registry import Unit, UnitMatcher
from nianbao.timeutil import CHINA, as_utc
from parsing.models import Report

from .deadlines import LEVEL_KIND, Deadline, deadline_for, ensure_default_rules, pick_rule
from .models import ComplianceStatus, DeadlineRule

EVALUATED_LEVELS = ("township",)


@dataclass(frozen=True)
class Evidence:
    """The report chosen for a unit-year, with where it was seen."""

    report: Report
    url: str
    first_seen: datetime
    record_id: str | None
    withdrawn: bool


def end_of_day(day: date) -> datetime:
    """24:00 China time of ``day`` (民法典 Art. 203: a day ends at 24:00), as aware UTC."""
    return datetime.combine(day, time.max, CHINA)


def _evidence(s: Session, report: Report) -> Evidence:
    doc = s.get(Document, report.document_id)
    page = s.get(Document, doc.parent_id) if doc.parent_id else doc
    capture = s.get(Capture, report.capture_id) if report.capture_id else None
    first_seen = min(as_utc(d.first_seen_at) for d in {doc.id: doc, page.id: page}.values())
    return Evidence(report, page.url, first_seen, capture.record_id if capture else None,
                    withdrawn=page.gone_since is not None)


def known_by(evidence: Evidence, as_of: date) -> bool:
    """Whether a report counts as of ``as_of``: we had seen it by then, or it claims to be published by then."""
    published = evidence.report.published
    return evidence.first_seen <= end_of_day(as_of) or (published is not None and published <= as_of)


def _choose(found: list[Evidence]) -> Evidence:
    """Of several reports for one unit-year (one report reachable twice), the earliest dated one."""
    return min(found, key=lambda e: (e.report.published or date.max, e.first_seen))


def judge(deadline: Deadline, evidence: Evidence | None, as_of: date) -> dict:
    """The verdict fields for one unit-year."""
    if evidence is None:
        status = "missing" if as_of > deadline.adjusted else "pending"
        return dict(status=status, published=None, published_source=None, days_late=None, observed=True)
    published, source = evidence.report.published, evidence.report.published_source
    seen_by_deadline = evidence.first_seen <= end_of_day(deadline.strict)
    if published is None:
        if seen_by_deadline:
            return dict(status="on_time", published=evidence.first_seen.astimezone(CHINA).date(),
                        published_source="first_seen", days_late=None, observed=True)
        return dict(status="undated", published=None, published_source=None, days_late=None, observed=True)
    if published <= deadline.adjusted:
        adjusted_only = published > deadline.strict
        observed = evidence.first_seen <= end_of_day(deadline.adjusted) if adjusted_only else seen_by_deadline
        return dict(status="on_time", published=published, published_source=source, days_late=None,
                    observed=observed, adjusted_only=adjusted_only)
    return dict(status="late", published=published, published_source=source,
                days_late=(published - deadline.strict).days, observed=True)


def report_years(s: Session) -> list[int]:
    """Every report year the catalog holds a report for."""
    return sorted({y for y in s.exec(select(Report.year).where(Report.is_report == True)) if y})  # noqa: E712


def evaluate(s: Session, *, as_of: date, years: list[int] | None = None, now: datetime) -> list[ComplianceStatus]:
    """Recompute every status for ``years`` (default: every year seen) as of ``as_of``; the caller commits.

    Only reports known by ``as_of`` count (seen by us, or claiming publication by then), so
    replaying a past date does not see the future.
    """
    ensure_default_rules(s)
    s.flush()
    rules = list(s.exec(select(DeadlineRule)))
    matcher = UnitMatcher(s)
    years = years or report_years(s)
    by_key: dict[tuple[int, int], list[Evidence]] = {}
    for report in s.exec(select(Report).where(Report.is_report == True, Report.unit_id != None)):  # noqa: E711,E712
        evidence = _evidence(s, report)
        if known_by(evidence, as_of):
            by_key.setdefault((report.unit_id, report.year), []).append(evidence)
    s.exec(delete(ComplianceStatus).where(ComplianceStatus.year.in_(years)))
    out = []
    for unit in sorted(matcher.units.values(), key=lambda u: (u.code or "", u.name)):
        if unit.level not in EVALUATED_LEVELS or unit.has_reporting_duty == "no":
            continue
        codes = [a.code for a in _ancestors(matcher, unit) if a.code]
        for year in years:
            rule = pick_rule(rules, LEVEL_KIND[unit.level], year, codes)
            if rule is None:
                continue
            out.append(_status(unit, year, deadline_for(rule, year), by_key.get((unit.id, year)), as_of, now))
    s.add_all(out)
    return out


def _ancestors(matcher: UnitMatcher, unit: Unit) -> list[Unit]:
    chain = []
    while unit is not None:
        chain.append(unit)
        unit = matcher.units.get(unit.parent_id) if unit.parent_id else None
    return chain


def _status(unit: Unit, year: int, deadline: Deadline, found: list[Evidence] | None, as_of: date,
            now: datetime) -> ComplianceStatus:
    evidence = _choose(found) if found else None
    verdict = judge(deadline, evidence, as_of)
    return ComplianceStatus(
        unit_id=unit.id, year=year, deadline=deadline.strict, deadline_adjusted=deadline.adjusted,
        deadline_source=deadline.source, first_seen=evidence.first_seen if evidence else None,
        withdrawn=evidence.withdrawn if evidence else False,
        report_id=evidence.report.id if evidence else None, report_url=evidence.url if evidence else None,
        warc_record_id=evidence.record_id if evidence else None, as_of=as_of, evaluated_at=now, **verdict)
