"""End to end against the demo portal: every township report page or attachment, as served, parses to its truth."""

from __future__ import annotations

import html
import re
import urllib.request
from urllib.parse import urljoin

import pytest

from parsing import PageContext, parse_bytes

pytestmark = pytest.mark.slow
FIELDS = ("township", "county", "year", "published", "published_source")
ATTACHED = ("pdf", "docx", "doc", "wps", "ofd", "xls", "xlsx")


@pytest.fixture(scope="module")
def portal():
    server = pytest.importorskip("nianbao.demo_portal.server")
    p = server.DemoPortal()
    p.start()
    yield p
    p.stop()


def _get(url: str) -> tuple[bytes, str | None]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers.get("Content-Type")


def _parse(record: dict) -> dict:
    page, ctype = _get(record["url"])
    if record["format"] not in ATTACHED:
        return parse_bytes(page, source=record["url"], content_type=ctype)
    found = re.search(rb'href="([^"]+\.(?:pdf|docx|doc|wps|ofd|xlsx?))"', page) or \
        re.search(rb'href="([^"]*download[^"]*)"', page)
    link = html.unescape(found.group(1).decode())
    data, ctype = _get(urljoin(record["url"], link))
    return parse_bytes(data, source=urljoin(record["url"], link), content_type=ctype,
                       context=PageContext(page_html=page, page_url=record["url"]))


def test_every_report_matches_truth(portal):
    from nianbao.demo_portal.truth import truth_records
    wrong = []
    for record in (r for r in truth_records(portal) if r["url"] and r["format"] in ("html", "seed") + ATTACHED):
        report = _parse(record)
        want = {**record, "published": record["published"].isoformat() if record["published"] else None}
        wrong += [(record["url"], f, report[f], want[f]) for f in FIELDS if report[f] != want[f]]
        if record["format"] != "seed" and report["missing"]:
            wrong.append((record["url"], "missing", report["missing"][:3], []))
    assert wrong == []


def test_no_lookalike_is_a_township_report(portal):
    from nianbao.demo_portal.truth import lookalike_records
    counted = []
    for record in lookalike_records(portal):
        try:
            page, ctype = _get(record["url"])
        except OSError:
            continue   # "broken" items answer 404
        report = parse_bytes(page, source=record["url"], content_type=ctype)
        if report["document_kind"] == "report" and report["agency_kind"] == "township":
            counted.append((record["title"], record["kind"]))
    assert counted == []
