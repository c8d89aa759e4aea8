"""Alerts: what changed between two evaluations, as data, recorded once under a deterministic key.

Derivation is pure: ``derive(old, new, as_of)`` compares two snapshots of
status objects (keyed by ``(unit_id, year)``), ``digest(new, as_of)`` counts
units not yet published before a deadline, and the source-health functions
read sweep outcomes and per-column report counts. ``record`` stores drafts
whose ``key`` is new; the unique key means an alert is never recorded twice,
whatever restarts happen. Sending is :mod:`scheduler.delivery`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable, Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from nianbao.registry import UnitMatcher

from .models import Alert, ComplianceStatus
from .status import status_object

StatusKey = tuple[int, int]  # (unit_id, year)
ABSENT = None  # the "old status" of a unit-year the previous evaluation did not have

# Kinds as data: title and message templates over the status object (or the draft's fields). The two
# source templates share the kind ``source_health``.
KIND_OF = {"source_silent": "source_health", "source_shortfall": "source_health"}
KINDS: dict[str, tuple[str, str]] = {
    "became_late": ("{unit} {year}年度报告逾期发布",
                    "{county}{unit} published its {year} report on {published}, {days_late} days after the "
                    "deadline {deadline}. Evidence: {report_url}"),
    "became_missing": ("{unit} {year}年度报告未发布",
                       "{county}{unit}: no {year} report found after the deadline {deadline} "
                       "(holiday-adjusted {deadline_adjusted})."),
    "published_after_all": ("{unit} {year}年度报告已补发",
                            "{county}{unit}, missing until now, published its {year} report "
                            "(dated {published}, status {status}). Evidence: {report_url}"),
    "withdrawn": ("{unit} {year}年度报告已撤下",
                  "{county}{unit}'s {year} report is no longer listed on the portal; the archived copy "
                  "stays. Evidence: {report_url}"),
    "deadline_digest": ("{pending} units have not published their {year} report, {days_left} days left",
                        "{pending} of {due} units have not published their {year} report; the deadline is "
                        "{deadline} ({days_left} days left). By county: {by_county}"),
    "source_silent": ("Source {portal} failed or found nothing in {sweeps} sweeps",
                      "{portal}: the last {sweeps} sweeps errored or found no documents (last error: {error})."),
    "source_shortfall": ("Source {column} yields far fewer {year} reports",
                         "{column}: {found} reports for {year}, against {expected} for {previous}."),
}


@dataclass(frozen=True)
class Transition:
    """``kind`` fires when a status object's ``field`` goes from a value in ``before`` to one in ``after``."""

    kind: str
    field: str
    before: frozenset
    after: frozenset


TRANSITIONS: tuple[Transition, ...] = (
    Transition("became_missing", "status", frozenset({"pending", ABSENT}), frozenset({"missing"})),
    Transition("became_late", "status", frozenset({"pending", "on_time", "undated", ABSENT}), frozenset({"late"})),
    Transition("published_after_all", "status", frozenset({"missing"}), frozenset({"on_time", "late", "undated"})),
    Transition("withdrawn", "withdrawn", frozenset({False}), frozenset({True})),
)


@dataclass(frozen=True)
class Draft:
    """An alert not yet recorded. ``key`` is deterministic: the same event always has the same key."""

    key: str
    kind: str
    title: str
    message: str
    unit_id: int | None = None
    year: int | None = None
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SourceOutcome:
    """What one sweep got from one portal: ``ok`` False when it errored; ``documents`` found."""

    portal: str
    run_id: int
    ok: bool
    documents: int
    error: str | None = None


def _render(kind: str, values: Mapping) -> tuple[str, str]:
    title, message = KINDS[kind]
    values = {k: ("" if v is None else v) for k, v in values.items()}
    county = values.get("county")
    values["county"] = f"{county} " if county else ""
    return title.format(**values), message.format(**values)


def _draft(template: str, key: str, values: dict, unit_id: int | None = None, year: int | None = None) -> Draft:
    title, message = _render(template, values)
    return Draft(key, KIND_OF.get(template, template), title, message, unit_id, year, dict(values))


def _is_fresh(new: dict, as_of: date, fresh_days: int) -> bool:
    """A unit-year seen for the first time alerts only if its deadline passed within ``fresh_days``."""
    return (as_of - date.fromisoformat(new["deadline_adjusted"])).days <= fresh_days


def derive(old: Mapping[StatusKey, dict], new: Mapping[StatusKey, dict], as_of: date, *,
           fresh_days: int = 7) -> list[Draft]:
    """Alerts for the status changes from ``old`` to ``new`` (status objects with ``unit_id``)."""
    out = []
    for key, now in sorted(new.items()):
        before = old.get(key)
        for t in TRANSITIONS:
            was = before[t.field] if before is not None else ABSENT
            if was not in t.before or now[t.field] not in t.after:
                continue
            if before is None and not _is_fresh(now, as_of, fresh_days):
                continue
            out.append(_draft(t.kind, f"{t.kind}:{key[0]}:{key[1]}", now, *key))
    return out


def digest(new: Mapping[StatusKey, dict], as_of: date, *, days_before: Iterable[int] = (7, 3, 1)) -> list[Draft]:
    """One digest per report year and deadline while units are pending and the deadline is near.

    Sent once per threshold in ``days_before``: with thresholds (7, 3, 1) and 5
    days left, the 7-day digest (if not sent yet).
    """
    groups: dict[tuple[int, str], list[dict]] = {}
    for row in new.values():
        groups.setdefault((row["year"], row["deadline"]), []).append(row)
    out = []
    for (year, deadline), rows in sorted(groups.items()):
        days_left = (date.fromisoformat(deadline) - as_of).days
        pending = [r for r in rows if r["status"] == "pending"]
        fitting = [d for d in days_before if d >= days_left]
        if not pending or days_left < 0 or not fitting:
            continue
        threshold = min(fitting)
        by_county: dict[str, int] = {}
        for r in pending:
            by_county[r["county"] or "?"] = by_county.get(r["county"] or "?", 0) + 1
        values = dict(year=year, deadline=deadline, days_left=days_left, pending=len(pending), due=len(rows),
                      by_county=", ".join(f"{c} {n}" for c, n in sorted(by_county.items())),
                      units=sorted(r["unit"] for r in pending))
        out.append(_draft("deadline_digest", f"deadline_digest:{year}:{deadline}:{threshold}", values, year=year))
    return out


def silent_sources(history: Mapping[str, list[SourceOutcome]], *, sweeps: int = 3) -> list[Draft]:
    """Portals whose last ``sweeps`` outcomes (oldest first) all errored or found nothing; once per streak."""
    out = []
    for portal, outcomes in sorted(history.items()):
        streak = []
        for outcome in reversed(outcomes):
            if outcome.ok and outcome.documents > 0:
                break
            streak.append(outcome)
        if len(streak) < sweeps:
            continue
        first = streak[-1]
        errors = [o.error for o in streak if o.error]
        values = dict(portal=portal, sweeps=len(streak), error=errors[0] if errors else "none, just no documents")
        out.append(_draft("source_silent", f"source_health:silent:{portal}:{first.run_id}", values))
    return out


def column_shortfalls(counts: Mapping[tuple[str, int], int], year: int, *, ratio: float = 0.5,
                      min_expected: int = 3) -> list[Draft]:
    """Columns with fewer than ``ratio`` × last year's reports for ``year`` (an expected-count alert)."""
    out = []
    for (column, y), expected in sorted(counts.items()):
        found = counts.get((column, year), 0)
        if y != year - 1 or expected < min_expected or found >= ratio * expected:
            continue
        values = dict(column=column, year=year, found=found, expected=expected, previous=year - 1)
        out.append(_draft("source_shortfall", f"source_health:shortfall:{column}:{year}", values, year=year))
    return out


def snapshot(s: Session) -> dict[StatusKey, dict]:
    """The current status objects (INTERFACE.md shape plus ``unit_id``), keyed by (unit_id, year)."""
    matcher = UnitMatcher(s)
    out = {}
    for row in s.exec(select(ComplianceStatus)):
        unit = matcher.units[row.unit_id]
        parent = matcher.ancestor(unit, "county") or matcher.ancestor(unit, "city")
        out[(row.unit_id, row.year)] = {**status_object(row, unit, parent), "unit_id": row.unit_id}
    return out


def record(s: Session, drafts: Iterable[Draft], now: datetime) -> list[Alert]:
    """Store the drafts whose key is new; returns the alerts added. The caller commits."""
    added = []
    for d in drafts:
        if s.exec(select(Alert.id).where(Alert.key == d.key)).first() is not None:
            continue
        alert = Alert(key=d.key, kind=d.kind, unit_id=d.unit_id, year=d.year, message=d.message,
                      payload={"title": d.title, **d.payload}, created_at=now)
        try:
            with s.begin_nested():  # another writer may have recorded the same key meanwhile
                s.add(alert)
        except IntegrityError:
            continue
        added.append(alert)
    return added
