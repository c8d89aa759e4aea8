"""The demo portal's world as data: counties, townships, verdict rules, seeds.

Fully deterministic (the only "randomness" is hashes of unit codes, for
days and times). ``site.build_world`` assembles counties from
``COUNTY_SPECS``; ``publications.publish`` fills in what each publishes;
the CMS families turn an ``Article`` into pages.

Verdicts per township × report year (2021–2023):

- ``on_time``: published before 1月31日 of the next year (China time);
- ``late``: published after it;
- ``missing``: nothing published;
- ``undated``: published, but with no date anywhere (no PubDate meta, no
  发布日期, no date in the URL, no 落款 date).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

YEARS = (2021, 2022, 2023)

# (name, county code, city, city code, province, province code, family, SiteDomain,
#  portal seed kind, seed townships [(name, code suffix, pinyin slug)])
COUNTY_SPECS: tuple[tuple, ...] = (
    ("友谊县", "230522", "双鸭山市", "230500", "黑龙江省", "230000", "trs", "www.hljyy.gov.cn", "column",
     (("兴隆镇", "100", "xinglongzhen"),)),
    ("宝山区", "230506", "双鸭山市", "230500", "黑龙江省", "230000", "hanweb", "www.sysbsq.gov.cn", "home",
     (("七星镇", "102", "qixingzhen"),)),
    ("栖霞市", "370686", "烟台市", "370600", "山东省", "370000", "gkmlpt", "www.sdqixia.gov.cn", "home",
     (("寺口镇", "107", "sikouzhen"),)),
    ("方正县", "230124", "哈尔滨市", "230100", "黑龙江省", "230000", "anhui", "www.hrbfz.gov.cn", "home",
     (("会发镇", "103", "huifazhen"),)),
    ("虎林市", "230381", "鸡西市", "230300", "黑龙江省", "230000", "trs", "www.hulin.gov.cn", "home",
     (("迎春镇", "101", "yingchunzhen"),)),
)
TOWNSHIPS_PER_COUNTY = 5
# Counties of the further CMS families (jpaas, 开普云, iList.jsp, Hanweb xxgk module), appended once
# after every replica (and any quirk county) so no other county's rows move. No seeds.
FAMILY_SPECS: tuple[tuple, ...] = (
    ("桦南县", "230822", "佳木斯市", "230800", "黑龙江省", "230000", "jpaas", "www.huanan.gov.cn", "home", ()),
    ("临朐县", "370724", "潍坊市", "370700", "山东省", "370000", "ucap", "www.linqu.gov.cn", "home", ()),
    ("依兰县", "230123", "哈尔滨市", "230100", "黑龙江省", "230000", "ilist", "www.yilan.gov.cn", "column", ()),
    ("莱阳市", "370682", "烟台市", "370600", "山东省", "370000", "xxgk", "www.laiyang.gov.cn", "home", ()),
)
# Quirk counties (``DemoPortal(quirks=True)``), appended last, once, so no other county's rows
# move: a JavaScript-only list (and the crawl quirks, see jsonly.py), a 521 cookie challenge.
QUIRK_SPECS: tuple[tuple, ...] = (
    ("林口县", "231025", "牡丹江市", "231000", "黑龙江省", "230000", "jsonly", "www.linkou.gov.cn", "home", ()),
    ("穆棱市", "231085", "牡丹江市", "231000", "黑龙江省", "230000", "trs_jsl", "www.muling.gov.cn", "home", ()),
)

# Characters for invented township names, with their pinyin (for TRS slugs).
_CHARS = (("太", "tai"), ("平", "ping"), ("长", "chang"), ("安", "an"), ("永", "yong"), ("新", "xin"),
          ("华", "hua"), ("红", "hong"), ("旗", "qi"), ("东", "dong"), ("风", "feng"), ("和", "he"),
          ("建", "jian"), ("富", "fu"), ("民", "min"), ("青", "qing"), ("山", "shan"), ("金", "jin"),
          ("河", "he"), ("白", "bai"), ("云", "yun"), ("双", "shuang"), ("胜", "sheng"), ("利", "li"),
          ("丰", "feng"), ("乐", "le"), ("石", "shi"), ("桥", "qiao"), ("林", "lin"), ("宁", "ning"))
# township kind by position: (suffix, pinyin, first digit of the 3-digit township code)
_KINDS = (("镇", "zhen", 1), ("街道", "jiedao", 0), ("镇", "zhen", 1), ("乡", "xiang", 2), ("镇", "zhen", 1))

# Seeds: (township, year) -> (seed file, published, date mode)
SEEDS: dict[tuple[str, int], tuple[str, datetime | None, str]] = {
    ("七星镇", 2022): ("000_0a1791bdd143456b.txt", datetime(2023, 1, 16, 9, 30), "meta"),
    ("兴隆镇", 2022): ("001_fbc53eca3484a611.txt", datetime(2023, 1, 20, 10, 15), "meta"),
    ("会发镇", 2021): ("002_486c4dbf7b9bad2b.txt", None, "signature"),
    ("寺口镇", 2022): ("003_8b5a2cd0f09a5ba4.txt", datetime(2023, 1, 19, 16, 2), "page"),
    ("迎春镇", 2023): ("004_2a4259b6cd6a3244.txt", datetime(2024, 1, 18, 8, 45), "url"),
}
SEED_SIGNATURE_DATES = {"002_486c4dbf7b9bad2b.txt": date(2022, 1, 20)}

# Per family: report formats and date modes, cycled by position (rules as data).
FAMILY_FORMATS = {"trs": ("html", "pdf"), "hanweb": ("html", "docx"), "gkmlpt": ("pdf", "html"), "anhui": ("html", "docx"),
                  "jsonly": ("html", "pdf"), "trs_jsl": ("html", "pdf")}
FAMILY_DATE_MODES = {"trs": ("meta", "page", "url"), "hanweb": ("meta", "url", "page"),
                     "gkmlpt": ("page", "meta"), "anhui": ("page", "meta"),
                     "jsonly": ("meta", "page"), "trs_jsl": ("meta", "page", "url")}
# Reports served as Word 97 .doc (pre-built files in templates/, see docassets.py):
# (county, township index, report year).
DOC_REPORTS = (("方正县", 4, 2021), ("宝山区", 2, 2021))
# Families whose URLs carry no date, so an undated report is possible there.
UNDATED_FAMILIES = ("gkmlpt", "anhui", "ilist")
# The FAMILY_SPECS families: only xxgk's /art/YYYY/M/D/ URLs carry a whole date.
FAMILY_FORMATS.update({"jpaas": ("html", "pdf"), "ucap": ("html", "docx"), "ilist": ("html", "pdf"),
                       "xxgk": ("html", "docx")})
FAMILY_DATE_MODES.update({"jpaas": ("meta", "page"), "ucap": ("page", "meta"), "ilist": ("page", "meta"),
                          "xxgk": ("meta", "url", "page")})
_STATUS_CYCLE = ("on_time", "on_time", "late", "on_time", "missing", "on_time", "late")


@dataclass
class Township:
    name: str
    code: str
    slug: str
    index: int

    @property
    def kind(self) -> str:
        return {"0": "街道", "1": "镇", "2": "乡"}[self.code[6]]

    @property
    def agency(self) -> str:
        """The publishing body's name: …镇人民政府 / …街道办事处."""
        return self.name + ("办事处" if self.name.endswith("街道") else "人民政府")


@dataclass
class Article:
    """One item in a county's 年报 area: a report, a look-alike, or noise.

    ``published`` is the portal date (China time) or None; ``date_mode`` says
    where the page shows it: ``meta`` (PubDate meta and 发布日期), ``page``
    (发布日期 only), ``url`` (only the URL's date), ``none`` (nowhere),
    ``signature`` (only the 落款 inside the text). ``meta_defect`` is None,
    ``"null"`` (PubDate content="null") or ``"wrong_site"`` (copied SiteName).
    """

    id: int
    kind: str                 # report | lookalike | noise | broken
    title: str
    published: datetime | None
    township: Township | None = None
    year: int | None = None
    fmt: str = "html"         # html | pdf | docx | seed | text
    date_mode: str = "meta"
    meta_defect: str | None = None
    seed: str | None = None
    lookalike: str | None = None   # 解读 | 图解 | 公布情况 | department | county_gov | 指南
    signed: date | None = None

    @property
    def url_date(self) -> datetime:
        """The date families put into URLs (publication, or a fixed stand-in)."""
        return self.published or datetime(2022, 1, 1)


@dataclass
class County:
    name: str
    code: str
    city: str
    city_code: str
    province: str
    province_code: str
    family: str
    domain: str
    portal_kind: str          # "home" or "column": what the registry lists as portal
    index: int
    townships: list[Township] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    statuses: dict[tuple[str, int], str] = field(default_factory=dict)
    gk_path: str = "/"        # the 政府信息公开 area, set by the family

    @property
    def code12(self) -> str:
        return self.code + "000000"

    @property
    def site_id_code(self) -> str:
        return self.code + "0001"

    @property
    def government(self) -> str:
        return self.name + "人民政府"

    def reports(self) -> list[Article]:
        return [a for a in self.articles if a.kind == "report"]


def _rng_int(key: str, modulo: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) % modulo


def _invented_name(n: int) -> tuple[str, str]:
    a, b = _CHARS[n % len(_CHARS)], _CHARS[(n * 7 + 3 + n // len(_CHARS)) % len(_CHARS)]
    if a == b:
        b = _CHARS[(n * 7 + 4) % len(_CHARS)]
    return a[0] + b[0], a[1] + b[1]


def make_townships(county_code: str, seeds: tuple, count: int, name_offset: int) -> list[Township]:
    out = [Township(name, f"{county_code}{digits}000", slug, 0) for name, digits, slug in seeds]
    used = {t.name for t in out} | {t.code for t in out}
    n, serial = name_offset, 1
    while len(out) < count:
        stem, pinyin = _invented_name(n)
        suffix, suffix_py, digit = _KINDS[len(out) % len(_KINDS)]
        n += 1
        if stem + suffix in used:
            continue
        code = f"{county_code}{digit}{serial:02d}000"
        while code in used:
            serial += 1
            code = f"{county_code}{digit}{serial:02d}000"
        serial += 1
        used |= {stem + suffix, code}
        out.append(Township(stem + suffix, code, pinyin + suffix_py, 0))
    for i, t in enumerate(out):
        t.index = i
    return out


def status_for(county: County, township: Township, year: int) -> str:
    """The verdict of one township-year (seeds are on time, see ``SEEDS``)."""
    if (township.name, year) in SEEDS:
        return "on_time"
    if county.family in UNDATED_FAMILIES and township.index == 2 and year == 2022:
        return "undated"
    return _STATUS_CYCLE[(township.index * 3 + year + county.index) % len(_STATUS_CYCLE)]


def publication_time(county: County, township: Township, year: int, status: str) -> datetime | None:
    """China-time publication moment for a township-year (None: missing/undated)."""
    key = f"{township.code}-{year}"
    minute = 8 * 60 + _rng_int(key + "m", 9 * 60)
    if status == "on_time":
        day = date(year + 1, 1, 6) + timedelta(days=_rng_int(key, 22))
    elif status == "late":
        day = date(year + 1, 2, 3) + timedelta(days=_rng_int(key, 70))
    else:
        return None
    return datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
