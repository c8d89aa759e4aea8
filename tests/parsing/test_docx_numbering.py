"""Word's automatic list numbers ("一、", "（一）", "1.") are part of the text the parser reads.

Each fixture is a .docx written here: python-docx makes the package, the test
puts its own definitions in the numbering part (python-docx's template has
one) and styles part, and its own paragraphs in the body.
"""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from parsing import parse_bytes

from .test_docx_structures import W, _report, elements, p, r, shape, tbl, tc, textbox, tr


def numbered(body: str, numbering: str = "", styles: str = "", numbering_part: bool = True) -> bytes:
    """A .docx whose body holds ``body``, its numbering part ``numbering`` (or no numbering part),
    and whose styles part also holds ``styles``."""
    doc = docx.Document()
    _replace(doc.element.body, body, keep=W + "sectPr")
    if numbering_part:
        _replace(doc.part.numbering_part.element, numbering)
    else:
        for rid, rel in list(doc.part.rels.items()):
            if rel.reltype == RT.NUMBERING:
                doc.part.drop_rel(rid)
    doc.styles.element.extend(elements(styles))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _replace(parent, xml: str, keep: str | None = None) -> None:
    """Put the elements of ``xml`` in ``parent`` instead of its children (but a ``keep`` child, last)."""
    for child in list(parent):
        if child.tag != keep:
            parent.remove(child)
    for n, child in enumerate(elements(xml)):
        parent.insert(n, child)


def lvl(ilvl: int, fmt: str = "decimal", text: str = "%1.", start: str = "1", extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def abstract(aid: int, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def start_override(ilvl: int, value: str) -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/></w:lvlOverride>'


def np(num_id, ilvl, text: str, style: str | None = None) -> str:
    """A paragraph numbered by list ``num_id`` at ``ilvl`` (None: no ilvl written) in ``style``."""
    level = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    listed = f'<w:numId w:val="{num_id}"/>' if num_id is not None else ""
    numbering = f"<w:numPr>{level}{listed}</w:numPr>" if level or listed else ""
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return f"<w:p><w:pPr>{pstyle}{numbering}</w:pPr>{r(text)}</w:p>"


# The lists of a report: headings 一、 → （一） → 1., as Word's 中文 multilevel list writes them.
OUTLINE = abstract(1, lvl(0, "chineseCounting", "%1、"), lvl(1, "chineseCounting", "（%2）"), lvl(2, "decimal", "%3."))
DECIMAL = abstract(2, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2"))
LISTS = OUTLINE + DECIMAL + num(1, 1) + num(2, 2) + num(3, 1) + num(4, 1, start_override(0, "1"))


def never_restarts(level: str) -> str:
    return level.replace("</w:lvl>", '<w:lvlRestart w:val="0"/></w:lvl>')


COUNTING = [
    ("headings", LISTS, np(1, 0, "总体情况") + np(1, 0, "主动公开政府信息情况"),
     ["一、总体情况", "二、主动公开政府信息情况"]),
    ("levels restart under a higher level", LISTS,
     np(1, 0, "A") + np(1, 1, "a") + np(1, 1, "b") + np(1, 2, "x") + np(1, 0, "B") + np(1, 1, "c") + np(1, 2, "y"),
     ["一、A", "（一）a", "（二）b", "1.x", "二、B", "（一）c", "1.y"]),
    ("level text names upper levels", LISTS, np(2, 0, "A") + np(2, 1, "a") + np(2, 1, "b") + np(2, 0, "B") + np(2, 1, "c"),
     ["1.A", "1.1a", "1.2b", "2.B", "2.1c"]),
    ("unnumbered paragraphs do not count", LISTS, np(1, 0, "A") + p(r("正文")) + np(1, 0, "B"), ["一、A", "正文", "二、B"]),
    ("ilvl absent is level 0", LISTS, np(1, None, "A") + np(1, None, "B"), ["一、A", "二、B"]),
    ("start value", abstract(1, lvl(0, "chineseCounting", "%1、", start="3"))+ num(1, 1), np(1, 0, "A"), ["三、A"]),
    ("lists of one abstract continue each other", LISTS, np(1, 0, "A") + np(3, 0, "B") + np(1, 0, "C"),
     ["一、A", "二、B", "三、C"]),
    ("startOverride restarts once", LISTS, np(1, 0, "A") + np(1, 0, "B") + np(4, 0, "C") + np(4, 0, "D"),
     ["一、A", "二、B", "一、C", "二、D"]),
    ("lvlRestart 0 never restarts",
     abstract(1, lvl(0, "chineseCounting", "%1、"), never_restarts(lvl(1, "chineseCounting", "（%2）"))) + num(1, 1),
     np(1, 1, "a") + np(1, 0, "A") + np(1, 1, "b"), ["（一）a", "一、A", "（二）b"]),
    ("lvlOverride redefines a level for its list", OUTLINE + num(1, 1) + num(5, 1, '<w:lvlOverride w:ilvl="0">'
                                                                      + lvl(0, text="第%1章") + "</w:lvlOverride>"),
     np(5, 0, "A") + np(1, 0, "B"), ["第1章A", "二、B"]),
    ("hidden number", abstract(1, lvl(0, "chineseCounting", "%1、", extra="<w:rPr><w:vanish/></w:rPr>"),
                               lvl(1, "chineseCounting", "（%2）")) + num(1, 1),
     np(1, 0, "A") + np(1, 1, "a"), ["A", "（一）a"]),
    ("numId 0 is no number", LISTS, np(0, 0, "A") + np(1, 0, "B"), ["A", "一、B"]),
    ("legal numbering is decimal",
     abstract(1, lvl(0, "chineseCounting", "%1、"), lvl(1, "chineseCounting", "%1.%2", extra="<w:isLgl/>")) + num(1, 1),
     np(1, 0, "A") + np(1, 1, "a"), ["一、A", "1.1a"]),
    ("custom format falls back", abstract(1, lvl(0, text="%1、").replace(
        '<w:numFmt w:val="decimal"/>', '<mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" '
        'w:format="一, 二, 三, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="chineseCounting"/></mc:Fallback>'
        '</mc:AlternateContent>')) + num(1, 1), np(1, 0, "A"), ["一、A"]),
    ("numbered cell label", LISTS, tbl(tr(tc(np(1, 1, "予以公开")), tc(p(r("5")))), tr(tc(np(1, 1, "部分公开")), tc(p(r("6"))))),
     [[["（一）予以公开", "5"], ["（二）部分公开", "6"]]]),
    ("numbered text box counted once", LISTS, p(textbox(np(1, 0, "A"))) + np(1, 0, "B"), ["一、A", "二、B"]),
    ("number before a break", LISTS, '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                                     "<w:r><w:t>总体</w:t><w:br/><w:t>情况</w:t></w:r></w:p>", ["一、总体", "情况"]),
]

# Paragraph styles: 标题一 numbers its paragraphs at level 0, 标题二 (based on it) at the level that
# names it; a numbering style links an abstract list to another's levels.
STYLED = abstract(1, lvl(0, "chineseCounting", "%1、"), lvl(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="h2"/>'))
STYLES = ('<w:style w:type="paragraph" w:styleId="h1"><w:name w:val="标题一"/>'
          '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="h2"><w:name w:val="标题二"/><w:basedOn w:val="h1"/></w:style>'
          '<w:style w:type="numbering" w:styleId="outline"><w:name w:val="大纲"/>'
          '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>')
LINKED = STYLED + abstract(5, '<w:numStyleLink w:val="outline"/>') + num(1, 1) + num(2, 1) + num(5, 5)

STYLE_CASES = [
    ("paragraph style numbering", np(None, None, "A", style="h1") + np(None, None, "B", style="h1"), ["一、A", "二、B"]),
    ("level named by the style", np(None, None, "A", style="h1") + np(None, None, "a", style="h2"), ["一、A", "（一）a"]),
    ("paragraph ilvl beats the style's", np(None, 1, "a", style="h1"), ["（一）a"]),
    ("numId 0 switches the style's off", np(0, None, "A", style="h1") + np(None, None, "B", style="h1"), ["A", "一、B"]),
    ("numbering style link", np(5, 0, "A") + np(1, 0, "B"), ["一、A", "二、B"]),
]


@pytest.mark.parametrize("numbering,body,expected", [c[1:] for c in COUNTING], ids=[c[0] for c in COUNTING])
def test_counting(numbering, body, expected):
    assert shape(numbered(body, numbering)) == expected


@pytest.mark.parametrize("body,expected", [c[1:] for c in STYLE_CASES], ids=[c[0] for c in STYLE_CASES])
def test_styles(body, expected):
    assert shape(numbered(body, LINKED, STYLES)) == expected


FORMATS = [
    ("decimal", "12", "12"), ("chineseCounting", "10", "十"), ("chineseCounting", "11", "十一"),
    ("chineseCounting", "20", "二十"), ("chineseCounting", "0", "〇"), ("chineseCountingThousand", "105", "一百零五"),
    ("chineseCountingThousand", "1010", "一千零一十"), ("chineseLegalSimplified", "3", "叁"),
    ("ideographTraditional", "3", "丙"), ("ideographTraditional", "11", "11"),
    ("decimalEnclosedCircle", "3", "③"), ("decimalEnclosedCircle", "21", "21"), ("decimalEnclosedParen", "1", "⑴"),
    ("decimalFullWidth", "12", "１２"), ("upperLetter", "2", "B"), ("upperLetter", "28", "BB"),
    ("lowerLetter", "1", "a"), ("upperRoman", "14", "XIV"), ("lowerRoman", "4", "iv"), ("decimalZero", "7", "07"),
    ("ordinalText", "2", "2"), ("bullet", "1", ""), ("none", "1", ""),
]


@pytest.mark.parametrize("fmt,start,shown", FORMATS, ids=[f"{f} {s}" for f, s, _ in FORMATS])
def test_format(fmt, start, shown):
    numbering = abstract(1, lvl(0, fmt, "%1" if fmt != "bullet" else "●", start)) + num(1, 1)
    assert shape(numbered(np(1, 0, "予以公开"), numbering)) == [f"{shown}予以公开"]


def test_none_keeps_its_level_text():
    numbering = abstract(1, lvl(0, "none", "%1、")) + num(1, 1)
    assert shape(numbered(np(1, 0, "A"), numbering)) == ["、A"]


HOSTILE = [
    ("dangling numId", LISTS, np(99, 0, "A")),
    ("dangling abstractNumId", num(1, 7), np(1, 0, "A")),
    ("undefined level", LISTS, np(1, 5, "A")),
    ("absurd ilvl", LISTS, np(1, "99999999999999999999", "A")),
    ("negative start", abstract(1, lvl(0, start="-1")) + num(1, 1), np(1, 0, "A")),
    ("huge start", abstract(1, lvl(0, start="9" * 40)) + num(1, 1), np(1, 0, "A")),
    ("start beyond Word's", abstract(1, lvl(0, start="32768")) + num(1, 1), np(1, 0, "A")),
    ("non-numeric start", abstract(1, lvl(0, start="abc")) + num(1, 1), np(1, 0, "A")),
    ("superscript digit start", abstract(1, lvl(0, start="²")) + num(1, 1), np(1, 0, "A")),
    ("superscript digit ilvl", LISTS, np(1, "²", "A")),
    ("absurd startOverride", abstract(1, lvl(0)) + num(1, 1, start_override(0, "1e9")), np(1, 0, "A")),
    ("placeholder of an undefined level", abstract(1, lvl(0, text="%1.%7")) + num(1, 1), np(1, 0, "A")),
    ("style link to itself", abstract(1, '<w:numStyleLink w:val="self"/>') + num(1, 1), np(1, 0, "A")),
]


SOUND = abstract(8, lvl(0, "chineseCounting", "%1、")) + num(8, 8)   # a list beside the broken one


@pytest.mark.parametrize("numbering,body", [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_numbering_shows_no_number(numbering, body):
    styles = ('<w:style w:type="numbering" w:styleId="self"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
              '</w:style>')
    assert shape(numbered(body + np(8, 0, "B"), numbering + SOUND, styles)) == ["A", "一、B"]


def test_style_cycle_shows_no_number():
    styles = ('<w:style w:type="paragraph" w:styleId="a"><w:basedOn w:val="b"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="b"><w:basedOn w:val="a"/></w:style>')
    body = np(None, None, "A", style="a") + np(8, 0, "B")
    assert shape(numbered(body, SOUND, styles)) == ["A", "一、B"]


def test_no_numbering_part():
    assert shape(numbered(np(1, 0, "A"), numbering_part=False)) == ["A"]


# ----- end to end: a generated 2021 report whose numbers Word writes itself -----

HEADING = re.compile(r"^[一二三四五六]、")
GROUP, ITEM = re.compile(r"^（[一二三四五六七]）"), re.compile(r"^[1-8]\.")
REPORT_LISTS = (abstract(1, lvl(0, "chineseCounting", "%1、")) + abstract(2, lvl(0, "chineseCounting", "（%1）"),
                lvl(1, "decimal", "%2.")) + num(1, 1) + num(2, 2))


def _autonumber(data: bytes) -> bytes:
    """The report with its six headings, and table 三's （一）…（七） and 1.… labels, numbered by Word
    lists instead of typed."""
    doc = docx.Document(io.BytesIO(data))
    body = doc.element.body
    for paragraph in body.iter(W + "p"):
        in_table = paragraph.getparent().tag == W + "tc"
        patterns = ((GROUP, 2, 0), (ITEM, 2, 1)) if in_table else ((HEADING, 1, 0),)
        text = paragraph.find(f"{W}r/{W}t")
        for pattern, num_id, ilvl in patterns:
            typed = pattern.match(text.text or "") if text is not None else None
            if typed:
                text.text = text.text[typed.end():]
                (props,) = elements(f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/>'
                                    "</w:numPr></w:pPr>")
                paragraph.insert(0, props)
    _replace(doc.part.numbering_part.element, REPORT_LISTS)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_autonumbered_report_reads_the_typed_numbers():
    _, plain = _report()
    assert shape(_autonumber(plain)) == shape(plain)


def test_autonumbered_report_parses_as_the_plain_file():
    _, plain = _report()
    report = parse_bytes(_autonumber(plain), source="x.docx")
    expected = parse_bytes(plain, source="x.docx")
    assert (report["sections"], report["tables"], report["missing"]) == (expected["sections"], expected["tables"], [])
    assert report["checks"] == expected["checks"]


def test_list_styles_of_word_template():
    """python-docx's template is Word's own: its List Number style numbers, its List Bullet style does not."""
    doc = docx.Document()
    for text, style in (("总体情况", "List Number"), ("主动公开", "List Number"), ("要点", "List Bullet")):
        doc.add_paragraph(text, style=style)
    buf = io.BytesIO()
    doc.save(buf)
    assert shape(buf.getvalue()) == ["1.总体情况", "2.主动公开", "要点"]
