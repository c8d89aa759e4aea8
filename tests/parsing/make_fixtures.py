"""Writes the HTML fixtures under fixtures/ (run: python -m tests.parsing.make_fixtures).

Each fixture is a whole page laid out like a portal article: a layout table
around the body, real data tables with rowspan/colspan. Values are chosen by
hand; ``EXPECTED`` in test_html.py repeats them.
"""

from __future__ import annotations

from .conftest import FIXTURES
from .render import report_html, zero_values

SPANS_2021 = {
    "applications.new.natural_person": 5, "applications.new.commercial": 1, "applications.new.total": 6,
    "applications.carried_over.natural_person": 1, "applications.carried_over.total": 1,
    "applications.granted.natural_person": 3, "applications.granted.commercial": 1, "applications.granted.total": 4,
    "applications.partly_granted.natural_person": 1, "applications.partly_granted.total": 1,
    "applications.unavailable.not_held.natural_person": 1, "applications.unavailable.not_held.total": 1,
    "applications.total.natural_person": 5, "applications.total.commercial": 1, "applications.total.total": 6,
    "applications.carried_forward.natural_person": 1, "applications.carried_forward.total": 1,
    "review_litigation.review.upheld": 1, "review_litigation.review.total": 1,
    "review_litigation.litigation_direct.pending": 1, "review_litigation.litigation_direct.total": 1,
    "proactive.normative_documents.issued": 2, "proactive.normative_documents.repealed": 1,
    "proactive.normative_documents.in_force": 15, "proactive.licensing.decisions": 120,
    "proactive.punishment.decisions": 8, "proactive.fees.amount": 1.25,
}

OLD_2019 = {
    "proactive.normative_documents.new_made": 3, "proactive.normative_documents.new_published": 3,
    "proactive.normative_documents.total_published": 12, "proactive.licensing.previous_items": 40,
    "proactive.licensing.change": -2, "proactive.licensing.decisions": 57, "proactive.fees.previous_items": 2,
    "proactive.fees.change": 0, "proactive.procurement.projects": 4, "proactive.procurement.amount": 36.5,
    "applications.new.natural_person": 2, "applications.new.total": 2,
    "applications.other_handling.natural_person": 1, "applications.other_handling.total": 1,
    "applications.granted.natural_person": 1, "applications.granted.total": 1,
    "applications.total.natural_person": 2, "applications.total.total": 2,
}

# Blank cells ("/" and empty) and a deliberate 勾稽 error in column 自然人: 4 + 0 ≠ 3 + 0.
BLANKS_ERROR = {
    "applications.new.natural_person": 4, "applications.new.total": 4,
    "applications.granted.natural_person": 3, "applications.granted.total": 3,
    "applications.total.natural_person": 3, "applications.total.total": 3,
    "proactive.fees.amount": 0.5,
}
BLANK_PATHS = ["applications.withheld.state_secret.research", "applications.not_processed.duplicate.other_org",
               "proactive.rules.issued", "review_litigation.review.other"]


def values(overrides: dict, fmt: str = "2021", blanks=()) -> dict:
    v = zero_values(fmt)
    v.update(overrides)
    for p in blanks:
        v[p] = None
    return v


def build() -> dict[str, bytes]:
    meta = {"SiteName": "友谊县人民政府", "ColumnName": "政府信息公开年报", "PubDate": "2023-01-18 09:30",
            "ArticleTitle": "友谊县兴隆镇人民政府2022年政府信息公开工作年度报告"}
    gbk_title = "黑龙江省双鸭山市宝山区七星镇人民政府2022年政府信息公开工作年度报告"
    return {
        "spans_2021.html": report_html(values(SPANS_2021), meta=meta,
                                       title="友谊县兴隆镇人民政府2022年政府信息公开工作年度报告").encode("utf-8"),
        "format_2019.html": report_html(values(OLD_2019, "2019"), fmt="2019", period_year=2020,
                                        title="方正县会发镇2020年政府信息公开工作年度报告",
                                        fee_header=None).encode("utf-8"),
        "gbk.html": report_html(values({}), title=gbk_title, charset="gb2312",
                                signature="<p style='text-align:right'>七星镇人民政府（堃）</p><p>2023年1月12日</p>"
                                ).encode("gb18030"),
        "blanks_error.html": _vary_blanks(report_html(values(BLANKS_ERROR, blanks=BLANK_PATHS), blank="/",
                                         title="虎林市迎春镇人民政府2022年政府信息公开工作年度报告",
                                         meta={"PubDate": "null"})).encode("utf-8"),
        "gbk_undeclared.html": report_html(values({"proactive.licensing.decisions": 7}), charset="x-unknown",
                                           title="宝山区七星镇人民政府2022年政府信息公开工作年度报告（堃）").encode("gb18030"),
    }


def _vary_blanks(html: str) -> str:
    """Print one blank cell empty and one as "—", the rest as "/"."""
    html = html.replace("<td>/</td>", "<td></td>", 1)
    return html.replace("<td>/</td>", "<td>—</td>", 1)


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    for name, data in build().items():
        (FIXTURES / name).write_bytes(data)


if __name__ == "__main__":
    main()
