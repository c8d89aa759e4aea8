"""Turn a Document into lines and tokens the structure and table readers walk.

A *line* is a paragraph line or a table row, as cells. A *token* is a label
(text), a value (a number) or a null (a cell written "/", "—", "无", or an
empty cell of a real table: ``weak`` nulls, which readers may trim). Text
cells are split on whitespace so "1.属于国家秘密 0 0 0" (PDF text) yields a
label and three values, while "(三) 不 予 公 开" stays one label.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from .document import Document, Paragraph
from .normalise import clean, is_null_marker, label, parse_number, split_numbering


class Line(NamedTuple):   # NamedTuple, not a frozen dataclass: built for every line, ~3× cheaper
    cells: tuple[str, ...]
    tabular: bool       # a table row, or a text line with tab-separated cells
    grid: bool = False  # from a real Table block (empty cells there are nulls)


class Token(NamedTuple):   # built for every token of every report: see Line
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
            for kind, text, value, weak in _cell_parts(cell, line.grid):
                out.append(Token(kind, text, value, n, weak))
    return out


CELL_MEMO = 8192   # distinct cells remembered: labels and small numbers repeat across reports


@lru_cache(maxsize=CELL_MEMO)
def _cell_parts(cell: str, table_cell: bool) -> tuple[tuple[str, str, int | float | None, bool], ...]:
    """(kind, text, value, weak) of each token of ``cell``: a pure function of its text."""
    text = clean(cell).strip()
    if not text:
        return (("null", "", None, True),) if table_cell else ()
    if text.isdigit() and text.isascii():   # the usual number cell
        return (("value", text, int(text), False),)
    pieces = text.split()
    values = [parse_number(p) for p in pieces]
    parts: list[tuple[str, str, int | float | None, bool]] = []
    pending: list[str] = []
    for piece, kind, value in zip(pieces, _piece_kinds(pieces, values), values):
        if kind == "label":
            pending.append(piece)
            continue
        if pending:
            parts.append(("label", label("".join(pending)), None, False)); pending = []
        parts.append((kind, piece, value, False))
    if pending:
        parts.append(("label", label("".join(pending)), None, False))
    return tuple(parts)


def _piece_kinds(pieces: list[str], values: list[int | float | None]) -> list[str]:
    """value / null / label per piece (``values``: each piece's ``parse_number``).

    A word marker ("无") is a null only next to a number or another null, or
    alone at the end after a real word: in "4. 无 正 当 理 由" it is a letter
    of a spaced-out label.
    """
    kinds = ["value" if v is not None else "null" if is_null_marker(p) and not p.isalpha()
             else "label" for p, v in zip(pieces, values)]
    if (item := _item_number(pieces, kinds)) is not None:   # before "无" looks at its neighbours
        kinds[item] = "label"
    tail = len(pieces)
    while tail > 0 and kinds[tail - 1] == "label" and is_null_marker(pieces[tail - 1]):
        tail -= 1
    if tail == 0 or kinds[tail - 1] != "label" or len(pieces[tail - 1]) > 1:   # "行政许可 无 无", "无", "3 无 无"
        kinds[tail:] = ["null"] * (len(pieces) - tail)
    for i in reversed(range(len(pieces))):
        near = [kinds[j] for j in (i - 1, i + 1) if 0 <= j < len(pieces)]
        if kinds[i] == "label" and is_null_marker(pieces[i]) and ("value" in near or "null" in near):
            kinds[i] = "null"
    return kinds


_ITEM_NUMBER = re.compile(r"[1-9]")          # sub-items run 1. to 8.
_ITEM_PUNCT = ".、)"
_CJK_START = re.compile(r"[\u4e00-\u9fff]")


def _item_number(pieces: list[str], kinds: list[str]) -> int | None:
    """Index of the sub-item number a cell opens with, set apart from its label: "1 属于国家秘密",
    "1 .属于国家秘密", "( 1 ) 属于国家秘密" ("①" is "1" after NFKC). None when there is none, or
    when the label carries its own numbering ("5 二、上年结转…": a value wrapped onto the next
    row's line keeps its place)."""
    at = 1 if pieces[0] == "(" else 0
    if len(pieces) < at + 2 or kinds[at] != "value" or not _ITEM_NUMBER.fullmatch(pieces[at]):
        return None
    words = list(itertools.takewhile(lambda k: kinds[k] == "label", range(at + 1, len(pieces))))
    if all(is_null_marker(pieces[k]) for k in words):   # "3 无 无": a value and blanks
        return None
    rest = "".join(pieces[k] for k in words).lstrip(_ITEM_PUNCT)   # "4 无 正 当 理 由…" is one label
    return at if _CJK_START.match(rest) and split_numbering(rest)[0] is None else None
