"""PDF via pdfplumber: ruled tables as Table blocks, the rest as text lines."""

from __future__ import annotations

import io

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Blocks of every page in order. Raises ParseError for corrupt or encrypted files."""
    import pdfplumber
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blocks: list[Block] = []
            for page in pdf.pages:
                blocks.extend(_page_blocks(page))
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for bad files
        if b"/Encrypt" in data:
            raise ParseError("this PDF is encrypted (password-protected): ask the publisher for an "
                             "unprotected copy, or decrypt it before parsing") from exc
        raise ParseError(f"cannot read this PDF ({type(exc).__name__}: {exc}); it may be corrupt or "
                         "encrypted — download it again or ask the publisher for an unprotected copy") from exc
    if not any(isinstance(b, Table) or b.text.strip() for b in blocks):
        raise ParseError("this PDF has no text layer (a scan?): run OCR on it first")
    return Document(blocks=blocks)


def _page_blocks(page) -> list[Block]:
    tables = page.find_tables()
    if not tables:
        return _lines(page.extract_text() or "")
    blocks: list[Block] = []
    top = page.bbox[1]
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        blocks.extend(_text_between(page, top, table.bbox[1]))
        blocks.append(_table(table.extract()))
        top = max(top, table.bbox[3])
    blocks.extend(_text_between(page, top, page.bbox[3]))
    return blocks


def _text_between(page, top: float, bottom: float) -> list[Block]:
    """Text lines of the band [top, bottom] of the page (nothing when the band is empty)."""
    top, bottom = max(top, page.bbox[1]), min(bottom, page.bbox[3])
    if bottom - top < 1:
        return []
    return _lines(page.crop((page.bbox[0], top, page.bbox[2], bottom)).extract_text() or "")


def _lines(text: str) -> list[Block]:
    return [Paragraph(line) for line in text.split("\n") if line.strip()]


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
