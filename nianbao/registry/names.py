"""Name normalisation for matching units: 兴隆镇人民政府 ≡ 友谊县兴隆镇 ≡ 兴隆镇.

Rules are data: suffixes that name the government rather than the place,
and the place suffixes that end a unit name.
"""

from __future__ import annotations

import re
import unicodedata

# Suffixes naming the office, not the place: stripped (longest first).
OFFICE_SUFFIXES = ("人民政府办公室", "人民政府", "街道办事处", "办事处", "政府")
# What the office suffix leaves behind, per stripped suffix.
OFFICE_REPLACEMENTS = {"街道办事处": "街道", "办事处": "街道"}
# Place suffixes that end a county-level or township-level name.
COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "市", "区", "旗")
TOWNSHIP_SUFFIXES = ("街道", "民族乡", "镇", "乡", "苏木", "地区", "农场", "林场", "开发区", "管委会")

_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")"})


def clean(name: str) -> str:
    """NFKC, no whitespace, ASCII brackets."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).translate(_BRACKETS)


def stem(name: str) -> str:
    """The matching key of a unit name: office suffixes removed (…街道办事处 → …街道)."""
    name = clean(name)
    for suffix in OFFICE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)] + OFFICE_REPLACEMENTS.get(suffix, "")
            break
    return name


def strip_prefixes(name: str, prefixes: list[str]) -> str:
    """Remove a leading county/city name (友谊县兴隆镇 → 兴隆镇) when one of ``prefixes`` starts it."""
    for prefix in sorted((clean(p) for p in prefixes), key=len, reverse=True):
        if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
            return name[len(prefix):]
    return name


def candidate_stems(name: str, prefixes: list[str] = ()) -> list[str]:
    """Stems to try for ``name``: as given, and without a leading county or city name."""
    full = stem(name)
    short = strip_prefixes(full, list(prefixes))
    return [full] if short == full else [full, short]


def township_level(name: str) -> bool:
    return stem(name).endswith(TOWNSHIP_SUFFIXES)
