"""Match names found in reports (agency, township, county) to registry units."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, select

from .models import Unit, UnitAlias
from .names import candidate_stems, stem


class UnitMatcher:
    """An in-memory index of the registry, built once per parsing or evaluation pass."""

    def __init__(self, s: Session):
        self.units: dict[int, Unit] = {u.id: u for u in s.exec(select(Unit))}
        self._by_stem: dict[str, set[int]] = defaultdict(set)
        for unit in self.units.values():
            self._by_stem[unit.stem].add(unit.id)
        for alias in s.exec(select(UnitAlias)):
            self._by_stem[alias.stem].add(alias.unit_id)
        self._prefixes = [u.name for u in self.units.values() if u.level in ("province", "city", "county")]
        self._prefixes += [stem(p) for p in self._prefixes]

    def ancestor(self, unit: Unit, level: str) -> Unit | None:
        """The enclosing unit of ``level`` (the unit itself when it is of that level)."""
        while unit is not None and unit.level != level:
            unit = self.units.get(unit.parent_id) if unit.parent_id else None
        return unit

    def _within(self, unit: Unit, county: str | None) -> bool:
        if not county:
            return True
        parent = self.ancestor(unit, "county") or self.ancestor(unit, "city")
        return parent is not None and stem(county) in (parent.stem, stem(parent.name))

    def match(self, name: str | None, *, level: str | None = None, county: str | None = None) -> Unit | None:
        """The unit called ``name`` (alias, suffix and county-prefix tolerant), or None if none or ambiguous."""
        if not name:
            return None
        for key in candidate_stems(name, self._prefixes):
            found = [self.units[i] for i in self._by_stem.get(key, ())]
            found = [u for u in found if (level is None or u.level == level) and self._within(u, county)]
            if len(found) == 1:
                return found[0]
        return None
