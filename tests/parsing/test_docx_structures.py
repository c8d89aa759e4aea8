"""What real Word/WPS files hold beyond python-docx's ``.text``: tracked changes, content controls,
fields, text boxes, nested tables, skipped grid columns.

Each fixture is a .docx written here: python-docx makes the package, then the
body is replaced by the WordprocessingML under test.
"""

from __future__ import annotations

import copy
import io
from functools import lru_cache

import docx
import pytest
from lxml import etree

from parsing import parse_bytes
from parsing.document import Paragraph, Table
from parsing.extract.docx import extract
from parsing.report import nest

from .generated.cases import cases
from .generated.render import docx_bytes

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
DECLS = " ".join(f'xmlns:{p}="{uri}"' for p, uri in NAMESPACES.items())
W = "{%s}" % NAMESPACES["w"]


def word(body: str) -> bytes:
    """A .docx whose body holds ``body`` (elements with the prefixes of NAMESPACES) before its sectPr."""
    doc = docx.Document()
    target = doc.element.body
    for child in list(target):
        if child.tag != W + "sectPr":
            target.remove(child)
    for n, child in enumerate(elements(body)):
        target.insert(n, child)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def elements(xml: str) -> list:
    """The elements of an XML fragment written with the prefixes of NAMESPACES."""
    return list(etree.fromstring(f"<w:body {DECLS}>{xml}</w:body>"))


def shape(data: bytes) -> list:
    """Blocks as plain values: a paragraph's text, a table's rows."""
    return [b.text if isinstance(b, Paragraph) else b.rows for b in extract(data, "x.docx").blocks]


def p(*runs: str) -> str:
    return f"<w:p>{''.join(runs)}</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def tc(*content: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{''.join(content) or p()}</w:tc>"


def tbl(*rows: str, cols: int = 2) -> str:
    grid = "<w:gridCol w:w='1000'/>" * cols
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


REVISION = 'w:id="1" w:author="审核人" w:date="2023-01-10T00:00:00Z"'
INS, DEL = f"<w:ins {REVISION}>{{}}</w:ins>", f"<w:del {REVISION}>{{}}</w:del>"
MOVE_FROM, MOVE_TO = f"<w:moveFrom {REVISION}>{{}}</w:moveFrom>", f"<w:moveTo {REVISION}>{{}}</w:moveTo>"
DEL_RUN = "<w:r><w:delText>{}</w:delText></w:r>"
ROW_DELETED = f"<w:del {REVISION}/>"
FIELD_CHAR = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'


def sdt(content: str, alias: str = "控件", placeholder: bool = False) -> str:
    """A content control (block, row, cell or inline, after what it holds); ``placeholder``: an empty
    control showing its prompt."""
    shows = "<w:showingPlcHdr/>" if placeholder else ""
    props = f'<w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="x"/>{shows}</w:sdtPr>'
    return f"<w:sdt>{props}<w:sdtContent>{content}</w:sdtContent></w:sdt>"


def textbox(*paragraphs: str) -> str:
    """A floating text box as Word writes it: a DrawingML choice and its VML fallback, same text."""
    inner = f"<w:txbxContent>{''.join(paragraphs)}</w:txbxContent>"
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            f'<wp:docPr id="1" name="文本框 1"/><a:graphic><a:graphicData uri="{NAMESPACES["wps"]}">'
            f'<wps:wsp><wps:txbx>{inner}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
            f'</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict>'
            f'</mc:Fallback></mc:AlternateContent></w:r>')


TRACKED = [
    ("inserted run", p(r("本年新收"), INS.format(r("12")), r("件")), ["本年新收12件"]),
    ("deleted run", p(r("本年新收"), DEL.format(DEL_RUN.format("10")), r("12件")), ["本年新收12件"]),
    ("replaced value", p(r("复议"), DEL.format(DEL_RUN.format("3")), INS.format(r("4")), r("件")), ["复议4件"]),
    ("moved text", p(MOVE_FROM.format(r("旧位置")), r("正文"), MOVE_TO.format(r("新位置"))), ["正文新位置"]),
    ("deleted paragraph", p(DEL.format(DEL_RUN.format("整段删除"))) + p(r("保留")), ["保留"]),
    ("deleted row", tbl(tr(tc(p(r("自然人"))), tc(p(r("5")))),
                        tr(tc(p(DEL.format(DEL_RUN.format("旧行")))), tc(p(DEL.format(DEL_RUN.format("9")))),
                           props=ROW_DELETED)),
     [[["自然人", "5"]]]),
    ("inserted cell text", tbl(tr(tc(p(r("总计"))), tc(p(INS.format(r("7")))))), [[["总计", "7"]]]),
]

CONTROLS = [
    ("inline sdt", p(r("统计期限自"), sdt(r("2022"), "年份"), r("年1月1日起")), ["统计期限自2022年1月1日起"]),
    ("block sdt paragraphs", sdt(p(r("一、总体情况")) + p(r("正文"))), ["一、总体情况", "正文"]),
    ("block sdt table", p(r("前")) + sdt(tbl(tr(tc(p(r("a"))), tc(p(r("1")))))) + p(r("后")),
     ["前", [["a", "1"]], "后"]),
    ("row sdt", tbl(tr(tc(p(r("a"))), tc(p(r("1")))), sdt(tr(tc(p(r("b"))), tc(p(r("2")))))),
     [[["a", "1"], ["b", "2"]]]),
    ("cell sdt", tbl(tr(tc(p(r("a"))), sdt(tc(p(r("1")))))), [[["a", "1"]]]),
    ("inline placeholder", p(r("本年新收"), sdt(r("单击或点击此处输入文字。"), placeholder=True), r("件")),
     ["本年新收件"]),
    ("block placeholder", sdt(p(r("单击或点击此处输入文字。")), placeholder=True) + p(r("正文")), ["正文"]),
    ("placeholder in a cell", tbl(tr(tc(p(r("自然人"))), tc(p(sdt(r("单击此处输入数字"), placeholder=True))))),
     [[["自然人", ""]]]),
    ("placeholder switched off", p(sdt(r("12"), "数量").replace("<w:tag", '<w:showingPlcHdr w:val="0"/><w:tag')),
     ["12"]),
    ("hidden run", p(r("本年新收"), '<w:r><w:rPr><w:vanish/></w:rPr><w:t>（填写说明：只填阿拉伯数字）</w:t></w:r>', r("3件")),
     ["本年新收3件"]),
    ("hidden paragraph", p('<w:r><w:rPr><w:vanish/></w:rPr><w:t>模板说明</w:t></w:r>') + p(r("正文")), ["正文"]),
    ("hidden switched off", p('<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>12</w:t></w:r>'), ["12"]),
    ("smartTag", p('<w:smartTag w:uri="urn:x" w:element="date">' + r("2023年1月15日") + "</w:smartTag>"),
     ["2023年1月15日"]),
    ("customXml", p('<w:customXml w:element="agency">' + r("兴隆镇人民政府") + "</w:customXml>"), ["兴隆镇人民政府"]),
    ("fldSimple", p(r("第"), '<w:fldSimple w:instr=" PAGE ">' + r("3") + "</w:fldSimple>", r("页")), ["第3页"]),
    ("complex field", p(r("第"), FIELD_CHAR.format("begin"), "<w:r><w:instrText> PAGE </w:instrText></w:r>",
                        FIELD_CHAR.format("separate"), r("3"), FIELD_CHAR.format("end"), r("页")), ["第3页"]),
    ("hyperlink", p('<w:hyperlink r:id="rId99">' + r("政府信息公开专栏") + "</w:hyperlink>"), ["政府信息公开专栏"]),
]

BOXES = [
    ("text box read once", p(textbox(p(r("兴隆镇人民政府")), p(r("2023年1月15日")))),
     ["兴隆镇人民政府", "2023年1月15日"]),
    ("text box after its anchor's text", p(r("六、其他需要报告的事项"), textbox(p(r("落款")))),
     ["六、其他需要报告的事项", "落款"]),
    ("vml-only text box", p('<w:r><w:pict><v:shape><v:textbox><w:txbxContent>' + p(r("标题")) +
                            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"), ["标题"]),
    ("fallback only", p('<w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
                        + p(r("标题")) + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
                        "</mc:AlternateContent></w:r>"), ["标题"]),
    ("text box in a cell joins its text", tbl(tr(tc(p(r("a"))), tc(p(r("1"), textbox(p(r("注"))))))),
     [[["a", "1注"]]]),
    ("table in a text box", p(textbox(tbl(tr(tc(p(r("a"))), tc(p(r("1"))))))), [[["a", "1"]]]),
]

RUNS = [
    ("tab", p("<w:r><w:t>自然人</w:t><w:tab/><w:t>3</w:t></w:r>"), ["自然人\t3"]),
    ("tab stops are not tabs", '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
                               + r("标题") + "</w:p>", ["标题"]),
    ("break", p("<w:r><w:t>…工作</w:t><w:br/><w:t>年度报告</w:t></w:r>"), ["…工作", "年度报告"]),
    ("carriage return", p("<w:r><w:t>一</w:t><w:cr/><w:t>二</w:t></w:r>"), ["一", "二"]),
    ("non-breaking hyphen", p("<w:r><w:t>2022</w:t><w:noBreakHyphen/><w:t>2023</w:t></w:r>"), ["2022-2023"]),
    ("symbol", p('<w:r><w:t>无</w:t><w:sym w:font="SimSun" w:char="2014"/></w:r>'), ["无—"]),
    ("soft hyphen", p("<w:r><w:t>政府</w:t><w:softHyphen/><w:t>信息</w:t></w:r>"), ["政府信息"]),
    ("break in a cell joins", tbl(tr(tc(p("<w:r><w:t>社会公</w:t><w:br/><w:t>益组织</w:t></w:r>")), tc(p(r("0"))))),
     [[["社会公益组织", "0"]]]),
]

INNER = tbl(tr(tc(p(r("内"))), tc(p(r("9")))))
TABLES = [
    ("nested table after its table", tbl(tr(tc(p(r("外"))), tc(p(r("格")), INNER))) + p(r("后")),
     [[["外", "格"]], [["内", "9"]], "后"]),
    ("one-cell layout table unwrapped", tbl(tr(tc(p(r("一、总体情况")), INNER, p(r("二、主动公开政府信息情况")))), cols=1),
     ["一、总体情况", [["内", "9"]], "二、主动公开政府信息情况"]),
    ("gridBefore", tbl(tr(tc(p(r("a"))), tc(p(r("b"))), tc(p(r("c")))),
                       tr(tc(p(r("y"))), tc(p(r("z"))), props='<w:gridBefore w:val="1"/>'), cols=3),
     [[["a", "b", "c"], ["", "y", "z"]]]),
    ("gridAfter", tbl(tr(tc(p(r("a"))), tc(p(r("b"))), tc(p(r("c")))),
                      tr(tc(p(r("x"))), tc(p(r("y"))), props='<w:gridAfter w:val="1"/>'), cols=3),
     [[["a", "b", "c"], ["x", "y", ""]]]),
    ("gridBefore under a vertical merge", tbl(
        tr(tc(p(r("g")), props='<w:vMerge w:val="restart"/>'), tc(p(r("a"))), tc(p(r("1")))),
        tr(tc(props="<w:vMerge/>"), tc(p(r("b"))), tc(p(r("2")))),
        tr(tc(p(r("c"))), tc(p(r("3"))), props='<w:gridBefore w:val="1"/>'), cols=3),
     [[["g", "a", "1"], ["g", "b", "2"], ["", "c", "3"]]]),
]

CASES = TRACKED + CONTROLS + BOXES + RUNS + TABLES


@pytest.mark.parametrize("body,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_blocks(body, expected):
    assert shape(word(body)) == expected


def _origins(body: str) -> list:
    (table,) = [b for b in extract(word(body), "x.docx").blocks if isinstance(b, Table)]
    return table.origins


MERGED = tbl(tr(tc(p(r("申请人情况")), props='<w:gridSpan w:val="2"/>'),
                tc(p(r("总计")), props='<w:vMerge w:val="restart"/>')),
             tr(tc(p(r("自然人"))), tc(p(r("法人"))), tc(props='<w:vMerge w:val="continue"/>')), cols=3)


def test_merged_cells_repeat_their_text():
    assert shape(word(MERGED)) == [[["申请人情况", "申请人情况", "总计"], ["自然人", "法人", "总计"]]]


def test_merged_cells_share_an_origin():
    (top, bottom) = _origins(MERGED)
    assert top[0] == top[1] != top[2] == bottom[2]
    assert len({*top, *bottom}) == 4


def test_skipped_grid_column_is_no_cell():
    body = tbl(tr(tc(p(r("a"))), tc(p(r("b")))), tr(tc(p(r("y"))), props='<w:gridBefore w:val="1"/>'))
    (top, bottom) = _origins(body)
    assert bottom[0] not in top and bottom[1] not in top


# ----- end to end: a generated 2021 report whose Word file holds the same tables differently -----

@lru_cache(maxsize=None)
def _report():
    case = next(c for c in cases() if c.fmt == "2021" and not c.plants)
    return case, docx_bytes(case)


def _rewrite(data: bytes, change) -> bytes:
    doc = docx.Document(io.BytesIO(data))
    change(doc.element.body)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _applications_table(body):
    return next(t for t in body.iterchildren(W + "tbl") if len(t.findall(W + "tr")) > 20)


def _wrap_in_sdt(body) -> None:
    table = _applications_table(body)
    (control,) = elements(sdt(""))
    table.addprevious(control)
    control.find(W + "sdtContent").append(table)


def _track_numbers(body) -> None:
    """Every number of table 三 becomes an insertion beside a deleted stale number."""
    for run in _applications_table(body).iter(W + "r"):
        text = run.findtext(W + "t")
        if text and text.isdigit():
            stale = copy.deepcopy(run)
            stale.find(W + "t").tag = W + "delText"
            stale.find(W + "delText").text = str(int(text) + 7)
            (deleted,) = elements(DEL.format(""))
            (inserted,) = elements(INS.format(""))
            run.addprevious(deleted)
            run.addprevious(inserted)
            deleted.append(stale)
            inserted.append(run)


def _title_in_text_box(body) -> None:
    title = body.find(W + "p")
    (box,) = elements(p(textbox(etree.tostring(title, encoding=str))))
    title.addprevious(box)
    body.remove(title)


@pytest.mark.parametrize("change", [_wrap_in_sdt, _track_numbers, _title_in_text_box],
                         ids=["table in a content control", "tracked numbers", "title in a text box"])
def test_report_parses_as_the_plain_file(change):
    case, plain = _report()
    report = parse_bytes(_rewrite(plain, change), source="x.docx")
    assert (report["tables"], report["missing"]) == (nest(case.values), [])
    assert (report["title"], report["year"], report["agency"]) == (case.title, case.year, case.agency)


def test_plain_report_parses():
    case, plain = _report()
    assert parse_bytes(plain, source="x.docx")["tables"] == nest(case.values)
