"""Who wrote the report, where, and for which year.

Sources in order: the report's title (its first lines, else page metadata),
chains of division names in the text (友谊县兴隆镇), the 落款, and the page's
SiteName as a hint. The report year comes from the title and the 统计期限
sentence, never from URL or publication dates. A county name found that is
no real division but one character off exactly one real county (an OCR
misreading, a typo) is mended against the national list (``gazetteer``); the
name as written is kept in ``county_as_written`` and ``identity_checks`` says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .gazetteer import mend_county
from .normalise import arabic_dates, squash, squash_lines
from .places import DEPARTMENT_WORDS, PROVINCES, level_of, split_chain
from .titles import TITLE_PREFIX

_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})(?:年|(?=\)))")   # "…2022年度…", "…年度报告(2022)"
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
    county_as_written: str | None = None    # set when ``county`` was mended from it


def identify(title: str | None, text: str, hints: list[str], site: tuple[str, str] | None = None,
             namers: tuple[str, ...] = ()) -> Identity:
    """Agency, places and year from the title, the body text and metadata hints (SiteName …).

    ``namers`` name the agency when the title does not (the 落款, 发布机构,
    the listing title), tried in order. ``site`` is (SiteName, SiteIDCode) of
    the page: when the report is that site's own government, the code's 区划
    part says whether a …市 is a prefecture (city_gov) or a county-level city.
    """
    ident = Identity(title=title)
    flat = arabic_dates(join_wrapped(squash_lines(text)))   # "二〇二二年" is 2022 for years and periods
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
    _mend_county(ident)
    return ident


def _mend_county(ident: Identity) -> None:
    """A county name that is no real division, mended to the one real county one character off."""
    if not ident.county or not (real := mend_county(ident.county, ident.township, ident.city, ident.province)):
        return
    written, ident.county, ident.county_as_written = ident.county, real, ident.county
    if ident.agency and ident.agency.startswith(written):   # a county government or department
        ident.agency = real + ident.agency[len(written):]


def identity_checks(ident: Identity) -> list[dict]:
    """Findings about the identification itself (severity "info"): a county name mended."""
    if not ident.county_as_written:
        return []
    return [{"code": "identity.county_mended", "severity": "info",
             "message": f"县名“{ident.county_as_written}”不是现行县级行政区划名称，按全国区划名录识别为只差一字的"
                        f"“{ident.county}”（多为图片识别误读或笔误），请核对原件"}]


WRAP_MIN_CHARS = 25
_SENTENCE_END = re.compile(r"[。；;：:！!？?…)）”」》]$|报告$|年报$")


def join_wrapped(lines: list[str]) -> str:
    """Lines joined with newlines (boundaries for names), except a long line broken mid-sentence
    (PDF wrapping, "…请于友" / "谊县人民政府…"), which is glued to the next."""
    parts: list[str] = []
    tail = 0   # characters after the last newline so far
    for line in lines:
        if 0 < tail < WRAP_MIN_CHARS:
            parts.append("\n")
            tail = 0
        parts.append(line)
        tail = tail + len(line) if "\n" not in line else len(line) - line.rindex("\n") - 1
        if len(line) < WRAP_MIN_CHARS or _SENTENCE_END.search(line):
            parts.append("\n")
            tail = 0
    return "".join(parts)


def _title_chain(title: str) -> tuple[list[str], str]:
    text = re.sub(TITLE_PREFIX, "", arabic_dates(squash(title)))
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


_BOUNDARY_WORDS = ("通过", "依托", "登录", "登陆", "访问")   # a place name may follow these directly
_COUNTY_FOLLOWERS = re.compile(r"人民政府|政府|委|[一-龥]{0,4}路")


def _county_before(flat: str, township: str) -> str | None:
    """The county written right before the township (友谊县兴隆镇), at its first such mention."""
    name = _first(_names(flat, ("自治县", "县", "区", "旗", "市"), range(1, 7), lambda e: flat.startswith(township, e)))
    return split_chain(name)[0][-1] if name and split_chain(name)[0] else None


def _frequent_county(flat: str) -> str | None:
    found = _every(_names(flat, ("自治县", "县", "区", "旗"), range(1, 6),
                          lambda e: _COUNTY_FOLLOWERS.match(flat, e) is not None))
    found = [f for f in found if len(f) >= 2]
    return Counter(found).most_common(1)[0][0] if found else None


def _hint_county(hints: list[str]) -> str | None:
    for hint in hints:
        chain, _ = split_chain(squash(hint))
        if chain and level_of(chain[-1]) in ("county", "city_or_county"):
            return chain[-1]
    return None


def _city(flat: str, county: str | None, hints: list[str]) -> str | None:
    if county and (name := _first(_names(flat, ("市", "自治州", "地区", "盟"), range(2, 6),
                                          lambda e: flat.startswith(county, e), boundary=False))):
        return name
    text = flat + "".join(hints)
    found = _every(_names(text, ("市",), range(2, 6), lambda e: text.startswith("人民政府", e)))
    found = [f for f in found if f != county and f not in PROVINCES]
    return Counter(found).most_common(1)[0][0] if found else None


_PROVINCE = re.compile("|".join(map(re.escape, PROVINCES)))   # no name overlaps another: one scan counts all


def _province(flat: str) -> str | None:
    """The province named most often (ties: the first in PROVINCES)."""
    found = Counter(_PROVINCE.findall(flat))
    counts = Counter({p: found[p] for p in PROVINCES if p in found})
    return counts.most_common(1)[0][0] if counts else None


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _names(text: str, suffixes: tuple[str, ...], sizes: range, followed, *, boundary: bool = True) -> list[tuple]:
    """Every place name in ``text``: ``sizes`` CJK characters then a suffix, where ``followed(end)``.

    Each is (start, characters before the suffix, suffix rank, end, name),
    sorted in the order ``re`` tries the pattern
    ``BOUNDARY([\u4e00-\u9fff]{lo,hi}?(?:S1|S2…))`` + follower: leftmost
    start, then fewest characters. With ``boundary`` a name starts after a
    non-CJK character or one of _BOUNDARY_WORDS, not inside a run of text.
    A scan from each suffix, not a regex: a regex naming a township or county
    compiles slowly (once per name) and tries every character.
    """
    found = []
    for rank, suffix in enumerate(suffixes):
        q = text.find(suffix)
        while q != -1:
            end = q + len(suffix)
            if followed(end):
                found += _starts(text, q, sizes, rank, end, boundary)
            q = text.find(suffix, q + 1)
    return sorted(found)


def _starts(text: str, q: int, sizes: range, rank: int, end: int, boundary: bool) -> list[tuple]:
    """The name spans ending with the suffix at ``q``: one per allowed count of CJK characters before it."""
    out = []
    for k in range(1, sizes.stop):
        start = q - k
        if start < 0 or not _is_cjk(text[start]):
            break
        if k >= sizes.start and (not boundary or start == 0 or not _is_cjk(text[start - 1])
                                 or text.endswith(_BOUNDARY_WORDS, 0, start)):
            out.append((start, k, rank, end, text[start:end]))
    return out


def _first(names: list[tuple]) -> str | None:
    """The name ``re.search`` would find."""
    return names[0][-1] if names else None


def _every(names: list[tuple]) -> list[str]:
    """The names ``re.findall`` would list: the first, then the first starting after it ends, and so on."""
    out, pos = [], 0
    for start, _, _, end, name in names:
        if start >= pos:
            out.append(name)
            pos = end
    return out


def _title_year(title: str | None) -> int | None:
    m = _YEAR_IN_TITLE.search(arabic_dates(squash(title or "")))
    return int(m.group(1)) if m else None


def _period_year(flat: str) -> int | None:
    m = _PERIOD.search(flat) or _PERIOD_LOOSE.search(flat)
    return int(m.group(1)) if m and m.group(1) == m.group(2) else None
