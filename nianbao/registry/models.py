"""Registry tables: who must publish and where. Written by ``nianbao registry import``."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel, UniqueConstraint

LEVELS = ("province", "city", "county", "township")


class Unit(SQLModel, table=True):
    """An administrative unit (or an agency) with a stable internal id.

    ``code`` is the current 12-digit division code (None when it has none);
    earlier codes and names live in :class:`UnitCode`.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    level: str = Field(index=True)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    code: str | None = Field(default=None, index=True)
    stem: str = Field(index=True, description="normalised name used for matching")
    has_reporting_duty: str = Field(default="yes", description="yes | no | unknown (类似乡级单位)")


class UnitCode(SQLModel, table=True):
    """One (code, name) a unit carried during a period: the code history."""

    __table_args__ = (UniqueConstraint("unit_id", "code", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    code: str | None = Field(default=None, index=True)
    name: str
    valid_from: date | None = None
    valid_to: date | None = None
    source: str = "registry import"


class UnitAlias(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("unit_id", "alias"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    alias: str
    stem: str = Field(index=True)


class Portal(SQLModel, table=True):
    """A seed URL where a unit publishes: a 年报 column or a portal home page."""

    __table_args__ = (UniqueConstraint("unit_id", "url"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    url: str
