"""Checks that look beyond the tables: against last year's report and the report's own prose.

DOMAIN.md §3 checks 5 (上年结转 = last year's 结转下年度), 6 (numbers quoted
in the text = the cells) and 8 (more than half the text repeats last year's).
``previous`` is the unit's report object for year − 1, or None when unknown;
without it checks 5 and 8 say nothing.
"""

from __future__ import annotations

from . import schema
from .prose import copied_share

COPY_THRESHOLD = 0.5   # 宿迁's assessment deducts points above half
COLUMN_NAMES = dict(schema.APPLICANT_COLUMNS)


def _check(code: str, severity: str, message: str) -> dict:
    return {"code": code, "severity": severity, "message": message}


def _cell(tables: dict, path: str):
    node = tables
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def _is_previous(f) -> bool:
    prev = f.previous
    return bool(prev) and f.year is not None and prev.get("year") == f.year - 1


def carried_over(f) -> list[dict]:
    """Check 5: this year's 二、上年结转 equals last year's 四、结转下年度继续办理, per column."""
    if not _is_previous(f):
        return []
    bad, unknown = [], []
    for col, name in schema.APPLICANT_COLUMNS:
        now = f.cells.get(f"applications.carried_over.{col}")
        before = _cell(f.previous.get("tables") or {}, f"applications.carried_forward.{col}")
        if not isinstance(now, (int, float)) or before is None:
            unknown.append(name)
        elif now != before:
            bad.append(f"{name}（本年结转 {now}，上年报告结转下年度 {before}）")
    out = [_check("applications.carried_over_vs_previous", "warning",
                  f"“二、上年结转政府信息公开申请数量”与{f.year - 1}年度报告“四、结转下年度继续办理”不一致："
                  + "；".join(bad))] if bad else []
    if unknown and len(unknown) < len(schema.APPLICANT_COLUMNS):
        out.append(_check("applications.carried_over_vs_previous", "info",
                          "上年结转与上年报告无法逐列核对（单元格缺失或空白）：" + "、".join(unknown)))
    return out


def quoted_numbers(f) -> list[dict]:
    """Check 6: a number quoted in the text (新收申请 X 件, 行政复议 X 件 …) equals the table's cells."""
    bad = []
    for name, number, paths in f.quoted:
        values = [f.cells.get(p) for p in paths]
        if any(not isinstance(v, (int, float)) for v in values):
            continue   # the cell is missing or blank: check 7 reports that
        table = sum(values)
        if abs(table - number) > 0.005:
            bad.append(f"正文“{name}”为 {_num(number)}，表格为 {_num(table)}")
    return [_check("text.numbers_vs_tables", "warning",
                   "正文中的数字与表格不一致：" + "；".join(bad) + "，请核对")] if bad else []


def copied_text(f) -> list[dict]:
    """Check 8: more than COPY_THRESHOLD of the prose repeats last year's report sentence by sentence."""
    if not _is_previous(f):
        return []
    fp = f.previous.get("text_fingerprint")
    if fp is None:
        return [_check("text.copied_from_previous", "info",
                       "上年报告缺少正文指纹（由旧版解析器读取），无法比较两年文字重复率；重新解析上年报告即可")]
    share = copied_share(f.prose, fp)
    if share is None or share <= COPY_THRESHOLD:
        return []
    return [_check("text.copied_from_previous", "warning",
                   f"正文约 {share:.0%} 的文字与{f.year - 1}年度报告逐句相同（数字除外），超过一半，"
                   "可能照搬上年报告")]


def low_confidence(f) -> list[dict]:
    """OCR'd cells read with low confidence: the officer should compare them with the scan."""
    if not f.low_confidence:
        return []
    from .checks import _row_name   # checks imports this module: import at call time
    names = [_row_name(p) + _column_name(p) for p in f.low_confidence]
    shown = "、".join(names[:10]) + ("等" if len(names) > 10 else "")
    return [_check("ocr.low_confidence", "warning",
                   f"本报告由图片识别（OCR），{len(f.low_confidence)} 个单元格识别把握不高，请对照原件核对：{shown}")]


COLUMN_LABELS = dict(schema.APPLICANT_COLUMNS) | dict(schema.REVIEW_COLUMNS)
PROACTIVE_COLUMNS = {f"proactive.{r.key}.{c}": h for b in schema.PROACTIVE_2021 + schema.PROACTIVE_2019
                     for r in b.rows for c, h in b.columns}


def _column_name(path: str) -> str:
    col = path.rsplit(".", 1)[-1]
    return f"“{PROACTIVE_COLUMNS.get(path) or COLUMN_LABELS.get(col, col)}”列"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
