"""A generated case as a sequence of blocks every renderer draws the same way.

Blocks are ("p", text) or ("table", rows); a row is a list of cell strings, a
one-cell row spans the table (captions and group labels). Blank cells print
as "" or "/" alternately (OFD always "/": positioned text cannot show an empty cell).
"""

from __future__ import annotations

from parsing import schema

from .cases import Case

HEADINGS = {k: f"{n}、{h}" for k, n, h in schema.SECTIONS}
RULE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
HEADERS_2019_MONEY = {"采购总金额": "采购总金额（万元）"}


def _cell(value, n: int, slash: bool) -> str:
    if value is None:
        return "/" if slash or n % 2 else ""
    return str(value)


def proactive_rows(case: Case, slash: bool = False) -> list[list[str]]:
    rows, n = [], 0
    for block in schema.proactive_blocks(case.fmt):
        rows.append([block.caption])
        rows.append(["信息内容"] + [HEADERS_2019_MONEY.get(h, h) for _, h in block.columns])
        for r in block.rows:
            cells = []
            for c, _ in block.columns:
                value = case.values[f"proactive.{r.key}.{c}"]
                n += value is None
                cells.append(_cell(value, n, slash))
            rows.append([r.label] + cells)
    return rows


def application_rows(case: Case) -> list[list[str]]:
    rows = [[RULE], ["申请人情况"], ["自然人", "法人或其他组织", "总计"], [c for _, c in schema.APPLICANT_COLUMNS[1:6]]]
    group = None
    for r in case.app_rows:
        if r.group and r.group != group and r.group != "三、本年度办理结果":
            rows.append([r.group])
        group = r.group
        rows.append([r.label] + [str(case.values[f"applications.{r.key}.{c}"]) for c, _ in schema.APPLICANT_COLUMNS])
    return rows


def review_rows(case: Case) -> list[list[str]]:
    heads = [h for _, h in schema.REVIEW_COLUMNS]
    return [["行政复议", "行政诉讼"], ["未经复议直接起诉", "复议后起诉"], heads * 3,
            [str(case.values[f"review_litigation.{p}"]) for p in schema.review_cell_paths()]]


def blocks(case: Case, slash: bool = False) -> list[tuple[str, object]]:
    s, pn = case.sentences, case.prose_numbers
    out: list[tuple[str, object]] = [
        ("p", case.title),
        ("p", f"本年度报告中所列数据的统计期限自{case.year}年1月1日起至{case.year}年12月31日止。"),
        ("p", HEADINGS["overview"]),
        ("p", f"{case.year}年，{case.township}{s[0]}。{s[1]}。本年度新收政府信息公开申请{pn['new']}件。"),
        ("p", HEADINGS["proactive"]), ("table", proactive_rows(case, slash)),
        ("p", HEADINGS["applications"]), ("table", application_rows(case)),
        ("p", HEADINGS["review_litigation"]),
        ("p", f"本年度本机关政府信息公开行政复议{pn['review']}件。"),
        ("table", review_rows(case)),
        ("p", HEADINGS["problems"]), ("p", f"{s[2]}。{s[3]}。"),
        ("p", HEADINGS["other"]), ("p", f"{s[4]}。{s[5]}。"),
        ("p", case.agency), ("p", f"{case.year + 1}年1月15日"),
    ]
    return out
