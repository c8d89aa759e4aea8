"""Deadline-rule overrides from CSV and TOML: fields, idempotence, errors that name the line."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from nianbao.db import session
from scheduler.deadlines import deadline_for, ensure_default_rules, pick_rule
from scheduler.models import DeadlineRule
from scheduler.rules_file import RulesFileError, import_rules, import_rules_file, read_rules

HEADER = "jurisdiction,applies_to,report_years,due_date,source,confidence\n"
CSV = HEADER + """230522000000,township,2022-,03-25,https://example.gov.cn/notice.html 友谊县通知,confirmed
23,township,2020-2023,2月15日,黑龙江省通知,practice
"""
TOML = """
[[rule]]
jurisdiction = "230522000000"
applies_to = "township"
report_years = "2022-"
due_date = "03-25"
source = "https://example.gov.cn/notice.html 友谊县通知"

[[rule]]
jurisdiction = "23"
applies_to = "township"
report_years = "2020-2023"
due_date = "2月15日"
source = "黑龙江省通知"
confidence = "practice"
"""


@pytest.mark.parametrize("field, expected", [
    ("jurisdiction", "230522000000"),
    ("applies_to", "township"),
    ("year_from", 2022),
    ("year_to", None),
    ("due_month", 3),
    ("due_day", 25),
    ("source", "https://example.gov.cn/notice.html 友谊县通知"),
    ("confidence", "confirmed"),
])
@pytest.mark.parametrize("fmt, text", [("csv", CSV), ("toml", TOML)])
def test_first_rule_field(fmt, text, field, expected):
    assert read_rules(text, fmt=fmt)[0][field] == expected


@pytest.mark.parametrize("field, expected", [
    ("jurisdiction", "230000000000"),   # a short code is padded
    ("year_from", 2020), ("year_to", 2023), ("due_month", 2), ("due_day", 15), ("confidence", "practice"),
])
def test_second_rule_field(field, expected):
    assert read_rules(CSV, fmt="csv")[1][field] == expected


@pytest.mark.parametrize("years, expected", [
    ("2022", (2022, 2022)), ("2019-2023", (2019, 2023)), ("2019-", (2019, None)), ("-2018", (None, 2018)),
    ("", (None, None)),
])
def test_report_years(years, expected):
    rule = read_rules(HEADER + f"230522000000,township,{years},01-31,src,\n", fmt="csv")[0]
    assert (rule["year_from"], rule["year_to"]) == expected


@pytest.mark.parametrize("row, line, words", [
    ("230522000000,township,2022,13-01,src,", 3, "due_date"),
    ("230522000000,county,2022,03-25,src,", 3, "applies_to"),
    ("2305,township,twenty,03-25,src,", 3, "report_years"),
    ("23052,township,2022,03-25,src,", 3, "jurisdiction"),
    ("230522000000,township,2022,03-25,,", 3, "source"),
    ("230522000000,township,2022,03-25,src,sure", 3, "confidence"),
    ("230522000000,township,2023-2020,03-25,src,", 3, "ends before"),
])
def test_error_names_line_and_field(row, line, words):
    text = HEADER + "230522000000,township,2021,03-25,ok,\n" + row + "\n"
    with pytest.raises(RulesFileError, match=rf"line {line}: .*{words}"):
        read_rules(text, fmt="csv")


def test_missing_header_column_is_line_1():
    with pytest.raises(RulesFileError, match="line 1: the header lacks due_date"):
        read_rules("jurisdiction,applies_to,source\n", fmt="csv")


def test_toml_error_names_the_rule_and_its_line():
    with pytest.raises(RulesFileError, match=r"rule #2 \(line 9\): due_date"):
        read_rules(TOML.replace('"2月15日"', '"soon"'), fmt="toml")


def test_toml_unknown_key_is_an_error():
    with pytest.raises(RulesFileError, match="unknown key 'deadline'"):
        read_rules('[[rule]]\ndeadline = "03-25"\n', fmt="toml")


def _import(engine, text=CSV, fmt="csv"):
    with session(engine) as s:
        return import_rules(s, text, fmt=fmt)


def test_import_creates_rules(engine):
    assert _import(engine).created == 2


def test_reimport_changes_nothing(engine):
    _import(engine)
    assert (_import(engine).created, _import(engine).updated) == (0, 0)


def test_reimport_updates_a_changed_due_date(engine):
    _import(engine)
    result = _import(engine, CSV.replace("03-25", "03-20"))
    with session(engine) as s:
        days = sorted(r.due_day for r in s.exec(select(DeadlineRule)))
    assert (result.updated, days) == (1, [15, 20])


def test_bad_file_changes_nothing(engine):
    with pytest.raises(RulesFileError):
        _import(engine, CSV + "230522000000,township,2022,99-99,src,\n")
    with session(engine) as s:
        assert s.exec(select(DeadlineRule)).all() == []


def test_file_format_from_suffix(engine, tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(TOML, encoding="utf-8")
    with session(engine) as s:
        assert import_rules_file(s, path).created == 2


def test_imported_override_decides_the_deadline(engine):
    _import(engine)
    with session(engine) as s:
        ensure_default_rules(s)
        s.flush()
        rules = list(s.exec(select(DeadlineRule)))
    rule = pick_rule(rules, "township", 2024, ["230522100000", "230522000000", "230500000000", "230000000000"])
    assert deadline_for(rule, 2024).strict == date(2025, 3, 25)
