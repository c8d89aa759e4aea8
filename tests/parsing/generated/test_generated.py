"""The generated set parses exactly in every format: cells, year, agency, planted errors, no false alarm.

Cases come from ``cases.py`` (clean reports of both formats, each 勾稽 fault
alone, blank cells, truncated tables, cross-year pairs); ``measure.py`` parses
and scores them. DOC and XLS are converted from DOCX/XLSX by LibreOffice at
test time (a subset of cases: each conversion and parse starts soffice).
Scanned PDFs (a clean scan and realistic variants: photographed, B/W
scanner; ``scan.py``) are OCR'd, every case, and held to the same tests; OCR
adds its own: every wrong value is flagged, few right ones are. Year and
agency (township and county) must be exact on scans too: a county name OCR
misread by one character is mended against the national list of divisions.
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
SCANS = measure.SCANS
PARAMS = ([(f, n) for f in NATIVE + SCANS for n in NAMES]
          + [(f, n) for f in CONVERTED for n in CONVERTED_SUBSET])
MAX_FLAGGED_SHARE = 0.005   # OCR may flag at most this share of a scan set's cells as read without confidence
OCR_MISSING = ("OCR needs tesseract-ocr(-chi-sim), poppler-utils and a CJK font (fonts-wqy-microhei) to draw "
               "the scans")


def _can_ocr() -> bool:
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm") and cjk_font())


def _case(name):
    return next(c for c in measure.all_cases() if c.name == name)


def _report(fmt, name):
    if fmt in CONVERTED and not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed: DOC/XLS cases need it")
    if fmt in SCANS and not _can_ocr():
        pytest.skip(OCR_MISSING)
    if fmt in CONVERTED and name not in measure.rendered(fmt):
        pytest.fail(f"LibreOffice did not produce {name}.{fmt}")
    return measure.parsed(fmt, name)


@pytest.mark.parametrize("fmt,name", PARAMS)
def test_cells(fmt, name):
    assert measure.cell_errors(_case(name), _report(fmt, name))[1] == []


@pytest.mark.parametrize("fmt,name", PARAMS)
def test_year_and_agency(fmt, name):
    case, report = _case(name), _report(fmt, name)
    got = (report["year"], report["agency"], report["township"], report["county"])
    assert measure.identity_right(case, report), f"{got} != {(case.year, case.agency, case.township, case.county)}"


@pytest.mark.parametrize("fmt,name", PARAMS)
def test_planted_errors_found_and_nothing_else(fmt, name):
    assert measure.severe_codes(_report(fmt, name)) == _case(name).expected_codes


@pytest.mark.parametrize("fmt", NATIVE + SCANS)
def test_accuracy_targets(fmt):
    if fmt in SCANS and not _can_ocr():
        pytest.skip(OCR_MISSING)
    s = measure.score(fmt)
    assert s.cells_right / s.cells >= 0.995
    assert (s.years_right, s.agencies_right, s.planted_found, s.false_alarms) == \
        (s.reports, s.reports, s.planted, [])


def test_every_fault_is_planted_somewhere():
    from .cases import PLANTS
    assert {p for c in cases() for p in c.plants} == set(PLANTS)


# ---- OCR: what scans add -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SCANS)
def test_scan_never_silently_wrong_and_seldom_unsure(fmt):
    """A value OCR got wrong is flagged in ``low_confidence_cells``; few right ones are."""
    if not _can_ocr():
        pytest.skip(OCR_MISSING)
    s = measure.score(fmt)
    assert s.silent_wrong == [] and s.flagged <= MAX_FLAGGED_SHARE * s.cells


def test_scan_carries_ocr_confidence():
    if not _can_ocr():
        pytest.skip(OCR_MISSING)
    ocr = _report("scan.pdf", "clean_2021_a")["ocr"]
    assert set(ocr) == {"engine", "pages", "mean_confidence", "low_confidence_cells"}
    assert ocr["engine"].startswith("tesseract") and 50 <= ocr["mean_confidence"] <= 100 and ocr["pages"] == 2
    assert isinstance(ocr["low_confidence_cells"], list)


def test_photographed_page_as_an_image():
    """A page sent as a JPEG (no resolution stated: taken as A4-wide) is read like a scanned PDF page."""
    if not _can_ocr():
        pytest.skip(OCR_MISSING)
    import io

    from parsing import parse_bytes

    from .scan import STYLES, scan_pages
    case = _case("clean_2021_a")
    buf = io.BytesIO()
    scan_pages(case, STYLES["scan-photo.pdf"])[0].save(buf, "JPEG", quality=70)
    report = parse_bytes(buf.getvalue(), source="page1.jpg")
    proactive = {p: v for p, v in case.values.items() if p.startswith("proactive.")}
    assert (report["year"], report["agency"], report["ocr"]["pages"]) == (case.year, case.agency, 1)
    assert {p: measure._get(report["tables"], p) for p in proactive} == proactive
