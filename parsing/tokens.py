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
    pieces = text.split()
    kinds = _piece_kinds(pieces)
    tokens: list[Token] = []
    pending: list[str] = []
    for piece, kind in zip(pieces, kinds):
        if kind == "label":
            pending.append(piece)
            continue
        if pending:
            tokens.append(Token("label", label("".join(pending)), None, n)); pending = []
        tokens.append(Token(kind, piece, parse_number(piece), n))
    if pending:
        tokens.append(Token("label", label("".join(pending)), None, n))
    return tokens


def _piece_kinds(pieces: list[str]) -> list[str]:
    """value / null / label per piece.

    A word marker ("无") is a null only next to a number or another null, or
    alone at the end after a real word: in "4. 无 正 当 理 由" it is a letter
    of a spaced-out label.
    """
    kinds = ["value" if parse_number(p) is not None else "null" if is_null_marker(p) and not p.isalpha()
             else "label" for p in pieces]
    tail = len(pieces)
    while tail > 0 and kinds[tail - 1] == "label" and is_null_marker(pieces[tail - 1]):
        tail -= 1
    if tail == 0 or len(pieces[tail - 1]) > 1:      # "行政许可 无 无 无", "无"
        kinds[tail:] = ["null"] * (len(pieces) - tail)
    for i in reversed(range(len(pieces))):
        near = [kinds[j] for j in (i - 1, i + 1) if 0 <= j < len(pieces)]
        if kinds[i] == "label" and is_null_marker(pieces[i]) and ("value" in near or "null" in near):
            kinds[i] = "null"
    return kinds
