"""Checks 5, 6 and 8 as units: quoted-number patterns, previous-year carry-over, copying measure."""

from __future__ import annotations

import pytest

from parsing import parse_bytes
from parsing.prose import copied_share, fingerprint, quoted_numbers

from .generated import measure
from .generated.render import html_bytes


@pytest.mark.parametrize("text,expected", [
    ("本年度新收政府信息公开申请12件。", [("新收政府信息公开申请", 12.0)]),
    ("全年共收到政府信息公开申请3件", [("新收政府信息公开申请", 3.0)]),
    ("2023年度迎春镇受理依申请公开0件。", [("新收政府信息公开申请", 0.0)]),
    ("发生政府信息公开行政复议2件、行政诉讼1件。", [("行政复议", 2.0), ("行政诉讼", 1.0)]),
    ("全年制发行政规范性文件4件。", [("制发规范性文件", 4.0)]),
    ("七星镇2022年共制发规范性文件0份。", [("制发规范性文件", 0.0)]),
    ("全年行政事业性收费共计0.35万元。", [("行政事业性收费", 0.35)]),
    ("收取信息处理费0.35万元。", []),   # 信息处理费 (section 六) is not table 二's 行政事业性收费
    ("按照法定时限答复申请人。", []),
    ("依申请公开办理0件", []),   # 办理 may include carried-over applications: not quoted as 新收
])
def test_quoted_numbers(text, expected):
    assert [(name, n) for name, n, _ in quoted_numbers(text)] == expected


def test_copy_share_ignores_numbers():
    last = "2022年我镇新收申请3件，均按时答复。加强政务公开平台建设，及时更新栏目内容。"
    this = "2023年我镇新收申请5件，均按时答复。加强政务公开平台建设，及时更新栏目内容。"
    assert copied_share(this, fingerprint(last)) == 1.0


def test_copy_share_of_new_text_is_zero():
    assert copied_share("今年全面推进基层政务公开标准化规范化建设。", fingerprint("加强政务公开平台建设，及时更新栏目内容。")) == 0.0


def _case(name):
    return next(c for c in measure.all_cases() if c.name == name)


def _parse(name, previous=None):
    return parse_bytes(html_bytes(_case(name)), source=f"{name}.html", previous=previous)


def test_previous_must_be_the_year_before():
    prev = _parse("pair_2022")
    prev["year"] = 2020
    assert not [c for c in _parse("pair_2023_carried", prev)["checks"] if "previous" in c["code"]]


def test_carried_over_message_names_both_years():
    msg = [c["message"] for c in _parse("pair_2023_carried", _parse("pair_2022"))["checks"]
           if c["code"] == "applications.carried_over_vs_previous"][0]
    assert "2022年度报告" in msg and "自然人" in msg


def test_previous_without_fingerprint_is_unverifiable():
    prev = _parse("pair_2022")
    del prev["text_fingerprint"]
    found = [c["severity"] for c in _parse("pair_2023_copied", prev)["checks"] if c["code"] == "text.copied_from_previous"]
    assert found == ["info"]


def test_no_previous_no_cross_year_checks():
    codes = {c["code"] for c in _parse("pair_2023_copied")["checks"]}
    assert not codes & {"text.copied_from_previous", "applications.carried_over_vs_previous"}
