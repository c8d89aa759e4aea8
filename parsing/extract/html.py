"""HTML: text lines and data tables in document order, plus page metadata.

Charset: BOM → Content-Type header → <meta> → sniff. A table holding other
tables is layout and is walked into; a table without nested tables is data
and becomes a Table with rowspan/colspan expanded.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError
from .charset import decode

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SKIP = {"script", "style", "noscript", "template", "head", "select", "option", "iframe"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
          "article", "header", "footer", "pre", "blockquote", "dd", "dt", "dl", "center", "hr", "form"}
_META_NAMES = {"pubdate": "PubDate", "articletitle": "ArticleTitle", "sitename": "SiteName",
               "columnname": "ColumnName", "sitedomain": "SiteDomain", "siteidcode": "SiteIDCode",
               "contentsource": "ContentSource", "url": "Url"}


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Blocks and metadata of an HTML page. Raises ParseError when it is not HTML."""
    text = _XML_DECL.sub("", decode(data, content_type, html=True), count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError("this HTML page is empty or unreadable; fetch it again") from exc
    walker = _Walker()
    walker.walk(root.find("body") if root.find("body") is not None else root)
    return Document(blocks=walker.finish(), meta=_meta(root))


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
        if tag == "table" and is_data_table(el):
            self.flush()
            self.blocks.append(table_grid(el))
            self._tail(el)
            return
        if tag in _BLOCK or tag in {"td", "th"}:
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


def is_data_table(table) -> bool:
    """A table without nested tables whose cells are short: report data, not page layout."""
    if table.xpath(".//table"):
        return False
    return all(len(_cell_text(c)) <= LAYOUT_CELL_CHARS for c in table.xpath(".//td|.//th"))


def _cell_text(cell) -> str:
    parts = [t for t in cell.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1").strip() or 1), 200))
    except ValueError:
        return 1


def table_grid(table) -> Table:
    """Expand a <table> into a grid; ``origins`` marks the source cell of each position."""
    rows = [tr for tr in table.xpath(".//tr") if tr.getparent() is table or tr.getparent().getparent() is table]
    grid: dict[tuple[int, int], tuple[str, int]] = {}
    serial = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            serial += 1
            text = _cell_text(cell)
            for dr in range(_span(cell, "rowspan")):
                for dc in range(_span(cell, "colspan")):
                    grid.setdefault((r + dr, c + dc), (text, serial))
            c += _span(cell, "colspan")
    width = 1 + max((c for _, c in grid), default=-1)
    out_rows, out_origins = [], []
    for r in range(len(rows)):
        cells = [grid.get((r, c), ("", -1 - c)) for c in range(width)]
        out_rows.append([t for t, _ in cells]); out_origins.append([o for _, o in cells])
    return Table(rows=out_rows, origins=out_origins)


_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
_PAGE_DATE = re.compile(r"(?:发布日期|发布时间|发布于)\s*[:：]?\s*" + _DATE)
_AGENCY = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]?\s*([\u4e00-\u9fff()（）]{2,30})")


_META_LABELS = re.compile(r"成文日期|发布日期|发布时间|索引号|分类|文号|主题|名称|生成日期|发文日期|公开方式|组配分类")


def _meta(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    for m in root.xpath("//meta[@name][@content]"):
        name = _META_NAMES.get(m.get("name").strip().lower())
        value = m.get("content").strip()
        if name and value and value.lower() != "null":
            meta.setdefault(name, value)
    title = root.findtext(".//title")
    if title and title.strip():
        meta["title"] = title.strip()
    page_text = re.sub(r"\s+", " ", " ".join(root.xpath("//body//text()[not(ancestor::script)]")))
    page_text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", page_text)   # 发 布 日 期
    if m := _PAGE_DATE.search(page_text):
        meta["page_date"] = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if m := _AGENCY.search(page_text):
        meta["page_agency"] = _META_LABELS.split(m[1])[0]
    return meta
