"""A generated report as format-neutral blocks: title, headings, paragraphs, tables.

``report_blocks(county, article)`` returns ``[(kind, value), …]`` with kinds
``title`` (str), ``h`` (section heading), ``p`` (paragraph), ``table``
(a ``Grid``: rows of ``Cell`` with rowspan/colspan, laid out like real 年报
pages) and ``sign`` (落款 lines). The renderers in ``formats`` walk them.
Labels come from ``parsing.schema`` (2021 format).
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.demo_portal.numbers import report_numbers
from nianbao.demo_portal.world import Article, County
from parsing.schema import APPLICANT_COLUMNS, PROACTIVE_2021, REVIEW_BLOCKS, REVIEW_COLUMNS, SECTIONS, application_rows


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[Cell]]
RULE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _fmt(value: object) -> str:
    return str(value)


def proactive_grid(n: dict[str, object]) -> Grid:
    grid: Grid = []
    for block in PROACTIVE_2021:
        grid.append([Cell(block.caption, colspan=4)])
        wide = 4 - len(block.columns) if len(block.columns) == 1 else 1
        grid.append([Cell("信息内容")] + [Cell(h, colspan=3 if wide > 1 else 1) for _, h in block.columns])
        for row in block.rows:
            cells = [Cell(_fmt(n[f"proactive.{row.key}.{c}"]), colspan=3 if wide > 1 else 1) for c, _ in block.columns]
            grid.append([Cell(row.label)] + cells)
    return grid


def applications_grid(n: dict[str, object]) -> Grid:
    grid: Grid = [
        [Cell(RULE, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(label) for key, label in APPLICANT_COLUMNS[1:6]],
    ]
    rows = application_rows("2021")
    group_sizes: dict[str, int] = {}
    for row in rows:
        group_sizes[row.group] = group_sizes.get(row.group, 0) + 1
    results_span = sum(size for group, size in group_sizes.items() if group)
    seen: set[str] = set()
    for row in rows:
        values = [Cell(_fmt(n[f"applications.{row.key}.{c}"])) for c, _ in APPLICANT_COLUMNS]
        if not row.group:
            grid.append([Cell(row.label, colspan=3)] + values)
            continue
        lead: list[Cell] = []
        if "results" not in seen:
            seen.add("results")
            lead.append(Cell("三、本年度办理结果", rowspan=results_span))
        if row.group == "三、本年度办理结果":
            grid.append(lead + [Cell(row.label, colspan=2)] + values)
            continue
        if row.group not in seen:
            seen.add(row.group)
            lead.append(Cell(row.group, rowspan=group_sizes[row.group]))
        grid.append(lead + [Cell(row.label)] + values)
    return grid


def review_grid(n: dict[str, object]) -> Grid:
    return [
        [Cell("行政复议", rowspan=2, colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(REVIEW_BLOCKS[1][1], colspan=5), Cell(REVIEW_BLOCKS[2][1], colspan=5)],
        [Cell(label) for _ in REVIEW_BLOCKS for _, label in REVIEW_COLUMNS],
        [Cell(_fmt(n[f"review_litigation.{b}.{c}"])) for b, _ in REVIEW_BLOCKS for c, _ in REVIEW_COLUMNS],
    ]


def _heading(key: str) -> str:
    numeral, text = next((num, head) for k, num, head in SECTIONS if k == key)
    return f"{numeral}、{text}"


def report_blocks(county: County, article: Article) -> list[tuple[str, object]]:
    """The report's content; numbers are ``report_numbers(<code>-<year>)``."""
    t, year = article.township, article.year
    assert t is not None and year is not None
    n = report_numbers(f"{t.code}-{year}")
    new, total = n["applications.new.total"], n["applications.total.total"]
    review = n["review_litigation.review.total"]
    blocks: list[tuple[str, object]] = [
        ("title", article.title),
        ("p", f"本报告根据《中华人民共和国政府信息公开条例》要求，由{t.agency}编制。本年度报告中所列数据的统计期限"
              f"自{year}年1月1日起至{year}年12月31日止。本年度报告电子版可在“{county.government}”网站政府信息公开专栏查阅或下载。"
              f"如对本报告有疑问，请与{t.agency}党政办公室联系。"),
        ("h", _heading("overview")),
        ("p", f"{year}年，{t.name}坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
              f"全年主动公开政府信息{40 + int(str(new)) % 60}条，本年新收政府信息公开申请{new}件，办结{total}件；"
              f"收到行政复议申请{review}件。"),
        ("h", _heading("proactive")), ("table", proactive_grid(n)),
        ("h", _heading("applications")), ("table", applications_grid(n)),
        ("h", _heading("review_litigation")), ("table", review_grid(n)),
        ("h", _heading("problems")),
        ("p", f"{year}年，{t.name}政府信息公开工作取得一定成效，但仍存在公开内容不够全面、更新不够及时等问题。"
              "下一步将加强业务培训，完善工作机制，提高公开质量。"),
        ("h", _heading("other")),
        ("p", "本年度未收取信息处理费。无其他需要报告的事项。"),
        ("sign", t.agency),
    ]
    if article.signed:
        blocks.append(("sign", f"{article.signed.year}年{article.signed.month}月{article.signed.day}日"))
    return blocks


def block_text(blocks: list[tuple[str, object]]) -> str:
    """The paragraphs only (used for look-alikes and plain notices)."""
    return "\n".join(str(v) for k, v in blocks if k in ("title", "h", "p", "sign"))
