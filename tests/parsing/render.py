"""Render report tables as HTML the way portals print them (rowspan/colspan), for fixtures and properties.

``values`` maps dotted cell paths to a number, None (printed as ``blank``),
or is missing the path (the cell is printed empty as well).
"""

from __future__ import annotations

from html import escape

from parsing import schema

RULE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def td(text, rowspan=1, colspan=1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{escape(str(text))}</td>"


def _v(values, path, blank):
    value = values.get(path)
    return blank if value is None else value


def proactive_table(values, fmt="2021", blank="", fee_header=None) -> str:
    rows = []
    for block in schema.proactive_blocks(fmt):
        rows.append(td(block.caption, colspan=4))
        wide = 4 - len(block.columns)
        heads = [h if fee_header is None or "收费金额" not in h else fee_header for _, h in block.columns]
        rows.append(td("信息内容") + "".join(td(h, colspan=wide if len(heads) == 1 else 1) for h in heads)
                    + ("" if len(heads) != 2 else td("")))
        for row in block.rows:
            cells = [_v(values, f"proactive.{row.key}.{c}", blank) for c, _ in block.columns]
            rows.append(td(row.label) + "".join(td(c, colspan=wide if len(cells) == 1 else 1) for c in cells)
                        + ("" if len(cells) != 2 else td("")))
    return "<table border=1>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def applications_table(values, fmt="2021", blank="") -> str:
    rows = [td(RULE, 3, 3) + td("申请人情况", colspan=7),
            td("自然人", 2) + td("法人或其他组织", colspan=5) + td("总计", 2),
            "".join(td(label) for _, label in schema.APPLICANT_COLUMNS[1:6])]
    specs = schema.application_rows(fmt)
    sizes: dict[str, int] = {}
    for row in specs:
        sizes[row.group] = sizes.get(row.group, 0) + 1
    results = sum(n for g, n in sizes.items() if g)
    seen: set[str] = set()
    for row in specs:
        cells = "".join(td(_v(values, f"applications.{row.key}.{c}", blank)) for c, _ in schema.APPLICANT_COLUMNS)
        if not row.group:
            rows.append(td(row.label, colspan=3) + cells)
            continue
        lead = ""
        if "results" not in seen:
            seen.add("results")
            lead += td("三、本年度办理结果", rowspan=results)
        if row.group == "三、本年度办理结果":
            rows.append(lead + td(row.label, colspan=2) + cells)
            continue
        if row.group not in seen:
            seen.add(row.group)
            lead += td(row.group, rowspan=sizes[row.group])
        rows.append(lead + td(row.label) + cells)
    return "<table border=1>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def review_table(values, blank="") -> str:
    heads = "".join(td(h) for _, h in schema.REVIEW_COLUMNS)
    rows = [td("行政复议", 2, 5) + td("行政诉讼", colspan=10),
            td("未经复议直接起诉", colspan=5) + td("复议后起诉", colspan=5),
            heads + heads + heads,
            "".join(td(_v(values, f"review_litigation.{p}", blank)) for p in schema.review_cell_paths())]
    return "<table border=1>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def report_html(values, *, fmt="2021", title="兴隆镇人民政府2022年政府信息公开工作年度报告", meta=None,
                blank="", fee_header=None, period_year=2022, charset="utf-8", signature="") -> str:
    metas = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in (meta or {}).items())
    headings = {k: f"{n}、{h}" for k, n, h in schema.SECTIONS}
    period = (f"<p>本年度报告中所列数据的统计期限自{period_year}年1月1日起至{period_year}年12月31日止。</p>"
              if period_year else "")
    body = (f"<h1>{escape(title)}</h1>{period}"
            f"<h2>{headings['overview']}</h2><p>全年工作情况。</p>"
            f"<h2>{headings['proactive']}</h2>{proactive_table(values, fmt, blank, fee_header)}"
            f"<h2>{headings['applications']}</h2>{applications_table(values, fmt, blank)}"
            f"<h2>{headings['review_litigation']}</h2>{review_table(values, blank)}"
            f"<h2>{headings['problems']}</h2><p>存在的问题。</p>"
            f"<h2>{headings['other']}</h2><p>无。</p>{signature}")
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"{metas}<title>{escape(title)}</title></head><body><div class='layout'><table><tr><td>{body}"
            "</td></tr></table></div></body></html>")


def zero_values(fmt="2021") -> dict:
    return {p: (0.0 if p.endswith(".amount") else 0) for p in schema.cell_paths(fmt)}
