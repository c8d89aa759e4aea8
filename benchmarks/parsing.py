"""Parsing throughput: reports per second per core, beside raw text extraction of the same files.

Run ``.venv/bin/python -m benchmarks.parsing [--rounds N] [--no-ocr]``. The
files are the generated report set (tests/parsing/generated: both national
formats, non-zero numbers), rendered once. For each format, in this one
process (one core):

- *raw*: the plain text of the file as a library gives it (lxml
  ``text_content``; python-docx paragraphs and cell texts; pdfplumber
  ``extract_text`` per page) — the floor any parser pays;
- *extract*: our extraction stage alone (``parsing.extract.extract``:
  bytes → blocks with table structure, no analysis);
- *full*: ``parsing.parse_bytes`` — extraction with table structure,
  sections, tables, identification and checks.

Two ratios are printed: full ÷ raw (the issue's target, ≤ 2×) and
full ÷ extract (what the analysis adds on top of our own extraction).
For HTML the raw floor is lxml's C ``text_content`` (~0.1 ms a page), so
full ÷ raw is large there although the absolute cost is ~10 ms a report.
Figures are wall time in one process; a loaded machine slows them.

Targets (issue 5): full ≤ 2× raw; ≥ 20 reports/s/core for HTML and DOCX,
≥ 5 for PDF. OCR (scanned PDFs) is reported separately, per page.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

from parsing import parse_bytes
from parsing.extract import extract as extract_blocks
from tests.parsing.generated import measure

TARGETS = {"html": 20.0, "docx": 20.0, "pdf": 5.0}
MAX_RATIO = 2.0


def raw_html(data: bytes) -> str:
    import lxml.html
    return lxml.html.document_fromstring(data).text_content()


def raw_docx(data: bytes) -> str:
    import docx
    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def raw_pdf(data: bytes) -> str:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


RAW = {"html": raw_html, "docx": raw_docx, "pdf": raw_pdf}


def _best_of(rounds: int, fn, files: list[bytes]) -> float:
    """Fastest wall time over ``rounds`` passes of ``fn`` over every file (seconds per pass)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for data in files:
            fn(data)
        best = min(best, time.perf_counter() - start)
    return best


def bench_format(fmt: str, rounds: int) -> dict:
    files = list(measure.rendered(fmt).values())
    name = f"bench.{fmt}"
    parse_bytes(files[0], source=name)   # imports and caches out of the timing
    RAW[fmt](files[0])
    raw = _best_of(rounds, RAW[fmt], files)
    ext = _best_of(rounds, lambda d: extract_blocks(d, name), files)
    full = _best_of(rounds, lambda d: parse_bytes(d, source=name), files)
    return {"format": fmt, "reports": len(files), "raw_s": raw, "extract_s": ext, "full_s": full,
            "raw_rate": len(files) / raw, "full_rate": len(files) / full, "ratio": full / raw,
            "ratio_extract": full / ext}


def bench_ocr(n: int) -> dict:
    files = list(measure.rendered("scan.pdf").values())[:n]
    start = time.perf_counter()
    pages = sum(parse_bytes(d, source="bench.pdf")["ocr"]["pages"] for d in files)
    took = time.perf_counter() - start
    return {"reports": len(files), "pages": pages, "seconds": took}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.parsing", description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="passes per measurement; the fastest counts")
    ap.add_argument("--no-ocr", action="store_true", help="skip the scanned-PDF (OCR) figures")
    ap.add_argument("--ocr-reports", type=int, default=3, help="scanned reports to OCR")
    args = ap.parse_args(argv)
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'format':6} {'reports':>7} {'raw s':>7} {'extract s':>9} {'full s':>7} {'raw/s':>8} {'full/s/core':>11} "
          f"{'full÷raw':>8} {'full÷extract':>12}  targets")
    ok = True
    for fmt in ("html", "docx", "pdf"):
        r = bench_format(fmt, args.rounds)
        meets = r["ratio"] <= MAX_RATIO and r["full_rate"] >= TARGETS[fmt]
        ok &= meets
        print(f"{fmt:6} {r['reports']:7} {r['raw_s']:7.3f} {r['extract_s']:9.3f} {r['full_s']:7.3f} "
              f"{r['raw_rate']:8.1f} {r['full_rate']:11.1f} {r['ratio']:8.2f} {r['ratio_extract']:12.2f}  "
              f"≥{TARGETS[fmt]:g}/s, ≤{MAX_RATIO:g}× raw: {'met' if meets else 'NOT met'}")
    if not args.no_ocr:
        o = bench_ocr(args.ocr_reports)
        print(f"ocr    {o['reports']:7} reports, {o['pages']} pages in {o['seconds']:.1f} s: "
              f"{o['pages'] / o['seconds']:.2f} pages/s/core, {o['seconds'] / o['reports']:.1f} s per report")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
