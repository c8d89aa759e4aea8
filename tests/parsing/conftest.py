"""Shared helpers: the seeds, parsed once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from parsing import parse_file

SEEDS = Path(__file__).resolve().parents[2] / "nianbao" / "demo_portal" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@lru_cache(maxsize=None)
def seed_report(prefix: str) -> dict:
    """The parsed seed whose file name starts with ``prefix`` ("000" … "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_file(path)


def cell(report: dict, path: str):
    """The value at a dotted path of ``report["tables"]``; KeyError when absent."""
    node = report["tables"]
    for part in path.split("."):
        node = node[part]
    return node


def has_cell(report: dict, path: str) -> bool:
    try:
        cell(report, path)
        return True
    except KeyError:
        return False
