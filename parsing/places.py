"""Administrative-division name patterns (data) and a chain splitter.

``split_chain("友谊县兴隆镇人民政府")`` → (["友谊县", "兴隆镇"], "人民政府").
"""

from __future__ import annotations

import re

PROVINCES: tuple[str, ...] = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)

# suffix → level, longest first (order matters: 自治县 before 县)
SUFFIX_LEVELS: tuple[tuple[str, str], ...] = (
    ("特别行政区", "province"), ("自治区", "province"), ("省", "province"),
    ("自治州", "city"), ("地区", "city"), ("盟", "city"),
    ("自治县", "county"), ("自治旗", "county"), ("县", "county"), ("旗", "county"), ("区", "county"),
    ("市", "city_or_county"),
    ("街道办事处", "township"), ("街道", "township"), ("民族乡", "township"), ("镇", "township"),
    ("乡", "township"), ("苏木", "township"),
)
_SUFFIXES = "|".join(s for s, _ in SUFFIX_LEVELS)
_DIRECT_SUFFIX = re.compile(rf"^(?:{_SUFFIXES})")
_ENDS_WITH_SUFFIX = re.compile(rf"(?:{_SUFFIXES})$")
MAX_UNIT_CHARS = 12

# agency suffix → agency_kind for the last unit of a chain (departments by their office words)
DEPARTMENT_WORDS: tuple[str, ...] = ("局", "委员会", "委", "办公室", "中心", "厅", "所", "站", "院", "队", "处", "管委会")
GOVERNMENT_SUFFIXES: tuple[str, ...] = ("人民政府", "政府", "办事处", "")


def level_of(unit: str) -> str:
    for suffix, level in SUFFIX_LEVELS:
        if unit.endswith(suffix):
            return level
    return "other"


def split_chain(text: str) -> tuple[list[str], str]:
    """Leading division names of ``text`` and what follows them.

    A unit ends at the first suffix (县, 镇 …) that is not itself followed by
    another suffix, so 胜旗镇 stays one name and 沙市区 is not cut at 市.
    """
    units: list[str] = []
    rest = text
    while (end := _unit_end(rest)) and level_of(rest[:end]) != "other":
        units.append(rest[:end])
        rest = rest[end:]
        if level_of(units[-1]) == "township":
            break
    return units, rest


def _unit_end(text: str) -> int | None:
    for end in range(2, min(len(text), MAX_UNIT_CHARS) + 1):
        if not "\u4e00" <= text[end - 1] <= "\u9fff":
            return None
        if _ENDS_WITH_SUFFIX.search(text[:end]) and not _DIRECT_SUFFIX.match(text[end:]):
            return end
    return None
