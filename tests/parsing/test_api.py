"""Public API: exports, named errors for hostile input, page context for attachments, look-alikes."""

from __future__ import annotations

import io

import pytest

import parsing
from parsing import PageContext, ParseError, parse_bytes, parse_file

from .docgen import pdf_bytes
from .render import report_html, zero_values


def test_exports_exactly():
    assert sorted(parsing.__all__) == sorted(
        ["parse_bytes", "parse_file", "PageContext", "ParseError", "SUPPORTED_EXTENSIONS"])


@pytest.mark.parametrize("ext", [".txt", ".html", ".htm", ".pdf", ".docx"])
def test_supported_extension(ext):
    assert ext in parsing.SUPPORTED_EXTENSIONS


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 100, "hello")
    c.save()
    return buf.getvalue()


HOSTILE = [
    ("encrypted.pdf", _encrypted_pdf(), "encrypted"),
    ("corrupt.pdf", b"%PDF-1.4\n garbage \x00\x01", "corrupt"),
    ("truncated.pdf", pdf_bytes(zero_values())[:400], "corrupt"),
    ("corrupt.docx", b"PK\x03\x04garbage", "corrupt"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "convert"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "OCR"),
    ("blob.bin", b"\x00\x01\x02", "unsupported"),
    ("empty.txt", b"  \n ", "empty"),
]


@pytest.mark.parametrize("name,data,hint", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_raises_parse_error(name, data, hint):
    with pytest.raises(ParseError, match=hint):
        parse_bytes(data, source=name)


@pytest.mark.parametrize("name,data", [h[:2] for h in HOSTILE if h[0].endswith((".pdf", ".docx"))])
def test_library_error_is_chained(name, data):
    with pytest.raises(ParseError) as info:
        parse_bytes(data, source=name)
    assert info.value.__cause__ is not None


def test_parse_file_missing_path(tmp_path):
    with pytest.raises(ParseError, match="cannot read"):
        parse_file(tmp_path / "nope.txt")


def test_magic_bytes_beat_extension():
    report = parse_bytes(pdf_bytes(zero_values()), source="http://x.gov.cn/download.jsp?id=1", filename="a.html")
    assert report["format"] == "2021"


# ---- attachments: the page's metadata dates the report, the attachment names it -------------------

PAGE = ('<html><head><meta name="PubDate" content="2023-01-19 10:02"><meta name="SiteName" content="友谊县人民政府">'
        '<title>兴隆镇2022年年报</title></head><body><p>附件：<a href="a.pdf">年报.pdf</a></p></body></html>').encode()
PAGE_NO_META = ('<html><body><table><tr><td>发布机构</td><td>兴隆镇人民政府</td><td>发 布 日 期</td>'
                '<td>2023年01月17日</td></tr></table></body></html>').encode()
ATTACHMENT = pdf_bytes(zero_values(), signature="2023年1月10日")

CONTEXT_CASES = [
    # context, field, expected
    (PageContext(page_html=PAGE, page_url="http://x.gov.cn/art/2023/1/21/art_1_2.html"), "published", "2023-01-19"),
    (PageContext(page_html=PAGE), "published_source", "meta"),
    (PageContext(page_html=PAGE_NO_META), "published", "2023-01-17"),
    (PageContext(page_html=PAGE_NO_META), "published_source", "page"),
    (PageContext(listed_date="2023-01-16"), "published", "2023-01-16"),
    (PageContext(listed_date="2023-01-16"), "published_source", "listing"),
    (PageContext(page_url="http://x.gov.cn/zfxxgk/202301/t20230120_99.html"), "published", "2023-01-20"),
    (PageContext(page_url="http://x.gov.cn/art/2023/1/21/art_1_2.html"), "published_source", "url"),
    (PageContext(), "published", "2023-01-10"),
    (PageContext(), "published_source", "signature"),
    (PageContext(page_html=PAGE, listing_title="兴隆镇年报"), "title", "友谊县兴隆镇人民政府2022年政府信息公开工作年度报告"),
    (PageContext(page_html=PAGE), "township", "兴隆镇"),
    (PageContext(page_html=PAGE), "year", 2022),
]


@pytest.mark.parametrize("context,field,expected", CONTEXT_CASES)
def test_attachment_context(context, field, expected):
    report = parse_bytes(ATTACHMENT, source="http://x.gov.cn/P0202301.pdf", context=context)
    assert report[field] == expected


def test_url_date_of_the_page_itself():
    html = report_html(zero_values()).encode()
    report = parse_bytes(html, source="http://x.gov.cn/art/2023/1/20/art_5_6.html")
    assert (report["published"], report["published_source"]) == ("2023-01-20", "url")


def test_year_not_taken_from_publication_date():
    html = report_html(zero_values(), title="兴隆镇人民政府政府信息公开工作年度报告", period_year=None,
                       meta={"PubDate": "2023-01-20"})
    assert parse_bytes(html.encode(), source="a.html")["year"] is None


def test_unreadable_linking_page_noted_not_fatal():
    report = parse_bytes(ATTACHMENT, source="a.pdf", context=PageContext(page_html=b"   "))
    assert (report["township"], [c["code"] for c in report["checks"]]) == ("兴隆镇", ["context.page_unreadable"])


def test_listed_date_may_be_a_date_object():
    from datetime import date
    report = parse_bytes(ATTACHMENT, source="a.pdf", context=PageContext(listed_date=date(2023, 1, 5)))
    assert report["published"] == "2023-01-05"


def test_metadata_table_agency_stops_at_next_label():
    from parsing.extract import extract
    html = ("<html><body><table><tr><th>发布机构</th><td>华山乡人民政府</td><th>成文日期</th><td>2022-02-23</td></tr>"
            "<tr><th>文号</th><td></td><th>发布日期</th><td>2022-03-02 15:31</td></tr></table></body></html>").encode()
    meta = extract(html, "a.html").meta
    assert (meta["page_agency"], meta["page_date"]) == ("华山乡人民政府", "2022-03-02")


INTERFACE_KEYS = {"source", "title", "agency", "agency_kind", "township", "county", "city", "province", "division_code",
                  "year", "published", "published_source", "format", "sections", "tables", "missing", "checks",
                  "document_kind", "coverage", "text_fingerprint"}


def test_report_object_keys_and_json():
    import json
    report = parse_bytes(ATTACHMENT, source="a.pdf")
    assert set(report) == INTERFACE_KEYS and json.loads(json.dumps(report, ensure_ascii=False)) == report


@pytest.mark.parametrize("signature,expected", [("2023年1月10日", "2023-01-10"), ("2020年5月1日", None)])
def test_signature_must_fit_the_report_year(signature, expected):
    report = parse_bytes(pdf_bytes(zero_values(), signature=signature), source="a.pdf")
    assert report["published"] == expected


def test_published_before_period_end_flagged():
    report = parse_bytes(ATTACHMENT, source="a.pdf", context=PageContext(listed_date="2022-06-01"))
    assert "year.published_before_period_end" in [c["code"] for c in report["checks"]]
