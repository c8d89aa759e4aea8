"""Extractors, one per format, chosen from one table.

The table is walked in order: magic bytes first (they cannot lie), then the
file extension, then the content type. Converters (LibreOffice, antiword,
tesseract) run as bounded subprocesses (extract/limits.py); when one is not
installed the ParseError names the Debian package.
"""

from __future__ import annotations

import zipfile
import io
from dataclasses import dataclass
from typing import Callable

from ..document import Document
from ..errors import ParseError
from . import doc, docx, html, ocr, ofd, pdf, text, xls, xlsx


@dataclass(frozen=True)
class Extractor:
    name: str
    extensions: tuple[str, ...]
    content_types: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: Callable[[bytes, str | None], Document] | None
    advice: str = ""


def _zip_has(data: bytes, member: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return any(n.lstrip("/").lower() == member.lower() for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_docx(data: bytes) -> bool:
    return _zip_has(data, "word/document.xml")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_stream(*names: str) -> Callable[[bytes], bool]:
    marks = [n.encode("utf-16-le") for n in names]
    return lambda d: d.startswith(_OLE) and any(m in d for m in marks)


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower() \
        or head.startswith((b"<head", b"<body", b"<table", b"<meta", b"<div", b"<p>"))


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("pdf", (".pdf",), ("application/pdf",), lambda d: d[:1024].lstrip().startswith(b"%PDF"), pdf.extract),
    Extractor("docx", (".docx",), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
              _is_docx, docx.extract),
    Extractor("xlsx", (".xlsx",), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
              lambda d: _zip_has(d, "xl/workbook.xml"), xlsx.extract),
    Extractor("ofd", (".ofd",), ("application/ofd",), lambda d: _zip_has(d, "OFD.xml"), ofd.extract),
    Extractor("wps", (".wps",), ("application/kswps", "application/wps-office.wps"), lambda d: False, doc.extract_wps),
    Extractor("et", (".et",), ("application/wps-office.et",), lambda d: False, xls.extract_et),
    Extractor("xls", (".xls",), ("application/vnd.ms-excel",), _ole_stream("Workbook"), xls.extract),
    Extractor("doc", (".doc",), ("application/msword",), lambda d: d.startswith(_OLE[:4]), doc.extract),
    Extractor("image", (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"), ("image/",),
              lambda d: d.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")),
              ocr.extract_image),
    Extractor("html", (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".php", ".asp", ".aspx"),
              ("text/html", "application/xhtml"), _looks_html, html.extract),
    Extractor("text", (".txt", ".text", ".md"), ("text/plain",), lambda d: False, text.extract),
)

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    ext for e in EXTRACTORS if e.read is not None for ext in e.extensions)


def choose(data: bytes, filename: str | None, content_type: str | None) -> Extractor:
    """The extractor for these bytes; ParseError when none fits."""
    ext = "." + filename.rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    ctype = (content_type or "").split(";")[0].strip().lower()
    for rule in (lambda e: e.sniff(data), lambda e: ext in e.extensions,
                 lambda e: bool(ctype) and ctype.startswith(e.content_types)):
        for extractor in EXTRACTORS:
            if rule(extractor):
                return extractor
    if not ext and not ctype and not b"\x00" in data[:1024]:
        return EXTRACTORS[-1]
    raise ParseError(f"unsupported file type ({filename or ctype or 'unknown'}); "
                     f"supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}")


def extract(data: bytes, filename: str | None = None, content_type: str | None = None) -> Document:
    """The document's blocks and metadata. Raises ParseError for unsupported or corrupt input."""
    if not data or not data.strip():
        raise ParseError("the file is empty; fetch it again")
    extractor = choose(data, filename, content_type)
    if extractor.read is None:
        raise ParseError(f"{extractor.name}: {extractor.advice}")
    return extractor.read(data, content_type)
