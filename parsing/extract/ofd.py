"""OFD (GB/T 33190, a zip of XML): text objects of every page in reading order.

OFD.xml → DocRoot (Document.xml) → Pages → each page's Content.xml. Every
TextObject is placed at Boundary + TextCode X/Y (millimetres, y downwards).
Objects are grouped into lines by baseline, sorted left to right; a gap wider
than ``CELL_GAP`` font sizes separates table cells (a tab). Template pages
(running headers and footers) are not read. Bombs are refused before
inflating (limits.open_zip).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from ..document import Document, Paragraph
from ..errors import ParseError
from . import limits

CELL_GAP = 1.2        # font sizes of empty space between two cells of one row
LINE_TOLERANCE = 0.5  # font sizes of baseline difference still on the same line
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


@dataclass
class _Text:
    x: float
    y: float
    end: float
    size: float
    text: str


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Lines of every page in order (cells tab-separated). ParseError for a bomb or a corrupt package."""
    archive = limits.open_zip(data, "OFD file")
    root = _xml(archive, "OFD.xml")
    doc_root = _first_text(root, "DocRoot")
    if not doc_root:
        raise ParseError("this OFD file names no document (DocRoot missing); it is corrupt — download it again")
    doc_path = doc_root.strip().lstrip("/")
    document = _xml(archive, doc_path)
    base = posixpath.dirname(doc_path)
    blocks: list[Paragraph] = []
    for page in _children(document, "Page"):
        loc = page.get("BaseLoc")
        if loc:
            path = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
            blocks.extend(Paragraph(line) for line in _page_lines(_xml(archive, path)))
    if not blocks:
        raise ParseError("this OFD file has no text (a scanned image?): run OCR on a PDF export of it")
    title = _first_text(root, "Title")
    return Document(blocks=blocks, meta={"ArticleTitle": title.strip()} if title and title.strip() else {})


def _xml(archive, name: str):
    try:
        return etree.fromstring(limits.read_member(archive, name, "OFD file"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"part {name} of this OFD file is not valid XML; the file is corrupt") from exc


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(root, name: str):
    return [el for el in root.iter() if _local(el) == name]


def _first_text(root, name: str) -> str | None:
    found = _children(root, name)
    return found[0].text if found else None


def _floats(text: str | None, n: int) -> list[float]:
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text or "")]
    return (nums + [0.0] * n)[:n]


def _page_lines(page) -> list[str]:
    items: list[_Text] = []
    for obj in _children(page, "TextObject"):
        bx, by = _floats(obj.get("Boundary"), 2)
        size = _floats(obj.get("Size"), 1)[0] or 3.5
        for code in _children(obj, "TextCode"):
            text = (code.text or "").strip()
            if text:
                x, y = bx + _floats(code.get("X"), 1)[0], by + _floats(code.get("Y"), 1)[0]
                items.append(_Text(x, y, x + _width(text, size), size, text))
    return [_join(line) for line in _lines(items)]


def _width(text: str, size: float) -> float:
    """Printed width estimate: CJK characters are one font size wide, Latin and digits about half."""
    return sum(size if ord(ch) >= 0x2E80 else 0.55 * size for ch in text)


def _lines(items: list[_Text]) -> list[list[_Text]]:
    lines: list[list[_Text]] = []
    for item in sorted(items, key=lambda t: (t.y, t.x)):
        if lines and abs(lines[-1][0].y - item.y) <= LINE_TOLERANCE * item.size:
            lines[-1].append(item)
        else:
            lines.append([item])
    return [sorted(line, key=lambda t: t.x) for line in lines]


def _join(line: list[_Text]) -> str:
    out = line[0].text
    for prev, item in zip(line, line[1:]):
        out += ("\t" if item.x - prev.end > CELL_GAP * item.size else "") + item.text
    return out
