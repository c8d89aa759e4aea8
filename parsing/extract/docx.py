"""DOCX via python-docx: paragraphs and real tables (merged cells expanded) in order."""

from __future__ import annotations

import io

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError
from . import limits


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Body paragraphs and tables in document order. Raises ParseError for a bad file or a zip bomb."""
    import docx
    limits.check_zip(data, "Word file")
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile/lxml/KeyError for bad packages
        raise ParseError(f"cannot open this Word file ({type(exc).__name__}); it may be corrupt or "
                         "an old .doc renamed to .docx — save it as .docx again") from exc
    blocks: list[Block] = []
    for item in doc.iter_inner_content():
        if isinstance(item, docx.table.Table):
            blocks.append(_table(item))
        else:
            blocks.extend(Paragraph(line) for line in item.text.split("\n") if line.strip())
    return Document(blocks=blocks, meta=_core(doc))


def _table(table) -> Table:
    grid, origins = [], []
    serials: dict = {}   # <w:tc> element → serial; holding the elements keeps the mapping stable
    for row in table.rows:
        cells = row.cells   # repeats the same cell for gridSpan and vMerge continuations
        grid.append([c.text.replace("\n", "") for c in cells])
        origins.append([serials.setdefault(c._tc, len(serials)) for c in cells])
    return Table(rows=grid, origins=origins)


def _core(doc) -> dict[str, str]:
    title = (doc.core_properties.title or "").strip()
    return {"ArticleTitle": title} if title else {}
