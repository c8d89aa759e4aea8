"""Text normalisation (DOMAIN.md §3): NFKC, markup stripped, one bracket style.

``clean`` keeps whitespace (so numbers stay separable); ``label`` removes all
whitespace; ``key`` also drops punctuation, for matching labels.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Hashable, Iterable, TypeVar

_MARKUP = re.compile(r"\*\*|__|`|<[^>]{1,200}>")
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]",
                           "﹙": "(", "﹚": ")", "〈": "<", "〉": ">"})
_BRACKET_CHARS = re.compile("[" + re.escape("".join(map(chr, _BRACKETS))) + "]")
_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")   # "1,234,567.50" too
NULL_MARKERS = frozenset({"/", "\\", "—", "——", "-", "--", "–", "无", "空", "—-"})
_CN_NUM = "一二三四五六七八九十"
# "(七)", "一、" and the sub-item forms "1." "1、" "1)" "(1)" and a bare "1" before a CJK character
# (NFKC has already made "（1）" "(1)" and "①" "1")
_NUMBERING = re.compile(
    rf"^(?:\(([{_CN_NUM}]{{1,3}})\)|([{_CN_NUM}]{{1,3}})[、.]"
    r"|\((\d{1,2})\)|(\d{1,2})(?:[.、)](?!\d)|(?=[\u4e00-\u9fff])))")


_WIDE = re.compile("[\uff01-\uff5e\u3000]")   # fullwidth ASCII and the ideographic space
_NARROW = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFF01, 0xFF5F), 0x3000)}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on Chinese text.

    What NFKC changes in such text is nearly always fullwidth punctuation
    (，：（）) and the ideographic space; these are swapped by table first
    (each is a starter whose NFKC form is one ASCII character, so the swap
    cannot change the result), and the full normalisation runs only when
    something else still needs it.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _WIDE.sub(lambda m: _NARROW[m.group()], text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def clean(text: str) -> str:
    """NFKC, markup removed, brackets folded to ASCII; whitespace kept."""
    text = _MARKUP.sub("", nfkc(text or ""))
    # str.translate looks up every character of CJK text in the table: only pay when a bracket is there
    return text.translate(_BRACKETS) if _BRACKET_CHARS.search(text) else text


def label(text: str) -> str:
    """``clean`` without any whitespace: the form labels are compared in."""
    return _WS.sub("", clean(text))


_NOT_KEY = re.compile(r"[\W_]+")   # exactly the characters outside Unicode categories L* and N*
LABEL_MEMO = 8192   # distinct labels remembered: row labels and headings repeat across reports


@lru_cache(maxsize=LABEL_MEMO)
def key(text: str) -> str:
    """``label`` keeping only letters and digits (Unicode categories L and N: punctuation and quotes dropped)."""
    return _NOT_KEY.sub("", clean(text))


@lru_cache(maxsize=LABEL_MEMO)
def split_numbering(text: str) -> tuple[str | None, str]:
    """Split a leading item number off a label.

    Returns (numbering, rest) where numbering is ``"(七)"``, ``"一、"`` or
    ``"1."`` in canonical form, or None when the label has none.
    """
    lab = label(text)
    m = _NUMBERING.match(lab)
    if not m:
        return None, lab
    paren, cn, ar_paren, ar = m.groups()
    canon = f"({paren})" if paren else (f"{cn}、" if cn else f"{ar_paren or ar}.")
    return canon, lab[m.end():]


COUNT_UNITS = ("件", "条", "个", "项", "次", "万元")   # "3件" is 3; "元" is not stripped (it changes the unit)


def parse_number(piece: str) -> int | float | None:
    """An integer or decimal written in ``piece`` (already cleaned), maybe with a count unit, else None."""
    if piece.isdigit() and piece.isascii():   # the usual cell: "358"
        return int(piece)
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
    return _WS.sub("", nfkc(text or ""))


_WS_BUT_NEWLINE = re.compile(r"[^\S\n]+")


def squash_lines(text: str) -> list[str]:
    """``squash`` of each line of ``text`` (split on "\\n"), normalising the whole text in one call."""
    return _WS_BUT_NEWLINE.sub("", nfkc(text)).split("\n")


_CN_DIGIT = {c: n for n, chars in enumerate(("〇○零OＯ", "一", "二", "三", "四", "五", "六", "七", "八", "九")) for c in chars}
_CN_DATE = re.compile(r"([〇○零OＯ一二三四五六七八九]{4})(\s*年)"
                      r"(?:(\s*)([一二三四五六七八九十]{1,2})(\s*月)(?:(\s*)([一二三四五六七八九十]{1,3})(\s*日))?)?")


def arabic_dates(text: str) -> str:
    """"二〇二三年一月二十日" → "2023年1月20日" (formal titles and 落款 write dates so); other text as it is."""
    return _CN_DATE.sub(_arabic_date, text) if "年" in text else text


def _arabic_date(m: re.Match) -> str:
    year = "".join(str(_CN_DIGIT[c]) for c in m[1])
    if not year.startswith(("19", "20")):
        return m[0]
    month, day = _cn_number(m[4]), _cn_number(m[7])
    out = year + m[2]
    if month and 1 <= month <= 12:
        out += f"{m[3]}{month}{m[5]}"
        if day and 1 <= day <= 31:
            out += f"{m[6]}{day}{m[8]}"
        elif m[7]:
            out += f"{m[6]}{m[7]}{m[8]}"
    elif m[4]:
        out += m[0][len(m[1]) + len(m[2]):]
    return out


def _cn_number(text: str | None) -> int | None:
    """一 … 九, 十 … 三十一 as a number; None for anything else."""
    if not text:
        return None
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(units) > 1 or (tens and tens not in "一二三") or (units and units not in _CN_DIGIT):
        return None
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def edit_distance(a: str, b: str, limit: int) -> int | None:
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


T = TypeVar("T")


def nearest(form: str, candidates: Iterable[tuple[str, Hashable, T]], share: float) -> tuple[int, T] | None:
    """(edits, payload) of the candidate ``form`` is clearly a retyped or misread copy of, else None.

    ``candidates`` are (its form, what it means, payload). The nearest in edits
    wins when it is within ``share`` of its form's length (at least one edit)
    and every candidate meaning something else is at least twice as far.
    """
    best: dict[Hashable, tuple[int, int, T]] = {}   # meaning → (edits, limit, payload)
    for other, meaning, payload in candidates:
        limit = max(1, int(share * len(other)))
        if abs(len(other) - len(form)) > 2 * limit:
            continue
        edits = edit_distance(form, other, 2 * limit)
        if edits is not None and edits < best.get(meaning, (edits + 1,))[0]:
            best[meaning] = (edits, limit, payload)
    ranked = sorted(best.values(), key=lambda entry: entry[0])
    if not ranked or ranked[0][0] > ranked[0][1] or (len(ranked) > 1 and ranked[1][0] < 2 * ranked[0][0]):
        return None
    return ranked[0][0], ranked[0][2]
