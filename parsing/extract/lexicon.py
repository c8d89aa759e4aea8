"""The labels the national tables print, for mending what OCR made of a table cell or heading.

Tesseract misreads a character or two of a label now and then ("逾期" as
"斋期", "（三）" as "(=)", "规章" as "规童"), and the table reader and the
section finder match labels exactly. A text is replaced by the official
wording of a label (row, group, column header, caption: ``schema``; or a
section heading) when it is within ``MAX_EDIT_SHARE`` of that label's
length in edits and at most half as far from it as from any label meaning
something else — so "第二十条第（?）项" stays as read: it is equally near to
every caption.
"""

from __future__ import annotations

from functools import lru_cache

from .. import schema
from ..normalise import label, nearest

MAX_EDIT_SHARE = 0.3   # at most this share of a label's characters may differ (at least one)
TABLE_WORDS = ("信息内容", "申请人情况", "法人或其他组织", "行政诉讼")
MONEY_HEADERS = ("本年收费金额（万元）", "采购总金额（万元）", "采购总金额（元）")   # units as printed


def correct(text: str) -> str:
    """``text``, or the official label it is a misread copy of."""
    return _mend(text, _cell_terms())


def correct_heading(text: str) -> str:
    """``text``, or the official section heading ("一、总体情况") it is a misread copy of."""
    return _mend(text, _heading_terms())


def _mend(text: str, terms: tuple[tuple[str, str, str], ...]) -> str:
    form = label(text)
    found = nearest(form, ((term_form, meaning, wording) for wording, term_form, meaning in terms),
                    MAX_EDIT_SHARE) if form else None
    return found[1] if found and found[0] > 0 else text


@lru_cache(maxsize=1)
def _cell_terms() -> tuple[tuple[str, str, str], ...]:
    """(official wording, its normalised form, what it means) of every label the tables print."""
    words: dict[str, str] = {w: w for w in TABLE_WORDS + MONEY_HEADERS}
    for fmt in ("2021", "2019"):
        for block in schema.proactive_blocks(fmt):
            words |= {block.caption: block.caption} | {h: h for _, h in block.columns}
            words |= {r.label: r.key for r in block.rows}
        for r in schema.application_rows(fmt):
            words |= {r.label: r.key} | ({r.group: r.group} if r.group else {})
    words |= {h: h for _, h in schema.APPLICANT_COLUMNS + schema.REVIEW_BLOCKS + schema.REVIEW_COLUMNS}
    words |= {v: key for key, variants in schema.LABEL_VARIANTS.items() for v in variants}
    return tuple(sorted((w, label(w), meaning) for w, meaning in words.items()))


@lru_cache(maxsize=1)
def _heading_terms() -> tuple[tuple[str, str, str], ...]:
    headings = [f"{numeral}、{heading}" for _, numeral, heading in schema.SECTIONS]
    return tuple((h, label(h), h) for h in headings)

