"""Word's automatic list numbers: the "一、", "（一）" or "1." Word shows before a numbered paragraph.

A numbered paragraph (``w:numPr`` in its properties or its paragraph style)
shows a number held in no ``w:t``: the numbering part defines it. ``w:num``
points to an ``w:abstractNum`` (maybe through a numbering style's
``w:numStyleLink``), whose ``w:lvl`` gives each level's start, format and
text ("%1、", "（%1）", "%1.%2"); a list may redefine a level in its
``w:lvlOverride``. Counters belong to (abstract list, level) and advance in
document order, so lists sharing an abstract list continue each other; a
``w:startOverride`` restarts its level the first time its list is used there.
A level restarts after a higher level is used (``w:lvlRestart`` may say
which, or never).

The number is returned without the tab or space Word puts after it: a tab
would read as a cell boundary, and "一、" or "（一）" ends in its own punctuation.
Anything missing, dangling or absurd (a start outside 0..MAX_NUMBER) shows no
number: the paragraph keeps its own text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
VAL = W + "val"

MAX_NUMBER = 32767   # Word's largest start value; beyond it a file is damaged or hostile
MAX_LINKS = 4        # numStyleLink hops followed (a link points to a style whose list holds the levels)
NO_LEVEL = 9         # levels are 0–8: a malformed ilvl names none
LINK = -1            # the level under which an abstract list that only links to a numbering style keeps it
_PLACEHOLDER = re.compile(r"%([1-9])")


class Level(NamedTuple):
    start: int | None   # None: absent from the file's range, the level shows no number
    format: str         # w:numFmt, e.g. "decimal", "chineseCounting", "bullet"
    text: str           # w:lvlText, e.g. "（%1）"
    restart: int        # the level restarts when a level with a smaller index is used
    legal: bool         # w:isLgl: every level's number in decimal
    style: str | None   # w:pStyle: the paragraph style that selects this level


class ListDef(NamedTuple):   # a w:num
    abstract: str | None          # its w:abstractNumId
    starts: dict[int, int | None]  # level → w:startOverride (None: absurd)
    levels: dict[int, Level]       # level → its redefinition in a w:lvlOverride


class ListNumbers:
    """The numbers of a document's numbered paragraphs, counted in the order they are asked for.

    ``numbering`` and ``styles`` are the root elements of the numbering and
    styles parts, or None when the package has none. Both are read on first need.
    """

    def __init__(self, numbering, styles) -> None:
        self._numbering, self._styles_root = numbering, styles
        self._lists: dict[str, ListDef] | None = None
        self._levels: dict[str | None, dict[int, Level]] = {}
        self._styles: dict[str, tuple[str | None, int | None, str | None]] | None = None
        self._style_numbers: dict[str | None, tuple[str | None, int | None]] = {}
        self._counters: dict[tuple[str | None, int], int] = {}
        self._overridden: set[tuple[str, int]] = set()

    def __call__(self, p) -> str:
        """The number Word shows before paragraph ``p`` ("" when none); advances the counters."""
        found = self._reference(p)
        if found is None:
            return ""
        num_id, ilvl, style = found
        if self._lists is None:
            self._lists, self._levels = _definitions(self._numbering)
        if num_id not in self._lists:
            return ""
        abstract = self._abstract(num_id)
        levels = {**self._levels.get(abstract, {}), **self._lists[num_id].levels}
        if ilvl is None:
            ilvl = next((n for n, lvl in levels.items() if style and lvl.style == style), 0)
        level = levels.get(ilvl)
        if level is None or level.start is None:
            return ""
        value = self._advance(num_id, abstract, ilvl, levels)
        if value is None:
            return ""
        values = {n: self._counters.get((abstract, n), lvl.start) for n, lvl in levels.items()}
        return _fill(levels, ilvl, values)

    def _reference(self, p) -> tuple[str, int | None, str | None] | None:
        """(numId, ilvl or None, style id) of a numbered paragraph: its own ``w:numPr``, completed
        by its paragraph style's; None when it has no numbering (numId 0 switches a style's off)."""
        ppr = p.find(W + "pPr")
        if ppr is None:
            num_id = ilvl = style = None
        else:
            num_id, ilvl = _num_pr(ppr.find(W + "numPr"))
            style = _value(ppr, "pStyle")
        style = style or self._style_table().get("", (None, None, None))[2]
        if num_id is None or ilvl is None:
            style_num, style_ilvl = self._style_numbering(style)
            num_id, ilvl = num_id or style_num, ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0":
            return None
        return num_id, ilvl, style

    def _style_table(self) -> dict[str, tuple[str | None, int | None, str | None]]:
        """Style id → (numId, ilvl, basedOn) of paragraph and numbering styles; "" → (…, the default
        paragraph style's id)."""
        if self._styles is None:
            self._styles = {}
            for style in self._styles_root if self._styles_root is not None else ():
                kind = style.get(W + "type")
                if style.tag != W + "style" or kind not in ("paragraph", "numbering"):
                    continue
                sid = style.get(W + "styleId") or ""
                num_id, ilvl = _num_pr(style.find(f"{W}pPr/{W}numPr"))
                self._styles[sid] = (num_id, ilvl, _value(style, "basedOn"))
                if kind == "paragraph" and style.get(W + "default") in ("1", "true", "on"):
                    self._styles[""] = (None, None, sid)
        return self._styles

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) a paragraph style gives, through its basedOn chain (a cycle ends it)."""
        if style not in self._style_numbers:
            table, seen, current = self._style_table(), set(), style
            num_id = ilvl = None
            while current and current in table and current not in seen:
                seen.add(current)
                style_num, style_ilvl, current = table[current]
                num_id, ilvl = num_id or style_num, ilvl if ilvl is not None else style_ilvl
            self._style_numbers[style] = (num_id, ilvl)
        return self._style_numbers[style]

    def _abstract(self, num_id: str) -> str | None:
        """The abstract list holding the levels of list ``num_id``, through numbering-style links."""
        lists = self._lists or {}
        abstract = lists[num_id].abstract
        for _ in range(MAX_LINKS):
            link = self._levels.get(abstract, {}).get(LINK)
            if link is None:
                return abstract
            linked = lists.get(self._style_table().get(link.text, (None, None, None))[0] or "")
            abstract = linked.abstract if linked else None
        return None

    def _advance(self, num_id: str, abstract: str | None, ilvl: int, levels: dict[int, Level]) -> int | None:
        """Count one more paragraph at ``ilvl`` and restart the levels below it. None: the count is absurd."""
        overrides = (self._lists or {})[num_id].starts
        if ilvl in overrides and (num_id, ilvl) not in self._overridden:
            self._overridden.add((num_id, ilvl))
            value = overrides[ilvl]
        else:
            last = self._counters.get((abstract, ilvl))
            value = levels[ilvl].start if last is None else last + 1
        if value is None or value > MAX_NUMBER:
            return None
        self._counters[(abstract, ilvl)] = value
        for deeper, other in levels.items():
            if deeper > ilvl and ilvl < other.restart:
                self._counters.pop((abstract, deeper), None)
        return value


def _value(element, child: str) -> str | None:
    """The ``w:val`` of ``element``'s child ``w:<child>``; None when absent."""
    found = element.find(W + child)
    return found.get(VAL) if found is not None else None


def _num_pr(num_pr) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a ``w:numPr``, None where absent; a malformed ilvl is NO_LEVEL."""
    if num_pr is None:
        return None, None
    ilvl = _value(num_pr, "ilvl")
    return _value(num_pr, "numId"), None if ilvl is None else _whole(ilvl, NO_LEVEL)


def _definitions(numbering) -> tuple[dict[str, ListDef], dict[str | None, dict[int, Level]]]:
    """(numId → ListDef, abstractNumId → level → Level) of a numbering part. An abstract list
    with a ``w:numStyleLink`` holds only level LINK, its text the style id."""
    lists: dict[str, ListDef] = {}
    abstracts: dict[str | None, dict[int, Level]] = {}
    for child in numbering if numbering is not None else ():
        if child.tag == W + "abstractNum":
            abstracts[child.get(W + "abstractNumId") or ""] = _levels(child)
        elif child.tag == W + "num":
            listed = lists[child.get(W + "numId") or ""] = ListDef(_value(child, "abstractNumId"), {}, {})
            for override in child.iterfind(W + "lvlOverride"):
                n, start, lvl = (_whole(override.get(W + "ilvl"), NO_LEVEL), override.find(W + "startOverride"),
                                 override.find(W + "lvl"))
                if n < NO_LEVEL and start is not None:
                    listed.starts[n] = _start(start)
                if n < NO_LEVEL and lvl is not None:
                    listed.levels[n] = _level(lvl, n)
    return lists, abstracts


def _levels(abstract) -> dict[int, Level]:
    """Level index → Level of a ``w:abstractNum``; ill-numbered levels are left out."""
    link = abstract.find(W + "numStyleLink")
    if link is not None:
        return {LINK: Level(None, "", link.get(VAL) or "", 0, False, None)}
    levels = {}
    for lvl in abstract.iterfind(W + "lvl"):
        n = _whole(lvl.get(W + "ilvl"), NO_LEVEL)
        if n is not None and n < NO_LEVEL:
            levels[n] = _level(lvl, n)
    return levels


def switched_on(element, path: str) -> bool:
    """Whether the on/off property at ``path`` under ``element`` is there and not turned off
    (``w:val`` "0", "false" or "off"; absent means on)."""
    prop = element.find(path)
    return prop is not None and prop.get(VAL, "true") not in ("0", "false", "off")


def _level(lvl, n: int) -> Level:
    """The Level a ``w:lvl`` defines for level ``n``; a hidden number (``w:rPr/w:vanish``) has no text."""
    fmt = lvl.find(W + "numFmt")
    if fmt is None:   # Word 2010+ puts a custom format in mc:AlternateContent, a plain one in its fallback
        fmt = lvl.find(f"{MC}AlternateContent/{MC}Fallback/{W}numFmt")
    after = _whole(_value(lvl, "lvlRestart"), n)
    return Level(
        start=_start(lvl.find(W + "start")),
        format=fmt.get(VAL, "decimal") if fmt is not None else "decimal",
        text="" if switched_on(lvl, f"{W}rPr/{W}vanish") else _value(lvl, "lvlText") or "",
        restart=after if after is not None and after <= n else n,
        legal=lvl.find(W + "isLgl") is not None,
        style=_value(lvl, "pStyle"))


def _start(element) -> int | None:
    """A start value: 0 when absent (as the standard says), None outside 0..MAX_NUMBER."""
    return 0 if element is None else _whole(element.get(VAL), None)


def _whole(text: str | None, otherwise: int | None) -> int | None:
    """``text`` as a whole number in 0..MAX_NUMBER, else ``otherwise``."""
    if text and text.isascii() and text.isdigit() and len(text) <= 5 and int(text) <= MAX_NUMBER:
        return int(text)
    return otherwise


def _fill(levels: dict[int, Level], ilvl: int, values: dict[int, int | None]) -> str:
    """Level ``ilvl``'s text with each %N replaced by level N-1's value in that level's format
    (all decimal under w:isLgl); "" for a bullet, or a placeholder of a level the list lacks."""
    level = levels[ilvl]
    if level.format == "bullet":
        return ""
    pieces = []
    for n, piece in enumerate(_PLACEHOLDER.split(level.text)):
        if n % 2 == 0:
            pieces.append(piece)
            continue
        shown = int(piece) - 1
        if values.get(shown) is None:
            return ""
        fmt = "decimal" if level.legal else levels[shown].format
        pieces.append(format_number(values[shown], fmt))
    return "".join(pieces)


# ----- number formats (w:numFmt) -----

def _enclosed(first: int) -> str:
    return "".join(chr(first + n) for n in range(20))


_SERIES = {   # formats that name their first values one character each; later values are decimal
    "ideographTraditional": "甲乙丙丁戊己庚辛壬癸",
    "ideographZodiac": "子丑寅卯辰巳午未申酉戌亥",
    "decimalEnclosedCircle": _enclosed(0x2460), "decimalEnclosedCircleChinese": _enclosed(0x2460),
    "decimalEnclosedParen": _enclosed(0x2474), "decimalEnclosedFullstop": _enclosed(0x2488),
}
_CHINESE = ("〇一二三四五六七八九", "十百千")
_COUNTING = {   # format → (digits 0–9, units 十 百 千); a zero inside a number is 零
    **dict.fromkeys(("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "japaneseCounting"), _CHINESE),
    "chineseLegalSimplified": ("零壹贰叁肆伍陆柒捌玖", "拾佰仟"),
    "ideographLegalTraditional": ("零壹貳參肆伍陸柒捌玖", "拾佰仟"),
}
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def format_number(value: int, fmt: str) -> str:
    """``value`` written in number format ``fmt``; an unknown format, or a value the format cannot
    write, is decimal."""
    if fmt == "none":
        return ""
    if fmt in _SERIES and 1 <= value <= len(_SERIES[fmt]):
        return _SERIES[fmt][value - 1]
    if fmt in _COUNTING and value < 10000:
        return _counting(value, *_COUNTING[fmt])
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and value >= 1:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "decimalFullWidth":
        return str(value).translate(_FULL_WIDTH)
    if fmt == "ideographDigital":
        return "".join(_CHINESE[0][int(d)] for d in str(value))
    return str(value)


def _counting(value: int, digits: str, units: str) -> str:
    """0–9999 in Chinese counting: 十一, 二十, 一百零五, 一千零一十."""
    if value == 0:
        return digits[0]
    out, gap = "", False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = value // power % 10
        if digit:
            out += ("零" if gap else "") + digits[digit] + unit
            gap = False
        elif out:
            gap = True
    return out[1:] if 10 <= value < 20 and digits[0] == "〇" else out   # 十一, but 壹拾壹


def _roman(value: int) -> str:
    out = ""
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        out += letters * count
    return out
