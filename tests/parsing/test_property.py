"""Property: any consistent set of tables, rendered as portal HTML, parses back exactly, with no checks."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsing import parse_bytes, schema
from parsing.report import nest

from .render import report_html

COUNT = st.integers(min_value=0, max_value=999)
PARTS = [c for c, _ in schema.APPLICANT_COLUMNS if c != "total"]


@st.composite
def consistent_values(draw, fmt="2021"):
    values: dict = {}
    for block in schema.proactive_blocks(fmt):
        for row in block.rows:
            for col, _ in block.columns:
                path = f"proactive.{row.key}.{col}"
                if col == "amount":
                    values[path] = draw(st.integers(0, 10**6)) / 100
                elif col == "change":
                    values[path] = draw(st.integers(-99, 99))
                else:
                    values[path] = draw(COUNT)
    leaves = [r.key for r in schema.application_rows(fmt)
              if r.key.startswith(schema.RESULT_ROW_PREFIXES) and r.key != "total"]
    for col in PARTS:
        for key in leaves:
            values[f"applications.{key}.{col}"] = draw(COUNT)
        total = sum(values[f"applications.{k}.{col}"] for k in leaves)
        forward = draw(COUNT)
        over = draw(st.integers(0, total + forward))
        values.update({f"applications.total.{col}": total, f"applications.carried_forward.{col}": forward,
                       f"applications.carried_over.{col}": over, f"applications.new.{col}": total + forward - over})
    for row in schema.application_rows(fmt):
        values[f"applications.{row.key}.total"] = sum(values[f"applications.{row.key}.{c}"] for c in PARTS)
    for block, _ in schema.REVIEW_BLOCKS:
        parts = {c: draw(COUNT) for c, _ in schema.REVIEW_COLUMNS if c != "total"}
        values.update({f"review_litigation.{block}.{c}": v for c, v in parts.items()})
        values[f"review_litigation.{block}.total"] = sum(parts.values())
    return values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_values(), st.sampled_from(["", "/"]))
def test_html_round_trip_2021(values, blank):
    report = parse_bytes(report_html(values, blank=blank).encode(), source="http://x.gov.cn/a.html")
    assert (report["tables"], report["missing"], report["checks"]) == (nest(values), [], [])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_values("2019"))
def test_html_round_trip_2019(values):
    html = report_html(values, fmt="2019", period_year=2020, title="兴隆镇人民政府2020年政府信息公开工作年度报告")
    report = parse_bytes(html.replace("采购总金额", "采购总金额（万元）").encode(), source="a.html")
    assert (report["tables"], report["missing"], report["checks"]) == (nest(values), [], [])


# How clerks retype and export the same tables: each rewrites report_html's markup and keeps every value.
_TD = re.compile(r"<td([^>]*)>(.*?)</td>", re.S)
_TEXT_TD = re.compile(r"<td([^>]*)>([^<]*[\u4e00-\u9fff][^<]*)</td>")
_NUMBER_TD = re.compile(r"<td([^>]*)>(\d+)</td>")
_SUB_ITEM = re.compile(r"<td([^>]*)>(\d)\.(?=[\u4e00-\u9fff])")
_WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
SUB_ITEM_STYLES = ["{n}.", "{n}、", "{n}．", "({n})", "（{n}）", "{n})", "{n} ", "{n} .", "{circled}"]


def _word_export(html: str) -> str:
    return _TD.sub(lambda m: f"<td{m[1]} width=64 style='border:solid windowtext 1.0pt'><p class=MsoNormal "
                             f"align=center><span lang=EN-US style='font-family:仿宋_GB2312'>{m[2]}<o:p></o:p>"
                             "</span></p></td>", html)


def _spaced_labels(html: str) -> str:
    return _TEXT_TD.sub(lambda m: f"<td{m[1]}>{'&nbsp;'.join(m[2])}</td>", html)


def _full_width_numbers(html: str) -> str:
    return _NUMBER_TD.sub(lambda m: f"<td{m[1]}>{m[2].translate(_WIDE_DIGITS)}</td>", html)


def _header_cells(html: str) -> str:
    return _TEXT_TD.sub(r"<th\1>\2</th>", html).replace("<table border=1>", "<table border=1><tbody>")


def _blank_as_nbsp(html: str) -> str:
    return html.replace("<td></td>", "<td>&nbsp;</td>").replace("<td>/</td>", "<td> / </td>")


def _padded_numbers(html: str) -> str:
    return _NUMBER_TD.sub(lambda m: f"<td{m[1]}>\n\t\t{m[2]}&nbsp;\n</td>", html)


def _table_split(html: str) -> str:
    """Table 三 cut in two after its 12th row, as a page break in a Word export leaves it."""
    start = html.index("<table border=1", html.index("<table border=1") + 1)   # the second data table
    end = html.index("</table>", start)
    rows = html[start:end].split("<tr>")
    return (html[:start] + "<tr>".join(rows[:12]) + "</table><p style='page-break-before:always'>&nbsp;</p>"
            "<table border=1><tr>" + "<tr>".join(rows[12:]) + html[end:])


def _reworded(html: str) -> str:
    """Labels as clerks shorten or reword them."""
    for official, retyped in [("（区分处理的，只计这一情形，不计其他情形）", ""), ("已获取信息", "已获取的信息"),
                              ("“三安全一稳定”", "‘三安全一稳定’"), ("四、结转下年度继续办理", "四、结转下年度继续办理数量"),
                              (">3.其他<", ">3.其它<")]:
        html = html.replace(official, retyped)
    return html


RETYPINGS = [_reworded, _word_export, _spaced_labels, _full_width_numbers, _header_cells, _blank_as_nbsp, _padded_numbers,
             _table_split]


def _sub_items(style: str):
    def renumber(html: str) -> str:
        return _SUB_ITEM.sub(lambda m: f"<td{m[1]}>" + style.format(n=m[2], circled="①②③④⑤⑥⑦⑧"[int(m[2]) - 1]), html)
    return renumber


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_values(), st.sampled_from(["", "/"]), st.sampled_from(SUB_ITEM_STYLES),
       st.lists(st.sampled_from(RETYPINGS), max_size=4, unique=True))
def test_html_round_trip_as_clerks_retype_it(values, blank, style, retypings):
    html = report_html(values, blank=blank)
    words = [_reworded] if _reworded in retypings else []   # before the numbers are restyled
    for rewrite in [*words, _sub_items(style), *(r for r in retypings if r is not _reworded)]:
        html = rewrite(html)
    report = parse_bytes(html.encode(), source="http://x.gov.cn/a.html")
    assert (report["tables"], report["missing"], report["checks"]) == (nest(values), [], [])
