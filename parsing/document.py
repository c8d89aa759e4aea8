"""The intermediate every extractor produces: blocks in document order.

A ``Paragraph`` is one text line (tabs, when present, separate cells of a
table that lost its structure, as in text extracted from a PDF or Word file).
A ``Table`` is a grid of cell strings with row/col spans already expanded;
``origins`` gives, per grid position, the id of the source cell, so a reader
can tell a spanned copy from a real cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    rows: list[list[str]]
    origins: list[list[int]] | None = None   # None: every position is its own cell

    @classmethod
    def from_positions(cls, positions: list[list[tuple[str, int] | None]]) -> Table:
        """A table from each row's grid positions: (text, serial of the cell covering it) or None.

        Rows are padded to one width; a position no cell covers is ``""`` with
        origin ``-1 - column`` (never a cell's serial, and never the same as
        another column's gap).
        """
        width = max(map(len, positions), default=0)
        rows, origins = [], []
        for line in positions:
            line = line + [None] * (width - len(line))
            rows.append([e[0] if e else "" for e in line])
            origins.append([e[1] if e else -1 - c for c, e in enumerate(line)])
        return cls(rows=rows, origins=origins)


Block = Paragraph | Table


@dataclass
class Document:
    """Blocks plus page metadata.

    ``meta`` keys: HTML meta names as written (``PubDate``, ``ArticleTitle``,
    ``SiteName``, ``ColumnName`` …), ``title`` (the <title>), ``page_date``
    (a 发布日期/发布时间 found on the page, ISO ``YYYY-MM-DD``) and ``page_agency``
    (发布机构), each present only when found.
    """

    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    ocr: dict | None = None   # set when the text was read by OCR (extract/ocr.py states the keys)

    def text_lines(self) -> list[str]:
        """All text, one string per paragraph line or table row (cells joined by tabs)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                out.extend("\t".join(row) for row in block.rows)
        return out
