"""OCR for images and PDF regions (pages without a usable text layer, tables pasted as pictures):
ruled tables read cell by cell, the rest as text lines.

Per page: pdftoppm renders it (poppler-utils; at most ``limits.OCR_DPI`` and
``limits.OCR_MAX_PIXELS``), ``scanprep`` straightens and cleans it, ``grid``
finds the ruled tables and their (merged) cells, and the rulings are erased.
Each table becomes a ``Table`` block (spans expanded, ``origins`` set), each
text line outside tables a ``Paragraph``; running page numbers and headers
are dropped as for born-digital PDFs (``document`` assembles the pages of a
PDF, OCR'd or not, in order). Tesseract (Debian's, ``chi_sim``) runs
twice per page at most, each time over a batch of images: the text outside
tables plus every cell with ink, then the cells that may be numbers,
restricted to digits (``cellread`` says which reading a cell keeps).

The Document carries ``ocr = {engine, pages, mean_confidence, low_confidence}``:
``pages`` is how many pages were OCR'd, ``mean_confidence`` the mean word
confidence (0–100) of the text kept, and ``low_confidence`` maps a line index
(as ``tokens.lines_of`` counts lines: one per paragraph and per table row, on
every page, OCR'd or not) to the numbers on that line read without
confidence. Limits: pages, pixels, seconds per page and per document
(``limits.OCR_*``); exceeding one raises ParseError.
"""

from __future__ import annotations

import io
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError
from . import cellread, cells, grid, lexicon, limits, scanprep, tesseract, textlines

ENGINE = "tesseract chi_sim+eng; table cells one by one, numbers read twice"
CELL_GAP = 1.5           # line heights of blank space between two words that makes them two cells
MARGIN = 0.08            # top and bottom share of the page where page numbers live
PAGE_NUMBER_CHARS = 8    # a margin line this short without CJK is a page number
ERASE_FRINGE_MM = 0.25   # erased around each ruling too (blur and JPEG halos read as "|")
TABLE_MARGIN_MM = 1.0    # around a table, ink is the table's (ruling ends), not text
DEFAULT_PAGE_WIDTH_IN = 8.27   # an image without a resolution is taken as an A4-wide page
_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
Box = tuple[float, float, float, float]   # x0, top, x1, bottom: points from the page's top-left, as pdfplumber


@dataclass
class PageText:
    """One page: blocks with their vertical extent (in the unit of ``height``), and when OCR read it
    (``ocr``) its flagged numbers per table row and its word confidences."""

    items: list[tuple[float, float, Block]] = field(default_factory=list)
    flags: dict[int, dict[int, list[str]]] = field(default_factory=dict)   # id(Table) → row → texts
    confidences: list[float] = field(default_factory=list)
    height: float = 0
    ocr: bool = True


def extract_image(data: bytes, content_type: str | None = None) -> Document:
    """Text of an image (PNG, JPEG, TIFF, GIF, BMP). ParseError when tesseract is missing or limits are hit."""
    frames = _check_image(data)
    until = document_deadline()
    from PIL import Image
    pages = []
    with limits.scratch() as tmp, Image.open(io.BytesIO(data)) as img:
        for n in range(frames):
            img.seek(n)
            pages.append(_read_page(img, _image_dpi(img), tmp, f"f{n}", _page_deadline(until)))
    return document(pages)


def document_deadline() -> float:
    """When the OCR of a document started now must stop (``limits.OCR_TOTAL_SECONDS``), monotonic."""
    return time.monotonic() + limits.OCR_TOTAL_SECONDS


def read_pdf(data: bytes, regions: list[tuple[int, Box]], until: float) -> list[PageText]:
    """Regions of a PDF's pages (0-based page number, box in points from the top-left) read by OCR, each
    a PageText whose items are placed in page points. ParseError beyond ``limits.OCR_MAX_PAGES``
    regions, past the monotonic time ``until``, or on the page and pixel limits."""
    if len(regions) > limits.OCR_MAX_PAGES:
        raise ParseError(f"this PDF has {len(regions)} pages or pictures without a usable text layer (OCR limit "
                         f"{limits.OCR_MAX_PAGES}); split it or ask the publisher for a text PDF")
    program = limits.tool("pdftoppm", "poppler-utils")
    read = []
    with limits.scratch() as tmp:
        src = limits.write(tmp, "scan.pdf", data)
        for k, (n, box) in enumerate(regions):
            page_deadline = _page_deadline(until)
            dpi = _dpi(box[2] - box[0], box[3] - box[1])
            x, y = (math.floor(v * dpi / 72) for v in box[:2])
            w, h = (math.ceil(v * dpi / 72) + 1 for v in (box[2] - box[0], box[3] - box[1]))   # clipped at the edge
            out = Path(tmp) / f"r{k}"
            limits.run([program, "-r", str(dpi), "-f", str(n + 1), "-l", str(n + 1), "-x", str(x), "-y", str(y),
                        "-W", str(w), "-H", str(h), "-gray", "-singlefile", str(src), str(out)],
                       seconds=_left(page_deadline), what="pdftoppm rendering a scanned page", env=_ENV)
            image = out.with_suffix(".pgm")
            if not image.exists():
                raise ParseError(f"page {n + 1} of this PDF could not be rendered for OCR; the file may be corrupt")
            from PIL import Image
            with Image.open(image) as img:
                read.append(_placed(_read_page(img, dpi, tmp, f"r{k}", page_deadline), box))
    return read


def _placed(page: PageText, box: Box) -> PageText:
    """``page`` (read from the picture of ``box``) with its items in page points, its height the box's."""
    scale = (box[3] - box[1]) / max(page.height, 1)
    page.items = [(box[1] + top * scale, box[1] + bottom * scale, block) for top, bottom, block in page.items]
    page.height = box[3] - box[1]
    return page


def _dpi(width_pt: float, height_pt: float) -> int:
    area_in = max(width_pt * height_pt / 72 / 72, 1e-6)
    return max(30, min(limits.OCR_DPI, int(math.sqrt(limits.OCR_MAX_PIXELS / area_in))))


def _image_dpi(img) -> float:
    """The image's stated resolution, or the one that makes it an A4-wide page."""
    stated = img.info.get("dpi")
    if stated and 50 <= float(stated[0]) <= 1200:
        return float(stated[0])
    return max(img.width / DEFAULT_PAGE_WIDTH_IN, 50.0)


def _page_deadline(deadline: float) -> float:
    return min(deadline, time.monotonic() + limits.OCR_PAGE_SECONDS)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ParseError(f"OCR took longer than the limit ({limits.OCR_PAGE_SECONDS} s a page, "
                         f"{limits.OCR_TOTAL_SECONDS} s a document) and was stopped")
    return left


def _check_image(data: bytes) -> int:
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            frames = getattr(img, "n_frames", 1)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ParseError(f"cannot read this image for OCR ({type(exc).__name__}); it may be corrupt — download it again "
                         "(图片版 reports need a readable PNG/JPEG/TIFF)") from exc
    if width * height > limits.OCR_MAX_PIXELS or frames > limits.OCR_MAX_PAGES:
        raise ParseError(f"this image is too large for OCR ({width}×{height} px, {frames} frames; limits "
                         f"{limits.OCR_MAX_PIXELS} px, {limits.OCR_MAX_PAGES} frames)")
    return frames


def _read_page(img, dpi: float, tmp: str, name: str, deadline: float) -> PageText:
    """One page image read into blocks, within ``deadline``."""
    page = scanprep.prepare(img, dpi, limits.OCR_MAX_PIXELS)
    grids = grid.find_grids(page.ink, page.dpi)
    grid.erase(page.ink, grids, page.px(ERASE_FRINGE_MM))
    lines = textlines.cut(_outside(page.ink, grids, page.px(TABLE_MARGIN_MM)), page.px(textlines.MIN_LINE_MM))

    def read(images, how, tag):
        return tesseract.read(images, tmp, f"{name}-{tag}", how, _left(deadline))
    readings = cells.read_tables(page.ink, page.dpi, grids, read)
    line_words = read([line.image for line in lines], textlines.LINE_PASS, "lines")
    out = PageText(height=page.ink.shape[0])
    out.items += _paragraphs(lines, line_words, out)
    for g, rs in zip(grids, readings):
        out.items.append(_table(g, rs, out))
    out.items.sort(key=lambda item: item[0])
    return out


def _outside(ink, grids: list[grid.Grid], margin: int):
    """A copy of the page's ink with its tables (and ``margin`` pixels around them: ruling ends left by
    a slight tilt) cleared: the text around them."""
    outside = ink.copy()
    for g in grids:
        x0, y0, x1, y1 = g.box
        outside[max(0, y0 - margin):y1 + margin + 1, max(0, x0 - margin):x1 + margin + 1] = False
    return outside


def _paragraphs(lines: list[textlines.Line], words: list[list[tesseract.Word]],
                out: PageText) -> list[tuple[int, int, Paragraph]]:
    """Text lines outside the tables, with their rows on the page; a misread section heading mended, a
    misread page number dropped."""
    items = []
    for line, line_words in zip(lines, words):
        text = lexicon.correct_heading(_join(sorted(line_words, key=lambda w: w.left))) if line_words else ""
        if not text.strip() or _page_number_like(text, line.top, line.bottom, out.height):
            continue
        out.confidences += [w.conf for w in line_words if w.conf >= 0]
        items.append((line.top, line.bottom, Paragraph(text)))
    return items


def _page_number_like(text: str, top: int, bottom: int, height: int) -> bool:
    """A short line without CJK in the top or bottom margin: a page number, however OCR read it."""
    in_margin = bottom <= MARGIN * height or top >= (1 - MARGIN) * height
    short = len(text.replace(" ", "")) <= PAGE_NUMBER_CHARS
    return in_margin and short and not any(cellread.is_cjk(ch) for ch in text)


def _join(line: list[tesseract.Word]) -> str:
    """A line's words; a wide gap (a table without rulings) becomes a tab."""
    height = sorted(w.height for w in line)[len(line) // 2] or 1
    parts, current = [], [line[0].text]
    for prev, word in zip(line, line[1:]):
        if word.left - (prev.left + prev.width) > CELL_GAP * height:
            parts.append(current)
            current = []
        current.append(word.text)
    return "\t".join(cellread.join_words(c) for c in parts + [current])


def _table(g: grid.Grid, readings: list[cellread.Reading], out: PageText) -> tuple[int, int, Table]:
    origins = g.origins()
    rows = [[readings[o].text if o >= 0 else "" for o in row] for row in origins]
    table = Table(rows=rows, origins=origins)
    flags: dict[int, list[str]] = {}
    for n, (cell, r) in enumerate(zip(g.cells, readings)):
        out.confidences += [c for c in r.confidences if c >= 0]
        if r.number and not r.trusted:
            flags.setdefault(cell.row, []).append(r.text)
    out.flags[id(table)] = flags
    return g.ys[0], g.ys[-1], table


def document(pages: list[PageText]) -> Document:
    """Blocks of all pages without running headers, tables cut by a page break joined (OCR'd tables are
    left as read); the ``ocr`` metadata when any page was OCR'd, its line indices counting every page."""
    from .pdf import drop_running, join_continued
    kept = drop_running([p.items for p in pages], [p.height for p in pages])
    flags = {k: v for p in pages for k, v in p.flags.items()}
    blocks = join_continued(kept, apart=flags.keys())
    read = [p for p in pages if p.ocr]
    if not read:
        return Document(blocks=blocks)
    low: dict[int, list[str]] = {}
    line = 0
    for block in blocks:
        for row, texts in flags.get(id(block), {}).items() if isinstance(block, Table) else ():
            low[line + row] = texts
        line += len(block.rows) if isinstance(block, Table) else 1
    confs = [c for p in read for c in p.confidences]
    ocr = {"engine": ENGINE, "pages": len(read),
           "mean_confidence": round(sum(confs) / len(confs), 1) if confs else None, "low_confidence": low}
    return Document(blocks=blocks, ocr=ocr)
