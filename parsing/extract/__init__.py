"""Extractors, one per format, chosen from one table.

The table is walked in order: magic bytes first (they cannot lie), then the
file extension, then the content type. Formats we know but cannot read yet
(.doc, .wps, .ofd, images, spreadsheets) raise ParseError saying what to do.
"""

from __future__ import annotations

import zipfile
import io
from dataclasses import dataclass
from typing import Callable

from ..document import Document
from ..errors import ParseError
from . import docx, html, pdf, text


@dataclass(frozen=True)
class Extractor:
    name: str
    extensions: tuple[str, ...]
    content_types: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: Callable[[bytes, str | None], Document] | None
    advice: str = ""


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower() \
        or head.startswith((b"<head", b"<body", b"<table", b"<meta", b"<div", b"<p>"))


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("pdf", (".pdf",), ("application/pdf",), lambda d: d[:1024].lstrip().startswith(b"%PDF"), pdf.extract),
    Extractor("docx", (".docx",), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
              _is_docx, docx.extract),
    Extractor("doc", (".doc", ".wps", ".xls", ".et"), ("application/msword", "application/vnd.ms-excel",
              "application/kswps"), lambda d: d.startswith(b"\xd0\xcf\x11\xe0"), None,
              "old Office/WPS binary files are not readable yet: convert to .docx or .pdf"),
    Extractor("xlsx", (".xlsx",), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
              lambda d: False, None, "spreadsheets are not readable yet: export the sheet as .pdf or .html"),
    Extractor("ofd", (".ofd",), ("application/ofd",), lambda d: False, None,
              "OFD files are not readable yet: convert to .pdf"),
    Extractor("image", (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"), ("image/",),
              lambda d: d.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")), None,
              "images (图片版 reports) need OCR first"),
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
