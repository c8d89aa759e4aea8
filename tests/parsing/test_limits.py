"""Hostile input is bounded: zip bombs, encrypted/corrupt files, endless OCR, missing converters → ParseError."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsing import ParseError, parse_bytes
from parsing.extract import limits

from .generated import measure
from .generated.ofdgen import ofd_bytes, xlsx_bytes


def _bomb(members: dict[str, bytes], size: int = 300 * 2**20) -> bytes:
    """A zip whose extra member inflates to ``size`` zero bytes (compressed about 1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        with z.open("bomb.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * 2**20
            for _ in range(size // 2**20):
                fh.write(chunk)
    return buf.getvalue()


BOMBS = {
    "bomb.docx": {"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"},
    "bomb.xlsx": {"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"},
    "bomb.ofd": {"OFD.xml": b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>"},
}


@pytest.fixture(scope="module")
def bombs():
    return {name: _bomb(members) for name, members in BOMBS.items()}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_zip_bomb_refused(bombs, name):
    with pytest.raises(ParseError, match="zip bomb"):
        parse_bytes(bombs[name], source=name)


def test_zip_bomb_by_ratio_refused(monkeypatch, bombs):
    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 10**12)
    with pytest.raises(ParseError, match="compressed"):
        parse_bytes(bombs["bomb.ofd"], source="bomb.ofd")


def test_lying_zip_header_bounded(monkeypatch):
    """A member read is capped whatever its header declares."""
    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 1000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", b"x" * 900)
    archive = limits.open_zip(buf.getvalue(), "OFD file")
    assert len(limits.read_member(archive, "OFD.xml", "OFD file")) == 900


@pytest.mark.parametrize("name,data,hint", [
    ("corrupt.ofd", b"PK\x03\x04garbage", "corrupt"),
    ("corrupt.xlsx", b"PK\x03\x04garbage", "corrupt"),
    ("empty.ofd", None, "DocRoot"),
    ("badxml.ofd", None, "not valid XML"),
])
def test_corrupt_packages(name, data, hint):
    if data is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>" if name == "empty.ofd" else "<a><b>")
        data = buf.getvalue()
    with pytest.raises(ParseError, match=hint):
        parse_bytes(data, source=name)


def _scan() -> bytes:
    return measure.rendered_scan("scan.pdf", "clean_2021_a")


def test_scanned_pdf_page_limit(monkeypatch):
    monkeypatch.setattr(limits, "OCR_MAX_PAGES", 1)
    with pytest.raises(ParseError, match="OCR limit"):
        parse_bytes(_scan(), source="scan.pdf")


@pytest.mark.parametrize("seconds", [0.05, 0.6])   # stopped while rendering the page; while reading it
def test_endless_ocr_stopped(monkeypatch, seconds):
    monkeypatch.setattr(limits, "OCR_PAGE_SECONDS", seconds)
    with pytest.raises(ParseError, match="longer than"):
        parse_bytes(_scan(), source="scan.pdf")


def test_ocr_stopped_for_the_document(monkeypatch):
    monkeypatch.setattr(limits, "OCR_TOTAL_SECONDS", 1.0)
    with pytest.raises(ParseError, match="longer than"):
        parse_bytes(_scan(), source="scan.pdf")


def test_huge_image_refused(monkeypatch):
    from PIL import Image
    monkeypatch.setattr(limits, "OCR_MAX_PIXELS", 10_000)
    buf = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buf, "PNG")
    with pytest.raises(ParseError, match="too large"):
        parse_bytes(buf.getvalue(), source="scan.png")


@pytest.mark.parametrize("name,data", [("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
                                       ("report.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
                                       ("report.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)])
def test_missing_converter_named(monkeypatch, name, data):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ParseError, match="install the Debian package|needs LibreOffice"):
        parse_bytes(data, source=name)


def test_missing_tesseract_named(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ParseError, match="tesseract-ocr"):
        parse_bytes(_png("兴隆镇"), source="a.png")


def test_converter_timeout_kills_and_cleans(tmp_path):
    with pytest.raises(ParseError, match="longer than"):
        limits.run(["sleep", "5"], seconds=0.2, what="a test sleeper")


def _png(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    from .generated.render import cjk_font
    img = Image.new("L", (1600, 200), 255)
    ImageDraw.Draw(img).text((40, 60), text, font=ImageFont.truetype(cjk_font(), 40), fill=0)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_image_is_ocrd():
    from .generated.render import cjk_font
    if not cjk_font():
        pytest.skip("no CJK font (install fonts-wqy-microhei) to draw the test image")
    report = parse_bytes(_png("友谊县兴隆镇人民政府2022年政府信息公开工作年度报告"), source="a.png")
    assert (report["year"], report["agency"], report["ocr"]["pages"]) == (2022, "兴隆镇人民政府", 1)


def test_ofd_and_xlsx_keep_title():
    case = measure.all_cases()[0]
    for name, data in (("a.ofd", ofd_bytes(case)), ("a.xlsx", xlsx_bytes(case))):
        assert parse_bytes(data, source=name)["title"] == case.title
