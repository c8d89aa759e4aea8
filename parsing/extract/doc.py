"""DOC (Word 97–2003) and WPS (Kingsoft Writer): converted to DOCX by LibreOffice, then read as DOCX.

Without LibreOffice a .doc falls back to antiword (text only; its "|"-ruled
tables become tab-separated lines, which the table reader understands). A
.wps needs LibreOffice. The converted DOCX keeps real tables and merged cells.
"""

from __future__ import annotations

from ..document import Document, Paragraph
from ..errors import ParseError
from . import docx, limits, soffice


def extract(data: bytes, content_type: str | None = None, *, ext: str = ".doc") -> Document:
    """Blocks of a DOC/WPS file. ParseError when no converter is installed or the file is unreadable."""
    if soffice.available():
        return docx.extract(soffice.convert(data, ext, "docx", "Word/WPS file"))
    if ext == ".doc" and _antiword_available():
        return _antiword(data)
    raise ParseError("reading .doc/.wps files needs LibreOffice: install the Debian package libreoffice "
                     "(or antiword, .doc only), or save the file as .docx or .pdf")


def extract_wps(data: bytes, content_type: str | None = None) -> Document:
    return extract(data, content_type, ext=".wps")


def _antiword_available() -> bool:
    try:
        limits.tool("antiword", "antiword")
    except ParseError:
        return False
    return True


def _antiword(data: bytes) -> Document:
    program = limits.tool("antiword", "antiword")
    with limits.scratch() as tmp:
        src = limits.write(tmp, "input.doc", data)
        proc = limits.run([program, "-m", "UTF-8.txt", "-w", "0", str(src)], seconds=limits.CONVERT_SECONDS,
                          what="antiword reading this Word file")
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip()[:200] or "no output"
        raise ParseError(f"antiword could not read this Word file ({reason}); it may be corrupt, encrypted "
                         "or not a Word file — save it as .docx or .pdf")
    return Document(blocks=[Paragraph(_cells(line)) for line in proc.stdout.decode("utf-8", "replace").splitlines()
                            if line.strip()])


def _cells(line: str) -> str:
    """antiword draws tables as "|a |b |": make the cells tab-separated."""
    if line.lstrip().startswith("|"):
        return "\t".join(c.strip() for c in line.strip().strip("|").split("|"))
    return line
