"""The published date and where it came from (INTERFACE.md ``published_source``).

Preference: ``meta`` (PubDate) → ``page`` (发布日期/发布时间 on the page or its
metadata table) → ``listing`` (the date next to the link on the column page)
→ ``url`` (t20230120_, /art/2023/1/20/, /202301/) → ``signature`` (the 落款
date at the end of the text). Dates are calendar dates in China time, ISO.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .normalise import arabic_dates

_ISO = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
URL_PATTERNS: tuple[re.Pattern, ...] = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/doc/((?:19|20)\d{2})/(\d{2})/(\d{2})/"),
)
_SIGNATURE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
SIGNATURE_TAIL_LINES = 6


def as_date(text: str | date | None) -> date | None:
    """The first Y-M-D date written in ``text`` (``2023-01-20 09:30``, ``2023年1月20日``), else None.

    A ``date``/``datetime`` passes through as its calendar date.
    """
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    m = _ISO.search(str(text or ""))
    return _safe(*m.groups()) if m else None


def _safe(y: str, mo: str, d: str) -> date | None:
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def from_url(url: str | None) -> date | None:
    for pattern in URL_PATTERNS:
        if url and (m := pattern.search(url)):
            return _safe(*m.groups())
    return None


def from_signature(lines: list[str]) -> date | None:
    """The 落款 date: a date ending one of the last few non-empty lines."""
    tail = [ln.strip() for ln in lines if ln.strip()][-SIGNATURE_TAIL_LINES:]
    for line in reversed(tail):
        if m := _SIGNATURE.search(arabic_dates(line.replace(" ", ""))):   # 落款 "二〇二三年一月二十日"
            return _safe(*m.groups())
    return None


_AGENCY_LINE = re.compile(r"(?:人民政府|办事处|街道|委员会|局|办公室)$")


def signature_agency(lines: list[str]) -> str | None:
    """The 落款 body (…人民政府) among the last few lines, or None."""
    tail = [ln.strip().replace(" ", "") for ln in lines if ln.strip()][-SIGNATURE_TAIL_LINES:]
    return next((ln for ln in reversed(tail) if len(ln) <= 30 and _AGENCY_LINE.search(ln)), None)


def published(candidates: list[tuple[str, date | None]]) -> tuple[str | None, str | None]:
    """(ISO date, source) of the first candidate that has a date, else (None, None)."""
    for source, value in candidates:
        if value:
            return value.isoformat(), source
    return None, None


def plausible_signature(signed: date | None, year: int | None) -> date | None:
    """A 落款 date only if it can sign a report on ``year`` (that year or the next); else None."""
    if signed and year and signed.year not in (year, year + 1):
        return None
    return signed
