"""What each county publishes: reports, look-alikes and noise, as ``Article``s.

``publish(county)`` fills ``county.articles`` and ``county.statuses``
deterministically. Where an article appears (which column, which page) is
the CMS family's business, not this module's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from nianbao.demo_portal.world import (
    DOC_REPORTS, FAMILY_DATE_MODES, FAMILY_FORMATS, SEED_SIGNATURE_DATES, SEEDS, YEARS, Article, County, Township,
    publication_time, status_for,
)

# Township-linked look-alikes: (kind, title template, days after the report)
_TOWNSHIP_LOOKALIKES = (
    ("解读", "{agency}{year}年政府信息公开工作年度报告解读", 1),
    ("图解", "图解：{township}{year}年政府信息公开工作年度报告", 2),
)
# County-level look-alikes: (kind, title template, month, day of the year after the report year)
_COUNTY_LOOKALIKES = (
    ("department", "{county}财政局{year}年政府信息公开工作年度报告", 1, 26),
    ("department", "{county}自然资源局{year}年度政府信息公开工作年度报告", 1, 12),
    ("county_gov", "{county}人民政府{year}年政府信息公开工作年度报告", 3, 28),
    ("公布情况", "{county}{year}年度乡镇（街道）政府信息公开工作年度报告公布情况", 2, 10),
)
# Noise: (title template, month, day) in the report year's column
_NOISE = (
    ("关于做好{year}年度政府信息公开工作年度报告编制发布工作的通知", 12, 18),
    ("{county}政务公开工作要点（{year}年）", 4, 2),
)
_TOWNSHIP_NOISE = (
    "{township}关于开展春季防火工作的通知", "{township}关于公开招聘公益性岗位人员的公告",
    "{township}关于秸秆禁烧的通告", "{township}关于做好防汛工作的通知", "{township}党政办公室工作制度",
    "{township}关于征集民生实事项目的公告", "{township}关于开展人居环境整治的通知",
    "{township}关于发放耕地地力保护补贴的公示", "{township}便民服务中心办事指引",
)


class _Ids:
    def __init__(self, start: int) -> None:
        self.next = start

    def __call__(self) -> int:
        self.next += 1
        return self.next


def _report(county: County, t: Township, year: int, status: str, new_id: _Ids) -> Article:
    seed = SEEDS.get((t.name, year))
    if seed:
        file, published, mode = seed
        title = t.agency + f"{year}年政府信息公开工作年度报告"
        if t.name == "兴隆镇":
            title = f"{county.name}{title}"
        return Article(new_id(), "report", title, published, t, year, "seed", mode, seed=file,
                       signed=SEED_SIGNATURE_DATES.get(file))
    published = publication_time(county, t, year, status)
    position = t.index + year
    formats, modes = FAMILY_FORMATS[county.family], FAMILY_DATE_MODES[county.family]
    mode = "none" if status == "undated" else modes[(position + t.index // 2 + county.index) % len(modes)]
    title = (t.agency if position % 3 else t.name) + f"{year}年政府信息公开工作年度报告"
    if position % 4 == 1:
        title = f"{county.name}{title}"
    signed = (published - timedelta(days=3 + position % 5)).date() if published else None
    fmt = "doc" if (county.name, t.index, year) in DOC_REPORTS else formats[position % len(formats)]
    return Article(new_id(), "report", title, published, t, year, fmt, mode, signed=signed)


def _lookalikes(county: County, reports: list[Article], new_id: _Ids) -> list[Article]:
    out = []
    dated = [r for r in reports if r.published and r.fmt != "seed"]
    for (kind, template, days), report in zip(_TOWNSHIP_LOOKALIKES, dated[::3]):
        assert report.published and report.township and report.year
        title = template.format(agency=report.township.agency, township=report.township.name, year=report.year)
        out.append(Article(new_id(), "lookalike", title, report.published + timedelta(days=days, hours=1),
                           report.township, report.year, "text", "meta", lookalike=kind))
    for year in YEARS:
        for kind, template, month, day in _COUNTY_LOOKALIKES:
            when = datetime(year + 1, month, day, 10, 0)
            out.append(Article(new_id(), "lookalike", template.format(county=county.name, year=year), when,
                               None, year, "html" if kind in ("department", "county_gov") else "text",
                               "meta", lookalike=kind))
    out.append(Article(new_id(), "lookalike", f"{county.name}人民政府政府信息公开指南", datetime(2021, 3, 1, 9, 0),
                       None, 2021, "text", "page", lookalike="指南"))
    return out


def _noise(county: County, new_id: _Ids) -> list[Article]:
    out = []
    for year in YEARS:
        for template, month, day in _NOISE:
            out.append(Article(new_id(), "noise", template.format(county=county.name, year=year),
                               datetime(year, month, day, 15, 30), None, year, "text", "meta"))
    first, others = county.townships[0], county.townships[1:]
    for i, template in enumerate(_TOWNSHIP_NOISE):
        when = datetime(2022, 3, 1, 9, 0) + timedelta(days=37 * i)
        out.append(Article(new_id(), "noise", template.format(township=first.name), when, first, when.year, "text", "page"))
    for t in others:
        out.append(Article(new_id(), "noise", _TOWNSHIP_NOISE[t.index % 3].format(township=t.name),
                           datetime(2023, 4, 3 + t.index, 11, 0), t, 2023, "text", "meta"))
    out.append(Article(new_id(), "broken", f"{first.name}关于开展安全生产大检查的通知", datetime(2022, 6, 8, 9, 0),
                       first, 2022, "text", "meta"))
    return out


def _mark_meta_defects(reports: list[Article]) -> None:
    page_mode = [r for r in reports if r.date_mode == "page" and r.fmt != "seed"]
    if page_mode:
        page_mode[0].meta_defect = "null"
    meta_mode = [r for r in reports if r.date_mode == "meta" and r.fmt != "seed"]
    if len(meta_mode) > 1:
        meta_mode[1].meta_defect = "wrong_site"


def publish(county: County) -> None:
    """Fill ``county.statuses`` and ``county.articles`` (sorted newest first)."""
    new_id = _Ids(100000 + 1000 * county.index)
    reports = []
    for t in county.townships:
        for year in YEARS:
            status = county.statuses[(t.name, year)] = status_for(county, t, year)
            if status != "missing":
                reports.append(_report(county, t, year, status, new_id))
    _mark_meta_defects(reports)
    articles = reports + _lookalikes(county, reports, new_id) + _noise(county, new_id)
    articles.sort(key=lambda a: (a.url_date if a.published else datetime(a.year or 2022, 12, 30)), reverse=True)
    county.articles = articles
