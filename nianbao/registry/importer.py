"""``nianbao registry import``: load divisions and portals from the INTERFACE.md CSV.

Idempotent: a unit is found again by its code, or by name + parent when it
has none; a re-import updates names, aliases and portals and records each
(code, name) it has carried in the code history.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlmodel import Session, select

from .models import LEVELS, Portal, Unit, UnitAlias, UnitCode
from .names import clean, stem

HEADER = ("code", "name", "level", "parent_code", "aliases", "portal_urls")


class RegistryError(Exception):
    """The registry file is malformed; the message names the line and the fix."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    portals: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str | None
    name: str
    level: str
    parent_code: str | None
    aliases: tuple[str, ...]
    portal_urls: tuple[str, ...]


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def read_rows(text: str) -> list[_Row]:
    """Validate and return the rows of a registry CSV (``RegistryError`` on the first bad line)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [h for h in HEADER if h not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"The registry header lacks {', '.join(missing)}; expected: {','.join(HEADER)}.")
    rows = []
    for n, rec in enumerate(reader, start=2):
        code, name, level = (rec["code"] or "").strip() or None, clean(rec["name"] or ""), (rec["level"] or "").strip()
        if not name:
            raise RegistryError(f"Line {n}: the name is empty.")
        if level not in LEVELS:
            raise RegistryError(f"Line {n}: level {level!r} is not one of {', '.join(LEVELS)}.")
        if code and not (code.isdigit() and len(code) == 12):
            raise RegistryError(f"Line {n}: code {code!r} is not a 12-digit division code.")
        rows.append(_Row(n, code, name, level, (rec["parent_code"] or "").strip() or None,
                         _split(rec["aliases"]), _split(rec["portal_urls"])))
    return rows


def _find(s: Session, row: _Row, parent: Unit | None) -> Unit | None:
    if row.code:
        unit = s.exec(select(Unit).where(Unit.code == row.code)).first()
        if unit:
            return unit
    parent_id = parent.id if parent else None
    return s.exec(select(Unit).where(Unit.stem == stem(row.name), Unit.level == row.level,
                                     Unit.parent_id == parent_id)).first()


def _upsert_unit(s: Session, row: _Row, parent: Unit | None, result: ImportResult) -> Unit:
    unit = _find(s, row, parent)
    values = dict(name=row.name, level=row.level, code=row.code, stem=stem(row.name),
                  parent_id=parent.id if parent else None)
    if unit is None:
        unit = Unit(**values)
        result.created += 1
    elif any(getattr(unit, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(unit, k, v)
        result.updated += 1
    else:
        result.unchanged += 1
    s.add(unit)
    s.flush()
    _ensure(s, UnitCode, unit_id=unit.id, code=row.code, name=row.name)
    return unit


def _ensure(s: Session, model, **values) -> bool:
    """Insert ``model(**values)`` unless an identical row exists; True when inserted."""
    query = select(model)
    for k, v in values.items():
        query = query.where(getattr(model, k) == v)
    if s.exec(query).first():
        return False
    s.add(model(**values))
    return True


def import_registry(s: Session, text: str) -> ImportResult:
    """Load a registry CSV into the session (the caller commits)."""
    rows = read_rows(text)
    by_code: dict[str, Unit] = {}
    result = ImportResult()
    # Parents before children: the file may list them in any order.
    for row in sorted(rows, key=lambda r: LEVELS.index(r.level)):
        parent = by_code.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent is None:
            parent = s.exec(select(Unit).where(Unit.code == row.parent_code)).first()
            if parent is None:
                raise RegistryError(f"Line {row.line}: parent_code {row.parent_code} is not in the registry.")
        unit = _upsert_unit(s, row, parent, result)
        if row.code:
            by_code[row.code] = unit
        for alias in row.aliases:
            _ensure(s, UnitAlias, unit_id=unit.id, alias=clean(alias), stem=stem(alias))
        for url in row.portal_urls:
            result.portals += _ensure(s, Portal, unit_id=unit.id, url=url)
    return result
