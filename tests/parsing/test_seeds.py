"""The five seeds (real extracted text, DOMAIN.md §3): identity, dates, every cell, damage handling."""

from __future__ import annotations

import pytest

from parsing.schema import cell_paths

from .conftest import cell, has_cell, seed_report

IDENTITY = [
    # seed, field, expected
    ("000", "township", "七星镇"), ("000", "county", "宝山区"), ("000", "year", 2022),
    ("000", "agency", "七星镇人民政府"), ("000", "agency_kind", "township"), ("000", "province", "黑龙江省"),
    ("001", "township", "兴隆镇"), ("001", "county", "友谊县"), ("001", "year", 2022),
    ("001", "agency", "兴隆镇人民政府"), ("001", "agency_kind", "township"), ("001", "province", "黑龙江省"),
    ("002", "township", "会发镇"), ("002", "county", "方正县"), ("002", "year", 2021),
    ("002", "agency", "会发镇人民政府"), ("002", "agency_kind", "township"), ("002", "city", "哈尔滨市"),
    ("003", "township", "寺口镇"), ("003", "county", "栖霞市"), ("003", "year", 2022),
    ("003", "agency", "寺口镇人民政府"), ("003", "agency_kind", "township"),
    ("004", "township", "迎春镇"), ("004", "county", "虎林市"), ("004", "year", 2023),
    ("004", "agency", "迎春镇人民政府"), ("004", "agency_kind", "township"),
]
for _seed in ("000", "001", "002", "003", "004"):
    IDENTITY += [(_seed, "format", "2021"), (_seed, "document_kind", "report")]
IDENTITY += [("000", "city", None), ("003", "province", None), ("004", "city", None)]
IDENTITY += [(s, "published", None) for s in ("000", "001", "003", "004")]
IDENTITY += [("002", "published", "2022-01-20"), ("002", "published_source", "signature")]


@pytest.mark.parametrize("seed,field,expected", IDENTITY)
def test_identity(seed, field, expected):
    assert seed_report(seed)[field] == expected


# Rows each seed does not give reliably: lost (001) or ambiguous (6 or 8 numbers).
UNREADABLE_ROWS = {
    "000": ["applications.unavailable.not_held", "applications.unavailable.unclear", "review_litigation.review",
            "review_litigation.litigation_direct", "review_litigation.litigation_after_review"],
    "001": ["applications.not_processed.duplicate", "applications.not_processed.publication",
            "applications.not_processed.excessive", "applications.not_processed.confirmation",
            "applications.other.overdue_correction", "applications.other.overdue_fee", "applications.other.misc",
            "applications.total", "applications.carried_forward"],
    "002": [], "004": [],
    "003": ["applications.granted", "applications.partly_granted", "applications.other.overdue_fee",
            "applications.other.misc", "applications.total", "applications.carried_forward"],
}
NON_ZERO = {("000", "proactive.normative_documents.in_force"): 2}   # the one non-zero cell among the seeds


def _readable(seed):
    return [p for p in cell_paths("2021") if not p.startswith(tuple(r + "." for r in UNREADABLE_ROWS[seed]))]


SEED_CELLS = [(s, p, NON_ZERO.get((s, p), 0)) for s in UNREADABLE_ROWS for p in _readable(s)]
SEED_ABSENT = [(s, p) for s in UNREADABLE_ROWS for p in cell_paths("2021") if p not in _readable(s)]


@pytest.mark.parametrize("seed,path,expected", SEED_CELLS)
def test_cell_value(seed, path, expected):
    assert cell(seed_report(seed), path) == expected


@pytest.mark.parametrize("seed,path", SEED_ABSENT)
def test_unreadable_cell_is_absent_not_zero(seed, path):
    assert not has_cell(seed_report(seed), path)


@pytest.mark.parametrize("seed,path", SEED_ABSENT)
def test_unreadable_cell_is_listed_missing(seed, path):
    assert path in seed_report(seed)["missing"]


@pytest.mark.parametrize("seed", sorted(UNREADABLE_ROWS))
def test_missing_lists_nothing_else(seed):
    assert sorted(seed_report(seed)["missing"]) == sorted(p for s, p in SEED_ABSENT if s == seed)


@pytest.mark.parametrize("seed", sorted(UNREADABLE_ROWS))
def test_coverage(seed):
    n_absent = sum(1 for s, _ in SEED_ABSENT if s == seed)
    assert seed_report(seed)["coverage"] == {"found": 200 - n_absent, "expected": 200}


def test_fee_is_decimal_in_wan_yuan():
    assert isinstance(cell(seed_report("004"), "proactive.fees.amount"), float)


AMBIGUOUS = [
    ("000", "1.本机关不掌握相关政府信息", 6), ("000", "3.补正后申请内容仍不明确", 6), ("000", "行政复议", 17),
    ("003", "(一)予以公开", 6), ("003", "(二)部分公开", 6), ("003", "2.申请人逾期未按收费通知要求", 8),
    ("003", "3.其他", 8), ("003", "(七)总计", 8), ("003", "四、结转下年度继续办理", 8),
]


@pytest.mark.parametrize("seed,label,found", AMBIGUOUS)
def test_ambiguous_row_flagged(seed, label, found):
    messages = [c["message"] for c in seed_report(seed)["checks"] if c["code"] == "tables.row_ambiguous"]
    assert any(label in m and f"识别到 {found} 个数字" in m for m in messages), messages


@pytest.mark.parametrize("seed,count", [("000", 3), ("001", 0), ("002", 0), ("003", 6), ("004", 0)])
def test_ambiguous_row_count(seed, count):
    assert sum(c["code"] == "tables.row_ambiguous" for c in seed_report(seed)["checks"]) == count


def test_seed_001_fee_unit_assumed_is_a_warning():
    checks = [c for c in seed_report("001")["checks"] if c["code"] == "fees.unit_assumed"]
    assert [c["severity"] for c in checks] == ["warning"]


@pytest.mark.parametrize("seed", ["000", "002", "003", "004"])
def test_fee_unit_printed_no_warning(seed):
    assert not any(c["code"] == "fees.unit_assumed" for c in seed_report(seed)["checks"])


def test_seed_001_lost_heading_reported():
    checks = [c for c in seed_report("001")["checks"] if c["code"] == "structure.missing_sections"]
    assert checks and "四、" in checks[0]["message"]


@pytest.mark.parametrize("seed", sorted(UNREADABLE_ROWS))
def test_no_false_arithmetic_errors(seed):
    codes = {"applications.balance", "applications.total_rows", "applications.total_column", "review_litigation.sums"}
    assert not [c for c in seed_report(seed)["checks"] if c["code"] in codes and c["severity"] != "info"]


@pytest.mark.parametrize("seed", ["002", "004"])
def test_clean_seed_has_no_checks(seed):
    assert seed_report(seed)["checks"] == []


@pytest.mark.parametrize("seed", ["000", "002", "003", "004"])
def test_six_sections(seed):
    assert len(seed_report(seed)["sections"]) == 6


@pytest.mark.parametrize("seed,severity", [("000", None), ("001", "error"), ("002", None), ("003", None), ("004", None)])
def test_missing_cells_check(seed, severity):
    """Lost rows are an error; rows dropped as ambiguous are reported by tables.row_ambiguous instead."""
    found = [c["severity"] for c in seed_report(seed)["checks"] if c["code"] == "tables.missing_cells"]
    assert found == ([severity] if severity else [])
