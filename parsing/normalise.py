"""Text normalisation (DOMAIN.md §3): NFKC, markup stripped, one bracket style.

``clean`` keeps whitespace (so numbers stay separable); ``label`` removes all
whitespace; ``key`` also drops punctuation, for matching labels.
"""

from __future__ import annotations

import re
import unicodedata

_MARKUP = re.compile(r"\*\*|__|`|<[^>]{1,200}>")
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]",
                           "﹙": "(", "﹚": ")", "〈": "<", "〉": ">"})
_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?|[+-]?\d{1,3}(?:,\d{3})+")
NULL_MARKERS = frozenset({"/", "\\", "—", "——", "-", "--", "–", "无", "空", "—-"})
_CN_NUM = "一二三四五六七八九十"
_NUMBERING = re.compile(
    rf"^(?:\(([{_CN_NUM}]{{1,3}})\)|([{_CN_NUM}]{{1,3}})[、.]|(\d{{1,2}})(?:[.、](?!\d)))")


def clean(text: str) -> str:
    """NFKC, markup removed, brackets folded to ASCII; whitespace kept."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _MARKUP.sub("", text)
    return text.translate(_BRACKETS)


def label(text: str) -> str:
    """``clean`` without any whitespace: the form labels are compared in."""
    return _WS.sub("", clean(text))


def key(text: str) -> str:
    """``label`` keeping only letters and digits (punctuation and quotes dropped)."""
    return "".join(c for c in label(text) if unicodedata.category(c)[0] in "LN")


def split_numbering(text: str) -> tuple[str | None, str]:
    """Split a leading item number off a label.

    Returns (numbering, rest) where numbering is ``"(七)"``, ``"一、"`` or
    ``"1."`` in canonical form, or None when the label has none.
    """
    lab = label(text)
    m = _NUMBERING.match(lab)
    if not m:
        return None, lab
    paren, cn, ar = m.groups()
    canon = f"({paren})" if paren else (f"{cn}、" if cn else f"{ar}.")
    return canon, lab[m.end():]


COUNT_UNITS = ("件", "条", "个", "项", "次", "万元")   # "3件" is 3; "元" is not stripped (it changes the unit)


def parse_number(piece: str) -> int | float | None:
    """An integer or decimal written in ``piece`` (already cleaned), maybe with a count unit, else None."""
    piece = piece.strip()
    for unit in COUNT_UNITS:
        if piece.endswith(unit) and piece[:-len(unit)][-1:].isdigit():
            piece = piece[:-len(unit)]
            break
    if not _NUMBER.fullmatch(piece):
        return None
    piece = piece.replace(",", "").lstrip("+")
    return float(piece) if "." in piece else int(piece)


def is_null_marker(piece: str) -> bool:
    """True for a cell written as blank-equivalent: "/", "—", "-", "无"."""
    return piece.strip() in NULL_MARKERS


def squash(text: str) -> str:
    """Whitespace removed, NFKC applied; used for titles and sentences."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))
