"""Write a minimal OFD (GB/T 33190) package: positioned text objects, one page per 30 lines, landscape A4."""

from __future__ import annotations

import io
import zipfile
from html import escape

from .cases import Case
from .layout import blocks

NS = "http://www.ofdspec.org/2016"
LINES_PER_PAGE = 30
SIZE = 3.0          # mm
LABEL_WIDTH = 130   # mm
COLUMN = 18         # mm


def _lines(case: Case) -> list[list[tuple[float, str]]]:
    """Each printed line as (x in mm, text) pieces."""
    out = []
    for kind, item in blocks(case, slash=True):   # positioned text cannot show an empty cell
        if kind == "p":
            out.append([(15.0, item)])
            continue
        for row in item:
            if len(row) > 1 and len(row) <= 4 and len(row[0]) < 8:   # a header row without a label column
                out.append([(15.0 + n * 40, text) for n, text in enumerate(row)])
            else:
                out.append([(15.0, row[0])] + [(15.0 + LABEL_WIDTH + n * COLUMN, t) for n, t in enumerate(row[1:])])
    return out


def _page(lines: list[list[tuple[float, str]]], first_id: int) -> str:
    objs, oid = [], first_id
    for n, line in enumerate(lines):
        y = 15 + n * 6
        for x, text in line:
            if text:
                oid += 1
                objs.append(f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} 150 {SIZE + 1}" Font="1" Size="{SIZE}">'
                            f'<ofd:TextCode X="0" Y="{SIZE}">{escape(text)}</ofd:TextCode></ofd:TextObject>')
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{first_id}">'
            + "".join(objs) + "</ofd:Layer></ofd:Content></ofd:Page>")


def ofd_bytes(case: Case) -> bytes:
    lines = _lines(case)
    pages = [lines[k:k + LINES_PER_PAGE] for k in range(0, len(lines), LINES_PER_PAGE)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
                              f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID><ofd:Title>{escape(case.title)}</ofd:Title>"
                              "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        page_refs = "".join(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
                                         '<ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 297 210</ofd:PhysicalBox>'
                                         f"</ofd:PageArea></ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>")
        for n, page in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", _page(page, 1000 * (n + 1)))
    return buf.getvalue()


def xlsx_bytes(case: Case) -> bytes:
    """The case as one worksheet: paragraphs in column A, tables cell by cell, one-cell rows merged."""
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    r = 0
    for kind, item in blocks(case):
        rows = [[item]] if kind == "p" else item
        width = 1 if kind == "p" else max(len(row) for row in item)
        for row in rows:
            r += 1
            for c, text in enumerate(row, start=1):
                sheet.cell(r, c, _number(text))
            if kind == "table" and len(row) == 1 and width > 1:
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text or None
