"""Parse the generated set in every format and score it: cells, years, agencies, planted errors.

Run ``.venv/bin/python -m tests.parsing.generated.measure [--ocr]`` for the
figures; the tests assert the same numbers. A cell is right when the parsed
value equals the rendered one (``None`` for a blank) and a truncated cell is
right when it is listed in ``missing`` and absent from the tables.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache

from parsing import parse_bytes

from . import ofdgen, render, scan
from .cases import Case, cases

SCANS = tuple(scan.STYLES)      # "scan.pdf" (clean) and the realistic variants, all image-only PDFs
FORMATS = ("html", "docx", "pdf", "doc", "ofd", "xlsx", "xls") + SCANS
SEVERE = ("error", "warning")


@dataclass
class Score:
    cells: int = 0
    cells_right: int = 0
    reports: int = 0
    years_right: int = 0
    agencies_right: int = 0
    planted: int = 0
    planted_found: int = 0
    false_alarms: list[str] = field(default_factory=list)
    wrong_cells: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        share = self.cells_right / self.cells if self.cells else 0
        return (f"{name:9} reports {self.reports:3}  cells {self.cells_right}/{self.cells} ({share:.2%})  "
                f"years {self.years_right}/{self.reports}  agencies {self.agencies_right}/{self.reports}  "
                f"planted {self.planted_found}/{self.planted}  false alarms {len(self.false_alarms)}")


@lru_cache(maxsize=None)
def all_cases() -> tuple[Case, ...]:
    return tuple(cases())


@lru_cache(maxsize=None)
def rendered(fmt: str) -> dict[str, bytes]:
    """Case name → file bytes in ``fmt`` ({} for DOC without LibreOffice)."""
    if fmt == "doc":
        return render.convert_all(rendered("docx"), "docx", "doc:MS Word 97")
    if fmt == "xls":
        return render.convert_all(rendered("xlsx"), "xlsx", "xls:MS Excel 97")
    if fmt in SCANS:
        return {c.name: scan.scan_pdf(c, scan.STYLES[fmt]) for c in all_cases()}
    make = {"html": render.html_bytes, "docx": render.docx_bytes, "pdf": render.pdf_bytes,
            "ofd": ofdgen.ofd_bytes, "xlsx": ofdgen.xlsx_bytes}[fmt]
    return {c.name: make(c) for c in all_cases()}


@lru_cache(maxsize=None)
def parsed(fmt: str, name: str) -> dict:
    case = next(c for c in all_cases() if c.name == name)
    previous = parsed(fmt, case.previous) if case.previous else None
    ext = "pdf" if fmt in SCANS else fmt
    return parse_bytes(rendered(fmt)[name], source=f"generated/{name}.{ext}", filename=f"{name}.{ext}",
                       previous=previous)


def cell_errors(case: Case, report: dict) -> tuple[int, list[str]]:
    """(cells compared, paths parsed wrong) for one report."""
    wrong = []
    for path, value in case.values.items():
        got = _get(report["tables"], path)
        if path in case.missing:
            if got is not _ABSENT or path not in report["missing"]:
                wrong.append(path)
        elif got is _ABSENT or got != value:
            wrong.append(path)
    return len(case.values), wrong


_ABSENT = object()


def _get(tables: dict, path: str):
    node = tables
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return _ABSENT
        node = node[part]
    return node


def severe_codes(report: dict) -> set[str]:
    return {c["code"] for c in report["checks"] if c["severity"] in SEVERE}


def score(fmt: str) -> Score:
    s = Score()
    for case in all_cases():
        if case.name not in rendered(fmt):
            continue
        report = parsed(fmt, case.name)
        n, wrong = cell_errors(case, report)
        s.reports += 1
        s.cells += n
        s.cells_right += n - len(wrong)
        s.wrong_cells += [f"{case.name}:{p}" for p in wrong]
        s.years_right += report["year"] == case.year
        s.agencies_right += (report["agency"], report["township"], report["county"]) == \
            (case.agency, case.township, case.county)
        found = severe_codes(report)
        s.planted += len(case.expected_codes)
        s.planted_found += len(case.expected_codes & found)
        s.false_alarms += [f"{case.name}:{code}" for code in sorted(found - case.expected_codes)]
    return s


def main(argv: list[str]) -> int:
    formats = [f for f in FORMATS if f not in SCANS or "--ocr" in argv]
    for fmt in formats:
        s = score(fmt)
        print(s.line(fmt))
        for item in (s.wrong_cells[:10] + s.false_alarms[:10]):
            print("   ", item)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
