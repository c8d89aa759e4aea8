"""Deadline-rule overrides imported from a file (CSV or TOML), idempotently.

CSV (UTF-8, header row)::

    jurisdiction,applies_to,report_years,due_date,source,confidence
    230522000000,township,2022-,03-25,https://example.gov.cn/notice.html 友谊县通知,confirmed

TOML: one ``[[rule]]`` table per rule with the same keys.

- ``jurisdiction``: a division code (12 digits; 2, 4, 6 or 9 digits are
  padded with zeros: ``23`` = 黑龙江省). Blank = national.
- ``applies_to``: ``township | department | county_gov | city_gov | province_gov``.
- ``report_years``: ``2022``, ``2019-2023``, ``2019-`` or ``-2018``; blank = every year.
- ``due_date``: ``MM-DD`` or ``M月D日`` in the year after the report year.
- ``source``: the legal basis, notice URL or text (required).
- ``confidence``: ``confirmed`` (default), ``practice`` or ``unconfirmed``.

A rule is identified by (jurisdiction, applies_to, report years): importing
the same file twice changes nothing; a changed due date or source updates
the row. Errors name the line (CSV) or the ``[[rule]]`` and its line (TOML).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from .models import DeadlineRule

KINDS = ("township", "department", "county_gov", "city_gov", "province_gov")
CONFIDENCES = ("confirmed", "practice", "unconfirmed")
COLUMNS = ("jurisdiction", "applies_to", "report_years", "due_date", "source", "confidence")
REQUIRED = ("applies_to", "due_date", "source")
_YEARS = re.compile(r"^(\d{4})?\s*(-)?\s*(\d{4})?$")
_DUE = (re.compile(r"^(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{1,2})月(\d{1,2})日$"))


class RulesFileError(Exception):
    """A rules file cannot be read; the message names the line and the field to fix."""


@dataclass(frozen=True)
class RulesImport:
    created: int
    updated: int
    unchanged: int


def read_rules(text: str, *, fmt: str) -> list[dict]:
    """The rules in ``text`` (``fmt``: ``csv`` or ``toml``) as DeadlineRule field dicts, validated."""
    if fmt not in ("csv", "toml"):
        raise RulesFileError(f"Unknown rules format {fmt!r}: use a .csv or .toml file.")
    rows = _csv_rows(text) if fmt == "csv" else _toml_rows(text)
    return [_parse(where, row) for where, row in rows]


def _csv_rows(text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise RulesFileError(f"line 1: the header lacks {', '.join(missing)}; expected {','.join(COLUMNS)}.")
    unknown = [c for c in reader.fieldnames if c not in COLUMNS]
    if unknown:
        raise RulesFileError(f"line 1: unknown column {unknown[0]!r}; expected {','.join(COLUMNS)}.")
    return [(f"line {reader.line_num}", row) for row in reader if any((v or "").strip() for v in row.values())]


def _toml_rows(text: str) -> list[tuple[str, dict]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"The rules file is not valid TOML: {exc}.") from exc
    unknown = [k for k in data if k != "rule"]
    if unknown or not isinstance(data.get("rule", []), list):
        raise RulesFileError("A TOML rules file holds only [[rule]] tables; move other keys out.")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("[[rule]]")]
    out = []
    for i, row in enumerate(data.get("rule", [])):
        extra = [k for k in row if k not in COLUMNS]
        where = f"rule #{i + 1} (line {lines[i] if i < len(lines) else '?'})"
        if extra:
            raise RulesFileError(f"{where}: unknown key {extra[0]!r}; expected {', '.join(COLUMNS)}.")
        out.append((where, {k: "" if v is None else str(v) for k, v in row.items()}))
    return out


def _parse(where: str, row: dict) -> dict:
    get = {k: (row.get(k) or "").strip() for k in COLUMNS}
    for key in REQUIRED:
        if not get[key]:
            raise RulesFileError(f"{where}: {key} is empty; every rule needs {', '.join(REQUIRED)}.")
    if get["applies_to"] not in KINDS:
        raise RulesFileError(f"{where}: applies_to {get['applies_to']!r} is not one of {', '.join(KINDS)}.")
    confidence = get["confidence"] or "confirmed"
    if confidence not in CONFIDENCES:
        raise RulesFileError(f"{where}: confidence {confidence!r} is not one of {', '.join(CONFIDENCES)}.")
    year_from, year_to = _years(where, get["report_years"])
    month, day = _due(where, get["due_date"])
    return dict(jurisdiction=_jurisdiction(where, get["jurisdiction"]), applies_to=get["applies_to"],
                year_from=year_from, year_to=year_to, due_month=month, due_day=day,
                source=get["source"], confidence=confidence)


def _jurisdiction(where: str, value: str) -> str | None:
    if not value:
        return None
    if not value.isdigit() or len(value) not in (2, 4, 6, 9, 12):
        raise RulesFileError(f"{where}: jurisdiction {value!r} is not a division code (12 digits, e.g. 230522000000).")
    return value.ljust(12, "0")


def _years(where: str, value: str) -> tuple[int | None, int | None]:
    match = _YEARS.match(value)
    if not match:
        raise RulesFileError(f"{where}: report_years {value!r} is not like 2022, 2019-2023, 2019- or -2018.")
    first, dash, last = match.groups()
    year_from = int(first) if first else None
    year_to = int(last) if last else (year_from if not dash else None)
    if year_from and year_to and year_from > year_to:
        raise RulesFileError(f"{where}: report_years {value!r} ends before it starts.")
    return year_from, year_to


def _due(where: str, value: str) -> tuple[int, int]:
    for pattern in _DUE:
        match = pattern.match(value)
        if match:
            month, day = int(match[1]), int(match[2])
            try:
                date(2001, month, day)
            except ValueError:
                break
            return month, day
    raise RulesFileError(f"{where}: due_date {value!r} is not a date like 03-25 or 3月25日.")


def _identity(rule: dict) -> tuple:
    return (rule["jurisdiction"], rule["applies_to"], rule["year_from"], rule["year_to"])


def import_rules(s: Session, text: str, *, fmt: str) -> RulesImport:
    """Upsert the rules in ``text``; the caller commits. Raises RulesFileError before changing anything."""
    rules = read_rules(text, fmt=fmt)
    existing = {_identity(r.model_dump()): r for r in s.exec(select(DeadlineRule))}
    created = updated = 0
    for rule in rules:
        row = existing.get(_identity(rule))
        if row is None:
            row = DeadlineRule(**rule)
            existing[_identity(rule)] = row
            created += 1
        elif any(getattr(row, k) != v for k, v in rule.items()):
            updated += 1
        else:
            continue
        for key, value in rule.items():
            setattr(row, key, value)
        s.add(row)
    return RulesImport(created, updated, len(rules) - created - updated)


def import_rules_file(s: Session, path: Path) -> RulesImport:
    """Import ``path`` (format from its suffix: ``.csv`` or ``.toml``)."""
    fmt = path.suffix.lower().lstrip(".")
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesFileError(f"Cannot read {path}: {exc}; give a UTF-8 .csv or .toml file.") from exc
    return import_rules(s, text, fmt=fmt)
