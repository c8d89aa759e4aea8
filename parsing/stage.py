"""The parsing stage: archived documents → Report rows.

Originals are read back from the WARC files through the catalog, never from a
second copy. A document that cannot be parsed gets a Report row with its
``error``; nothing is skipped silently. Attachments are parsed with the
context of the page that linked them (its metadata dates the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from sqlmodel import Session, select

from archive import read_capture
from archive.catalog import Capture
from crawler.models import Document
from nianbao.registry import Portal, Unit, UnitMatcher

from . import PageContext, ParseError, parse_bytes
from .models import Report

PARSER_VERSION = "1"


@dataclass
class StageResult:
    parsed: int = 0
    reports: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)


def _filename(url: str) -> str:
    return Path(urlsplit(url).path).name or "index.html"


def _context(s: Session, warc_dir: Path, doc: Document) -> PageContext | None:
    if doc.parent_id is None:
        return PageContext(page_html=None, page_url=doc.url, listing_title=doc.title, listed_date=doc.listed_date)
    page = s.get(Document, doc.parent_id)
    capture = s.get(Capture, page.capture_id) if page.capture_id else None
    html = read_capture(warc_dir, capture) if capture else None
    return PageContext(page_html=html, page_url=page.url, listing_title=page.title or doc.title,
                       listed_date=page.listed_date or doc.listed_date)


def _portal_county(s: Session, matcher: UnitMatcher, doc: Document) -> Unit | None:
    portal = s.get(Portal, doc.portal_id) if doc.portal_id else None
    return matcher.units.get(portal.unit_id) if portal else None


def match_unit(matcher: UnitMatcher, data: dict, portal_unit: Unit | None) -> Unit | None:
    """The registry unit a parsed report belongs to (township reports first, then the agency)."""
    kind = data.get("agency_kind")
    if kind == "township":
        # The portal that published it is the surest county; the parsed one may come from a wrong SiteName.
        counties = dict.fromkeys([portal_unit.name if portal_unit else None, data.get("county"), None])
        for county in counties:
            for name in (data.get("township"), data.get("agency")):
                unit = matcher.match(name, level="township", county=county)
                if unit:
                    return unit
        return None
    level = {"county_gov": "county", "city_gov": "city", "province_gov": "province"}.get(kind or "")
    return matcher.match(data.get("agency"), level=level) if level else None


def _as_date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _apply(report: Report, data: dict, unit: Unit | None) -> None:
    report.data = data
    report.unit_id = unit.id if unit else None
    report.year = data.get("year")
    report.agency = data.get("agency")
    report.agency_kind = data.get("agency_kind")
    report.is_report = data.get("document_kind", "report") == "report" and data.get("year") is not None
    report.published = _as_date(data.get("published"))
    report.published_source = data.get("published_source")
    report.format = data.get("format")
    report.error = None


def parse_document(s: Session, warc_dir: Path, matcher: UnitMatcher, doc: Document, now: datetime,
                   previous: dict | None = None) -> Report:
    """Parse one document from its latest capture and upsert its Report (the caller commits).

    ``previous``: the same unit's report object for the year before (cross-year checks)."""
    report = s.exec(select(Report).where(Report.document_id == doc.id)).first() or Report(document_id=doc.id, parsed_at=now)
    report.capture_id, report.parsed_at, report.parser_version = doc.capture_id, now, PARSER_VERSION
    capture = s.get(Capture, doc.capture_id)
    try:
        data = parse_bytes(read_capture(warc_dir, capture), source=doc.url, filename=_filename(doc.url),
                           content_type=capture.content_type, context=_context(s, warc_dir, doc),
                           previous=previous)
    except ParseError as exc:
        report.error, report.is_report, report.data = str(exc), False, {}
    else:
        _apply(report, data, match_unit(matcher, data, _portal_county(s, matcher, doc)))
    s.add(report)
    return report


def _demote_covered_pages(s: Session) -> None:
    """A page whose attachment carries the same report is a wrapper, not a second report."""
    for att in s.exec(select(Report, Document).where(Report.document_id == Document.id, Document.parent_id != None,  # noqa: E711
                                                     Report.is_report == True)):  # noqa: E712
        report, doc = att
        page = s.exec(select(Report).where(Report.document_id == doc.parent_id)).first()
        if page and page.is_report and page.year in (report.year, None):
            page.is_report = False
            s.add(page)


def run_stage(s: Session, warc_dir: Path, *, now: datetime, everything: bool = False,
              progress: Callable[[int, int], None] | None = None) -> StageResult:
    """Parse every document whose latest capture has no report yet (all of them with ``everything``)."""
    matcher = UnitMatcher(s)
    docs = list(s.exec(select(Document).where(Document.capture_id != None).order_by(Document.id)))  # noqa: E711
    if not everything:
        done = {(r.document_id, r.capture_id) for r in s.exec(select(Report))}
        docs = [d for d in docs if (d.id, d.capture_id) not in done]
    result, parsed = StageResult(), []
    for n, doc in enumerate(docs, start=1):
        report = parse_document(s, warc_dir, matcher, doc, now)
        parsed.append(report)
        result.parsed += 1
        if report.error:
            result.failed += 1
            result.errors.append((doc.url, report.error))
        if progress:
            progress(n, len(docs))
    s.flush()
    _demote_covered_pages(s)
    _recheck_with_previous(s, warc_dir, matcher, {r.document_id for r in parsed}, now)
    result.reports = sum(r.is_report for r in parsed)  # after wrapper pages gave way to their attachments
    return result


def previous_report(s: Session, report: Report) -> Report | None:
    """The same unit's report for the year before (a report, not an error or a wrapper page), or None."""
    if report.unit_id is None or report.year is None:
        return None
    return s.exec(select(Report).where(Report.unit_id == report.unit_id, Report.year == report.year - 1,
                                       Report.is_report == True, Report.error == None)  # noqa: E711,E712
                  .order_by(Report.id.desc())).first()


def _recheck_with_previous(s: Session, warc_dir: Path, matcher: UnitMatcher, parsed: set[int], now: datetime) -> None:
    """Second pass, once units are matched: re-parse with last year's report (checks 5 and 8).

    Covers the reports parsed in this run and the next year's reports of those
    units (a late-found earlier report changes its successor's checks).
    Oldest year first, so each previous report is final when it is used.
    """
    reports = list(s.exec(select(Report).where(Report.is_report == True, Report.unit_id != None)))  # noqa: E711,E712
    touched = {(r.unit_id, r.year) for r in reports if r.document_id in parsed}
    for report in sorted(reports, key=lambda r: (r.year or 0, r.id)):
        if report.document_id not in parsed and (report.unit_id, (report.year or 0) - 1) not in touched:
            continue
        prev = previous_report(s, report)
        if prev is not None:
            parse_document(s, warc_dir, matcher, s.get(Document, report.document_id), now, previous=prev.data)
    s.flush()
