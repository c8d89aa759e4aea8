"""Charset: BOM → Content-Type header → <meta> → sniff; GBK/GB2312 decoded as GB18030."""

from __future__ import annotations

import codecs

import pytest

from parsing.extract.charset import decode, detect

TEXT = "兴隆镇（堃）年度报告"
CASES = [
    # data, content type, html, expected codec
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=gbk", True, "utf-8-sig"),
    (TEXT.encode("gb18030"), "text/html; charset=GBK", True, "gb18030"),
    (TEXT.encode("gb18030"), "text/html; charset=gb2312", True, "gb18030"),
    (b'<meta charset="gb2312">' + TEXT.encode("gb18030"), None, True, "gb18030"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">' + TEXT.encode("gb18030"), None, True,
     "gb18030"),
    (TEXT.encode("gb18030"), None, False, "gb18030"),
    (TEXT.encode("utf-8"), None, False, "utf-8"),
    (TEXT.encode("utf-8"), "text/plain; charset=bogus", False, "utf-8"),
]


@pytest.mark.parametrize("data,ctype,html,expected", CASES)
def test_detect(data, ctype, html, expected):
    assert detect(data, ctype, html=html) == expected


@pytest.mark.parametrize("data,ctype,html,expected", CASES)
def test_decode_keeps_rare_gbk_character(data, ctype, html, expected):
    assert TEXT in decode(data, ctype, html=html)
