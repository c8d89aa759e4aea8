"""Title finding: broken lines, page chrome, site suffixes, attachments."""

from __future__ import annotations

import pytest

from parsing.titles import find_title

CASES = [
    (["七星镇人民政府", "2022年政府信息公开工作年度报告", "按照……"], None, [], "七星镇人民政府2022年政府信息公开工作年度报告"),
    (["方正县会发镇2021年政府信息公开工作", "年度报告", "本报告依据……"], None, [], "方正县会发镇2021年政府信息公开工作年度报告"),
    (["友谊县兴隆镇人民政府 2022 年政府 信息公开工作年度报告"], None, [], "友谊县兴隆镇人民政府2022年政府信息公开工作年度报告"),
    (["首页 > 政府信息公开 > 政府信息公开年报", "兴隆镇2022年政府信息公开工作年度报告", "发布日期：2023-01-18"], None, [],
     "兴隆镇2022年政府信息公开工作年度报告"),
    (["首页", "正文内容"], None, ["兴隆镇2022年政府信息公开工作年度报告_友谊县人民政府"], "兴隆镇2022年政府信息公开工作年度报告"),
    (["正文"], "兴隆镇2022年政府信息公开工作年度报告", [], "兴隆镇2022年政府信息公开工作年度报告"),
    (["一、总体情况"], None, [], None),
]


@pytest.mark.parametrize("lines,own,fallbacks,expected", CASES)
def test_find_title(lines, own, fallbacks, expected):
    assert find_title(lines, own, fallbacks) == expected
