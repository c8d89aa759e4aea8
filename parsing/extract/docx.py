"""DOCX: the body's paragraphs and tables in document order, with the text Word shows.

python-docx opens the package; one walk over the document part's XML reads
what its ``Paragraph.text`` and ``Table.rows`` miss in real Word and WPS files:
tracked insertions and moves (never deletions or deleted rows), content
controls (``w:sdt``) around runs, paragraphs, tables, rows or cells (never an
empty control's placeholder prompt), never hidden runs (``w:vanish``), run wrappers (``w:smartTag``,
``w:customXml``, ``w:fldSimple``), field results (never field codes), text
boxes (one copy of each ``mc:AlternateContent``), nested tables, rows that
skip grid columns (``w:gridBefore``/``w:gridAfter``), and the list numbers Word
writes before numbered paragraphs ("一、", "（一）": see docx_numbering).
"""

from __future__ import annotations

import io
import itertools

from ..document import Block, Document, Paragraph, Table
from ..errors import ParseError
from . import limits
from .docx_numbering import ListNumbers, switched_on

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, TBL, TR, TC, T, SYM, SDT, TEXT_BOX, RUN = (W + n for n in ("p", "tbl", "tr", "tc", "t", "sym", "sdt", "txbxContent", "r"))
HIDDEN = f"{W}rPr/{W}vanish"
ALTERNATE, COPIES = MC + "AlternateContent", (MC + "Choice", MC + "Fallback")
BLOCKS, ROWS, CELLS = frozenset({P, TBL}), frozenset({TR}), frozenset({TC})

# Run content written as an element rather than text. Every break starts a new line.
CHARS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}

# Never read: properties (a paragraph's tab stops are w:tab elements too), deleted and moved-away
# text, field codes, a content control's settings, phonetic guides printed above characters.
SKIP = frozenset(W + n for n in (
    "pPr", "rPr", "tblPr", "tblGrid", "tblPrEx", "trPr", "tcPr", "sectPr", "sdtPr", "sdtEndPr",
    "del", "moveFrom", "delText", "instrText", "delInstrText", "rt"))

MAX_GRID_COLUMNS = 63   # Word's own limit; a larger gridSpan or gridBefore is damage or hostile


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Body paragraphs and tables in document order. Raises ParseError for a bad file or a zip bomb."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    limits.check_zip(data, "Word file")
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile/lxml/KeyError for bad packages
        raise ParseError(f"cannot open this Word file ({type(exc).__name__}); it may be corrupt or "
                         "an old .doc renamed to .docx — save it as .docx again") from exc
    blocks: list[Block] = []
    if doc.element.body is not None:
        _blocks(doc.element.body, blocks, ListNumbers(_part(doc, RT.NUMBERING), _part(doc, RT.STYLES)))
    return Document(blocks=blocks, meta=_core(doc))


def _part(doc, reltype: str):
    """The root element of the document's part related by ``reltype``; None when the package has
    none or holds it as something other than XML. (python-docx's own accessors would add one.)"""
    try:
        part = doc.part.part_related_by(reltype)
    except (KeyError, ValueError):   # no such part, or several
        return None
    return getattr(part, "element", None)


def _blocks(container, out: list[Block], numbers: ListNumbers) -> None:
    """Append the blocks of a body, content control, table cell or text box to ``out``.

    A paragraph gives one Paragraph per non-blank line, its list number (if
    any) leading the first, followed by the blocks of the text boxes anchored in it.
    """
    for element in _within(container, BLOCKS):
        if element.tag == TBL:
            _table(element, out, numbers)
            continue
        parts: list[str] = [numbers(element)]
        boxes: list[Block] = []
        _text(element, parts, boxes, numbers)
        out.extend(Paragraph(line) for line in "".join(parts).split("\n") if line.strip())
        out.extend(boxes)


def _within(parent, tags: frozenset):
    """The elements under ``parent`` whose tag is in ``tags``, in document order, found through
    wrappers (content controls, custom XML, inserted or moved-here text) but not inside each other."""
    for child in _children(parent):
        if child.tag in tags:
            yield child
        elif child.tag not in SKIP and not (P in tags and _placeholder(child)):
            yield from _within(child, tags)


def _children(element):
    """The children of ``element``; of alternate content, those of its first copy only (the
    ``mc:Choice``, else the ``mc:Fallback``): both copies hold the same text."""
    if element.tag != ALTERNATE:
        return element
    return next((copy for copy in element if copy.tag in COPIES), ())


def _text(element, parts: list[str], boxes: list[Block], numbers: ListNumbers) -> None:
    """Append the text of a paragraph's runs to ``parts``; the blocks of its text boxes to ``boxes``."""
    for child in _children(element):
        tag = child.tag
        if tag == T:
            parts.append(child.text or "")
        elif tag in CHARS:
            parts.append(CHARS[tag])
        elif tag == SYM:
            parts.append(_symbol(child))
        elif tag == TEXT_BOX:
            _blocks(child, boxes, numbers)
        elif tag == RUN and switched_on(child, HIDDEN):   # hidden text: Word neither shows nor prints it
            continue
        elif tag not in SKIP and not _placeholder(child):
            _text(child, parts, boxes, numbers)


def _placeholder(element) -> bool:
    """Whether ``element`` is a content control showing its placeholder: the prompt of an empty
    control (单击或点击此处输入文字), not content. Only run- and paragraph-level ones are dropped: a
    row or cell must keep its grid column."""
    return element.tag == SDT and switched_on(element, f"{W}sdtPr/{W}showingPlcHdr")


def _symbol(sym) -> str:
    """The character of a ``w:sym``: its code as written. A symbol font's private-use code stays
    as it is (its glyph has no Unicode meaning to recover); a malformed code shows nothing."""
    try:
        return chr(int(sym.get(W + "char", ""), 16))
    except (ValueError, OverflowError):
        return ""


def _table(tbl, out: list[Block], numbers: ListNumbers) -> None:
    """Append a table, then the tables nested in its cells; a one-cell table (a frame around
    part of the page) is read as the blocks it holds."""
    rows = [tr for tr in _within(tbl, ROWS) if tr.find(f"{W}trPr/{W}del") is None]
    cells = [list(_within(tr, CELLS)) for tr in rows]
    if len(cells) == 1 and len(cells[0]) == 1:
        _blocks(cells[0][0], out, numbers)
        return
    nested: list[Block] = []
    serials = itertools.count()
    grid: list[list] = []   # per row: (text, serial) per grid column, None where the row skips one
    for tr, tcs in zip(rows, cells):
        line: list = [None] * _number(tr, "trPr", "gridBefore", 0)
        for tc in tcs:
            above = grid[-1][len(line)] if _continues(tc) and grid and len(line) < len(grid[-1]) else None
            entry = above or (_cell(tc, nested, numbers), next(serials))
            line.extend([entry] * _number(tc, "tcPr", "gridSpan", 1))
        grid.append(line)
    if grid:
        out.append(Table.from_positions(grid))
    out.extend(nested)


def _cell(tc, nested: list[Block], numbers: ListNumbers) -> str:
    """A cell's text, its lines joined (a wrapped label is one label), with the lines of text
    boxes anchored in it; its tables go to ``nested``."""
    inner: list[Block] = []
    _blocks(tc, inner, numbers)
    nested.extend(b for b in inner if isinstance(b, Table))
    return "".join(b.text for b in inner if isinstance(b, Paragraph))


def _continues(tc) -> bool:
    """Whether ``tc`` continues the vertically merged cell above it (``w:vMerge`` other than restart)."""
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(W + "val", "continue") == "continue"


def _number(element, props: str, name: str, default: int) -> int:
    """The ``w:val`` of a row's or cell's grid property: ``default`` when absent or less, at most
    MAX_GRID_COLUMNS."""
    found = element.find(f"{W}{props}/{W}{name}")
    value = found.get(W + "val", "") if found is not None else ""
    return max(default, min(int(value), MAX_GRID_COLUMNS)) if value.isdigit() else default


def _core(doc) -> dict[str, str]:
    title = (doc.core_properties.title or "").strip()
    return {"ArticleTitle": title} if title else {}
