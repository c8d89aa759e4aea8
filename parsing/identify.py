"""Who wrote the report, where, and for which year.

Sources in order: the report's title (its first lines, else page metadata),
chains of division names in the text (友谊县兴隆镇), the 落款, and the page's
SiteName as a hint. The report year comes from the title and the 统计期限
sentence, never from URL or publication dates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .normalise import squash
from .places import DEPARTMENT_WORDS, PROVINCES, level_of, split_chain
from .titles import TITLE_PREFIX

_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})年(?:度)?")
_PERIOD = re.compile(r"统计(?:期限|时限|区间|期间|时间)[^。；;\n]{0,12}?((?:19|20)\d{2})年(?:1|01)月(?:1|01)日"
                     r"[^。；;\n]{0,6}?((?:19|20)\d{2})年12月31日")
_PERIOD_LOOSE = re.compile(r"((?:19|20)\d{2})年(?:1|01)月(?:1|01)日(?:起)?(?:至|到|—|-)((?:19|20)\d{2})年12月31日")


@dataclass
class Identity:
    title: str | None = None
    agency: str | None = None
    agency_kind: str | None = None
    township: str | None = None
    county: str | None = None
    city: str | None = None
    province: str | None = None
    year: int | None = None
    title_year: int | None = None
    period_year: int | None = None


def identify(title: str | None, text: str, hints: list[str], site: tuple[str, str] | None = None,
             namers: tuple[str, ...] = ()) -> Identity:
    """Agency, places and year from the title, the body text and metadata hints (SiteName …).

    ``namers`` name the agency when the title does not (the 落款, 发布机构,
    the listing title), tried in order. ``site`` is (SiteName, SiteIDCode) of
    the page: when the report is that site's own government, the code's 区划
    part says whether a …市 is a prefecture (city_gov) or a county-level city.
    """
    ident = Identity(title=title)
    flat = join_wrapped([squash(line) for line in text.split("\n")])
    chain, rest = next(((c, r) for c, r in map(_title_chain, (title or "",) + namers) if c), ([], ""))
    _fill_from_chain(ident, chain, rest)
    _city_level_from_site(ident, chain, site)
    if ident.township and not ident.county:
        # the text beats metadata: a copied template's SiteName names the wrong place
        ident.county = (_county_before(flat, ident.township) or _frequent_county(flat)
                        or _city(flat, None, []) or _hint_county(hints))   # a 县级市 is a township's county too
    ident.city = ident.city or _city(flat, ident.county, hints)
    ident.province = ident.province or _province(flat + "".join(hints))
    ident.title_year = _title_year(title)
    ident.period_year = _period_year(flat)
    ident.year = ident.period_year or ident.title_year
    return ident


WRAP_MIN_CHARS = 25
_SENTENCE_END = re.compile(r"[。；;：:！!？?…)）”」》]$|报告$|年报$")


def join_wrapped(lines: list[str]) -> str:
    """Lines joined with newlines (boundaries for names), except a long line broken mid-sentence
    (PDF wrapping, "…请于友" / "谊县人民政府…"), which is glued to the next."""
    out = ""
    for line in lines:
        if out and not out.endswith("\n"):
            out += "" if len(out.rsplit("\n", 1)[-1]) >= WRAP_MIN_CHARS else "\n"
        out += line
        if _SENTENCE_END.search(line) or len(line) < WRAP_MIN_CHARS:
            out += "\n"
    return out


def _title_chain(title: str) -> tuple[list[str], str]:
    text = re.sub(TITLE_PREFIX, "", squash(title))
    head = re.split(r"(?:19|20)\d{2}年|关于|政府信息公开", text, maxsplit=1)[0]
    return split_chain(head)


def _fill_from_chain(ident: Identity, chain: list[str], rest: str) -> None:
    levels = [level_of(u) for u in chain]
    if levels and levels[-1] == "township":
        township = chain[-1].removesuffix("办事处")
        ident.township = township
        ident.agency = township + ("办事处" if township.endswith("街道") else "人民政府")
        ident.agency_kind = "township"
        above = chain[:-1]
        ident.county = above[-1] if above else None
        ident.city = above[-2] if len(above) >= 2 and level_of(above[-2]) != "province" else None
    elif chain:
        last = chain[-1]
        dept = rest.removeprefix("人民政府") if any(rest.endswith(w) for w in DEPARTMENT_WORDS) else ""
        ident.agency = last + (dept or "人民政府")
        ident.agency_kind = "department" if dept else _gov_kind(last, chain)
        ident.county = last if ident.agency_kind in ("county_gov", "department") and level_of(last) != "city" else None
        ident.city = next((u for u in chain if level_of(u) in ("city", "city_or_county") and u != ident.county), None)
    for unit in chain:
        if unit in PROVINCES:
            ident.province = unit


def _gov_kind(unit: str, chain: list[str]) -> str:
    level = level_of(unit)
    if level == "city_or_county":
        level = "county" if len(chain) >= 2 and level_of(chain[-2]) != "province" else "city"
    return {"province": "province_gov", "city": "city_gov", "county": "county_gov"}.get(level, "other")


SITE_CODE_LEVELS = ((r"\d{2}0000", "province_gov"), (r"\d{4}00", "city_gov"), (r"\d{6}", "county_gov"))


def _city_level_from_site(ident: Identity, chain: list[str], site: tuple[str, str] | None) -> None:
    if not (site and chain and ident.agency_kind in ("city_gov", "county_gov") and chain[-1].endswith("市")):
        return
    name, code = site
    if not (squash(name).startswith(chain[-1]) and re.fullmatch(r"\d{10}", code or "")):
        return
    ident.agency_kind = next(kind for pattern, kind in SITE_CODE_LEVELS if re.fullmatch(pattern, code[:6]))
    if ident.agency_kind == "county_gov":
        ident.county, ident.city = chain[-1], (ident.city if ident.city != chain[-1] else None)


_BOUNDARY = r"(?:(?<![\u4e00-\u9fff])|(?<=通过)|(?<=依托)|(?<=登录)|(?<=登陆)|(?<=访问))"


def _county_before(flat: str, township: str) -> str | None:
    m = re.search(rf"{_BOUNDARY}([\u4e00-\u9fff]{{1,6}}?(?:自治县|县|区|旗|市)){re.escape(township)}", flat)
    return split_chain(m.group(1))[0][-1] if m and split_chain(m.group(1))[0] else None


def _frequent_county(flat: str) -> str | None:
    found = re.findall(rf"{_BOUNDARY}([\u4e00-\u9fff]{{1,5}}?(?:自治县|县|区|旗))(?=人民政府|政府|委|[一-龥]{{0,4}}路)", flat)
    found = [f for f in found if len(f) >= 2]
    return Counter(found).most_common(1)[0][0] if found else None


def _hint_county(hints: list[str]) -> str | None:
    for hint in hints:
        chain, _ = split_chain(squash(hint))
        if chain and level_of(chain[-1]) in ("county", "city_or_county"):
            return chain[-1]
    return None


def _city(flat: str, county: str | None, hints: list[str]) -> str | None:
    if county and (m := re.search(rf"([\u4e00-\u9fff]{{2,5}}?(?:市|自治州|地区|盟)){re.escape(county)}", flat)):
        return m.group(1)
    found = re.findall(rf"{_BOUNDARY}([\u4e00-\u9fff]{{2,5}}?市)(?=人民政府)", flat + "".join(hints))
    found = [f for f in found if f != county and f not in PROVINCES]
    return Counter(found).most_common(1)[0][0] if found else None


def _province(flat: str) -> str | None:
    counts = Counter(p for p in PROVINCES for _ in re.finditer(re.escape(p), flat))
    return counts.most_common(1)[0][0] if counts else None


def _title_year(title: str | None) -> int | None:
    m = _YEAR_IN_TITLE.search(squash(title or ""))
    return int(m.group(1)) if m else None


def _period_year(flat: str) -> int | None:
    m = _PERIOD.search(flat) or _PERIOD_LOOSE.search(flat)
    return int(m.group(1)) if m and m.group(1) == m.group(2) else None
