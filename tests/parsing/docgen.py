"""Generate PDF (reportlab, CID font STSong-Light) and DOCX (python-docx) reports for round-trip tests."""

from __future__ import annotations

import io

from parsing import schema

TITLE = "友谊县兴隆镇人民政府2022年政府信息公开工作年度报告"
PERIOD = "本年度报告数据的统计期限为2022年1月1日至2022年12月31日。"
HEADINGS = {k: f"{n}、{h}" for k, n, h in schema.SECTIONS}


def _fmt(v) -> str:
    return "" if v is None else str(v)


def table_rows(values: dict, section: str) -> list[list[str]]:
    """Flat rows (label cell then values) for one table, as a text PDF or a plain Word table prints them."""
    if section == "proactive":
        rows = []
        for block in schema.PROACTIVE_2021:
            rows.append([block.caption])
            rows.append(["信息内容"] + [h for _, h in block.columns])
            rows += [[r.label] + [_fmt(values[f"proactive.{r.key}.{c}"]) for c, _ in block.columns] for r in block.rows]
        return rows
    if section == "applications":
        head = [["申请人情况"], ["自然人", "法人或其他组织", "总计"], [c for _, c in schema.APPLICANT_COLUMNS[1:6]]]
        return head + [[r.label] + [_fmt(values[f"applications.{r.key}.{c}"]) for c, _ in schema.APPLICANT_COLUMNS]
                       for r in schema.APPLICATIONS_2021]
    heads = [h for _, h in schema.REVIEW_COLUMNS]
    return [["行政复议", "行政诉讼"], ["未经复议直接起诉", "复议后起诉"], heads * 3,
            [_fmt(values[f"review_litigation.{p}"]) for p in schema.review_cell_paths()]]


def pdf_bytes(values: dict, *, ruled: bool = False, signature: str = "2023年1月15日") -> bytes:
    """A report PDF: text lines, or (``ruled``) tables with grid lines pdfplumber can find."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    story = [Paragraph(TITLE, style), Paragraph(PERIOD, style)]
    for key, heading in HEADINGS.items():
        story.append(Paragraph(heading, style))
        if key in ("proactive", "applications", "review_litigation"):
            rows = table_rows(values, key)
            if ruled:
                width = max(len(r) for r in rows)
                grid = [r + [""] * (width - len(r)) for r in rows]
                t = Table(grid, repeatRows=0)
                t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 6),
                                       ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
                story.append(t)
            else:
                story += [Paragraph(" ".join(r), style) for r in rows]
        else:
            story.append(Paragraph("本部分内容从略。", style))
    story.append(Paragraph("兴隆镇人民政府", style))
    story.append(Paragraph(signature, style))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4)).build(story)
    return buf.getvalue()


def docx_bytes(values: dict) -> bytes:
    """A report DOCX with real tables; table 三's group labels are vertically merged cells."""
    import docx

    doc = docx.Document()
    doc.core_properties.title = TITLE
    doc.add_paragraph(TITLE)
    doc.add_paragraph(PERIOD)
    for key, heading in HEADINGS.items():
        doc.add_paragraph(heading)
        if key == "applications":
            _applications_table(doc, values)
        elif key in ("proactive", "review_litigation"):
            rows = table_rows(values, key)
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
                if len(row) == 1 and width > 1:
                    table.cell(r, 0).merge(table.cell(r, width - 1))
        else:
            doc.add_paragraph("本部分内容从略。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _applications_table(doc, values) -> None:
    rows = schema.APPLICATIONS_2021
    table = doc.add_table(rows=len(rows) + 1, cols=9)
    for c, (_, head) in enumerate(schema.APPLICANT_COLUMNS):
        table.cell(0, 2 + c).text = head
    groups: dict[str, list[int]] = {}
    for r, row in enumerate(rows, start=1):
        if row.group and row.group != "三、本年度办理结果":
            groups.setdefault(row.group, []).append(r)
            table.cell(r, 1).text = row.label
        else:
            table.cell(r, 0).text = row.label
        for c, (col, _) in enumerate(schema.APPLICANT_COLUMNS):
            table.cell(r, 2 + c).text = _fmt(values[f"applications.{row.key}.{col}"])
    for group, members in groups.items():
        merged = table.cell(members[0], 0).merge(table.cell(members[-1], 0))
        merged.text = group
