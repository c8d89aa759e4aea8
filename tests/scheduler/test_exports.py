"""Exports for a 通报: missing and late units with evidence, as CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from nianbao.db import session
from scheduler import compliance
from scheduler.exports import ExportError, export_notice, notice_rows, to_csv, to_json, to_xlsx
from scheduler.status import FIELDS
from tests.scheduler import world

AS_OF = date(2025, 3, 1)


@pytest.fixture
def judged(engine):
    """兴隆镇 on time, 龙山镇 late (2025-02-10), 凤岗镇 and 庆丰乡 missing, for 2024."""
    world.setup(engine)
    world.publish(engine, "兴隆镇", 2024, "2025-01-20", world.china("2025-01-21"))
    world.publish(engine, "龙山镇", 2024, "2025-02-10", world.china("2025-02-10"))
    with session(engine) as s:
        compliance.evaluate(s, as_of=AS_OF, years=[2024], now=world.china("2025-03-01"))
    return engine


def _rows(engine, **kw):
    with session(engine) as s:
        return notice_rows(s, **kw)


def test_notice_names_missing_then_late_units(judged):
    assert [(r["unit"], r["status"]) for r in _rows(judged)] == [
        ("凤岗镇", "missing"), ("庆丰乡", "missing"), ("龙山镇", "late")]


def test_late_row_carries_its_evidence_link(judged):
    late = _rows(judged)[-1]
    assert (late["report_url"], late["days_late"]) == (world.url_of("龙山镇", 2024), 10)


@pytest.mark.parametrize("county, count", [("友谊县", 3), ("230522000000", 3), ("宝清县", 0), ("双鸭山市", 3),
                                           ("230500000000", 3)])
def test_county_filter(judged, county, count):
    assert len(_rows(judged, county=county)) == count


@pytest.mark.parametrize("year, count", [(2024, 3), (2023, 0)])
def test_year_filter(judged, year, count):
    assert len(_rows(judged, year=year)) == count


def test_csv_header_is_the_status_fields(judged):
    text = to_csv(_rows(judged)).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == list(FIELDS)


def test_csv_has_one_line_per_unit(judged):
    text = to_csv(_rows(judged)).decode("utf-8-sig")
    assert [r["unit"] for r in csv.DictReader(io.StringIO(text))] == ["凤岗镇", "庆丰乡", "龙山镇"]


def test_json_is_a_list_of_status_objects(judged):
    rows = json.loads(to_json(_rows(judged)))
    assert (len(rows), set(rows[0])) == (3, set(FIELDS))


def _book(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_xlsx_has_a_sheet_per_county(judged):
    assert _book(to_xlsx(_rows(judged))).sheetnames == ["友谊县"]


def test_xlsx_header_is_the_status_fields(judged):
    sheet = _book(to_xlsx(_rows(judged)))["友谊县"]
    assert [c.value for c in sheet[1]] == list(FIELDS)


def test_xlsx_evidence_is_a_link(judged):
    sheet = _book(to_xlsx(_rows(judged)))["友谊县"]
    cell = sheet.cell(row=4, column=FIELDS.index("report_url") + 1)
    assert cell.hyperlink.target == world.url_of("龙山镇", 2024)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_writes_the_file(judged, tmp_path, fmt):
    out = tmp_path / f"notice.{fmt}"
    with session(judged) as s:
        assert (export_notice(s, out, fmt=fmt), out.stat().st_size > 0) == (3, True)


def test_unknown_format_says_which_exist(judged, tmp_path):
    with session(judged) as s, pytest.raises(ExportError, match="csv, xlsx, json"):
        export_notice(s, tmp_path / "x.pdf", fmt="pdf")
