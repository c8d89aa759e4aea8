"""Exports for a 通报: per county (or city), the missing and late units with their evidence.

Rows are INTERFACE.md status objects (``missing`` and ``late`` by default),
ordered by county, status and unit. CSV and JSON carry them as ``nianbao
status`` does; XLSX has one sheet per county with the same columns and the
evidence URL as a link.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Iterable

from sqlmodel import Session

from nianbao.registry import UnitMatcher, stem

from .alerts import snapshot
from .status import FIELDS

FORMATS = ("csv", "xlsx", "json")
NOTICE_STATUSES = ("missing", "late")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class ExportError(Exception):
    """The export cannot be written as asked; the message says what to change."""


def _within(matcher: UnitMatcher, unit_id: int, area: str) -> bool:
    """Whether the unit lies in ``area`` (a county or city, by name or code)."""
    unit = matcher.units.get(unit_id)
    while unit is not None:
        if unit.level in ("county", "city") and (area == unit.code or stem(area) == unit.stem):
            return True
        unit = matcher.units.get(unit.parent_id) if unit.parent_id else None
    return False


def notice_rows(s: Session, *, county: str | None = None, year: int | None = None,
                statuses: Iterable[str] = NOTICE_STATUSES) -> list[dict]:
    """Status objects of the units to name in a 通报, by county, then status, then unit.

    ``county`` is a county or a city (name or code): a city takes in the units of all its counties.
    """
    wanted = tuple(statuses)
    matcher = UnitMatcher(s)
    rows = [r for (unit_id, y), r in snapshot(s).items()
            if r["status"] in wanted and (year is None or y == year)
            and (county is None or _within(matcher, unit_id, county))]
    return sorted(rows, key=lambda r: (r["county"] or "", r["year"], wanted.index(r["status"]),
                                       r["code"] or "", r["unit"]))


def by_county(rows: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["county"] or "(no county)", []).append(row)
    return groups


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the Chinese names


def to_json(rows: list[dict]) -> bytes:
    return json.dumps([{k: r[k] for k in FIELDS} for r in rows], ensure_ascii=False, indent=2).encode("utf-8")


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:31] or "sheet"
    title, n = base, 2
    while title in used:
        title = f"{base[:28]}~{n}"
        n += 1
    used.add(title)
    return title


def to_xlsx(rows: list[dict]) -> bytes:
    try:
        from openpyxl import Workbook
    except ImportError as exc:
        raise ExportError("XLSX export needs openpyxl: pip install openpyxl, or export as csv or json.") from exc
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for county, group in (by_county(rows) or {"(none)": []}).items():
        sheet = book.create_sheet(_sheet_title(county, used))
        sheet.append(list(FIELDS))
        for row in group:
            sheet.append([row[k] for k in FIELDS])
            if row["report_url"]:
                cell = sheet.cell(row=sheet.max_row, column=FIELDS.index("report_url") + 1)
                cell.hyperlink = row["report_url"]
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def export_notice(s: Session, out: Path, *, fmt: str, county: str | None = None, year: int | None = None) -> int:
    """Write the 通报 rows to ``out`` in ``fmt``; returns how many units it names."""
    if fmt not in WRITERS:
        raise ExportError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    rows = notice_rows(s, county=county, year=year)
    data = WRITERS[fmt](rows)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"Cannot write {out}: {exc.strerror}; choose a writable path with --out.") from exc
    return len(rows)
