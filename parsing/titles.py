"""Find the report's title: its own metadata, its first lines, or the page around it.

Order: the document's own ArticleTitle → a line near the top with a year and
a title ending (a title broken over two lines is joined: "…工作"/"年度报告",
"七星镇人民政府"/"2022年…报告") → the page's ArticleTitle, the listing title,
<title> (site suffix cut) → a top line with a title ending but no year.
"""

from __future__ import annotations

import re

from .normalise import arabic_dates, squash
from .places import split_chain

TITLE_END = re.compile(r"(年度报告|年报|工作报告|报告)")
TITLE_PREFIX = r"^(?:(?:图解|一图读懂|图说|解读|政策解读|关于)[:：]?)?《?(?:(?:19|20)\d{2}年度?)?"
MAX_TITLE_CHARS = 80
SCAN_LINES = 40
_YEAR = re.compile(r"(?:19|20)\d{2}")
_CHROME = re.compile(r"当前位置|您的位置|首页>|>>")
_SITE_SUFFIX = re.compile(r"[_|｜\-–—]+[^_|｜\-–—]*$")


def find_title(lines: list[str], own: str | None, fallbacks: list[str]) -> str | None:
    """The title (whitespace removed), or None when nothing looks like one."""
    if own and TITLE_END.search(squash(own)):
        return squash(own)
    top = _top_candidates(lines)
    cleaned = [_cut_site(squash(f)) for f in fallbacks if f]
    ranked = [c for c in top if _YEAR.search(arabic_dates(c))] + [f for f in cleaned if TITLE_END.search(f)] + cleaned + top
    return ranked[0] if ranked else None


def _top_candidates(lines: list[str]) -> list[str]:
    out, previous = [], ""
    for line in lines[:SCAN_LINES]:
        piece = squash(line)
        if "\t" in line.strip() or not piece or _CHROME.search(piece):
            previous = ""
            continue
        if len(piece) <= MAX_TITLE_CHARS and TITLE_END.search(piece) and not piece.endswith("。"):   # a sentence
            out.append(previous + piece if previous and _headless(piece) else piece)
        previous = piece if len(piece) <= 30 and not TITLE_END.search(piece) else ""
    return out


def _headless(piece: str) -> bool:
    """True when the line does not start with the unit's name (it is a title's second half)."""
    return not split_chain(re.sub(TITLE_PREFIX, "", piece))[0]


def _cut_site(title: str) -> str:
    """"兴隆镇2022年…年度报告_友谊县人民政府" → the part before the site name."""
    cut = _SITE_SUFFIX.sub("", title)
    return cut if TITLE_END.search(cut) else title
