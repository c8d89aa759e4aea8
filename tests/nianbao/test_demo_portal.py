"""The demo portal over real HTTP on loopback: shapes, paging, encodings, documents, truth."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import urljoin

import docx
import pdfplumber
import pytest

from nianbao.demo_portal import DemoPortal
from parsing.schema import APPLICANT_COLUMNS, application_rows

HEADER = ["code", "name", "level", "parent_code", "aliases", "portal_urls"]


@pytest.fixture(scope="module")
def portal():
    with DemoPortal() as p:
        yield p


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def text(url: str) -> str:
    status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


def base(portal, family: str) -> str:
    county = next(c for c in portal.world if c.family == family)
    return portal.counties[county.name]


# ---- every county ------------------------------------------------------------------

def test_every_county_serves_home_and_robots(portal):
    for url in portal.counties.values():
        assert fetch(url)[0] == 200
        assert fetch(url + "robots.txt")[0] == 200


def test_one_county_disallows_a_path_in_robots(portal):
    robots = [fetch(u + "robots.txt")[2].decode() for u in portal.counties.values()]
    assert any("Disallow: /search/" in r for r in robots)


def test_servers_bind_loopback_only(portal):
    assert all(u.startswith("http://127.0.0.1:") for u in portal.counties.values())


def _free_port_run(count: int) -> int:
    """The first port of ``count`` consecutive ports that are free right now."""
    import random
    import socket

    for start in random.Random().sample(range(20000, 60000, count), 200):
        sockets = []
        try:
            for port in range(start, start + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return start
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no run of free ports")


def test_base_port_assigns_consecutive_ports():
    free = _free_port_run(5)
    with DemoPortal(base_port=free) as p:
        ports = [int(u.rsplit(":", 1)[1].strip("/")) for u in p.counties.values()]
    assert ports == list(range(free, free + len(ports)))


def test_gzip_coding_only_when_accepted(portal):
    import gzip

    page = base(portal, "hanweb") + "col/col1240/index.html"
    status, headers, body = fetch(page, headers={"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == fetch(page)[2]
    assert "Content-Encoding" not in fetch(page)[1]


def test_transfer_quirks_can_be_turned_off():
    with DemoPortal(transfer_quirks=False) as p:
        page = base(p, "hanweb") + "col/col1240/index.html"
        assert "Content-Encoding" not in fetch(page, headers={"Accept-Encoding": "gzip"})[1]


def test_directory_without_slash_redirects(portal):
    status, headers, _ = fetch(base(portal, "trs") + "zwgk/zfxxgknb")
    assert status == 301 and headers["Location"] == "/zwgk/zfxxgknb/"


def test_static_pages_answer_conditional_requests(portal):
    page = base(portal, "trs") + "zwgk/"
    etag = fetch(page)[1]["ETag"]
    assert fetch(page, headers={"If-None-Match": etag})[0] == 304


# ---- TRS ------------------------------------------------------------------------------

def test_trs_home_leads_to_the_column(portal):
    root = base(portal, "trs")
    assert 'href="/zwgk/"' in text(root)
    assert "/zwgk/zfxxgknb/" in text(root + "zwgk/")


def test_trs_column_lists_township_subcolumns(portal):
    page = text(base(portal, "trs") + "zwgk/zfxxgknb/")
    assert re.search(r'href="\./xzjd/[a-z]+/index\.html"', page)


def test_trs_subcolumn_spans_three_static_pages(portal):
    root = base(portal, "trs") + "zwgk/zfxxgknb/xzjd/xinglongzhen/"
    first = text(root + "index.html")
    pages = int(re.search(r'createPageHTML\((\d+), 0, "index", "html"\)', first).group(1))
    assert pages >= 3
    for k in range(1, pages):
        assert f'createPageHTML({pages}, {k}, "index", "html")' in text(root + f"index_{k}.html")
    assert fetch(root + f"index_{pages}.html")[0] == 404


def test_trs_details_are_relative_and_attachments_resolve(portal):
    root = base(portal, "trs") + "zwgk/zfxxgknb/xzjd/xinglongzhen/"
    links = re.findall(r'href="(\./\d{6}/t\d{8}_\d+\.html)"', text(root))
    assert links
    pdf_page = next(a for a in portal.truth() if a["format"] == "pdf" and "zfxxgknb/xzjd" in a["url"])["url"]
    html = text(pdf_page)
    href, oldsrc = re.search(r'<a href="(\./P0\d{20}\.pdf)" OLDSRC="(/protect/[^"]+)"', html).groups()
    status, headers, body = fetch(urljoin(pdf_page, href))
    assert status == 200 and body.startswith(b"%PDF")
    assert fetch(urljoin(pdf_page, oldsrc))[0] == 404


def test_trs_list_contains_a_404_link(portal):
    broken = [x for x in portal.lookalikes() if x["kind"] == "broken" and "/zwgk/" in x["url"]]
    assert broken and all(fetch(x["url"])[0] == 404 for x in broken)


# ---- Hanweb ---------------------------------------------------------------------------

def _hanweb_form(page: str) -> tuple[int, str, int]:
    column = int(re.search(r"columnid:(\d+)", page).group(1))
    unit = re.search(r"unitid:'(\d+)'", page).group(1)
    total = int(re.search(r"totalRecord:(\d+)", page).group(1))
    return column, unit, total


def test_hanweb_old_column_redirects(portal):
    root = base(portal, "hanweb")
    gk = text(root + "col/col1200/index.html")
    assert "/col/col1205/index.html" in gk
    status, headers, _ = fetch(root + "col/col1205/index.html")
    assert status == 301 and headers["Location"] == "/col/col1240/index.html"


def test_hanweb_year_group_embeds_first_records_and_jpage(portal):
    page = text(base(portal, "hanweb") + "col/col1253/index.html")   # 2022年度 → 乡镇街道
    assert 'content="大汉版通"' in page and '<script type="text/xml"><datastore>' in page
    column, unit, total = _hanweb_form(page)
    assert f'<div id="{unit}">' in page
    assert page.count("<record>") == 9 < total


def test_hanweb_dataproxy_serves_the_rest_with_referer(portal):
    root = base(portal, "hanweb")
    page = text(root + "col/col1253/index.html")
    column, unit, total = _hanweb_form(page)
    form = f"col=1&appid=1&webid=1&path=/&columnid={column}&unitid={unit}&webname=x&permissiontype=0".encode()
    url = root + f"module/web/jpage/dataproxy.jsp?startrecord=10&endrecord=18&perpage=3"
    status, _, body = fetch(url, form, {"Referer": root + "col/col1253/index.html"})
    xml = body.decode("utf-8")
    assert status == 200 and xml.count("<record>") == min(9, total - 9)
    assert re.search(r'href="/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"', xml)


def test_hanweb_some_reports_are_only_reachable_through_dataproxy(portal):
    root = base(portal, "hanweb")
    embedded, proxied = set(), set()
    for column in range(1250, 1256):
        page = text(root + f"col/col{column}/index.html")
        embedded |= set(re.findall(r'href="(/art/[^"]+)"', page))
        column, unit, total = _hanweb_form(page)
        form = f"col=1&appid=1&webid=1&path=/&columnid={column}&unitid={unit}&webname=x&permissiontype=0".encode()
        xml = fetch(root + f"module/web/jpage/dataproxy.jsp?startrecord=10&endrecord={total}&perpage=3", form,
                    {"Referer": root})[2].decode()
        proxied |= set(re.findall(r'href="(/art/[^"]+)"', xml))
    reports = {r["url"].replace(root.rstrip("/"), "") for r in portal.truth() if r["url"] and r["url"].startswith(root)}
    assert reports & proxied and not reports & embedded & proxied
    assert reports <= embedded | proxied


def test_trs_some_reports_are_only_on_later_pages(portal):
    root = base(portal, "trs") + "zwgk/zfxxgknb/xzjd/xinglongzhen/"
    later = set(re.findall(r'href="\./([^"]+)"', text(root + "index_1.html") + text(root + "index_2.html")))
    reports = {r["url"].rsplit("/xinglongzhen/", 1)[1] for r in portal.truth() if r["url"] and "/xinglongzhen/" in r["url"]}
    assert reports & later and not reports & later & set(re.findall(r'href="\./([^"]+)"', text(root)))


def test_hanweb_dataproxy_refuses_without_referer(portal):
    root = base(portal, "hanweb")
    form = b"col=1&appid=1&webid=1&path=/&columnid=1253&unitid=6253&webname=x&permissiontype=0"
    assert fetch(root + "module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=9&perpage=3", form)[0] == 403


def test_hanweb_docx_attachment_has_the_table_labels(portal):
    row = next(a for a in portal.truth() if a["format"] == "docx" and "/art/" in a["url"])
    href = re.search(r'href="(/module/download/downfile\.jsp\?classid=0&filename=[0-9a-f]{32}\.docx)"', text(row["url"])).group(1)
    status, _, body = fetch(urljoin(row["url"], href.replace("&amp;", "&")))
    document = docx.Document(io.BytesIO(body))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert status == 200 and {"行政许可", "（七）总计", "结果维持"} <= cells


@pytest.mark.parametrize("family", ["hanweb", "anhui"])
def test_doc_attachments_are_word97_with_the_current_numbers(portal, family, tmp_path):
    import shutil
    import subprocess

    from nianbao.demo_portal.numbers import report_numbers

    root = base(portal, family)
    row = next(a for a in portal.truth() if a["format"] == "doc" and a["url"].startswith(root))
    page = fetch(row["url"])[2].decode("gb18030" if family == "anhui" else "utf-8")
    href = re.search(r'href="([^"]+\.doc)"', page).group(1).replace("&amp;", "&")
    status, headers, body = fetch(urljoin(row["url"], href))
    assert status == 200 and headers["Content-Type"] == "application/msword"
    assert body.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))   # OLE2 compound file
    if not shutil.which("antiword"):
        pytest.skip("antiword is not installed")
    (tmp_path / "r.doc").write_bytes(body)
    extracted = subprocess.run(["antiword", str(tmp_path / "r.doc")], capture_output=True, text=True, check=True).stdout
    new = report_numbers(f"{row['code']}-{row['year']}")["applications.new.total"]
    assert f"本年新收政府信息公开申请{new}件" in extracted.replace("\n", "")


# ---- gkmlpt ---------------------------------------------------------------------------

def test_gkmlpt_shell_has_config_but_no_list(portal):
    root = base(portal, "gkmlpt")
    shell = text(root + "qixia/gkmlpt/index")
    assert "window._CONFIG" in shell and "post_" not in shell


def test_gkmlpt_api_pages_and_page_zero_is_page_one(portal):
    root = base(portal, "gkmlpt")
    sid = re.search(r'"SID": "(\w+)"', text(root + "qixia/gkmlpt/index")).group(1)
    api = root + f"qixia/gkmlpt/api/all/2519?sid={sid}&page="
    first, zero, second = (json.loads(fetch(api + n)[2]) for n in ("1", "0", "2"))
    assert first == zero and first["total"] > len(first["articles"]) and second["articles"]
    assert {"id", "title", "url", "display_publish_time", "identifier", "attachment"} <= set(first["articles"][0])
    assert fetch(root + "qixia/gkmlpt/api/all/2519?page=1")[0] == 400


@pytest.mark.parametrize("chunked, expected", [(True, "chunked"), (False, None)])
def test_gkmlpt_api_is_sent_chunked_on_request(chunked, expected):
    with DemoPortal(chunked=chunked) as p:
        root = base(p, "gkmlpt")
        sid = re.search(r'"SID": "(\w+)"', text(root + "qixia/gkmlpt/index")).group(1)
        status, headers, body = fetch(root + f"qixia/gkmlpt/api/all/2519?sid={sid}&page=1")
        assert (headers.get("Transfer-Encoding"), bool(json.loads(body)["articles"])) == (expected, True)


def test_gkmlpt_detail_has_metadata_table_and_pdf(portal):
    row = next(a for a in portal.truth() if a["format"] == "pdf" and "gkmlpt" in a["url"])
    assert re.search(r"/gkmlpt/content/\d+/\d+/post_\d+\.html$", row["url"])
    page = text(row["url"])
    assert all(label in page for label in ("索引号", "分类", "发布机构", "成文日期", "名称", "文号", "发布日期"))
    href = re.search(r'href="(/qixia/attachment/\d+/\d+/\d+/\d+\.pdf)"', page).group(1)
    status, _, body = fetch(urljoin(row["url"], href))
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        extracted = "".join(p.extract_text() or "" for p in pdf.pages)
    assert status == 200 and "本年新收政府信息公开申请数量" in extracted.replace("\n", "")


# ---- Anhui / GBK ----------------------------------------------------------------------

def test_anhui_list_is_gbk_declared_only_in_meta(portal):
    status, headers, body = fetch(base(portal, "anhui") + "XxgkContent/showList/6608/100/page_1.html")
    assert status == 200 and "charset" not in headers["Content-Type"]
    page = body.decode("gb18030")
    assert "charset=gbk" in page and "政府信息公开年报" in page and "page_2.html" in page
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_anhui_details_decode_as_gb18030(portal):
    rows = [a for a in portal.truth() if a["url"] and "/XxgkAnnualReport/show/" in a["url"]]
    for row in rows:
        status, _, body = fetch(row["url"])
        assert status == 200 and row["township"] in body.decode("gb18030")


def _page_of(row) -> str:
    return fetch(row["url"])[2].decode("gb18030" if "Xxgk" in row["url"] else "utf-8")


_PUBDATE = re.compile(r'name="PubDate" content="(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}"')
_SHOWN = re.compile(r"发布(?:日期|时间)：?(?:</t[dh]><t[dh]>)?(\d{4}-\d{2}-\d{2})")


@pytest.mark.parametrize("source", ["meta", "page", "url"])
def test_report_pages_carry_exactly_their_date_source(portal, source):
    rows = [r for r in portal.truth() if r["published_source"] == source and r["format"] != "seed"]
    assert rows
    for row in rows:
        page, day = _page_of(row), row["published"].isoformat()
        pub, shown = _PUBDATE.search(page), _SHOWN.search(page)
        assert (pub.group(1) if pub else None) == (day if source == "meta" else None), row["url"]
        assert (shown.group(1) if shown else None) == (day if source in ("meta", "page") else None), row["url"]
        if source == "url":
            d = row["published"]
            assert f"/t{d:%Y%m%d}_" in row["url"] or f"/art/{d.year}/{d.month}/{d.day}/" in row["url"]


def test_pubdate_defects_are_present(portal):
    pages = [_page_of(r) for r in portal.truth() if r["url"] and r["format"] != "seed"]
    assert any('name="PubDate" content="null"' in p for p in pages)
    assert any('name="SiteName" content="宁安市人民政府"' in p for p in pages)
    assert any('name="PubDate"' not in p for p in pages)


def test_undated_report_page_has_no_date(portal):
    row = next(a for a in portal.truth() if a["status"] == "undated")
    body = fetch(row["url"])[2].decode("gb18030" if "Xxgk" in row["url"] else "utf-8")
    assert not re.search(r"20[12]\d[-年/.](0?[1-9]|1[0-2])[-月/.]\d{1,2}", body) and "PubDate" not in body


def test_signature_dated_seed_has_no_portal_date(portal):
    row = next(a for a in portal.truth() if a["township"] == "会发镇" and a["year"] == 2021)
    body = fetch(row["url"])[2].decode("gb18030")
    assert row["published_source"] == "signature" and "PubDate" not in body
    assert not re.search(r"发布日期：(</td><td>)?\d", body) and not re.search(r"/20\d\d/?\d", row["url"])
    assert "2022年1月20日" in body


# ---- documents and seeds ----------------------------------------------------------------

def test_inline_html_report_has_spanned_tables(portal):
    row = next(a for a in portal.truth() if a["format"] == "html" and "/zwgk/" in a["url"])
    page = text(row["url"])
    assert 'rowspan="22"' in page and "三、本年度办理结果" in page
    assert all(r.label in page for r in application_rows("2021"))


def _table_rows(page: str) -> dict[str, list[int]]:
    """Leaf label → the numbers on its row, read from the served HTML tables."""
    import lxml.html

    rows = {}
    for tr in lxml.html.fromstring(page).iter("tr"):
        cells = [c.text_content().strip() for c in tr.iter("td")]
        numbers = [int(c) for c in cells if c.isdigit()]
        labels = [c for c in cells if c and not c.replace(".", "").isdigit()]
        if numbers:
            rows[labels[-1] if labels else "(numbers only)"] = numbers
    return rows


def test_inline_report_numbers_satisfy_the_identities(portal):
    for row in [a for a in portal.truth() if a["format"] == "html"][:6]:
        page = fetch(row["url"])[2].decode("gb18030" if "Xxgk" in row["url"] else "utf-8")
        rows = _table_rows(page)
        labels = {r.key: r.label for r in application_rows("2021")}
        get = lambda key: rows[labels[key]]  # noqa: E731
        leaves = [k for k in labels if k.split(".")[0] in ("granted", "partly_granted", "withheld", "unavailable", "not_processed", "other")]
        for col in range(7):
            assert get("new")[col] + get("carried_over")[col] == get("total")[col] + get("carried_forward")[col]
            assert get("total")[col] == sum(get(k)[col] for k in leaves)
        for values in (get(k) for k in labels):
            assert values[6] == sum(values[:6]) and len(values) == 7
        review = next(v for v in rows.values() if len(v) == 15)
        for block in range(3):
            assert sum(review[5 * block:5 * block + 4]) == review[5 * block + 4]
        assert any(get("new"))


@pytest.mark.parametrize("seed", ["七星镇", "兴隆镇", "寺口镇", "迎春镇"])
def test_seed_is_served_line_for_line(portal, seed):
    from nianbao.demo_portal.chrome import seed_text
    from nianbao.demo_portal.world import SEEDS

    (name, year), (file, _, _) = next((k, v) for k, v in SEEDS.items() if k[0] == seed)
    row = next(a for a in portal.truth() if a["township"] == name and a["year"] == year)
    import html as html_lib
    paragraphs = [html_lib.unescape(p) for p in re.findall(r"<p>(.*?)</p>", text(row["url"]).split('<div class="footer">')[0], re.S)]
    assert "\n".join(paragraphs).strip() == seed_text(file).strip()


# ---- truth and registry ------------------------------------------------------------------

def test_truth_covers_twenty_townships_three_years(portal):
    truth = portal.truth()
    assert len({r["code"] for r in truth}) >= 20
    assert Counter(r["year"] for r in truth) == {y: len(truth) // 3 for y in (2021, 2022, 2023)}


def test_truth_has_every_status(portal):
    assert {r["status"] for r in portal.truth()} == {"on_time", "late", "missing", "undated"}


def test_truth_dates_agree_with_status(portal):
    for r in portal.truth():
        if r["status"] == "on_time":
            assert r["published"] <= r["published"].replace(year=r["year"] + 1, month=1, day=31)
        if r["status"] == "late":
            assert r["published"].year == r["year"] + 1 and (r["published"].month, r["published"].day) > (1, 31)


def test_truth_includes_the_five_seeds(portal):
    seeds = {(r["township"], r["year"]) for r in portal.truth() if r["format"] == "seed"}
    assert seeds == {("七星镇", 2022), ("兴隆镇", 2022), ("会发镇", 2021), ("寺口镇", 2022), ("迎春镇", 2023)}


def test_lookalikes_are_served_and_titled_like_reports(portal):
    kinds = Counter(x["kind"] for x in portal.lookalikes())
    assert {"解读", "图解", "公布情况", "department", "county_gov", "指南", "noise"} <= set(kinds)


def test_registry_csv_has_the_interface_header_and_all_levels(portal):
    rows = list(csv.DictReader(io.StringIO(portal.registry_csv())))
    assert list(rows[0]) == HEADER
    assert {r["level"] for r in rows} == {"province", "city", "county", "township"}
    counties = [r for r in rows if r["level"] == "county"]
    assert all(r["portal_urls"].startswith("http://127.0.0.1:") for r in counties)
    assert any(r["portal_urls"].endswith("/zwgk/zfxxgknb/") for r in counties)
    assert all(len(r["code"]) == 12 for r in rows)


def test_registry_township_codes_follow_their_kind(portal):
    rows = [r for r in csv.DictReader(io.StringIO(portal.registry_csv())) if r["level"] == "township"]
    for r in rows:
        assert r["code"][6] == {"街道": "0", "镇": "1", "乡": "2"}[next(k for k in ("街道", "镇", "乡") if r["name"].endswith(k))]
        assert r["code"][:6] == r["parent_code"][:6]


# ---- in a browser (the JavaScript families render their lists) ---------------------------

@pytest.fixture(scope="module")
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    import shutil

    if not shutil.which("chromium"):
        pytest.skip("Debian's Chromium is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        yield browser.new_page()
        browser.close()


@pytest.mark.browser
def test_gkmlpt_shell_renders_the_list_in_a_browser(portal, browser_page):
    browser_page.goto(base(portal, "gkmlpt") + "qixia/gkmlpt/index#2519")
    browser_page.wait_for_selector("#list li")
    assert len(browser_page.query_selector_all("#list li")) == 10


@pytest.mark.browser
def test_hanweb_jpage_fetches_later_pages_in_a_browser(portal, browser_page):
    browser_page.goto(base(portal, "hanweb") + "col/col1253/index.html")
    browser_page.wait_for_selector('[id="6253"] a[data-p="4"]')
    first = browser_page.inner_text('[id="6253"] ul')
    browser_page.click('[id="6253"] a[data-p="4"]')   # record 10+: not embedded, needs dataproxy.jsp
    browser_page.wait_for_function("t => document.querySelector('[id=\"6253\"] ul').innerText !== t", arg=first)
    assert "/art/" in browser_page.inner_html('[id="6253"] ul')
