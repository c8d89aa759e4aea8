"""Named checks on a parsed report; each returns zero or more ``{code, severity, message}``.

A check whose cells are missing, ambiguous or blank cannot be evaluated: it
reports severity "info" saying so, never an error. Passing checks are not
listed. Messages are written for a 政务公开 officer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from . import crosschecks, schema
from .tables import Readout

COLUMN_NAMES = dict(schema.APPLICANT_COLUMNS)
ROW_NAMES = {r.key: r.label for r in schema.APPLICATIONS_2021 + schema.APPLICATIONS_2019}
REVIEW_NAMES = dict(schema.REVIEW_BLOCKS)
FEE_NAMES = {"proactive.fees.amount": "本年收费金额", "proactive.procurement.amount": "采购总金额"}
SECTION_NAMES = {k: f"{n}、{h}" for k, n, h in schema.SECTIONS}


@dataclass
class Facts:
    """What the checks look at."""

    cells: dict[str, int | float | None]
    readout: Readout
    fmt: str
    app_fmt: str
    year: int | None
    title_year: int | None
    period_year: int | None
    sections: list[str]
    missing: list[str]
    published: str | None = None
    published_source: str | None = None
    previous: dict | None = None        # the unit's report object for year − 1, when known
    prose: str = ""                     # text outside tables (prose.prose_text)
    quoted: list = field(default_factory=list)             # prose.quoted_numbers(prose)
    low_confidence: list[str] = field(default_factory=list)  # OCR'd cell paths read with low confidence


def _check(code: str, severity: str, message: str) -> dict:
    return {"code": code, "severity": severity, "message": message}


def _sum(cells, paths):
    values = [cells.get(p) for p in paths]
    return None if any(not isinstance(v, (int, float)) for v in values) else sum(values)


def _identity(code, rows, describe):
    """Compare left/right sums per item; rows(app_fmt) = [(name, left_paths, right_paths)]."""
    def run(f: Facts) -> list[dict]:
        bad, unknown = [], []
        for name, left, right in rows(f.app_fmt):
            a, b = _sum(f.cells, left), _sum(f.cells, right)
            if a is None or b is None:
                unknown.append(name)
            elif abs(a - b) > 1e-9:
                bad.append(f"{name}（{a} ≠ {b}）")
        out = [_check(code, "error", f"{describe}不成立：" + "；".join(bad))] if bad else []
        if unknown:
            out.append(_check(code, "info", f"{describe}无法核验（单元格缺失、空白或行识别不清）：" + "、".join(unknown)))
        return out
    return run


def _col_rows(fn):
    return tuple((COLUMN_NAMES[c], *fn(c)) for c, _ in schema.APPLICANT_COLUMNS)


# The identities' cell paths depend only on the table 三 format (some not even on it): built once.

@lru_cache(maxsize=None)
def _balance(fmt: str):
    return _col_rows(lambda c: ((f"applications.new.{c}", f"applications.carried_over.{c}"),
                                (f"applications.total.{c}", f"applications.carried_forward.{c}")))


@lru_cache(maxsize=None)
def _total_rows(fmt: str):
    leaves = [r.key for r in schema.application_rows(fmt)
              if r.key.startswith(schema.RESULT_ROW_PREFIXES) and r.key != "total"]
    return _col_rows(lambda c: (tuple(f"applications.{k}.{c}" for k in leaves), (f"applications.total.{c}",)))


@lru_cache(maxsize=None)
def _total_column(fmt: str):
    parts = [c for c, _ in schema.APPLICANT_COLUMNS if c != "total"]
    return tuple((ROW_NAMES[r.key], tuple(f"applications.{r.key}.{c}" for c in parts), (f"applications.{r.key}.total",))
                 for r in schema.application_rows(fmt))


@lru_cache(maxsize=None)
def _review(fmt: str):
    parts = [c for c, _ in schema.REVIEW_COLUMNS if c != "total"]
    return tuple((REVIEW_NAMES[b], tuple(f"review_litigation.{b}.{c}" for c in parts),
                  (f"review_litigation.{b}.total",)) for b, _ in schema.REVIEW_BLOCKS)


def _ambiguous(f: Facts) -> list[dict]:
    return [_check("tables.row_ambiguous", "warning",
                   f"“{a.label}”一行识别到 {a.found} 个数字，应为 {a.expected} 个（可能有单元格丢失或串行），"
                   "该行数值未采用，请核对原文") for a in f.readout.ambiguous]


def _missing(f: Facts) -> list[dict]:
    """Cells absent for a reason other than an ambiguous row (those have their own check)."""
    ambiguous = {p for a in f.readout.ambiguous for p in a.paths}
    absent = [p for p in f.missing if p not in ambiguous]
    if not absent or f.fmt == "legacy":
        return []
    rows = list(dict.fromkeys(_row_name(p) for p in absent))
    return [_check("tables.missing_cells", "error",
                   f"表格中有 {len(absent)} 个单元格在原文中找不到（行或表缺失、表格被截断）：" + "；".join(rows[:12])
                   + ("等" if len(rows) > 12 else ""))]


def _blanks(f: Facts) -> list[dict]:
    """Check 7: cells printed blank, "/", "—" or "无" are recorded as missing (null), never as 0."""
    blank = [p for p, v in f.cells.items() if v is None]
    if not blank:
        return []
    rows = list(dict.fromkeys(_row_name(p) for p in blank))
    return [_check("tables.blank_cells", "warning",
                   f"表格中有 {len(blank)} 个单元格空白或填“/”“—”“无”，已按未填报记录（不当作0），"
                   "请按要求填写数字（没有发生的填0）：" + "；".join(rows[:12]) + ("等" if len(rows) > 12 else ""))]


TABLE_NAMES = {"proactive": "表二", "applications": "表三", "review_litigation": "表四"}
PROACTIVE_NAMES = {r.key: r.label for b in schema.PROACTIVE_2021 + schema.PROACTIVE_2019 for r in b.rows}


def _row_name(path: str) -> str:
    table, rest = path.split(".", 1)
    row = rest.rsplit(".", 1)[0]
    names = {"proactive": PROACTIVE_NAMES, "applications": ROW_NAMES, "review_litigation": REVIEW_NAMES}[table]
    return f"{TABLE_NAMES[table]}“{names.get(row, row)}”"


def _old_format(f: Facts) -> list[dict]:
    if f.fmt in ("2019", "mixed") and f.year and f.year >= 2021:
        return [_check("format.old_format", "warning",
                       f"{f.year}年度报告应使用2021年新版格式（国办公开办函〔2021〕30号），本报告仍使用2019年旧版表格")]
    return []


def _sections(f: Facts) -> list[dict]:
    if f.fmt == "legacy":
        return []
    absent = [SECTION_NAMES[k] for k, _, _ in schema.SECTIONS if k not in f.sections]
    return [_check("structure.missing_sections", "warning", "未找到以下部分的标题：" + "；".join(absent))] if absent else []


def _year(f: Facts) -> list[dict]:
    if f.title_year and f.period_year and f.title_year != f.period_year:
        return [_check("year.title_vs_period", "warning",
                       f"标题写的是{f.title_year}年，统计期限却是{f.period_year}年，已按统计期限记为{f.period_year}年度")]
    return []


def _published_early(f: Facts) -> list[dict]:
    if f.published and f.year and f.published < f"{f.year}-12-31":
        return [_check("year.published_before_period_end", "warning",
                       f"发布日期 {f.published}（来源：{f.published_source}）早于{f.year}年度统计期结束，"
                       "报告年度或发布日期可能有误")]
    return []


def _fees(f: Facts) -> list[dict]:
    out = []
    for path, unit in f.readout.fee_units.items():
        name = FEE_NAMES.get(path, path)
        if unit is None and path in f.cells:
            out.append(_check("fees.unit_assumed", "warning", f"“{name}”表头未注明单位，按“万元”记录，请核对"))
        elif unit == "元" and path in f.cells:
            out.append(_check("fees.unit_converted", "info", f"“{name}”以“元”填报，已换算为万元"))
    return out


CHECKS: tuple[tuple[str, Callable[[Facts], list[dict]]], ...] = (
    ("applications.balance", _identity("applications.balance", _balance, "勾稽关系“第一项＋第二项＝第三项（七）总计＋第四项”")),
    ("applications.total_rows", _identity("applications.total_rows", _total_rows, "“（七）总计”等于各办理结果之和")),
    ("applications.total_column", _identity("applications.total_column", _total_column, "各行“总计”等于六类申请人之和")),
    ("review_litigation.sums", _identity("review_litigation.sums", _review, "复议/诉讼“维持＋纠正＋其他＋尚未审结＝总计”")),
    ("tables.row_ambiguous", _ambiguous),
    ("tables.missing_cells", _missing),
    ("tables.blank_cells", _blanks),
    ("format.old_format", _old_format),
    ("structure.missing_sections", _sections),
    ("year.title_vs_period", _year),
    ("year.published_before_period_end", _published_early),
    ("fees.unit_assumed", _fees),
    ("applications.carried_over_vs_previous", crosschecks.carried_over),
    ("text.numbers_vs_tables", crosschecks.quoted_numbers),
    ("text.copied_from_previous", crosschecks.copied_text),
    ("ocr.low_confidence", crosschecks.low_confidence),
)


def run_checks(facts: Facts) -> list[dict]:
    """Every check's findings, in CHECKS order. Table checks are skipped for legacy reports."""
    out: list[dict] = []
    for code, check in CHECKS:
        if facts.fmt in ("legacy", "tables_missing") and code.startswith(("applications.", "review_")):
            continue
        out.extend(check(facts))
    return out
