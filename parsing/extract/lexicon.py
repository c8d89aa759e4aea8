"""The labels the national tables print, for mending what OCR made of a table cell.

Tesseract misreads a character or two of a label now and then ("逾期" as
"斋期", "（三）" as "(=)"), and the table reader matches labels exactly. A
cell's text within a few edits of exactly one official label (row, group,
column header, caption; ``schema``) is replaced by that label. Short labels
are never mended, and a text equally close to two labels is left alone.
"""

from __future__ import annotations

from functools import lru_cache

from .. import schema
from ..normalise import label

MAX_EDIT_SHARE = 0.2   # at most this share of a label's characters may differ
MIN_LENGTH = 5         # labels shorter than this (after normalising) are never mended
TABLE_WORDS = ("信息内容", "申请人情况", "法人或其他组织", "行政诉讼")


def correct(text: str) -> str:
    """``text``, or the official label it is a slightly misread copy of."""
    form = label(text)
    if len(form) < MIN_LENGTH:
        return text
    best, best_edits, tie = None, None, False
    for term, term_form in _terms():
        limit = int(MAX_EDIT_SHARE * len(term_form))
        if limit < 1 or abs(len(term_form) - len(form)) > limit:
            continue
        edits = _distance(form, term_form, limit)
        if edits is None:
            continue
        if best_edits is None or edits < best_edits:
            best, best_edits, tie = term, edits, False
        elif edits == best_edits and term_form != label(best):
            tie = True
    return best if best is not None and not tie and best_edits > 0 else text


@lru_cache(maxsize=1)
def _terms() -> tuple[tuple[str, str], ...]:
    """(official wording, its normalised form) of every label the tables print."""
    words = set(TABLE_WORDS)
    for fmt in ("2021", "2019"):
        for block in schema.proactive_blocks(fmt):
            words |= {block.caption} | {r.label for r in block.rows} | {h for _, h in block.columns}
        words |= {w for r in schema.application_rows(fmt) for w in (r.label, r.group) if w}
    words |= {h for _, h in schema.APPLICANT_COLUMNS + schema.REVIEW_BLOCKS + schema.REVIEW_COLUMNS}
    words |= {v for variants in schema.LABEL_VARIANTS.values() for v in variants}
    return tuple(sorted((w, label(w)) for w in words if len(label(w)) >= MIN_LENGTH))


def _distance(a: str, b: str, limit: int) -> int | None:
    """Levenshtein distance of ``a`` and ``b``, or None when it exceeds ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None
