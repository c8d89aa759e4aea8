"""Place names found in the text: the suffix scans of identify.py read exactly what their regexes read.

The regexes below are the specification (they were the code until the scans
replaced them for speed); random texts built from place-name pieces must give
the same answer either way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsing import identify
from parsing.normalise import arabic_dates, squash, squash_lines
from parsing.places import PROVINCES, split_chain

BOUNDARY = r"(?:(?<![\u4e00-\u9fff])|(?<=通过)|(?<=依托)|(?<=登录)|(?<=登陆)|(?<=访问))"


def county_before_spec(flat: str, township: str) -> str | None:
    m = re.search(rf"{BOUNDARY}([\u4e00-\u9fff]{{1,6}}?(?:自治县|县|区|旗|市)){re.escape(township)}", flat)
    return split_chain(m.group(1))[0][-1] if m and split_chain(m.group(1))[0] else None


def frequent_county_spec(flat: str) -> str | None:
    found = re.findall(rf"{BOUNDARY}([\u4e00-\u9fff]{{1,5}}?(?:自治县|县|区|旗))(?=人民政府|政府|委|[一-龥]{{0,4}}路)", flat)
    found = [f for f in found if len(f) >= 2]
    return Counter(found).most_common(1)[0][0] if found else None


def city_spec(flat: str, county: str | None, hints: list[str]) -> str | None:
    if county and (m := re.search(rf"([\u4e00-\u9fff]{{2,5}}?(?:市|自治州|地区|盟)){re.escape(county)}", flat)):
        return m.group(1)
    found = re.findall(rf"{BOUNDARY}([\u4e00-\u9fff]{{2,5}}?市)(?=人民政府)", flat + "".join(hints))
    found = [f for f in found if f != county and f not in PROVINCES]
    return Counter(found).most_common(1)[0][0] if found else None


def province_spec(flat: str) -> str | None:
    counts = Counter(p for p in PROVINCES for _ in re.finditer(re.escape(p), flat))
    return counts.most_common(1)[0][0] if counts else None


PIECES = ["县", "区", "旗", "市", "自治", "自治县", "自治州", "地区", "盟", "人民政府", "政府", "委", "路", "龥",
          "\u9fa6", "兴隆镇", "友谊", "宝山", "双鸭山", "通过", "依托", "登录", "访问", "黑龙江省", "山东省",
          "在", "a", "1", " ", "。", "\n", "(", "镇"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(texts, st.sampled_from(["兴隆镇", "镇", "友谊县", "县"]))
def test_county_before_reads_as_its_regex(flat, township):
    assert identify._county_before(flat, township) == county_before_spec(flat, township)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_frequent_county_reads_as_its_regex(flat):
    assert identify._frequent_county(flat) == frequent_county_spec(flat)


@settings(max_examples=600, deadline=None)
@given(texts, st.sampled_from([None, "友谊县", "宝山区", "县"]), st.lists(texts, max_size=2))
def test_city_reads_as_its_regex(flat, county, hints):
    assert identify._city(flat, county, hints) == city_spec(flat, county, hints)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_province_counts_as_its_regex(flat):
    assert identify._province(flat) == province_spec(flat)


@pytest.mark.parametrize("flat,expected", [
    ("友谊县兴隆镇人民政府", "友谊县"), ("。宝山区兴隆镇", "宝山区"),
    ("黑龙江省双鸭山市友谊县兴隆镇", None), ("兴隆镇", None),
])
def test_county_before(flat, expected):
    assert identify._county_before(flat, "兴隆镇") == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\u3000\u00a0\u2028ａ１（）兴隆a\u0301\u00a8")), max_size=40))
def test_squash_lines_is_squash_per_line(text):
    assert squash_lines(text) == [squash(line) for line in text.split("\n")]


@pytest.mark.parametrize("text,expected", [
    ("二〇二三年一月二十日", "2023年1月20日"), ("二○二二年度", "2022年度"), ("二零二二年十二月三十一日", "2022年12月31日"),
    ("二O二三年十月十日", "2023年10月10日"), ("兴隆镇二〇二二年政府", "兴隆镇2022年政府"), ("二〇二三年 一 月 五 日", "2023年 1 月 5 日"),
    ("二〇二三年一月", "2023年1月"), ("一二三四年", "一二三四年"), ("二〇二三年十三月", "2023年十三月"),
    ("二〇二三年二月三十二日", "2023年2月三十二日"), ("全年受理十二件", "全年受理十二件"), ("", ""),
])
def test_arabic_dates(text, expected):
    assert arabic_dates(text) == expected


def test_squash_lines_normalises():
    assert squash_lines("ａ １\n（兴 隆）") == ["a1", "(兴隆)"] == [unicodedata.normalize("NFKC", s).replace(" ", "")
                                                                for s in ("ａ １", "（兴 隆）")]


def join_wrapped_spec(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out and not out.endswith("\n"):
            out += "" if len(out.rsplit("\n", 1)[-1]) >= identify.WRAP_MIN_CHARS else "\n"
        out += line
        if re.search(r"[。；;：:！!？?…)）”」》]$|报告$|年报$", line) or len(line) < identify.WRAP_MIN_CHARS:
            out += "\n"
    return out


lines = st.lists(st.lists(st.sampled_from(["兴隆镇人民政府", "一二三四五六七八九十", "。", "报告", "\n", "a"]),
                          max_size=8).map("".join), max_size=8)


@settings(max_examples=400, deadline=None)
@given(lines)
def test_join_wrapped_reads_as_its_spec(lines):
    assert identify.join_wrapped(lines) == join_wrapped_spec(lines)


def test_province_names_never_overlap():
    """_province counts every name in one scan: no name may hold another or run into one."""
    assert not [(a, b) for a in PROVINCES for b in PROVINCES
                if a != b and (a in b or any(a.endswith(b[:i]) for i in range(1, len(b))))]
