"""Deadline rules: which date a unit's report for a year is due, and on what basis.

The defaults are data (``DEFAULT_RULES``); overrides per province, city or
county and per report year are rows in the ``deadlinerule`` table. The most
specific rule wins: a jurisdiction beats the national default, a longer
(more local) jurisdiction code beats a shorter one, and a bounded year range
beats an open one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from .models import DeadlineRule

ART49 = "《政府信息公开条例》（国务院令第711号，2019年修订）第四十九条"
DEFAULT_RULES: tuple[dict, ...] = (
    dict(applies_to="township", year_from=2019, due_month=1, due_day=31, confidence="practice",
         source="常见地方实践：乡镇（街道）于次年1月31日前公布（各地年度编制发布通知；未确认）"),
    dict(applies_to="department", year_from=2019, due_month=1, due_day=31, confidence="confirmed",
         source=ART49 + "：县级以上人民政府部门于每年1月31日前公布"),
    *(dict(applies_to=kind, year_from=2019, due_month=3, due_day=31, confidence="confirmed",
           source=ART49 + "：县级以上地方人民政府于每年3月31日前公布本级政府年度报告")
      for kind in ("county_gov", "city_gov", "province_gov")),
    *(dict(applies_to=kind, year_to=2018, due_month=3, due_day=31, confidence="confirmed",
           source="《政府信息公开条例》（国务院令第492号，2007年）第三十一条：每年3月31日前公布")
      for kind in ("township", "department", "county_gov", "city_gov", "province_gov")),
)

# Which reports a registry level owes.
LEVEL_KIND = {"township": "township", "county": "county_gov", "city": "city_gov", "province": "province_gov"}


@dataclass(frozen=True)
class Deadline:
    """A report's deadline: ``strict`` as the rule says, ``adjusted`` rolled past holidays and weekends."""

    strict: date
    adjusted: date
    source: str
    confidence: str
    calendar_known: bool


def ensure_default_rules(s: Session) -> None:
    """Insert the built-in national rules once (the caller commits)."""
    if s.exec(select(DeadlineRule).where(DeadlineRule.jurisdiction == None)).first():  # noqa: E711
        return
    for rule in DEFAULT_RULES:
        s.add(DeadlineRule(jurisdiction=None, **rule))


def _specificity(rule: DeadlineRule) -> tuple[int, int]:
    bounded = (rule.year_from is not None) + (rule.year_to is not None)
    return (len(rule.jurisdiction or ""), bounded)


def _applies(rule: DeadlineRule, kind: str, year: int, codes: list[str]) -> bool:
    return (rule.applies_to == kind
            and (rule.year_from is None or year >= rule.year_from)
            and (rule.year_to is None or year <= rule.year_to)
            and (rule.jurisdiction is None or rule.jurisdiction in codes))


def pick_rule(rules: list[DeadlineRule], kind: str, year: int, codes: list[str]) -> DeadlineRule | None:
    """The most specific rule for a ``kind`` of report for ``year``, given the unit's ancestor codes."""
    found = [r for r in rules if _applies(r, kind, year, codes)]
    return max(found, key=_specificity) if found else None


def is_workday(day: date) -> tuple[bool, bool]:
    """(workday?, calendar known?) from the official holiday calendar (chinese_calendar), weekends otherwise."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:  # a year the installed calendar does not cover yet
        return day.weekday() < 5, False


def adjust(day: date) -> tuple[date, bool]:
    """Roll ``day`` forward past holidays and weekends (民法典 Art. 203 reading); returns (date, calendar known)."""
    known = True
    while True:
        workday, day_known = is_workday(day)
        known &= day_known
        if workday:
            return day, known
        day += timedelta(days=1)


def deadline_for(rule: DeadlineRule, year: int) -> Deadline:
    strict = date(year + 1, rule.due_month, rule.due_day)
    adjusted, known = adjust(strict)
    return Deadline(strict, adjusted, rule.source, rule.confidence, known)
