"""Render a generated case as HTML, DOCX, DOC, born-digital PDF and scanned (image-only) PDF.

PDFs are A4 portrait with a running header and page numbers (which the parser
must drop) and ruled tables that break across pages. Scans are drawn by
``scan.py`` with Pillow in a CJK font found by fontconfig, then wrapped as an
image PDF.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from .cases import Case
from .layout import blocks

FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def html_bytes(case: Case) -> bytes:
    parts = []
    for kind, item in blocks(case):
        if kind == "p":
            parts.append(f"<p>{escape(item)}</p>")
            continue
        width = max(len(r) for r in item)
        rows = "".join("<tr>" + (f'<td colspan="{width}">{escape(r[0])}</td>' if len(r) == 1 else
                                 "".join(f"<td>{escape(c)}</td>" for c in r)) + "</tr>" for r in item)
        parts.append(f"<table border=1>{rows}</table>")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="PubDate" content="{case.year + 1}-01-20">'
            f"<title>{escape(case.title)}</title></head><body>{''.join(parts)}</body></html>").encode()


def docx_bytes(case: Case) -> bytes:
    import docx
    doc = docx.Document()
    for kind, item in blocks(case):
        if kind == "p":
            doc.add_paragraph(item)
            continue
        width = max(len(r) for r in item)
        table = doc.add_table(rows=len(item), cols=width)
        for r, row in enumerate(item):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
            if len(row) == 1 and width > 1:
                table.cell(r, 0).merge(table.cell(r, width - 1))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_bytes(case: Case) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    small = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story = []
    for kind, item in blocks(case):
        if kind == "p":
            story.append(Paragraph(item, body))
            continue
        width = max(len(r) for r in item)
        grid = [[Paragraph(r[0], small)] + r[1:] + [""] * (width - len(r)) for r in item]
        first = 170 if width > 4 else 120
        style = [("FONT", (0, 0), (-1, -1), "STSong-Light", 7), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
        style += [("SPAN", (0, n), (-1, n)) for n, r in enumerate(item) if len(r) == 1]
        story.append(Table(grid, colWidths=[first] + [(480 - first) / (width - 1)] * (width - 1), style=style))

    def running(canvas, doc):
        canvas.setFont("STSong-Light", 8)
        canvas.drawString(72, A4[1] - 30, f"{case.township}政务公开")
        canvas.drawCentredString(A4[0] / 2, 25, f"- {doc.page} -")

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=case.title).build(story, onFirstPage=running, onLaterPages=running)
    return buf.getvalue()


def cjk_font() -> str | None:
    """A CJK font file for drawing scans, or None (the scan tests then skip)."""
    found = [f for f in FONT_FILES if Path(f).exists()]
    if not found and shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
        found = [line.split(":")[0] for line in out.splitlines() if line.strip()]
    return found[0] if found else None


def scan_pdf_bytes(case: Case) -> bytes:
    """The case as a clean image-only PDF (black on white, 200 dpi); ``scan.py`` draws it and its realistic variants."""
    from .scan import STYLES, scan_pdf
    return scan_pdf(case, STYLES["scan.pdf"])


def convert_all(named: dict[str, bytes], source_ext: str, target: str) -> dict[str, bytes]:
    """Files converted by one LibreOffice run (e.g. "docx" → "doc:MS Word 97"); {} without soffice."""
    soffice = shutil.which("soffice")
    if not soffice:
        return {}
    ext = target.split(":")[0]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in named.items():
            path = Path(tmp) / f"{name}.{source_ext}"
            path.write_bytes(data)
            paths.append(str(path))
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", target, "--outdir", f"{tmp}/out", *paths],
                       capture_output=True, timeout=600, check=False)
        return {name: (Path(tmp) / "out" / f"{name}.{ext}").read_bytes() for name in named
                if (Path(tmp) / "out" / f"{name}.{ext}").exists()}
