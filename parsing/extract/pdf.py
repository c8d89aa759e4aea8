"""PDF via pdfplumber: ruled tables as Table blocks, the rest as text lines; scanned pages go to OCR.

Per page: tables (cell geometry) and the text lines outside them, by
position. Across pages: running headers/footers (page numbers, or a line
repeated in the top/bottom margin of several pages, digits ignored) are
dropped, and a table cut by a page break is joined to its continuation (same
column count; a repeated header row is dropped). A page without a usable
text layer (``needs_ocr``: none, or mostly glyphs that do not decode) is
OCR'd (extract/ocr.py) within its limits, and takes its place among the others.
When the six section headings are found but no table, the large pictures on
the text pages are OCR'd too, each read placed where the picture is.
"""

from __future__ import annotations

import bisect
import io
import re
from collections import Counter

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError
from . import ocr

MAX_PAGES = 300            # a 年报 has 3–20 pages
MAX_CHARS_PER_PAGE = 60_000
MARGIN = 0.08              # top and bottom share of the page where running headers live
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?\s*(?:[/／]\s*\d{1,3}|共\s*\d{1,3}\s*页)?[-—–－\s]*$")
GARBAGE_SHARE = 0.3        # a page whose glyphs are this share garbage is OCR'd; Chinese prose and tables: ~0
SCAN_COVER = 0.6           # an image covering this share of the page makes it a scanned page
PICTURE_SHARE = 0.05       # an image this share of a text page may be a table pasted as a picture (a seal: ~3%)
_Item = tuple  # (top, bottom, Block)
_CID = re.compile(r"\(cid:\d+\)")
_SPACE = re.compile(r"\s+")
_UNDECODED = "\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff"
_MOJIBAKE = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"     # accented Latin letters, × and ÷ aside
_GARBAGE = re.compile(f"[{_UNDECODED}{_MOJIBAKE}]")
_SCANNED_GARBAGE = re.compile(f"[{_UNDECODED}{_MOJIBAKE}A-Za-z]")


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Blocks of every page in order. ParseError for corrupt, encrypted or oversized files, and when
    the pages to OCR exceed its limits."""
    sizes, pages, pictures = _text_layer(data)
    until = ocr.document_deadline()
    scanned = [(n, (0.0, 0.0, w, h)) for n, ((w, h), items) in enumerate(zip(sizes, pages)) if items is None]
    read = list(zip(scanned, ocr.read_pdf(data, scanned, until))) if scanned else []
    doc = _assemble(pages, read, sizes)
    if pictures and _tables_pictured(doc):
        doc = _assemble(pages, read + list(zip(pictures, ocr.read_pdf(data, pictures, until))), sizes)
    return doc


def _text_layer(data: bytes) -> tuple[list[tuple[float, float]], list[list[_Item] | None], list]:
    """Each page's size (points); its items, None for a page to OCR; (page number, box) of the large
    pictures on the other pages."""
    import pdfplumber
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ParseError(f"this PDF has {len(pdf.pages)} pages (limit {MAX_PAGES}): not a 年报, or hostile")
            sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
            pages = [None if needs_ocr(page) else _page_items(page) for page in pdf.pages]
            pictures = [(n, box) for n, page in enumerate(pdf.pages) if pages[n] is not None for box in _pictures(page)]
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for bad files
        if b"/Encrypt" in data:
            raise ParseError("this PDF is encrypted (password-protected): ask the publisher for an "
                             "unprotected copy, or decrypt it before parsing") from exc
        raise ParseError(f"cannot read this PDF ({type(exc).__name__}: {exc}); it may be corrupt or "
                         "encrypted — download it again or ask the publisher for an unprotected copy") from exc
    return sizes, pages, pictures


def _assemble(pages: list[list[_Item] | None], read: list, sizes: list[tuple[float, float]]) -> Document:
    """The document of the text-layer items of each page and the OCR'd regions ``read``
    (((page number, box), PageText) pairs), each page's blocks in order from the top."""
    texts = [ocr.PageText(list(items or []), height=h, ocr=False) for items, (_, h) in zip(pages, sizes)]
    for (n, _), region in read:
        page = texts[n]
        page.items = sorted(page.items + region.items, key=lambda item: item[0])
        page.flags.update(region.flags)
        page.confidences += region.confidences
        page.ocr = True
    return ocr.document(texts)


def _pictures(page) -> list[ocr.Box]:
    """The boxes of the images covering at least PICTURE_SHARE of the page (clipped to the page):
    tables pasted as pictures, perhaps."""
    w, h = float(page.width), float(page.height)
    boxes = [(max(im["x0"], 0.0), max(im["top"], 0.0), min(im["x1"], w), min(im["bottom"], h)) for im in page.images]
    return [b for b in boxes if (b[2] - b[0]) * (b[3] - b[1]) >= PICTURE_SHARE * w * h]


def _tables_pictured(doc: Document) -> bool:
    """The report's six section headings are there but none of its tables: they may be pictures."""
    from ..schema import SECTIONS
    from ..structure import find_sections
    from ..tokens import lines_of
    return (not any(isinstance(b, Table) for b in doc.blocks)
            and len(find_sections(lines_of(doc))) == len(SECTIONS))


def needs_ocr(page) -> bool:
    """The one place deciding that a page's text must come from its picture: it has ink (images or
    curves: text drawn as outlines) but no text, or its text is mostly ``garbage_share`` glyphs."""
    text = "".join(ch["text"] for ch in page.chars)
    if not text.strip():
        return bool(page.images or page.curves)
    return garbage_share(text, scanned=_covered_by_image(page)) >= GARBAGE_SHARE


def garbage_share(text: str, scanned: bool = False) -> float:
    """The share of ``text``'s glyphs (whitespace aside) that are no Chinese report's text: "(cid:N)"
    (a font without a ToUnicode map), private-use, replacement and control characters, accented Latin
    (GBK bytes read as Latin-1) and, on a page that is a scanned picture (``scanned``), any Latin letter:
    an invisible OCR layer read in a Western language."""
    glyphs = _SPACE.sub("", _CID.sub("\ufffd", text))
    bad = len((_SCANNED_GARBAGE if scanned else _GARBAGE).findall(glyphs))
    return bad / len(glyphs) if glyphs else 0.0


def _covered_by_image(page) -> bool:
    area = float(page.width) * float(page.height)
    return any((im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) >= SCAN_COVER * area for im in page.images)


def _page_items(page) -> list[_Item]:
    if len(page.chars) > MAX_CHARS_PER_PAGE:
        raise ParseError(f"a page of this PDF holds {len(page.chars)} characters (limit {MAX_CHARS_PER_PAGE}): hostile")
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, b) for b in boxes))
    items: list[_Item] = [(line["top"], line["bottom"], Paragraph(line["text"]))
                          for line in outside.extract_text_lines() if line["text"].strip()]
    items += [(t.bbox[1], t.bbox[3], _table(cell_texts(t, page.chars))) for t in tables]
    return sorted(items, key=lambda item: item[0])


def cell_texts(table, chars: list[dict]) -> list[list[str | None]]:
    """Each cell's text, like pdfplumber's ``Table.extract`` (None where a merged cell extends) but
    one pass over the characters instead of one per cell: a character belongs to the cell holding its
    centre, looked up in its row or, for a vertically merged cell, the rows above."""
    rows = [row.cells for row in table.rows]
    tops = [row.bbox[1] for row in table.rows]
    found: dict[tuple[int, int], list[dict]] = {}
    x0, top, x1, bottom = table.bbox
    for ch in chars:
        x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        if x0 <= x <= x1 and top <= y <= bottom:
            key = _cell_of(rows, bisect.bisect_right(tops, y) - 1, x, y)
            if key:
                found.setdefault(key, []).append(ch)
    return [[None if cell is None else _text(found.get((r, c), [])) for c, cell in enumerate(row)]
            for r, row in enumerate(rows)]


def _cell_of(rows, r: int, x: float, y: float) -> tuple[int, int] | None:
    for i in range(min(r, len(rows) - 1), -1, -1):
        for c, cell in enumerate(rows[i]):
            if cell and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                return i, c
    return None


def _text(chars: list[dict]) -> str:
    """Characters in reading order: lines by baseline (within half a character), left to right."""
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= (ch["bottom"] - ch["top"]) / 2:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return "".join("".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])) for line in lines)


def _inside(obj, box) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_running(pages: list[list[_Item]], heights: list[float]) -> list[list[Block]]:
    """Blocks per page without running headers/footers: page numbers, or margin lines repeated on 2+ pages."""
    def in_margin(item, height):
        return isinstance(item[2], Paragraph) and (item[1] <= MARGIN * height or item[0] >= (1 - MARGIN) * height)
    repeated = Counter(_mask(it[2].text) for items, h in zip(pages, heights) for it in
                       {_mask(i[2].text): i for i in items if in_margin(i, h)}.values())
    out = []
    for items, height in zip(pages, heights):
        out.append([it[2] for it in items if not (in_margin(it, height) and (
            _PAGE_NUMBER.match(it[2].text) or (len(pages) > 1 and repeated[_mask(it[2].text)] >= 2)))])
    return out


def join_continued(pages: list[list[Block]], apart=frozenset()) -> list[Block]:
    """Blocks in order; a table ending one page and one starting the next with the same width are one
    table, unless either one's ``id`` is in ``apart``."""
    blocks: list[Block] = []
    for items in pages:
        for n, block in enumerate(items):
            prev = blocks[-1] if blocks else None
            if (n == 0 and isinstance(block, Table) and isinstance(prev, Table) and _width(prev) == _width(block)
                    and id(prev) not in apart and id(block) not in apart):
                blocks[-1] = _concat(prev, block)
            else:
                blocks.append(block)
    return blocks


def _width(table: Table) -> int:
    return max((len(r) for r in table.rows), default=0)


def _concat(first: Table, more: Table) -> Table:
    rows, origins = list(more.rows), list(more.origins or [])
    if rows and rows[0] == first.rows[0] and any(c.strip() for c in rows[0]):   # header repeated on the new page
        rows, origins = rows[1:], origins[1:]
    offset = 1 + max((o for row in first.origins or [] for o in row), default=0)
    return Table(rows=first.rows + rows, origins=(first.origins or []) + [[o + offset for o in r] for r in origins])


def _table(rows: list[list[str | None]]) -> Table:
    """pdfplumber gives None for positions covered by a merged cell: copy the cell it extends."""
    grid, origins, serial = [], [], 0
    for r, row in enumerate(rows):
        cells, ids = [], []
        for c, cell in enumerate(row):
            if cell is None and c > 0:
                cells.append(cells[-1]); ids.append(ids[-1])
            elif cell is None and r > 0 and c < len(grid[-1]):
                cells.append(grid[-1][c]); ids.append(origins[-1][c])
            else:
                serial += 1
                cells.append((cell or "").replace("\n", "")); ids.append(serial)
        grid.append(cells); origins.append(ids)
    return Table(rows=grid, origins=origins)
