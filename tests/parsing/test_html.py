"""HTML fixtures (fixtures/*.html, written by make_fixtures.py): spans, 2019 format, GBK, blanks and a 勾稽 error."""

from __future__ import annotations

from functools import lru_cache

import pytest

from parsing import parse_file
from parsing.extract import extract
from parsing.schema import cell_paths

from . import make_fixtures as mf
from .conftest import FIXTURES, cell


@lru_cache(maxsize=None)
def fixture(name: str) -> dict:
    return parse_file(FIXTURES / name)


EXPECTED_VALUES = {
    "spans_2021.html": mf.values(mf.SPANS_2021),
    "format_2019.html": mf.values(mf.OLD_2019, "2019"),
    "gbk.html": mf.values({}),
    "gbk_undeclared.html": mf.values({"proactive.licensing.decisions": 7}),
    "blanks_error.html": mf.values(mf.BLANKS_ERROR, blanks=mf.BLANK_PATHS),
}
CELLS = [(name, path, value) for name, values in EXPECTED_VALUES.items() for path, value in values.items()]


@pytest.mark.parametrize("name,path,expected", CELLS)
def test_cell(name, path, expected):
    assert cell(fixture(name), path) == expected


@pytest.mark.parametrize("name", sorted(EXPECTED_VALUES))
def test_nothing_missing(name):
    assert fixture(name)["missing"] == []


FIELDS = [
    ("spans_2021.html", "township", "兴隆镇"), ("spans_2021.html", "county", "友谊县"),
    ("spans_2021.html", "published", "2023-01-18"), ("spans_2021.html", "published_source", "meta"),
    ("spans_2021.html", "format", "2021"), ("spans_2021.html", "checks", []),
    ("format_2019.html", "format", "2019"), ("format_2019.html", "year", 2020),
    ("format_2019.html", "township", "会发镇"),
    ("gbk.html", "province", "黑龙江省"), ("gbk.html", "city", "双鸭山市"), ("gbk.html", "county", "宝山区"),
    ("gbk.html", "township", "七星镇"), ("gbk.html", "published", "2023-01-12"),
    ("gbk.html", "published_source", "signature"),
    ("gbk_undeclared.html", "township", "七星镇"), ("gbk_undeclared.html", "county", "宝山区"),
    ("blanks_error.html", "published", None), ("blanks_error.html", "published_source", None),
    ("blanks_error.html", "county", "虎林市"),
]


@pytest.mark.parametrize("name,field,expected", FIELDS)
def test_field(name, field, expected):
    assert fixture(name)[field] == expected


def _codes(name, severity=None):
    return [c["code"] for c in fixture(name)["checks"] if severity in (None, c["severity"])]


def test_balance_error_found():
    (check,) = [c for c in fixture("blanks_error.html")["checks"] if c["code"] == "applications.balance"
                and c["severity"] == "error"]
    assert "自然人" in check["message"] and "4 ≠ 3" in check["message"]


def test_blank_cells_make_checks_unverifiable_not_errors():
    assert set(_codes("blanks_error.html", "error")) == {"applications.balance"}


@pytest.mark.parametrize("code", ["applications.total_column", "review_litigation.sums"])
def test_blank_cells_reported_unverifiable(code):
    assert code in _codes("blanks_error.html", "info")


def test_2019_procurement_unit_assumed():
    assert _codes("format_2019.html") == ["fees.unit_assumed"]


def test_2019_cell_count():
    assert fixture("format_2019.html")["coverage"] == {"found": len(cell_paths("2019")), "expected": 198}


def test_gbk_rare_character_decoded():
    text = "\n".join(extract((FIXTURES / "gbk.html").read_bytes(), "gbk.html").text_lines())
    assert "七星镇人民政府（堃）" in text


def test_spans_expanded_in_grid():
    doc = extract((FIXTURES / "spans_2021.html").read_bytes(), "x.html")
    apps = [b for b in doc.blocks if hasattr(b, "rows") and any("申请人情况" in c for c in b.rows[0])][0]
    assert [len(r) for r in apps.rows] == [10] * len(apps.rows)


def test_spans_rowspan_copies_group_label():
    doc = extract((FIXTURES / "spans_2021.html").read_bytes(), "x.html")
    apps = [b for b in doc.blocks if hasattr(b, "rows") and any("申请人情况" in c for c in b.rows[0])][0]
    assert [r[0] for r in apps.rows[5:27]] == ["三、本年度办理结果"] * 22


def test_metadata_read():
    doc = extract((FIXTURES / "spans_2021.html").read_bytes(), "x.html")
    assert (doc.meta["SiteName"], doc.meta["ColumnName"]) == ("友谊县人民政府", "政府信息公开年报")


def test_layout_table_without_nested_tables_is_walked_into():
    body = "".join(f"<p>{h}</p><p>{'正文' * 200}</p>" for h in
                   ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"])
    html = f"<html><body><table><tr><td><h1>兴隆镇2017年政府信息公开工作年度报告</h1>{body}</td></tr></table></body></html>"
    from parsing import parse_bytes
    assert len(parse_bytes(html.encode(), source="a.html")["sections"]) == 6


def test_headings_inside_one_big_table():
    from parsing import parse_bytes
    from .render import applications_table, proactive_table, review_table, zero_values
    values = zero_values()
    rows = "".join(f"<tr><td colspan='10'>{h}</td></tr>" for h in ["一、总体情况"])
    html = ("<html><body><h1>兴隆镇2022年政府信息公开工作年度报告</h1><table>" + rows
            + "<tr><td colspan='10'>二、主动公开政府信息情况</td></tr></table>" + proactive_table(values)
            + "<table><tr><td colspan='10'>三、收到和处理政府信息公开申请情况</td></tr></table>"
            + applications_table(values) + "<p>本年度未发生行政复议和行政诉讼，各项工作依法依规开展，总体平稳有序。</p>"
            + "<table><tr><td>四、政府信息公开行政复议、行政诉讼情况</td></tr></table>" + review_table(values)
            + "</body></html>")
    report = parse_bytes(html.encode(), source="a.html")
    assert (report["sections"][:4], report["missing"]) == (["overview", "proactive", "applications",
                                                            "review_litigation"], [])


def _grid(table_html: str):
    (table,) = [b for b in extract(f"<html><body>{table_html}</body></html>".encode(), "x.html").blocks
                if hasattr(b, "rows")]
    return table


CELL_TEXTS = [
    ("<td>a</td>", "a"),
    ("<td> 规 章\n</td>", "规 章"),
    ("<td><p>行政\u3000许可</p>\n<span>1</span>2</td>", "行政 许可 12"),
    ("<td>1<script>var x = '2';</script>3</td>", "13"),
    ("<td><style>p {color: red}</style>4</td>", "4"),
    ("<td>5<!-- 6 -->7</td>", "57"),
    ("<td><!-- 6 --></td>", ""),
    ("<td></td>", ""),
    ("<td><p>3</p></td>", "3"),
    ("<td>a<b> b </b>c</td>", "a b c"),
    ("<td><p><span>4</span>2</p></td>", "42"),
]


@pytest.mark.parametrize("cell_html,expected", CELL_TEXTS)
def test_cell_text(cell_html, expected):
    assert _grid(f"<table><tr>{cell_html}<td>x</td></tr></table>").rows[0][0] == expected


GRIDS = [
    ("<tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr>", [["a", "b"], ["c", "d"]]),
    ("<thead><tr><td>h</td></tr></thead><tbody><tr><td>b</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot>",
     [["h"], ["b"], ["f"]]),
    ("<tr><td rowspan='5'>a</td><td>b</td></tr><tr><td>c</td></tr>", [["a", "b"], ["a", "c"]]),
    ("<tr><td rowspan='2'>a</td><td>b</td></tr><tr><td colspan='2'>c</td></tr>", [["a", "b", ""], ["a", "c", "c"]]),
    ("<tr><td colspan='x'>a</td><td colspan='0'>b</td><td colspan=' 2 '>c</td><td rowspan=''>d</td></tr>",
     [["a", "b", "c", "c", "d"]]),
    ("<tr><td rowspan='2' colspan='2'>a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr>",
     [["a", "a", "b"], ["a", "a", "c"], ["d", "", ""]]),
]


@pytest.mark.parametrize("rows_html,expected", GRIDS)
def test_grid_rows(rows_html, expected):
    assert _grid(f"<table>{rows_html}</table>").rows == expected


def test_grid_origins_mark_spanned_copies_and_gaps():
    table = _grid("<table><tr><td rowspan='2'>a</td><td>b</td></tr><tr><td colspan='2'>c</td></tr></table>")
    assert table.origins == [[1, 2, -3], [1, 3, 3]]


def test_long_cell_makes_a_layout_table():
    doc = extract(f"<html><body><table><tr><td>{'字' * 301}</td><td>1</td></tr></table></body></html>".encode(),
                  "x.html")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph"]


def test_table_holding_a_table_is_walked_into():
    doc = extract(b"<html><body><table><tr><td><p>head</p><table><tr><td>1</td><td>2</td></tr></table>"
                  b"</td></tr></table></body></html>", "x.html")
    assert [(type(b).__name__, getattr(b, "rows", None)) for b in doc.blocks] == [("Paragraph", None),
                                                                                ("Table", [["1", "2"]])]


PAGE_META = [
    ("<p>发 布 日 期：2023-01-20</p>", "page_date", "2023-01-20"),
    ("<p>发布时间：<span>2023</span>年1月<b>5</b>日</p>", "page_date", "2023-01-05"),
    ("<script>var s = '发布日期：2020-01-01';</script><p>发布日期：2023-02-03</p>", "page_date", "2023-02-03"),
    ("<p>发布机构：<script>f()</script>兴隆镇人民政府</p>", "page_agency", "兴隆镇人民政府"),
    ("<table><tr><td>发布机构：</td><td>兴隆镇人民政府</td><td>索引号：</td></tr></table>", "page_agency", "兴隆镇人民政府"),
]


@pytest.mark.parametrize("body,name,expected", PAGE_META)
def test_page_metadata(body, name, expected):
    assert extract(f"<html><body>{body}</body></html>".encode(), "x.html").meta[name] == expected


def test_script_text_is_not_page_text():
    doc = extract(b"<html><body><script>document.write('<p>hidden</p>')</script><p>shown</p></body></html>", "x.html")
    assert doc.text_lines() == ["shown"]
