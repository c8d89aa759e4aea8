"""Ground truth and the registry file of a running ``DemoPortal`` (never served).

``truth_records`` → one dict per township × report year (2021–2023):
``county, county_code, township, code, year, status`` (``on_time | late |
missing | undated``), ``published`` (``datetime.date`` in China time, or
None), ``published_source`` (``meta | page | url | signature`` — the best
source the report page offers — or None), ``url`` (absolute URL of the page
holding the report, or None), ``format`` (``html | pdf | docx | doc | seed``, None
when missing).

``lookalike_records`` → one dict per item that must NOT count as a township
report: ``county, title, kind`` (解读 | 图解 | 公布情况 | department |
county_gov | 指南 | noise | broken), ``url``.

URLs are absolute once the portal is started, bare paths before.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nianbao.demo_portal.server import DemoPortal

REGISTRY_HEADER = ("code", "name", "level", "parent_code", "aliases", "portal_urls")
_SOURCES = {"meta": "meta", "page": "page", "url": "url", "signature": "signature", "none": None}


def _url(portal: DemoPortal, family, article) -> str:  # noqa: ANN001
    return portal.base_url(family.county) + family.report_path(article)


def truth_records(portal: DemoPortal) -> list[dict]:
    out = []
    for family in portal.families:
        county = family.county
        reports = {(a.township.name, a.year): a for a in county.reports() if a.township}
        for t in county.townships:
            for (name, year), status in county.statuses.items():
                if name != t.name:
                    continue
                a = reports.get((name, year))
                published = None
                if a is not None and a.date_mode == "signature":
                    published = a.signed
                elif a is not None and a.published and a.date_mode != "none":
                    published = a.published.date()
                out.append({
                    "county": county.name, "county_code": county.code12, "township": t.name, "code": t.code,
                    "year": year, "status": status, "published": published,
                    "published_source": _SOURCES[a.date_mode] if a else None,
                    "url": _url(portal, family, a) if a else None, "format": a.fmt if a else None,
                })
    return out


def lookalike_records(portal: DemoPortal) -> list[dict]:
    return [{"county": f.county.name, "title": a.title, "kind": a.lookalike or a.kind, "url": _url(portal, f, a)}
            for f in portal.families for a in f.county.articles if a.kind != "report"]


def registry_csv(portal: DemoPortal) -> str:
    """INTERFACE.md registry CSV: provinces, cities, counties, townships."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTRY_HEADER)
    seen: set[str] = set()
    for family in portal.families:
        c = family.county
        for code, name, level, parent in ((c.province_code + "000000", c.province, "province", ""),
                                          (c.city_code + "000000", c.city, "city", c.province_code + "000000")):
            if code not in seen:
                seen.add(code)
                writer.writerow((code, name, level, parent, "", ""))
        base = portal.base_url(c)
        seed = base + (family.column_path() if c.portal_kind == "column" else "/")
        writer.writerow((c.code12, c.name, "county", c.city_code + "000000", c.government, seed))
        for t in c.townships:
            aliases = "|".join((t.agency, c.name + t.name))
            writer.writerow((t.code, t.name, "township", c.code12, aliases, ""))
    return buffer.getvalue()
