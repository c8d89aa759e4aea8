"""XLSX via openpyxl: every sheet becomes one Table (merged ranges expanded), in sheet order.

Numbers keep their printed form ("3", "0.35"); formulas give their cached
value (a sheet never opened in Excel after editing has none: the cell is
blank, never 0). The zip is checked for bombs before openpyxl inflates it.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError
from . import limits

MAX_CELLS = 200_000   # a 年报 sheet has a few hundred


def extract(data: bytes, content_type: str | None = None) -> Document:
    """One Table per non-empty sheet. ParseError for a zip bomb, a corrupt or an oversized workbook."""
    import openpyxl
    limits.check_zip(data, "spreadsheet")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:   # openpyxl raises zipfile, KeyError, lxml and its own errors for bad files
        raise ParseError(f"cannot open this spreadsheet ({type(exc).__name__}); it may be corrupt or "
                         "password-protected — save it again as .xlsx") from exc
    blocks: list[Block] = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise ParseError(f"sheet {sheet.title!r} has {sheet.max_row}×{sheet.max_column} cells "
                             f"(limit {MAX_CELLS}): refused as hostile or not a report")
        table = _sheet(sheet)
        if table.rows:
            blocks.append(table)
    if not blocks:
        raise ParseError("this spreadsheet has no filled cells")
    title = (book.properties.title or "").strip() if book.properties else ""
    return Document(blocks=([Paragraph(title)] if title else []) + blocks, meta={"ArticleTitle": title} if title else {})


def _sheet(sheet) -> Table:
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in sheet.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                owner[(r, c)] = (rng.min_row, rng.min_col)
    values = {(c.row, c.column): _text(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    used = [k for k, v in values.items() if v]
    if not used:
        return Table(rows=[])
    width = max(c for _, c in used)
    rows, origins = [], []
    for r in range(1, max(r for r, _ in used) + 1):
        cells = [owner.get((r, c), (r, c)) for c in range(1, width + 1)]
        texts = [values.get(o, "") for o in cells]
        if not any(texts):
            continue
        rows.append(texts)
        origins.append([o[0] * 100_000 + o[1] for o in cells])
    return Table(rows=rows, origins=origins)


def _text(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y年%m月%d日")
    return str(value).replace("\n", "")
