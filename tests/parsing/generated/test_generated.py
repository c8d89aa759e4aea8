"""The generated set parses exactly in every format: cells, year, agency, planted errors, no false alarm.

Cases come from ``cases.py`` (clean reports of both formats, each 勾稽 fault
alone, blank cells, truncated tables, cross-year pairs); ``measure.py`` parses
and scores them. DOC and XLS are converted from DOCX/XLSX by LibreOffice at
test time (a subset of cases: each conversion and parse starts soffice).
Scanned PDFs are OCR'd and measured separately, with looser bounds.
"""

from __future__ import annotations

import shutil

import pytest

from . import measure
from .cases import cases
from .render import cjk_font

NAMES = [c.name for c in cases()]
CONVERTED_SUBSET = ["clean_2021_a", "clean_2019_a", "balance_2021", "blank_2021", "truncated_2019",
                    "pair_2022", "pair_2023_carried"]
NATIVE = ("html", "docx", "pdf", "ofd", "xlsx")
CONVERTED = ("doc", "xls")
PARAMS = [(f, n) for f in NATIVE for n in NAMES] + [(f, n) for f in CONVERTED for n in CONVERTED_SUBSET]


def _case(name):
    return next(c for c in measure.all_cases() if c.name == name)


def _report(fmt, name):
    if fmt in CONVERTED and not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed: DOC/XLS cases need it")
    data = measure.rendered(fmt)
    if name not in data:
        pytest.fail(f"LibreOffice did not produce {name}.{fmt}")
    return measure.parsed(fmt, name)


@pytest.mark.parametrize("fmt,name", PARAMS)
def test_cells(fmt, name):
    assert measure.cell_errors(_case(name), _report(fmt, name))[1] == []


@pytest.mark.parametrize("fmt,name", PARAMS)
def test_year_and_agency(fmt, name):
    case, report = _case(name), _report(fmt, name)
    assert (report["year"], report["agency"], report["township"], report["county"]) == \
        (case.year, case.agency, case.township, case.county)


@pytest.mark.parametrize("fmt,name", PARAMS)
def test_planted_errors_found_and_nothing_else(fmt, name):
    assert measure.severe_codes(_report(fmt, name)) == _case(name).expected_codes


@pytest.mark.parametrize("fmt", NATIVE)
def test_accuracy_targets(fmt):
    s = measure.score(fmt)
    assert s.cells_right / s.cells >= 0.995
    assert (s.years_right, s.agencies_right, s.planted_found, s.false_alarms) == (s.reports, s.reports, s.planted, [])


def test_every_fault_is_planted_somewhere():
    from .cases import PLANTS
    assert {p for c in cases() for p in c.plants} == set(PLANTS)


# ---- OCR: scanned PDFs, measured separately ------------------------------------------------

SCANNED = ["clean_2021_a", "clean_2019_a"]
needs_ocr = pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm") and cjk_font()),
                               reason="OCR needs tesseract-ocr(-chi-sim), poppler-utils and a CJK font "
                                      "(fonts-wqy-microhei) to draw the scans")


def _scan(name):
    return measure.parsed("scan.pdf", name)


@needs_ocr
@pytest.mark.parametrize("name", SCANNED)
def test_scan_identity(name):
    case, report = _case(name), _scan(name)
    assert (report["year"], report["agency"]) == (case.year, case.agency)


@needs_ocr
@pytest.mark.parametrize("name", SCANNED)
def test_scan_never_invents_a_value(name):
    """OCR may lose cells (they go to ``missing``), but a cell it gives must be right."""
    case, report = _case(name), _scan(name)
    wrong = [p for p in measure.cell_errors(case, report)[1] if measure._get(report["tables"], p) is not measure._ABSENT]
    assert wrong == []


@needs_ocr
@pytest.mark.parametrize("name", SCANNED)
def test_scan_reads_most_cells(name):
    case, report = _case(name), _scan(name)
    n, wrong = measure.cell_errors(case, report)
    assert (n - len(wrong)) / n >= 0.6


@needs_ocr
def test_scan_carries_ocr_confidence():
    ocr = _scan(SCANNED[0])["ocr"]
    assert ocr["engine"].startswith("tesseract") and 50 <= ocr["mean_confidence"] <= 100 and ocr["pages"] >= 1
    assert isinstance(ocr["low_confidence_cells"], list)
