"""Turn a Document into lines and tokens the structure and table readers walk.

A *line* is a paragraph line or a table row, as cells. A *token* is a label
(text), a value (a number) or a null (a cell written "/", "—", "无", or an
empty cell of a real table: ``weak`` nulls, which readers may trim). Text
cells are split on whitespace so "1.属于国家秘密 0 0 0" (PDF text) yields a
label and three values, while "(三) 不 予 公 开" stays one label.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Document, Paragraph
from .normalise import clean, is_null_marker, label, parse_number


@dataclass(frozen=True)
class Line:
    cells: tuple[str, ...]
    tabular: bool       # a table row, or a text line with tab-separated cells
    grid: bool = False  # from a real Table block (empty cells there are nulls)


@dataclass(frozen=True)
class Token:
    kind: str           # "label" | "value" | "null"
    text: str           # label: whitespace-free cleaned text; value: as printed
    value: int | float | None
    line: int           # index into the line list
    weak: bool = False  # null made from an empty table cell


def lines_of(doc: Document) -> list[Line]:
    """One Line per paragraph and per table row; spanned copies of a cell are dropped."""
    out: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            cells = tuple(block.text.split("\t"))
            out.append(Line(cells, tabular=len(cells) > 1))
            continue
        seen: set[int] = set()
        for r, row in enumerate(block.rows):
            origins = block.origins[r] if block.origins else range(-len(row) * (r + 1), -len(row) * r)
            cells = []
            for text, origin in zip(row, origins):
                if origin in seen:
                    continue
                seen.add(origin)
                cells.append(text)
            out.append(Line(tuple(cells), tabular=True, grid=True))
    return out


def tokens_of(lines: list[Line]) -> list[Token]:
    """All tokens of all lines, in order."""
    out: list[Token] = []
    for n, line in enumerate(lines):
        for cell in line.cells:
            out.extend(_cell_tokens(cell, n, table_cell=line.grid))
    return out


def _cell_tokens(cell: str, n: int, *, table_cell: bool) -> list[Token]:
    text = clean(cell).strip()
    if not text:
        return [Token("null", "", None, n, weak=True)] if table_cell else []
    tokens: list[Token] = []
    pending: list[str] = []
    for piece in text.split():
        number = parse_number(piece)
        if number is None and not is_null_marker(piece):
            pending.append(piece)
            continue
        if pending:
            tokens.append(Token("label", label("".join(pending)), None, n)); pending = []
        tokens.append(Token("value", piece, number, n) if number is not None else Token("null", piece, None, n))
    if pending:
        tokens.append(Token("label", label("".join(pending)), None, n))
    return tokens
