"""HTML: text lines and data tables in document order, plus page metadata.

Charset: BOM → Content-Type header → <meta> → sniff. A table holding other
tables is layout and is walked into; a table without nested tables is data
and becomes a Table with rowspan/colspan expanded.
"""

from __future__ import annotations

import re

from lxml import etree

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError
from .charset import decode

# lxml.html's parser picks each element's Python class in Python (a call per element touched);
# the plain etree parser builds the same tree without it.
_PARSER = etree.HTMLParser()
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SKIP = {"script", "style", "noscript", "template", "head", "select", "option", "iframe"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
          "article", "header", "footer", "pre", "blockquote", "dd", "dt", "dl", "center", "hr", "form"}
_CELLS = ("td", "th")
_META_NAMES = {"pubdate": "PubDate", "articletitle": "ArticleTitle", "sitename": "SiteName",
               "columnname": "ColumnName", "sitedomain": "SiteDomain", "siteidcode": "SiteIDCode",
               "contentsource": "ContentSource", "url": "Url"}


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Blocks and metadata of an HTML page. Raises ParseError when it is not HTML."""
    text = _XML_DECL.sub("", decode(data, content_type, html=True), count=1)
    try:
        root = etree.fromstring(text, _PARSER)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        raise ParseError("this HTML page is empty or unreadable; fetch it again") from exc
    _clear_text(root, "script")   # never page text
    meta = _meta(root)            # searches text in a <body> <style> too, as it always has
    _clear_text(root, "style")    # never paragraph or cell text
    walker = _Walker()
    walker.walk(root.find("body") if root.find("body") is not None else root)
    return Document(blocks=walker.finish(), meta=meta)


def _clear_text(root, tag: str) -> None:
    """Drop the text inside every ``tag`` element (script and style hold only text), keeping tails."""
    for el in root.iter(tag):
        el.text = None


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []

    def flush(self) -> None:
        text = "".join(self.line).strip()
        if text:
            self.blocks.extend(Paragraph(t) for t in text.split("\n") if t.strip())
        self.line = []

    def finish(self) -> list[Block]:
        self.flush()
        return self.blocks

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or not isinstance(el.tag, str):
            self._tail(el)
            return
        if tag == "table" and (texts := _data_table_texts(el)) is not None:
            self.flush()
            self.blocks.append(table_grid(el, texts))
            self._tail(el)
            return
        if tag in _BLOCK or tag in _CELLS:
            self.flush() if tag in _BLOCK else self.line.append(" ")
        if el.text:
            self.line.append(el.text)
        for child in el:
            self.walk(child)
        if tag in _BLOCK:
            self.flush()
        self._tail(el)

    def _tail(self, el) -> None:
        if el.tail:
            self.line.append(el.tail)


LAYOUT_CELL_CHARS = 300   # a cell this long holds an article, not a number
_STRING = etree.XPath("string()", smart_strings=False)


def _data_table_texts(table) -> dict | None:
    """Cell element → ``_cell_text`` for a data table (no nested table, no cell longer than
    LAYOUT_CELL_CHARS); None for a layout table."""
    if next(table.iterdescendants("table"), None) is not None:
        return None
    texts = {}
    for cell in table.iter(*_CELLS):
        text = texts[cell] = _cell_text(cell)
        if len(text) > LAYOUT_CELL_CHARS:
            return None
    return texts


def _cell_text(cell) -> str:
    """All text inside ``cell`` (script and style already emptied), whitespace runs made one space,
    ends stripped."""
    if len(cell) == 0:
        text = cell.text or ""
    elif len(cell) == 1 and len(child := cell[0]) == 0 and isinstance(child.tag, str):   # <td><p>3</p></td>
        text = (cell.text or "") + (child.text or "") + (child.tail or "")
    else:
        text = _STRING(cell)
    return " ".join(text.split())


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a count from 1 to 200 (missing or unreadable: 1)."""
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or 1), 200))
    except ValueError:
        return 1


# The table's own <tr>s in document order: children of the table or of its tbody/thead/tfoot.
_ROWS = etree.XPath("tr|*/tr")


def table_grid(table, texts: dict) -> Table:
    """Expand a <table> into a grid; ``origins`` marks the source cell of each position.

    ``texts`` maps each cell element to its ``_cell_text``. A position no cell
    covers is ``""`` with origin ``-1 - column``; a span reaching past the last
    row is cut there; where spans overlap, the earlier cell keeps the position.
    """
    rows = _ROWS(table)
    taken: list[list[tuple[str, int] | None]] = [[] for _ in rows]
    serial = 0
    for r, tr in enumerate(rows):
        line, c = taken[r], 0
        for cell in tr:
            if cell.tag not in _CELLS:
                continue
            while c < len(line) and line[c] is not None:
                c += 1
            serial += 1
            rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
            if rowspan is colspan is None and c == len(line):   # the usual plain cell
                line.append((texts[cell], serial))
                c += 1
                continue
            colspan = _span(colspan)
            _place(taken, r, c, _span(rowspan), colspan, (texts[cell], serial))
            c += colspan
    return Table.from_positions(taken)


def _place(taken: list[list], r: int, c: int, rowspan: int, colspan: int, entry: tuple[str, int]) -> None:
    """Put ``entry`` at every free position of the span from (r, c) within the table's rows."""
    for line in taken[r:r + rowspan]:
        if len(line) < c + colspan:
            line += [None] * (c + colspan - len(line))
        for col in range(c, c + colspan):
            if line[col] is None:
                line[col] = entry


_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
_PAGE_DATE = re.compile(r"(?:发布日期|发布时间|发布于)\s*[:：]?\s*" + _DATE)
_AGENCY = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]?\s*([\u4e00-\u9fff()（）]{2,30})")


_BODY_TEXT = etree.XPath("//body//text()", smart_strings=False)   # each text node, script text emptied
_CJK_SPACE = re.compile(r" (?<=[\u4e00-\u9fff] )(?=[\u4e00-\u9fff])")   # the space first: found by fast search
_META_LABELS = re.compile(r"成文日期|发布日期|发布时间|索引号|分类|文号|主题|名称|生成日期|发文日期|公开方式|组配分类")


def _meta(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    for m in root.iter("meta"):
        if m.get("name") is None or m.get("content") is None:
            continue
        name = _META_NAMES.get(m.get("name").strip().lower())
        value = m.get("content").strip()
        if name and value and value.lower() != "null":
            meta.setdefault(name, value)
    title = root.findtext(".//title")
    if title and title.strip():
        meta["title"] = title.strip()
    page_text = _CJK_SPACE.sub("", " ".join(" ".join(_BODY_TEXT(root)).split()))   # 发 布 日 期
    if m := _PAGE_DATE.search(page_text):
        meta["page_date"] = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if m := _AGENCY.search(page_text):
        meta["page_agency"] = _META_LABELS.split(m[1])[0]
    return meta
