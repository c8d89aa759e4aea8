"""Headings, format detection, labels, document kinds, identification rules."""

from __future__ import annotations

import pytest

from parsing import parse_bytes
from parsing.kinds import document_kind
from parsing.labels import Matcher
from parsing.structure import heading_of
from parsing.tables import application_specs, proactive_specs

HEADINGS = [
    ("一、总体情况", "overview"), ("　　一、总体情况", "overview"),
    ("二、主动公开政府信息情况", "proactive"), ("行政机关主动公开政府信息情况", "proactive"),
    ("三、收到和处理政府信息公开申请情况", "applications"),
    (" 三、行政机关收到和处理政府信息公开申请情况", "applications"),
    ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "review_litigation"),
    ("五、存在的主要问题及改进情况", "problems"), ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("六、其他需要报告的事项", "other"), ("六、其他需要报告事项", "other"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情", "review_litigation"),   # wrapped PDF line
    ("三、依申请公开政府信息情况", "applications"),
    # traps: table rows and prose that look like headings
    ("三、本 年度 办理 结果", None), ("四、结转下年度继续办理", None), ("三、本年度办理结果", None),
    ("（二）依申请公开方面。全年无信息公开申请。", None), ("2、依申请公开情况", None),
    ("主动公开政府信息情况以外的内容很多很多", None), ("五、其他需要报告的事项", None),
]


@pytest.mark.parametrize("text,expected", HEADINGS)
def test_heading(text, expected):
    assert heading_of(text) == expected


LABELS = [
    ("applications", "(七)总计", "total"), ("applications", "（七） 总计", "total"),
    ("applications", "总计", None), ("applications", "其他", None), ("applications", "3.其他", "other.misc"),
    ("applications", "3. 其他", "other.misc"),
    ("applications", "2.其他法律法规禁止公开", "withheld.law_prohibited"),
    ("applications", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公", "other.overdue_correction"),
    ("applications", "5.要求行政机关确认或重新出具 已获取信息", "not_processed.confirmation"),
    ("applications", "(三) 不 予 公 开", None), ("applications", "社会公", None),
    ("applications", "三、本 年度 办理 结果", None), ("applications", "**1.属于国家秘密**", "withheld.state_secret"),
    ("applications", "四、结转下年度继续办理", "carried_forward"),
    ("proactive", "规章", "rules"), ("proactive", "行政规范性文件", "normative_documents"),
    ("proactive", "信息内容", None), ("proactive", "行政许可", "licensing"),
    # retyped: the remark left out, a word added or changed — numbered labels only, nearest of their number
    ("applications", "（二）部分公开", "partly_granted"), ("applications", "部分公开", None),
    ("applications", "(一)予以", None),
    ("applications", "四、结转下年度继续办理数量", "carried_forward"),
    ("applications", "5.要求行政机关确认或重新出具已获取的信息", "not_processed.confirmation"),
    ("applications", "1.本机关不掌握相关的政府信息", "unavailable.not_held"),
    ("applications", "3.其它", "other.misc"), ("applications", "其它", None),
    ("applications", "结转下年度继续办理数量", None),        # unnumbered: exact or prefix only
    ("applications", "4.属于国家秘密", None),                 # the number decides: no 4. is near it
    ("applications", "一、总体情况", None), ("applications", "二、主动公开政府信息情况", None),
    ("applications", "(一)主动公开情况", None), ("applications", "(七)合 计", "total"),
]


@pytest.mark.parametrize("table,text,expected", LABELS)
def test_label_match(table, text, expected):
    specs = application_specs("2021") if table == "applications" else proactive_specs("2021")
    spec = Matcher(specs).match(text)
    assert (spec.key if spec else None) == expected


KINDS = [
    ("关于《兴隆镇2022年政府信息公开工作年度报告》的解读", "interpretation"),
    ("图解：兴隆镇2022年政府信息公开工作年度报告", "interpretation"),
    ("友谊县2022年度政府信息公开工作年度报告公布情况", "status_list"),
    ("关于做好2022年政府信息公开工作年度报告编制发布工作的通知", "notice"),
    ("兴隆镇政府信息公开指南", "guide"),
    ("兴隆镇人民政府2022年政府信息公开工作年度报告", "report"),
    ("兴隆镇2022年政务公开年报", "report"),
    ("兴隆镇2023年部门预算", "other"),
]


@pytest.mark.parametrize("title,expected", KINDS)
def test_document_kind(title, expected):
    assert document_kind(title, has_tables=False, n_sections=0) == expected


def _text(body: str) -> bytes:
    return body.encode("utf-8")


SIX = "\n".join(["一、总体情况", "正文。", "二、主动公开政府信息情况", "正文。", "三、收到和处理政府信息公开申请情况",
                 "正文。", "四、政府信息公开行政复议、行政诉讼情况", "正文。", "五、存在的主要问题及改进情况", "正文。",
                 "六、其他需要报告的事项", "无。"])

FORMATS = [
    ("兴隆镇2022年政府信息公开工作年度报告\n" + SIX, "tables_missing"),
    ("兴隆镇2017年政府信息公开工作年度报告\n一、概述\n二、依申请公开情况\n三、收费及减免情况", "legacy"),
    ("兴隆镇2022年政府信息公开工作年度报告\n" + SIX + "\n本年制发件数\t政府集中采购", "mixed"),
    ("兴隆镇2022年政府信息公开工作年度报告\n" + SIX + "\n本年新制作数量", "2019"),
]


@pytest.mark.parametrize("text,expected", FORMATS)
def test_format(text, expected):
    assert parse_bytes(_text(text), source="a.txt")["format"] == expected


def test_tables_missing_lists_every_cell():
    report = parse_bytes(_text("兴隆镇2022年政府信息公开工作年度报告\n" + SIX), source="a.txt")
    assert report["coverage"] == {"found": 0, "expected": 200}


def test_legacy_has_no_missing_cells():
    report = parse_bytes(_text(FORMATS[1][0]), source="a.txt")
    assert (report["missing"], report["coverage"]) == ([], {"found": 0, "expected": 0})


def test_old_format_flagged_for_2022():
    report = parse_bytes(_text(FORMATS[3][0]), source="a.txt")
    assert "format.old_format" in [c["code"] for c in report["checks"]]


def test_title_year_vs_period():
    text = "兴隆镇人民政府2023年政府信息公开工作年度报告\n本报告数据统计期限为2024年1月1日至2024年12月31日。\n" + SIX
    report = parse_bytes(_text(text), source="a.txt")
    assert (report["year"], [c["code"] for c in report["checks"] if c["code"].startswith("year")]) == \
        (2024, ["year.title_vs_period"])


WRAPPED = "\n".join([
    "兴隆镇人民政府2022年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
    "\t\t5.要求行政机关确认或重新出具", "\t已获取信息\t1\t0\t0\t0\t0\t0\t1",
    "\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公\t0\t2\t0\t0\t0\t0\t2",
    "\t开申请\t\t\t", "四、政府信息公开行政复议、行政诉讼情况",
])


@pytest.mark.parametrize("path,expected", [
    ("confirmation", {"natural_person": 1, "commercial": 0, "research": 0, "public_interest": 0,
                      "legal_service": 0, "other_org": 0, "total": 1}),
    ("overdue_correction", {"natural_person": 0, "commercial": 2, "research": 0, "public_interest": 0,
                            "legal_service": 0, "other_org": 0, "total": 2}),
])
def test_wrapped_labels(path, expected):
    tables = parse_bytes(_text(WRAPPED), source="a.txt")["tables"]["applications"]
    row = tables["not_processed"][path] if path == "confirmation" else tables["other"][path]
    assert row == expected


def test_fee_in_yuan_converted():
    text = "\n".join(["兴隆镇人民政府2022年政府信息公开工作年度报告", "二、主动公开政府信息情况",
                      "第二十条第（八）项", "信息内容\t本年收费金额（单位：元）", "行政事业性收费\t1500",
                      "三、收到和处理政府信息公开申请情况"])
    report = parse_bytes(_text(text), source="a.txt")
    assert (report["tables"]["proactive"]["fees"]["amount"], [c["code"] for c in report["checks"]
                                                              if c["code"].startswith("fees")]) == (0.15, ["fees.unit_converted"])


IDENT = [
    ("北京市朝阳区建外街道办事处2022年政府信息公开工作年度报告", "agency", "建外街道办事处"),
    ("北京市朝阳区建外街道办事处2022年政府信息公开工作年度报告", "township", "建外街道"),
    ("北京市朝阳区建外街道办事处2022年政府信息公开工作年度报告", "county", "朝阳区"),
    ("北京市朝阳区建外街道办事处2022年政府信息公开工作年度报告", "province", "北京市"),
    ("友谊县人民政府2022年政府信息公开工作年度报告", "agency_kind", "county_gov"),
    ("友谊县人民政府2022年政府信息公开工作年度报告", "county", "友谊县"),
    ("友谊县教育局2022年政府信息公开工作年度报告", "agency_kind", "department"),
    ("友谊县教育局2022年政府信息公开工作年度报告", "agency", "友谊县教育局"),
    ("双鸭山市人民政府2022年政府信息公开工作年度报告", "agency_kind", "city_gov"),
    ("黑龙江省人民政府2022年政府信息公开工作年度报告", "agency_kind", "province_gov"),
    ("2022年兴隆镇政府信息公开工作年度报告", "township", "兴隆镇"),
    ("2022年兴隆镇政府信息公开工作年度报告", "year", 2022),
    # years as formal documents write them
    ("兴隆镇二〇二二年政府信息公开工作年度报告", "year", 2022),
    ("兴隆镇二〇二二年政府信息公开工作年度报告", "township", "兴隆镇"),
    ("兴隆镇二〇二二年政府信息公开工作年度报告", "title", "兴隆镇二〇二二年政府信息公开工作年度报告"),
    ("兴隆镇二○二一年度政府信息公开工作年度报告", "year", 2021),
    ("兴隆镇二零二三年政府信息公开工作年度报告", "year", 2023),
    ("兴隆镇政府信息公开工作年度报告（2022）", "year", 2022),
]


@pytest.mark.parametrize("title,field,expected", IDENT)
def test_identify_from_title(title, field, expected):
    assert parse_bytes(_text(title + "\n" + SIX), source="a.txt")[field] == expected


@pytest.mark.parametrize("code,kind,county", [("3706860001", "county_gov", "栖霞市"), ("3706000001", "city_gov", None)])
def test_city_level_from_site_code(code, kind, county):
    html = (f'<html><head><meta name="SiteName" content="栖霞市人民政府"><meta name="SiteIDCode" content="{code}">'
            f"</head><body><h1>栖霞市人民政府2023年政府信息公开工作年度报告</h1></body></html>").encode()
    report = parse_bytes(html, source="a.html")
    assert (report["agency_kind"], report["county"]) == (kind, county)


def test_prose_mentioning_a_2019_label_does_not_make_mixed():
    text = FORMATS[0][0] + "\n本年制发件数\n我镇严格落实政府集中采购制度，全年各项采购均按规定公开，未发生违规情况，群众满意度较高。"
    assert parse_bytes(_text(text), source="a.txt")["format"] == "2021"


def test_period_and_signature_in_chinese_numerals():
    text = ("兴隆镇二〇二二年政府信息公开工作年度报告\n本报告中所列数据的统计期限自二〇二二年一月一日起至二〇二二年十二月三十一日止。\n"
            + SIX + "\n兴隆镇人民政府\n二〇二三年一月二十日")
    report = parse_bytes(_text(text), source="a.txt")
    assert (report["year"], report["published"], report["published_source"]) == (2022, "2023-01-20", "signature")


def test_a_sentence_naming_the_report_and_a_year_is_not_the_title():
    text = "兴隆镇二〇二二年政府信息公开工作年度报告\n本年度报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n" + SIX
    assert parse_bytes(_text(text), source="a.txt")["title"] == "兴隆镇二〇二二年政府信息公开工作年度报告"


def test_agency_from_signature_when_title_has_none():
    text = "2022年政府信息公开工作年度报告\n" + SIX + "\n方正县会发镇人民政府\n2023年1月20日"
    report = parse_bytes(_text(text), source="a.txt")
    assert (report["township"], report["county"], report["published"]) == ("会发镇", "方正县", "2023-01-20")
