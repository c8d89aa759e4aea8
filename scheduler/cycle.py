"""One evaluation cycle: snapshot the statuses, re-evaluate, derive and record the alerts.

Library functions the service's jobs (and ``nianbao demo``) call; time comes
in as ``as_of`` (China date) and ``now`` (aware UTC), never from the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from crawler.models import CrawlRun, Document
from nianbao.registry import Portal
from nianbao.db import session
from parsing.models import Report

from . import alerts
from .compliance import evaluate, report_years
from .models import Alert

SEED_COUNTS = "nianbao/candidates_per_seed"  # the crawler's per-seed stat on CrawlRun.stats


@dataclass(frozen=True)
class AlertRules:
    """The thresholds of the alert kinds (settings; see the report to the lead for their names)."""

    digest_days: tuple[int, ...] = (7, 3, 1)
    fresh_days: int = 7
    silent_sweeps: int = 3
    history_runs: int = 20
    shortfall_ratio: float = 0.5
    shortfall_min: int = 3


def years_to_evaluate(s: Session, as_of: date) -> list[int]:
    """Every year from the first with a report through the report year now due (``as_of``'s year − 1),
    even before any report for it appears."""
    seen = report_years(s)
    return list(range(min(seen + [as_of.year - 1]), as_of.year))


def source_history(s: Session, runs: int) -> dict[str, list[alerts.SourceOutcome]]:
    """Per seed URL, the outcomes of the last ``runs`` finished crawl runs, oldest first.

    A seed's documents are the crawler's ``nianbao/candidates_per_seed`` stat;
    a run with no stats (its process died) counts as an error for every seed.
    """
    query = select(CrawlRun).where(CrawlRun.status != "running").order_by(CrawlRun.id.desc()).limit(runs)
    out: dict[str, list[alerts.SourceOutcome]] = {}
    for run in reversed(list(s.exec(query))):
        per_seed = (run.stats or {}).get(SEED_COUNTS, {})
        for seed in run.seeds or []:
            found = int(per_seed.get(seed["url"], 0))
            ok = run.status == "ok" or found > 0  # a run failed by another seed still served this one
            out.setdefault(seed["url"], []).append(
                alerts.SourceOutcome(seed["url"], run.id, ok, found, None if ok else run.error))
    return out


def column_counts(s: Session) -> dict[tuple[str, int], int]:
    """Reports per (source, report year). The source is the portal seed the report was found from (its column
    when it has no portal): counting per column would misfire where a county files each year in a column of
    its own (DOMAIN.md §4.4 placement B)."""
    docs = {d.id: d for d in s.exec(select(Document))}
    portals = {p.id: p.url for p in s.exec(select(Portal))}
    counts: dict[tuple[str, int], int] = {}
    for report in s.exec(select(Report).where(Report.is_report == True, Report.year != None)):  # noqa: E711,E712
        doc = docs.get(report.document_id)
        page = docs.get(doc.parent_id, doc) if doc else None
        source = page and (portals.get(page.portal_id) or page.column_url)
        if source:
            counts[(source, report.year)] = counts.get((source, report.year), 0) + 1
    return counts


def _closed_year(new: dict) -> int | None:
    """The latest report year with statuses and none still pending (its deadline has passed everywhere)."""
    years: dict[int, bool] = {}
    for row in new.values():
        years[row["year"]] = years.get(row["year"], True) and row["status"] != "pending"
    closed = [y for y, done in years.items() if done]
    return max(closed) if closed else None


def drafts_for(s: Session, old: dict, new: dict, as_of: date, rules: AlertRules) -> list[alerts.Draft]:
    """Every alert the change from ``old`` to ``new`` and the sources' state call for."""
    out = alerts.derive(old, new, as_of, fresh_days=rules.fresh_days)
    out += alerts.digest(new, as_of, days_before=rules.digest_days)
    out += alerts.silent_sources(source_history(s, rules.history_runs), sweeps=rules.silent_sweeps)
    year = _closed_year(new)
    if year is not None:
        out += alerts.column_shortfalls(column_counts(s), year, ratio=rules.shortfall_ratio,
                                        min_expected=rules.shortfall_min)
    return out


def evaluate_and_alert(engine: Engine, *, as_of: date, now: datetime, rules: AlertRules = AlertRules(),
                       years: list[int] | None = None) -> list[Alert]:
    """Re-evaluate compliance as of ``as_of`` (for ``years``, default :func:`years_to_evaluate`) and record
    the alerts it calls for; returns the new alerts."""
    with session(engine) as s:
        old = alerts.snapshot(s)
        evaluate(s, as_of=as_of, years=years or years_to_evaluate(s, as_of), now=now)
        s.flush()
        new = alerts.snapshot(s)
        return alerts.record(s, drafts_for(s, old, new, as_of, rules), now)


def unsent(engine: Engine) -> list[Alert]:
    """Alerts recorded but not (yet) delivered, oldest first: what would have been sent."""
    with session(engine) as s:
        return list(s.exec(select(Alert).where(Alert.sent_at == None).order_by(Alert.id)))  # noqa: E711
