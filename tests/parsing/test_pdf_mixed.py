"""PDFs whose text layer does not hold the whole report: each such page is OCR'd, the others kept.

Built here: born-digital pages (reportlab), scanned pages (the scan drawer of
``generated/scan.py``, wrapped as image PDFs), pages whose font has no
ToUnicode map (text decodes to "(cid:N)"), and scanned pages under an
invisible OCR layer; pypdfium2 joins them into one document.
"""

from __future__ import annotations

import io
import random
import shutil
import time

import pytest

from parsing import parse_bytes
from parsing.document import Paragraph, Table
from parsing.errors import ParseError
from parsing.extract import limits, ocr, pdf
from parsing.tokens import lines_of

from .generated import measure, render, scan
from .generated.layout import HEADINGS, blocks, review_rows

TEXT_FONT = "STSong-Light"     # reportlab's built-in CID font: decodes through its CMap
TEXT_WIDTH = 451.0            # points: A4 less reportlab's default margins
CID_SAMPLE = "兴隆镇人民政府2022年政府信息公开工作年度报告"
OCR_MISSING = "OCR needs tesseract-ocr(-chi-sim), poppler-utils and a CJK font (fonts-wqy-microhei)"


def _can_ocr() -> bool:
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm") and render.cjk_font())


needs_ocr_tools = pytest.mark.skipif(not _can_ocr(), reason=OCR_MISSING)


def _case(name: str = "clean_2021_a"):
    return next(c for c in measure.all_cases() if c.name == name)


# ---- building PDFs -------------------------------------------------------------------------------


def _text_pdf(paragraphs: list[str], font: str = TEXT_FONT, header: str = "") -> bytes:
    """Paragraphs on A4 pages with a running header and page numbers (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as Para
    from reportlab.platypus import SimpleDocTemplate

    _register(font)
    body = ParagraphStyle("zh", fontName=font, fontSize=10, leading=14, wordWrap="CJK")

    def running(canvas, doc):
        canvas.setFont(font, 8)
        canvas.drawString(72, A4[1] - 30, header)
        canvas.drawCentredString(A4[0] / 2, 25, f"- {doc.page} -")

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Para(p, body) for p in paragraphs], onFirstPage=running,
                                              onLaterPages=running)
    return buf.getvalue()


def _register(font: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    if font in pdfmetrics.getRegisteredFontNames():
        return
    if font == TEXT_FONT:
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    else:
        pdfmetrics.registerFont(TTFont(font, render.cjk_font(), subfontIndex=0))


def _cid_pdf(paragraphs: list[str]) -> bytes:
    """Paragraphs in an embedded TrueType subset whose /ToUnicode key is renamed away (same length, so
    the cross-reference offsets hold): the page shows the text, its text layer reads "(cid:N)"."""
    return _text_pdf(paragraphs, font="EmbeddedCJK").replace(b"/ToUnicode", b"/ToUnicodX")


def _scan_pdf(items: list[tuple[str, object]], case) -> bytes:
    """Blocks drawn by the scan drawer (clean style) on their own pages, as an image-only PDF."""
    style = scan.STYLES["scan.pdf"]
    drawer = scan._Drawer(case, style, random.Random(0))
    for kind, item in items:
        if kind == "p":
            drawer._paragraph(item)
        else:
            drawer._table(*scan._template(item, case))
            drawer.y += scan.TEXT_SIZE
    buf = io.BytesIO()
    drawer.pages[0].save(buf, "PDF", resolution=style.dpi, save_all=True, append_images=drawer.pages[1:])
    return buf.getvalue()


def _invisible_layer_pdf(image_pdf: bytes, text: str) -> bytes:
    """A scanned page under an invisible text layer (render mode 3), as a scanner's OCR leaves it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    import pypdfium2
    image = pypdfium2.PdfDocument(image_pdf)[0].render(scale=1).to_pil()
    _register(TEXT_FONT)
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4)
    page.drawImage(ImageReader(image), 0, 0, *A4)
    layer = page.beginText(72, A4[1] - 100)
    layer.setTextRenderMode(3)
    layer.setFont(TEXT_FONT, 12)
    for n in range(0, len(text), 40):
        layer.textLine(text[n:n + 40])
    page.drawText(layer)
    page.save()
    return buf.getvalue()


def _joined(parts: list[bytes]) -> bytes:
    """The PDFs' pages one after another in one document."""
    import pypdfium2
    out = pypdfium2.PdfDocument.new()
    for data in parts:
        out.import_pages(pypdfium2.PdfDocument(data))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def _mixed_pdf(case) -> tuple[bytes, int]:
    """The case with its prose on text pages and its tables (and a heading between two tables) on
    scanned pages, in order; and how many pages are scans."""
    items = blocks(case)
    scanned = [kind == "table" or 0 < n < len(items) - 1 and items[n - 1][0] == items[n + 1][0] == "table"
               for n, (kind, _) in enumerate(items)]
    parts, runs = [], []
    for n, (item, is_scan) in enumerate(zip(items, scanned)):
        if n == 0 or is_scan != scanned[n - 1]:
            runs.append((is_scan, []))
        runs[-1][1].append(item)
    scans = 0
    for is_scan, run in runs:
        if is_scan:
            parts.append(_scan_pdf(run, case))
            scans += len(_pages(parts[-1]))
        else:
            parts.append(_text_pdf([text for _, text in run], header=f"{case.township}政务公开"))
    return _joined(parts), scans


def _pages(data: bytes) -> list:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [pdf.needs_ocr(page) for page in doc.pages]


# ---- which pages need OCR ------------------------------------------------------------------------

PROSE = "".join(blocks(_case())[3][1] for _ in range(3))
NUMBERS = "\t".join(str(n) for n in range(175))


@pytest.mark.parametrize("text,scanned,garbage", [
    (PROSE, False, False),                                                  # Chinese prose
    (PROSE, True, False),                                                   # the same as a scanner's layer
    (NUMBERS, False, False),                                                # a table of numbers
    (NUMBERS, True, False),
    ("政府网站（http://www.yyx.gov.cn）" + PROSE[:60], False, False),       # a web address in prose
    ("\uf06c 加强平台建设。\uf06c 规范依申请公开。\uf06c 强化监督保障。", False, False),  # Wingdings bullets
    ("(cid:12)(cid:345)(cid:7) (cid:8)2022(cid:9)(cid:10)", False, True),  # font without ToUnicode
    ("\ue012\ue013\ue014\ue015 2022 \ue016", False, True),                 # private-use glyphs
    ("\ufffd\ufffd\x03\x04\ufffd", False, True),                             # replacement, control
    ("ÐËÂ¡ÕòÈËÃñÕþ¸®2022Äê", False, True),                                  # GBK bytes read as Latin-1
    ("Ef)il ifitail fuff/j=flJi 1-4 Wi*AfRX", True, True),                 # an English OCR layer on a scan
    ("Ef)il ifitail fuff/j=flJi 1-4 Wi*AfRX", False, False),               # Latin on a text page is text
])
def test_garbage_share_threshold(text, scanned, garbage):
    assert (pdf.garbage_share(text, scanned) >= pdf.GARBAGE_SHARE) is garbage


@pytest.mark.parametrize("name", [c.name for c in measure.all_cases()])
def test_born_digital_pages_keep_their_text(name):
    assert not any(_pages(measure.rendered("pdf")[name]))


def test_born_digital_pdf_never_calls_ocr(monkeypatch):
    def refuse(*args):
        raise AssertionError("OCR called on a born-digital PDF")
    monkeypatch.setattr(ocr, "read_pdf", refuse)
    case = _case()
    data = _joined([render.pdf_bytes(case), _blank_page()])
    report = parse_bytes(data, source="x.pdf")
    assert "ocr" not in report and measure.cell_errors(case, report)[1] == []


def _blank_page() -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.showPage()
    page.save()
    return buf.getvalue()


def test_only_the_scanned_pages_need_ocr():
    data, scans = _mixed_pdf(_case())
    need = _pages(data)
    assert sum(need) == scans and need[0] is False and 0 < scans < len(need)


def test_cid_page_needs_ocr():
    assert _pages(_cid_pdf([CID_SAMPLE])) == [True]


def test_cid_text_layer_is_what_the_threshold_sees():
    import pdfplumber
    with pdfplumber.open(io.BytesIO(_cid_pdf([CID_SAMPLE]))) as doc:
        assert "(cid:" in doc.pages[0].extract_text()


@pytest.mark.parametrize("layer,need", [("Ef)il ifitail fuff/j=flJi 1-4 Wi*AfRX lii~ ffi" * 4, True),
                                        (CID_SAMPLE * 3, False)])
def test_scanners_invisible_layer_trusted_only_when_it_reads_as_chinese(layer, need):
    image = _scan_pdf(blocks(_case())[:4], _case())
    assert _pages(_invisible_layer_pdf(image, layer)) == [need]


def test_cid_garbage_beyond_the_ocr_page_limit_refused_at_once():
    many = _joined([_cid_pdf([CID_SAMPLE])] * (limits.OCR_MAX_PAGES + 1))
    start = time.monotonic()
    with pytest.raises(ParseError, match="OCR limit"):
        parse_bytes(many, source="x.pdf")
    assert time.monotonic() - start < 10


# ---- the ocr metadata counts every page's lines ----------------------------------------------------


def test_low_confidence_lines_count_born_digital_pages():
    text = ocr.PageText([(10, 20, Paragraph("一、总体情况")), (30, 40, Paragraph("本年度新收申请3件。"))],
                        height=800, ocr=False)
    table = Table(rows=[["信息内容", "本年制发件数"], ["规章", "7"]], origins=[[1, 2], [3, 4]])
    read = ocr.PageText([(100, 300, table)], flags={id(table): {1: ["7"]}}, confidences=[90.0], height=2339)
    doc = ocr.document([text, read])
    assert doc.ocr["pages"] == 1 and doc.ocr["low_confidence"] == {3: ["7"]}
    assert "7" in lines_of(doc)[3].cells


# ---- end to end (OCR: a few seconds a page) --------------------------------------------------------


@needs_ocr_tools
def test_mixed_report_parses_to_its_tables():
    case = _case()
    data, scans = _mixed_pdf(case)
    report = parse_bytes(data, source="x.pdf")
    assert measure.cell_errors(case, report)[1] == []
    assert measure.identity_right(case, report) and report["ocr"]["pages"] == scans
    assert measure.severe_codes(report) == case.expected_codes


@needs_ocr_tools
def test_cid_page_is_read_by_ocr():
    case = _case()
    data = _cid_pdf([case.title, f"本年度报告中所列数据的统计期限自{case.year}年1月1日起至{case.year}年12月31日止。",
                     HEADINGS["overview"]])
    report = parse_bytes(data, source="x.pdf")
    assert (report["year"], report["agency"], report["ocr"]["pages"]) == (case.year, case.agency, 1)


# ---- tables pasted as pictures on text pages ---------------------------------------------------------


def _table_picture(rows, case) -> bytes:
    """A table drawn by the scan drawer, cropped to its rulings, as PNG."""
    from PIL import ImageOps
    drawer = scan._Drawer(case, scan.STYLES["scan.pdf"], random.Random(0))
    drawer._table(*scan._template(rows, case))
    page = drawer.pages[-1]
    x0, y0, x1, y1 = ImageOps.invert(page).getbbox()
    buf = io.BytesIO()
    page.crop((x0 - 8, y0 - 8, x1 + 8, y1 + 8)).save(buf, "PNG", dpi=(scan.BASE_DPI, scan.BASE_DPI))
    return buf.getvalue()


def _pictured_pdf(case, items: list | None = None) -> bytes:
    """The case's blocks (or ``items``) on text pages, each table pasted as a picture of it, a text
    width wide."""
    import PIL.Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image, SimpleDocTemplate
    from reportlab.platypus import Paragraph as Para

    _register(TEXT_FONT)
    body = ParagraphStyle("zh", fontName=TEXT_FONT, fontSize=10, leading=14, wordWrap="CJK")
    story = []
    for kind, item in items or blocks(case):
        if kind == "p":
            story.append(Para(item, body))
            continue
        picture = _table_picture(item, case)
        with PIL.Image.open(io.BytesIO(picture)) as img:
            height = TEXT_WIDTH * img.height / img.width
        story.append(Image(io.BytesIO(picture), width=TEXT_WIDTH, height=height))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def test_picture_beside_found_tables_is_not_read(monkeypatch):
    def refuse(*args):
        raise AssertionError("OCR called though the tables were found")
    monkeypatch.setattr(ocr, "read_pdf", refuse)
    case = _case()
    appendix = _pictured_pdf(case, [("p", "附表：行政复议、行政诉讼情况"), ("table", review_rows(case))])
    assert _picture_boxes(appendix) == [1]
    report = parse_bytes(_joined([render.pdf_bytes(case), appendix]), source="x.pdf")
    assert "ocr" not in report


def _picture_boxes(data: bytes) -> list[int]:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [len(pdf._pictures(page)) for page in doc.pages]


def test_seal_is_no_table_picture():
    import PIL.Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 700, "seal")
    page.drawImage(ImageReader(PIL.Image.new("L", (300, 300), 0)), 400, 100, 120, 120)   # 4.2 cm across
    page.save()
    assert _picture_boxes(buf.getvalue()) == [0]


@needs_ocr_tools
def test_tables_pasted_as_pictures_are_read_in_place(monkeypatch):
    docs, assemble = [], ocr.document
    monkeypatch.setattr(ocr, "document", lambda pages: docs.append(assemble(pages)) or docs[-1])
    case = _case()
    report = parse_bytes(_pictured_pdf(case), source="x.pdf")
    assert measure.cell_errors(case, report)[1] == []
    assert measure.identity_right(case, report) and measure.severe_codes(report) == case.expected_codes
    assert report["ocr"]["pages"] == 3
    before_tables = [a.text for a, b in zip(docs[-1].blocks, docs[-1].blocks[1:]) if isinstance(b, Table)]
    assert before_tables == [HEADINGS["proactive"], HEADINGS["applications"],
                             f"本年度本机关政府信息公开行政复议{case.prose_numbers['review']}件。"]
