"""Parsing throughput: reports per second per core, beside raw text extraction of the same files.

Run ``.venv/bin/python -m benchmarks.parsing [--rounds N] [--no-ocr]``. Sets:

- ``html``: the generated report set (tests/parsing/generated: both national
  formats, non-zero numbers), each page the report alone (~7 KB);
- ``html-page``: the demo portal's inline-HTML township reports as its
  servers send them — whole pages with header, navigation, an 索引号/发布机构
  metadata table, the report in Word-style cells (``<td><p>…</p></td>``) and
  footer (~22 KB; some GBK), rendered in process, no server started;
- ``docx``, ``pdf``: the generated set, rendered once.

For each set, in this one process (one core), best of ``--rounds`` passes:

- *raw*: the plain text of the file as a library gives it — the floor any
  parser pays and the denominator of full ÷ raw. HTML: lxml
  ``document_fromstring(data).text_content()`` (libxml2 parsing and
  collecting text in C: no cells, no rows, no encoding rules of ours);
  DOCX: python-docx paragraphs and cell texts; PDF: pdfplumber
  ``extract_text`` per page;
- *bs4* (HTML only, a reference, not the floor): BeautifulSoup with the lxml
  tree builder, ``get_text()`` — the usual way Python code takes a page's text;
- *extract*: our extraction stage alone (``parsing.extract.extract``: bytes
  → blocks with table structure, no analysis);
- *full*: ``parsing.parse_bytes`` — extraction with table structure,
  sections, tables, identification and checks.

Times are per report (ms). Two ratios are printed: full ÷ raw (the issue's
target, ≤ 2×) and full ÷ extract (what the analysis adds to our own
extraction). The parser remembers label normalisation and cell tokens
(labels and small numbers repeat across reports); every timed pass starts
with those memos cleared, so a pass gains only from repeats among its own
reports, never from parsing the same files in an earlier round. Figures are
CPU time of this single-threaded process (what one core spends, so reports
per second per core), which other load on a shared machine moves far less
than wall time; the OCR lines are wall time (tesseract runs as a subprocess).

Targets (issue 5): full ≤ 2× raw; ≥ 20 reports/s/core for HTML and DOCX,
≥ 5 for PDF. OCR (scanned PDFs) is reported separately: seconds per page
for each kind of generated scan (``scan.pdf`` clean, ``scan-photo.pdf``
photographed, ``scan-bw.pdf`` B/W scanner; the same first
``--ocr-reports`` reports of each).

HTML does not meet full ≤ 2× raw against lxml, and a parser written in Python
cannot: ``text_content`` is libxml2 parsing and concatenating text in C
(about 0.1 ms for a 7 KB report), while reading the tables needs every one
of a report's ~270 cells visited in Python (spans expanded, tokens made,
labels matched, checks summed), which alone costs more than the whole C
floor. The ratio falls as pages grow (the C parse grows with the page, the
analysis with the report): compare ``html`` with ``html-page``. DOCX and
PDF meet it because their raw libraries are themselves Python.
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

TARGETS = {"html": 20.0, "html-page": 20.0, "docx": 20.0, "pdf": 5.0}
MAX_RATIO = 2.0


def raw_html(data: bytes) -> str:
    import lxml.html
    return lxml.html.document_fromstring(data).text_content()


def bs4_html(data: bytes) -> str:
    from bs4 import BeautifulSoup
    return BeautifulSoup(data, "lxml").get_text()


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


RAW = {"html": raw_html, "html-page": raw_html, "docx": raw_docx, "pdf": raw_pdf}


def portal_pages() -> list[tuple[bytes, str]]:
    """(body, Content-Type) of every inline-HTML township report page of ``DemoPortal()``, as served."""
    from nianbao.demo_portal import DemoPortal
    from nianbao.demo_portal.family import Request
    pages = []
    for family in DemoPortal().families:
        for article in family.county.reports():
            if article.fmt == "html" and article.township:
                response = family.respond(Request("GET", family.report_path(article), {}, {}))
                pages.append((response.body, response.content_type))
    return pages


def files_of(name: str) -> list[tuple[bytes, str | None]]:
    """(bytes, Content-Type or None) of every report of a set."""
    if name == "html-page":
        return portal_pages()
    return [(data, None) for data in measure.rendered(name).values()]


def clear_memos() -> None:
    """Empty every ``functools`` memo of the parsing package (labels, cell tokens, label forms …)."""
    for module in [m for name, m in sys.modules.items() if name == "parsing" or name.startswith("parsing.")]:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def _best_of(rounds: int, fn, files: list) -> float:
    """Least CPU time over ``rounds`` passes of ``fn`` over every file, memos emptied first (seconds per pass)."""
    best = float("inf")
    for _ in range(rounds):
        clear_memos()
        start = time.process_time()
        for data, ctype in files:
            fn(data, ctype)
        best = min(best, time.process_time() - start)
    return best


def bench_format(name: str, rounds: int) -> dict:
    files = files_of(name)
    fmt = "html" if name == "html-page" else name
    source = f"bench.{fmt}"
    parse_bytes(files[0][0], source=source, content_type=files[0][1])   # imports out of the timing
    RAW[name](files[0][0])
    times = {"raw": _best_of(rounds, lambda d, c: RAW[name](d), files),
             "extract": _best_of(rounds, lambda d, c: extract_blocks(d, source, c), files),
             "full": _best_of(rounds, lambda d, c: parse_bytes(d, source=source, content_type=c), files)}
    if fmt == "html":
        bs4_html(files[0][0])
        times["bs4"] = _best_of(rounds, lambda d, c: bs4_html(d), files)
    n = len(files)
    return {"set": name, "reports": n, "kb": sum(len(d) for d, _ in files) / n / 1024,
            **{f"{k}_ms": v / n * 1000 for k, v in times.items()},
            "full_rate": n / times["full"], "ratio": times["full"] / times["raw"],
            "ratio_extract": times["full"] / times["extract"]}


def bench_ocr(kind: str, n: int) -> dict:
    """OCR of the first ``n`` generated reports drawn as the scan ``kind`` (wall time; drawing not timed)."""
    files = [measure.rendered_scan(kind, c.name) for c in measure.all_cases()[:n]]
    start = time.perf_counter()
    pages = sum(parse_bytes(d, source="bench.pdf")["ocr"]["pages"] for d in files)
    took = time.perf_counter() - start
    return {"reports": len(files), "pages": pages, "seconds": took}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.parsing", description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="passes per measurement; the fastest counts")
    ap.add_argument("--no-ocr", action="store_true", help="skip the scanned-PDF (OCR) figures")
    ap.add_argument("--ocr-reports", type=int, default=3, help="scanned reports to OCR per kind of scan")
    args = ap.parse_args(argv)
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; times in ms per report)")
    print(f"{'set':9} {'reports':>7} {'KB':>5} {'raw':>7} {'bs4':>6} {'extract':>7} {'full':>6} {'full/s/core':>11} "
          f"{'full÷raw':>8} {'full÷extract':>12}  targets")
    ok = True
    for name in ("html", "html-page", "docx", "pdf"):
        r = bench_format(name, args.rounds)
        meets = r["ratio"] <= MAX_RATIO and r["full_rate"] >= TARGETS[name]
        ok &= meets
        bs4 = f"{r['bs4_ms']:6.2f}" if "bs4_ms" in r else f"{'–':>6}"
        print(f"{name:9} {r['reports']:7} {r['kb']:5.1f} {r['raw_ms']:7.2f} {bs4} {r['extract_ms']:7.2f} "
              f"{r['full_ms']:6.2f} {r['full_rate']:11.1f} {r['ratio']:8.2f} {r['ratio_extract']:12.2f}  "
              f"≥{TARGETS[name]:g}/s, ≤{MAX_RATIO:g}× raw: {'met' if meets else 'NOT met'}")
    for kind in () if args.no_ocr else measure.SCANS:
        o = bench_ocr(kind, args.ocr_reports)
        print(f"ocr {kind:14} {o['reports']} reports, {o['pages']} pages in {o['seconds']:.1f} s: "
              f"{o['seconds'] / o['pages']:.1f} s per page, {o['seconds'] / o['reports']:.1f} s per report")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
