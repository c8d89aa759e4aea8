"""Parse the generated set in every format and score it: cells, years, agencies, planted errors.

Run ``.venv/bin/python -m tests.parsing.generated.measure [--ocr]`` for the
figures; the tests assert the same numbers. A cell is right when the parsed
value equals the rendered one (``None`` for a blank) and a truncated cell is
right when it is listed in ``missing`` and absent from the tables.

Scans (``--ocr``) are scored the same way, plus: the cells OCR flagged as
read without confidence (``ocr.low_confidence`` is a caveat about the
reading, not a finding about the report, so it is counted here and not as a
false alarm), the wrong cells it did not flag (there must be none), and the
county names the parser mended against the national list of divisions
(``identity.county_mended``, severity info: tesseract's ``chi_sim`` misreads
rare characters of place names such as 桦 and 饶 once a page is blurred or
bilevel). Year, agency, township and county must come out exactly as written,
on every scan as in every other format.
"""

from __future__ import annotations

import fcntl
import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from parsing import parse_bytes

from . import ofdgen, render, scan
from .cases import Case, cases

SCANS = tuple(scan.STYLES)      # "scan.pdf" (clean) and the realistic variants, all image-only PDFs
FORMATS = ("html", "docx", "pdf", "doc", "ofd", "xlsx", "xls") + SCANS
SEVERE = ("error", "warning")
CAVEATS = frozenset({"ocr.low_confidence"})   # about the reading, not the report: scored apart


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
    flagged: int = 0                                              # OCR: cells read without confidence
    silent_wrong: list[str] = field(default_factory=list)         # OCR: wrong values not flagged
    counties_mended: list[str] = field(default_factory=list)      # county names mended against the list

    def line(self, name: str) -> str:
        share = self.cells_right / self.cells if self.cells else 0
        out = (f"{name:14} reports {self.reports:3}  cells {self.cells_right}/{self.cells} ({share:.2%})  "
               f"years {self.years_right}/{self.reports}  agencies {self.agencies_right}/{self.reports}  "
               f"planted {self.planted_found}/{self.planted}  false alarms {len(self.false_alarms)}")
        if name in SCANS:
            out += (f"  flagged {self.flagged}  wrong unflagged {len(self.silent_wrong)}  "
                    f"counties mended {len(self.counties_mended)}")
        return out


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
        return {c.name: rendered_scan(fmt, c.name) for c in all_cases()}
    make = {"html": render.html_bytes, "docx": render.docx_bytes, "pdf": render.pdf_bytes,
            "ofd": ofdgen.ofd_bytes, "xlsx": ofdgen.xlsx_bytes}[fmt]
    return {c.name: make(c) for c in all_cases()}


@lru_cache(maxsize=None)
def rendered_scan(fmt: str, name: str) -> bytes:
    """One case drawn as the scan ``fmt`` (drawing a scan takes a while: only the cases asked for)."""
    return scan.scan_pdf(next(c for c in all_cases() if c.name == name), scan.STYLES[fmt])


_shared: list[Path] = []    # set by share_parses: where the processes of one test run share OCR'd reports


def share_parses(directory: Path) -> None:
    """Let the processes of one test run (pytest-xdist workers) share OCR'd reports through ``directory``,
    so that each scan is OCR'd once per run, not once per worker."""
    directory.mkdir(parents=True, exist_ok=True)
    _shared[:] = [directory]


def warm(formats: tuple[str, ...], worker: int, workers: int) -> None:
    """Parse this worker's share of every case in ``formats``: the i-th (format, case) when i mod
    ``workers`` is ``worker``."""
    pairs = [(fmt, case.name) for fmt in formats for case in all_cases()]
    for fmt, name in pairs[worker::workers]:
        parsed(fmt, name)


@lru_cache(maxsize=None)
def parsed(fmt: str, name: str) -> dict:
    """The report object of case ``name`` rendered as ``fmt`` (its previous year's report passed along)."""
    if fmt in SCANS and _shared:
        return _parsed_once(fmt, name, _shared[0])
    return _parse(fmt, name)


def _parse(fmt: str, name: str) -> dict:
    case = next(c for c in all_cases() if c.name == name)
    previous = parsed(fmt, case.previous) if case.previous else None
    data, ext = (rendered_scan(fmt, name), "pdf") if fmt in SCANS else (rendered(fmt)[name], fmt)
    return parse_bytes(data, source=f"generated/{name}.{ext}", filename=f"{name}.{ext}", previous=previous)


def _parsed_once(fmt: str, name: str, directory: Path) -> dict:
    """``_parse`` through a file in ``directory``: the first process to want it parses, the rest read it."""
    path = directory / f"{fmt}-{name}.json"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        report = _parse(fmt, name)
        path.with_suffix(".tmp").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        path.with_suffix(".tmp").replace(path)
        return report


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
    """Codes of the warnings and errors about the report itself (OCR caveats left out)."""
    return {c["code"] for c in report["checks"] if c["severity"] in SEVERE and c["code"] not in CAVEATS}


def identity_right(case: Case, report: dict) -> bool:
    """Year, agency, township and county exactly as written."""
    return ((report["year"], report["agency"], report["township"], report["county"])
            == (case.year, case.agency, case.township, case.county))


def mended(report: dict) -> list[str]:
    """Messages of the report's ``identity.county_mended`` findings."""
    return [c["message"] for c in report["checks"] if c["code"] == "identity.county_mended"]


def silently_wrong(case: Case, report: dict) -> list[str]:
    """Paths of cells OCR gave a wrong value without flagging it (absent cells are listed as missing)."""
    flagged = set((report.get("ocr") or {}).get("low_confidence_cells", ()))
    return [p for p in cell_errors(case, report)[1] if _get(report["tables"], p) is not _ABSENT and p not in flagged]


def score(fmt: str) -> Score:
    s = Score()
    for case in all_cases():
        if fmt not in SCANS and case.name not in rendered(fmt):
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
        s.counties_mended += [f"{case.name}:{report['county']}" for _ in mended(report)]
        if "ocr" in report:
            s.flagged += len(report["ocr"]["low_confidence_cells"])
            s.silent_wrong += [f"{case.name}:{p}" for p in silently_wrong(case, report)]
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
        for item in (s.wrong_cells[:10] + s.false_alarms[:10] + s.counties_mended):
            print("   ", item)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
