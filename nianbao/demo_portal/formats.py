"""Render report blocks (``report.report_blocks``) as HTML, PDF and DOCX.

PDFs use reportlab's built-in CID font ``STSong-Light`` (no font files) and
draw real ruled tables with spans; DOCX files hold real Word tables with
merged cells. Output is deterministic for the same blocks (fixed PDF
creation date, invariant mode), so archived digests repeat across runs.
"""

from __future__ import annotations

import html
import io
from datetime import datetime

from nianbao.demo_portal.report import Cell, Grid

_FONT = "STSong-Light"


def place(grid: Grid) -> tuple[list[tuple[int, int, Cell]], int, int]:
    """Grid positions ``(row, col, cell)`` honouring spans, plus (rows, cols)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            taken |= {(r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
            c += cell.colspan
    cols = max(c for _, c in taken) + 1
    return out, len(grid), cols


# ---- HTML --------------------------------------------------------------------

def _td(cell: Cell) -> str:
    spans = "".join(f' {name}="{n}"' for name, n in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if n > 1)
    return f'<td{spans} valign="middle"><p style="text-align:center">{html.escape(cell.text)}</p></td>'


def html_table(grid: Grid) -> str:
    rows = "\n".join("<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in grid)
    return ('<table border="1" cellspacing="0" cellpadding="0" width="600" style="border-collapse:collapse">\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>")


def blocks_html(blocks: list[tuple[str, object]]) -> str:
    """The article body (no page chrome): title is left to the page."""
    parts = []
    for kind, value in blocks:
        if kind == "h":
            parts.append(f'<p style="text-indent:2em"><strong>{html.escape(str(value))}</strong></p>')
        elif kind == "p":
            parts.append(f'<p style="text-indent:2em">{html.escape(str(value))}</p>')
        elif kind == "table":
            parts.append(html_table(value))  # type: ignore[arg-type]
        elif kind == "sign":
            parts.append(f'<p style="text-align:right">{html.escape(str(value))}</p>')
    return "\n".join(parts)


# ---- PDF ---------------------------------------------------------------------

def _pdf_table(grid: Grid, styles):  # noqa: ANN001, ANN202 (reportlab types)
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    placed, nrows, ncols = place(grid)
    data: list[list[object]] = [["" for _ in range(ncols)] for _ in range(nrows)]
    commands: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for r, c, cell in placed:
        data[r][c] = Paragraph(html.escape(cell.text), styles["cell"])
        if cell.rowspan > 1 or cell.colspan > 1:
            commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    return Table(data, colWidths=_column_widths(placed, ncols), style=TableStyle(commands))


def _column_widths(placed: list[tuple[int, int, Cell]], ncols: int, total: float = 500) -> list[float]:
    """Wider columns where unspanned cells hold long labels, numbers get the rest."""
    longest = [2] * ncols
    for _, c, cell in placed:
        if cell.colspan == 1:
            longest[c] = max(longest[c], min(len(cell.text), 12))
    scale = total / sum(longest)
    return [n * scale for n in longest]


def pdf_bytes(blocks: list[tuple[str, object]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    styles = {
        "title": ParagraphStyle("title", fontName=_FONT, fontSize=16, leading=22, alignment=1, wordWrap="CJK"),
        "h": ParagraphStyle("h", fontName=_FONT, fontSize=12, leading=18, wordWrap="CJK"),
        "p": ParagraphStyle("p", fontName=_FONT, fontSize=10.5, leading=16, firstLineIndent=21, wordWrap="CJK"),
        "sign": ParagraphStyle("sign", fontName=_FONT, fontSize=10.5, leading=16, alignment=2, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=_FONT, fontSize=6.5, leading=8, alignment=1, wordWrap="CJK"),
    }
    story: list[object] = []
    for kind, value in blocks:
        if kind == "table":
            story += [_pdf_table(value, styles), Spacer(1, 8)]  # type: ignore[arg-type]
        else:
            story.append(Paragraph(html.escape(str(value)), styles[kind]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, invariant=1, title=str(blocks[0][1]), creator="WPS Office")
    doc.build(story)
    return out.getvalue()


# ---- DOCX --------------------------------------------------------------------

def docx_bytes(blocks: list[tuple[str, object]]) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    document.core_properties.created = datetime(2022, 1, 1)
    document.core_properties.modified = datetime(2022, 1, 1)
    for kind, value in blocks:
        if kind == "table":
            _docx_table(document, value)  # type: ignore[arg-type]
            continue
        paragraph = document.add_paragraph(str(value))
        if kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "sign":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, grid: Grid) -> None:  # noqa: ANN001
    placed, nrows, ncols = place(grid)
    table = document.add_table(rows=nrows, cols=ncols)
    table.style = "Table Grid"
    for r, c, cell in placed:
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text
