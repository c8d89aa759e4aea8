"""Property: arbitrary input gives a report or a ParseError, never another exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parsing import PageContext, ParseError, parse_bytes

from .render import report_html, zero_values

NAMES = st.sampled_from([None, "a.txt", "a.html", "a.pdf", "a.docx", "a.bin", "download.jsp"])
CJK = st.text(alphabet=st.sampled_from(list("一二三四五六七（）()、.0123456789 \t\n/—总计其他规章镇县年度报告<>td")), max_size=300)


def _parse(data: bytes, name, context=None):
    try:
        report = parse_bytes(data, source="http://x.gov.cn/a", filename=name, context=context)
    except ParseError:
        return None
    assert isinstance(report["checks"], list)
    return report


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), NAMES)
def test_random_bytes(data, name):
    _parse(data, name)


@settings(max_examples=150, deadline=None)
@given(CJK, NAMES)
def test_random_table_like_text(text, name):
    _parse(text.encode("utf-8"), name if name in (None, "a.txt", "a.html") else "a.txt")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 5000), st.integers(1, 400))
def test_truncated_or_damaged_html(cut, length):
    html = report_html(zero_values()).encode()
    _parse(html[:cut] + html[cut + length:], "a.html")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.one_of(st.none(), st.text(max_size=20)))
def test_garbage_context(page, listed):
    _parse("兴隆镇2022年政府信息公开工作年度报告".encode(), "a.txt",
           PageContext(page_html=page or None, page_url="::", listing_title=None, listed_date=listed))
