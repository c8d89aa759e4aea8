"""XLS (Excel 97–2003) and ET (Kingsoft Spreadsheets): converted to XLSX by LibreOffice, then read as XLSX."""

from __future__ import annotations

from ..document import Document
from . import soffice, xlsx


def extract(data: bytes, content_type: str | None = None, *, ext: str = ".xls") -> Document:
    """Blocks of an XLS/ET workbook. ParseError when LibreOffice is missing or cannot convert it."""
    return xlsx.extract(soffice.convert(data, ext, "xlsx", "spreadsheet"))


def extract_et(data: bytes, content_type: str | None = None) -> Document:
    return extract(data, content_type, ext=".et")
