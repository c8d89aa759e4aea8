"""Sections (their heading variants) and the report format, both from data tables.

A heading is a line outside tables whose key is (numeral +) keywords of one of
the six sections, in order. With the section's numeral (一、…六、) the keywords
may sit anywhere in a short line; without it the whole line must be the
heading (seed 002: "行政机关主动公开政府信息情况"). A numeral that belongs to
another section rejects the line, so table rows such as "三、本年度办理结果" or
"四、结转下年度继续办理" are never headings.
"""

from __future__ import annotations

import re

from .normalise import key, split_numbering
from .schema import SECTIONS
from .tokens import Line

HEADING_PATTERNS: dict[str, str] = {
    "overview": r"(?:总体情况|概述|总体概述|基本情况)",
    "proactive": r"(?:行政机关)?主动公开(?:政府信息)?(?:的)?(?:工作)?情况",
    "applications": r"(?:行政机关)?(?:收到和处理政府信息公开申请|依申请公开(?:政府信息)?)(?:的)?(?:工作)?情况",
    "review_litigation": r"(?:因政府信息公开(?:工作)?被申请行政复议(?:和|及)?提起行政诉讼|"
                         r"(?:政府信息公开)?行政复议(?:和|及)?行政诉讼)(?:的)?情况",
    "problems": r"(?:政府信息公开(?:工作)?)?存在的?主要问题(?:及|和)(?:其)?改进(?:情况|措施)",
    "other": r"其他需要报告(?:的)?事项",
}
# With the section's own numeral a heading needs only its keywords (it may be wrapped or reworded).
NUMBERED_KEYWORDS: dict[str, str] = {
    "overview": r"总体情况|概述|基本情况",
    "proactive": r"主动公开",
    "applications": r"收到和处理政府信息公开申请|依申请公开",
    "review_litigation": r"行政复议.{0,8}诉讼|复议.{0,4}诉讼",
    "problems": r"主要问题|存在的问题",
    "other": r"其他需要报告",
}
MAX_HEADING_CHARS = 40
_DIGIT = re.compile(r"\d")
_HEADINGS = [(section, f"{numeral}、", re.compile(HEADING_PATTERNS[section]), re.compile(NUMBERED_KEYWORDS[section]))
             for section, numeral, _ in SECTIONS]   # (key, numbering, unnumbered heading, keywords after the numbering)

FORMAT_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "申请人无正当理由逾期不补正"),
    "2019": ("本年新制作数量", "对外公开总数量", "其他对外管理服务事项", "上一年项目数量", "政府集中采购",
             "第二十条第(九)项"),
}


def find_sections(lines: list[Line]) -> dict[str, int]:
    """Section key → index of its heading line, for the headings found, in order."""
    found: dict[str, int] = {}
    order = [k for k, _, _ in SECTIONS]
    last = -1
    for n, line in enumerate(lines):
        text = _heading_text(line)
        if text is None:
            continue
        section = heading_of(text)
        if section and order.index(section) > last:
            found[section] = n
            last = order.index(section)
    return found


def _heading_text(line: Line) -> str | None:
    """A text line outside tables, or a table row holding a single cell (a heading inside a table)."""
    if not line.tabular:
        return line.cells[0]
    filled = [c for c in line.cells if c.strip()]
    return filled[0] if line.grid and len(filled) == 1 else None


def heading_of(text: str) -> str | None:
    """The section this line heads, or None."""
    numbering, rest = split_numbering(text)
    body = key(rest)
    if not body or len(body) > MAX_HEADING_CHARS or _DIGIT.search(body):
        return None
    for section, own_numbering, heading, keywords in _HEADINGS:
        if numbering == own_numbering and keywords.search(body):
            return section
        if numbering is None and heading.fullmatch(body):
            return section
    return None



MAX_MARKER_CELL_CHARS = 45   # longer text, or text with a full stop, is prose: "…政府集中采购…" in a sentence decides nothing


def detect_format(labels: list[str], sections: dict[str, int]) -> str:
    """"2021", "2019", "mixed", "tables_missing" (post-2019 headings, no table labels) or "legacy".

    ``labels`` are the document's label tokens (cells, or the text pieces of a
    line between numbers); only short ones count, so prose cannot vote.
    """
    cells = "\n".join(lab for lab in labels if len(lab) <= MAX_MARKER_CELL_CHARS and "。" not in lab)
    hits = {fmt for fmt, markers in FORMAT_MARKERS.items() if any(m in cells for m in markers)}   # no marker spans "\n"
    if len(hits) == 2:
        return "mixed"
    if hits:
        return hits.pop()
    return "tables_missing" if len(sections) == len(SECTIONS) else "legacy"
