"""Build the demo world: the five seed counties, replicated for ``scale`` > 1.

``build_world(scale)`` is deterministic. ``scale`` multiplies the number of
counties (replicas of the five, no seeds, new codes under the same cities)
and, up to 4×, the townships per county (5 at scale 1). Codes stay valid:
a replica county gets the next free 2-digit county number (from 51) of its
city, so ``scale`` is limited to ``MAX_SCALE``.
"""

from __future__ import annotations

from nianbao.demo_portal.publications import publish
from nianbao.demo_portal.world import COUNTY_SPECS, FAMILY_SPECS, QUIRK_SPECS, TOWNSHIPS_PER_COUNTY, County, make_townships

MAX_SCALE = 24
_DIGITS = "〇一二三四五六七八九"


def _numeral(n: int) -> str:
    """Chinese numeral for 1..99 (二, 十一, 二十三)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "") if n >= 10 else _DIGITS[n]


def build_world(scale: int = 1, quirks: bool = False) -> list[County]:
    """The counties of the demo world, seed counties first; with ``quirks``, ``QUIRK_SPECS`` last."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}, not {scale}.")
    per_county = TOWNSHIPS_PER_COUNTY * min(scale, 4)
    next_free: dict[str, int] = {}
    counties: list[County] = []
    for rep in range(scale):
        for name, code, city, ccode, prov, pcode, family, domain, portal, seeds in COUNTY_SPECS:
            if rep:
                name, seeds = f"{name[:-1]}{_numeral(rep + 1)}{name[-1]}", ()
                number = next_free.get(ccode, 51)
                next_free[ccode] = number + 1
                code, domain = f"{ccode[:4]}{number:02d}", domain.replace(".gov.cn", f"{rep + 1}.gov.cn")
            county = County(name, code, city, ccode, prov, pcode, family, domain, portal, len(counties))
            county.townships = make_townships(code, seeds, per_county, 17 * len(counties))
            publish(county)
            counties.append(county)
    for name, code, city, ccode, prov, pcode, family, domain, portal, seeds in FAMILY_SPECS:
        county = County(name, code, city, ccode, prov, pcode, family, domain, portal, len(counties))
        county.townships = make_townships(code, seeds, TOWNSHIPS_PER_COUNTY, 17 * len(counties))
        publish(county)
        counties.append(county)
    for name, code, city, ccode, prov, pcode, family, domain, portal, seeds in QUIRK_SPECS if quirks else ():
        county = County(name, code, city, ccode, prov, pcode, family, domain, portal, len(counties))
        county.townships = make_townships(code, seeds, TOWNSHIPS_PER_COUNTY, 17 * len(counties))
        publish(county)
        counties.append(county)
    return counties
