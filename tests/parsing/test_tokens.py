"""Cell tokenisation: numbers separated from labels, spaced-out labels kept whole, blank markers."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsing.normalise import _NOT_KEY, nfkc, parse_number, split_numbering
from parsing.tokens import Line, tokens_of

CELLS = [
    ("1.属于国家秘密 0 0 0 0 0 0 0", [("label", "1.属于国家秘密")] + [("value", "0")] * 7),
    ("(三) 不 予 公 开", [("label", "(三)不予公开")]),
    ("4. 无 正 当 理 由 大 量 反 复 申 请 0", [("label", "4.无正当理由大量反复申请"), ("value", "0")]),
    ("行政许可 无", [("label", "行政许可"), ("null", "无")]),
    ("无", [("null", "无")]),
    ("规章 / — 0", [("label", "规章"), ("null", "/"), ("null", "—"), ("value", "0")]),
    (" \u3000０", [("value", "0")]),
    ("**四是**信息更新滞后", [("label", "四是信息更新滞后")]),
    ("行政事业性收费 1.25", [("label", "行政事业性收费"), ("value", "1.25")]),
    ("本年增/减", [("label", "本年增/减")]),
    # a sub-item number set apart from its label is the label's, not a value
    ("1 属于国家秘密 0 0 0 0 0 0 0", [("label", "1属于国家秘密")] + [("value", "0")] * 7),
    ("2 . 其他法律行政法规禁止公开", [("label", "2.其他法律行政法规禁止公开")]),
    ("3 .危及“三安全一稳定”", [("label", "3.危及“三安全一稳定”")]),
    ("① 属于国家秘密", [("label", "1属于国家秘密")]),
    ("( 4 ) 属 于 三 类 内 部 事 务 信 息", [("label", "(4)属于三类内部事务信息")]),
    ("4 无 正 当 理 由 大 量 反 复 申 请 0", [("label", "4无正当理由大量反复申请"), ("value", "0")]),
    # … but a value wrapped onto the next row's numbered label, a zero, or a number before a number stays a value
    ("5 二、上年结转政府信息公开申请数量 0", [("value", "5"), ("label", "二、上年结转政府信息公开申请数量"),
                                          ("value", "0")]),
    ("0 属于国家秘密", [("value", "0"), ("label", "属于国家秘密")]),
    ("3 无 无", [("value", "3"), ("null", "无"), ("null", "无")]),
    ("12 属于国家秘密", [("value", "12"), ("label", "属于国家秘密")]),
    ("1 2 3", [("value", "1"), ("value", "2"), ("value", "3")]),
]


@pytest.mark.parametrize("cell,expected", CELLS)
def test_cell_tokens(cell, expected):
    assert [(t.kind, t.text) for t in tokens_of([Line((cell,), tabular=False)])] == expected


@pytest.mark.parametrize("table_cell,expected", [(True, [("null", "")]), (False, [])])
def test_empty_cell(table_cell, expected):
    assert [(t.kind, t.text) for t in tokens_of([Line(("  ",), tabular=True, grid=table_cell)])] == expected


@pytest.mark.parametrize("piece,expected", [("0", 0), ("12", 12), ("-3", -3), ("+2", 2), ("1.50", 1.5),
                                            ("1,234", 1234), ("1,234,567.50", 1234567.5), ("12,34", None), ("2.", None), ("3件", 3), ("1.5万元", 1.5), ("5元", None), ("件", None),
                                            ("", None)])
def test_parse_number(piece, expected):
    assert parse_number(piece) == expected


@pytest.mark.parametrize("text,expected", [
    ("（七）总计", ("(七)", "总计")), ("三、本 年度 办理 结果", ("三、", "本年度办理结果")),
    ("1. 申请人", ("1.", "申请人")), ("规章", (None, "规章")), ("2022年", (None, "2022年")),
    ("（1）属于国家秘密", ("1.", "属于国家秘密")), ("1)属于国家秘密", ("1.", "属于国家秘密")),
    ("①属于国家秘密", ("1.", "属于国家秘密")), ("8属于行政查询事项", ("8.", "属于行政查询事项")),
    ("1.5万元", (None, "1.5万元")), ("10", (None, "10")),
])
def test_split_numbering(text, expected):
    assert split_numbering(text) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ａＡ０（），：\u3000 a,兴隆\u0301\u0308\u00a8\u00a0①ﬁ㍿﹙【〈\u212b\uf900"
                                            "\uff5e\uff01\u1100\u1161\u11a8")), max_size=30))
def test_nfkc_is_unicode_nfkc(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_key_keeps_exactly_letters_and_numbers():
    """key() drops characters by regex; it must drop exactly those outside Unicode categories L and N."""
    text = "".join(map(chr, range(0x30000)))
    assert _NOT_KEY.sub("", text) == "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def test_tokens_carry_their_own_line():
    """Cell tokens are remembered per cell text; the line index is still each token's own."""
    tokens = tokens_of([Line(("规章 1",), tabular=False), Line(("规章 1",), tabular=False)])
    assert [(t.kind, t.line) for t in tokens] == [("label", 0), ("value", 0), ("label", 1), ("value", 1)]
