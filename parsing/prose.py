"""The report's prose: numbers it quotes (DOMAIN.md §3 check 6) and its fingerprint (check 8).

Prose is every text line outside tables, wrapped lines rejoined; lines that
look like flattened table rows (three or more numbers) are left out. Both
the quoted-number patterns and the similarity threshold are data.
"""

from __future__ import annotations

import hashlib
import re

from .identify import join_wrapped
from .normalise import squash
from .tokens import Line

# name shown to the officer, pattern (group 1: the number), cell paths whose sum it must equal
QUOTED_NUMBERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("新收政府信息公开申请", r"(?:新收|收到|受理)[^。；，,:：\d]{0,16}?(?:申请|依申请公开)[^。；，,\d]{0,6}?(\d+)件",
     ("applications.new.total",)),
    ("行政复议", r"行政复议(?:案件|申请)?(?:共|为|合计)?(\d+)(?:件|起)", ("review_litigation.review.total",)),
    ("行政诉讼", r"行政诉讼(?:案件)?(?:共|为|合计)?(\d+)(?:件|起)",
     ("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total")),
    ("制发规范性文件", r"制发[^。；，,\d]{0,8}?规范性文件(?:共|为)?(\d+)(?:件|个|份)", ("proactive.normative_documents.issued",)),
    ("行政事业性收费", r"收费[^。；，,\d]{0,10}?(\d+(?:\.\d+)?)万元", ("proactive.fees.amount",)),
)
_COMPILED = [(name, re.compile(rx), paths) for name, rx, paths in QUOTED_NUMBERS]
TABLE_ROW_NUMBERS = 3     # a line with this many separate numbers is a flattened table row
MIN_SENTENCE_CHARS = 10   # shorter pieces (headings, 落款) say nothing about copying
_NUMBER_RUN = re.compile(r"\d+(?:\.\d+)?")


def prose_text(lines: list[Line]) -> str:
    """Text lines outside tables, whitespace removed, wrapped lines glued (newline between paragraphs).

    A grid row with a single filled cell holding a full sentence counts as
    prose too (spreadsheets put every paragraph in a cell).
    """
    kept = [squash(text) for text in map(_prose_cell, lines)
            if text and len(_NUMBER_RUN.findall(text)) < TABLE_ROW_NUMBERS]
    return join_wrapped([k for k in kept if k])


def _prose_cell(line: Line) -> str | None:
    if not line.tabular:
        return line.cells[0]
    filled = [c for c in line.cells if c.strip()]
    return filled[0] if line.grid and len(filled) == 1 and "。" in filled[0] else None


def quoted_numbers(text: str) -> list[tuple[str, float, tuple[str, ...]]]:
    """(name, number, cell paths) for every number the prose quotes, each distinct once."""
    found = []
    for name, rx, paths in _COMPILED:
        for m in rx.finditer(text):
            item = (name, float(m.group(1)), paths)
            if item not in found:
                found.append(item)
    return found


def sentences(text: str) -> list[str]:
    """Prose sentences with digits masked (a copied report with new numbers is still copied)."""
    pieces = re.split(r"[。！？!?；;\n]", text)
    return [_NUMBER_RUN.sub("#", p) for p in pieces if len(p) >= MIN_SENTENCE_CHARS]


def fingerprint(text: str) -> list[str]:
    """Sorted distinct 8-hex hashes of the prose sentences: stored in the report, compared next year."""
    return sorted({_hash(s) for s in sentences(text)})


def copied_share(text: str, previous: list[str]) -> float | None:
    """Share (0–1, by characters) of this prose in sentences also in the previous report; None without prose."""
    sents = sentences(text)
    total = sum(len(s) for s in sents)
    if not total:
        return None
    seen = set(previous)
    return sum(len(s) for s in sents if _hash(s) in seen) / total


def _hash(sentence: str) -> str:
    return hashlib.blake2b(sentence.encode("utf-8"), digest_size=4).hexdigest()
