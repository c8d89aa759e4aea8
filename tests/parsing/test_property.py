"""Property: any consistent set of tables, rendered as portal HTML, parses back exactly, with no checks."""

from __future__ import annotations

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
