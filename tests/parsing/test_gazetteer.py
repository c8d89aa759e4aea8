"""A county name one character off exactly one real county is mended; a real name never is."""

from __future__ import annotations

import pytest

from parsing import gazetteer, parse_bytes
from parsing.identify import identify, identity_checks


@pytest.mark.parametrize("read,township,city,province,expected", [
    ("馈河县", "西丰镇", None, None, "饶河县"),        # OCR: 饶 read as 馈; the township decides among the X河县
    ("华川县", "悦来镇", None, None, "桦川县"),
    ("绕河县", None, "双鸭山市", None, "饶河县"),      # the city decides
    ("友宜县", "兴隆镇", None, None, "友谊县"),
    ("馈河县", None, None, None, None),                # many X河县 and nothing to choose: left as read
    ("馈河县", None, None, "黑龙江省", None),          # still two or more in the province
    ("华川县", "悦来镇", "哈尔滨市", None, None),      # 桦川县 is not in the city named
    ("华川县", "悦采镇", None, None, None),            # a township that exists nowhere is no help: many X川县
    ("饶河县", "西丰镇", None, None, None),            # a real county is never mended
    ("朝阳县", None, None, None, None),
    ("沙县", None, None, None, None),                  # one character before the suffix: nothing to anchor
    ("双鸭山市", None, None, None, None),              # a real prefecture is no misreading
    ("馈河镇", "西丰镇", None, None, None),            # no county suffix
    ("友谊县兴隆", None, None, None, None),
])
def test_mend_county(read, township, city, province, expected):
    assert gazetteer.mend_county(read, township, city, province) == expected


def test_every_county_of_the_list_is_real():
    assert gazetteer.is_division("饶河县") and gazetteer.is_division("黑龙江省") and gazetteer.is_township("西丰镇")
    assert not gazetteer.is_division("馈河县") and not gazetteer.is_township("馈河县")


def test_identify_mends_and_says_so():
    ident = identify("馈河县西丰镇人民政府2022年政府信息公开工作年度报告", "", [])
    assert (ident.county, ident.county_as_written, ident.township) == ("饶河县", "馈河县", "西丰镇")
    assert [c["code"] for c in identity_checks(ident)] == ["identity.county_mended"]
    assert identity_checks(ident)[0]["severity"] == "info"


def test_county_government_agency_mended_with_its_county():
    ident = identify("绕河县人民政府2022年政府信息公开工作年度报告", "双鸭山市绕河县人民政府", [])
    assert (ident.agency, ident.county, ident.county_as_written) == ("饶河县人民政府", "饶河县", "绕河县")


def test_real_county_left_alone():
    ident = identify("饶河县西丰镇人民政府2022年政府信息公开工作年度报告", "", [])
    assert (ident.county, ident.county_as_written, identity_checks(ident)) == ("饶河县", None, [])


def test_report_carries_the_mending_as_information():
    html = ("<html><head><title>华川县悦来镇人民政府2022年政府信息公开工作年度报告</title></head><body>"
            "<p>华川县悦来镇人民政府2022年政府信息公开工作年度报告</p><p>一、总体情况</p></body></html>").encode()
    report = parse_bytes(html, source="t.html")
    assert report["county"] == "桦川县"
    assert [c for c in report["checks"] if c["code"] == "identity.county_mended"][0]["severity"] == "info"
