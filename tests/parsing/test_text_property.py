"""Property: tab-separated text tables (as extracted from PDF/Word), with random extraction damage.

Rows given 6 or 8 numbers instead of 7 must be absent, listed in ``missing``
and flagged; every other row must come back exactly — no column shift.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parsing import parse_bytes, schema
from parsing.normalise import split_numbering

ROWS = schema.APPLICATIONS_2021
COLS = [c for c, _ in schema.APPLICANT_COLUMNS]


def _spaced(label: str) -> str:
    """"（三）不予公开" → "（三） 不 予 公 开", as PDF text extraction spaces short labels."""
    numbering, _ = split_numbering(label)
    head = label[:len(label) - len(label.lstrip("（(一二三四五六七八九十0123456789.、)）"))]
    body = label[len(head):]
    return f"{head} {' '.join(body)}" if numbering and len(body) < 12 else label


def render(values: dict, damage: dict[str, str], spaced: set[str]) -> str:
    lines = ["兴隆镇人民政府2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t总计",
             "\t自然人\t法人或其他组织", "\t\t商业企业\t科研机构\t社会公\t法律服\t其他", "\t\t\t\t益组织\t务机构"]
    for row in ROWS:
        nums = [str(values[f"{row.key}.{c}"]) for c in COLS]
        if damage.get(row.key) == "drop":
            nums = nums[:3] + nums[4:]
        elif damage.get(row.key) == "extra":
            nums = nums + ["0"]
        label = _spaced(row.label) if row.key in spaced else row.label
        lines.append("\t".join([row.group.replace("、", "、 ") if row.group else "", label] + nums))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(values=st.fixed_dictionaries({f"{r.key}.{c}": st.integers(0, 99) for r in ROWS for c in COLS}),
       damage=st.dictionaries(st.sampled_from([r.key for r in ROWS]), st.sampled_from(["drop", "extra"]), max_size=5),
       spaced=st.sets(st.sampled_from([r.key for r in ROWS]), max_size=8))
def test_damaged_rows_absent_others_exact(values, damage, spaced):
    report = parse_bytes(render(values, damage, spaced).encode(), source="a.txt")
    flat = {}
    for row in ROWS:
        node = report["tables"].get("applications", {})
        for part in row.key.split("."):
            node = node.get(part, {})
        flat.update({f"{row.key}.{c}": node[c] for c in node})
    expected = {k: v for k, v in values.items() if k.rsplit(".", 1)[0] not in damage}
    missing = {p.removeprefix("applications.") for p in report["missing"] if p.startswith("applications.")}
    flagged = sum(c["code"] == "tables.row_ambiguous" for c in report["checks"])
    assert (flat, missing, flagged) == (expected, set(values) - set(expected), len(damage))
