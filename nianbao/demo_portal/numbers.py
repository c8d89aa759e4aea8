"""Invented but consistent numbers for a generated report (2021 format).

``report_numbers(key)`` returns ``{dotted path: value}`` covering every cell
of ``parsing.schema.cell_paths("2021")``. Values are non-negative integers,
except ``proactive.fees.amount`` (万元, a Decimal). They satisfy the 勾稽
identities of DOMAIN.md §3: per applicant column 一 + 二 = （七）总计 + 四;
（七）总计 = the sum of the result leaf rows; every row's 总计 = the six
applicant columns; table 四 总计 = 维持 + 纠正 + 其他 + 尚未审结.
"""

from __future__ import annotations

import random
from decimal import Decimal
from functools import lru_cache

from parsing.schema import APPLICANT_COLUMNS, PROACTIVE_2021, RESULT_ROW_PREFIXES, REVIEW_BLOCKS, REVIEW_COLUMNS, application_rows

_APPLICANTS = [key for key, _ in APPLICANT_COLUMNS if key != "total"]
# Values a leaf cell is drawn from, per applicant column (townships: few requests, mostly natural persons).
_SPREAD = {"natural_person": (0, 0, 0, 1, 1, 2, 3), "commercial": (0, 0, 0, 0, 1, 2), "research": (0, 0, 0, 0, 0, 1),
           "public_interest": (0, 0, 0, 0, 0, 1), "legal_service": (0, 0, 0, 0, 1), "other_org": (0, 0, 0, 0, 1)}
# Columns whose 予以公开 row is never zero, so every report has non-zero numbers.
_ALWAYS_GRANTED = ("natural_person", "commercial")


def _proactive(rng: random.Random) -> dict[str, object]:
    out: dict[str, object] = {}
    for block in PROACTIVE_2021:
        for row in block.rows:
            for col, _ in block.columns:
                out[f"proactive.{row.key}.{col}"] = rng.randint(1, 9)
    out["proactive.rules.in_force"] = out["proactive.rules.issued"]  # type: ignore[assignment]
    out["proactive.fees.amount"] = Decimal(rng.randint(1, 90)) / 100
    return out


def _applications(rng: random.Random) -> dict[str, object]:
    rows = application_rows("2021")
    leaves = [r.key for r in rows if r.key.startswith(RESULT_ROW_PREFIXES)]
    out: dict[str, object] = {}
    for col in _APPLICANTS:
        values = {leaf: rng.choice(_SPREAD[col]) for leaf in leaves}
        values["granted"] += col in _ALWAYS_GRANTED
        total = sum(values.values())
        carried_over = rng.randint(0, min(2, total))
        carried_forward = rng.randint(0, 2)
        values.update(total=total, carried_over=carried_over, carried_forward=carried_forward,
                      new=total + carried_forward - carried_over)
        for key, value in values.items():
            out[f"applications.{key}.{col}"] = value
    for row in rows:
        out[f"applications.{row.key}.total"] = sum(out[f"applications.{row.key}.{c}"] for c in _APPLICANTS)  # type: ignore[misc]
    return out


def _review(rng: random.Random) -> dict[str, object]:
    out: dict[str, object] = {}
    for block, _ in REVIEW_BLOCKS:
        parts = {col: rng.randint(0, 2) for col, _ in REVIEW_COLUMNS if col != "total"}
        parts["upheld"] += 1
        for col, value in parts.items():
            out[f"review_litigation.{block}.{col}"] = value
        out[f"review_litigation.{block}.total"] = sum(parts.values())
    return out


@lru_cache(maxsize=4096)
def report_numbers(key: str) -> dict[str, object]:
    """Every cell of a 2021-format report, derived only from ``key`` (e.g. code-year)."""
    rng = random.Random(key)
    return {**_proactive(rng), **_applications(rng), **_review(rng)}
