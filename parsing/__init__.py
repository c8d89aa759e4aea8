"""nianbao.parsing — bytes of a 年报 in, report object (INTERFACE.md) out.

A pure library: no database, no network, no clock.
"""

from __future__ import annotations

from pathlib import Path as _Path

from .errors import ParseError
from .extract import SUPPORTED_EXTENSIONS
from .extract import extract as _extract
from .extract import html as _html
from .report import PageContext
from .report import build_report as _build_report

__all__ = ["parse_bytes", "parse_file", "PageContext", "ParseError", "SUPPORTED_EXTENSIONS"]


def parse_bytes(data: bytes, *, source: str, filename: str | None = None, content_type: str | None = None,
                context: PageContext | None = None, previous: dict | None = None) -> dict:
    """The report object of one document.

    ``source`` (path or URL) is recorded and, when a URL, may date the report
    (``published_source`` "url"). ``filename``/``content_type`` help choose the
    extractor (magic bytes win). ``context`` describes the page that linked an
    attachment: its metadata dates the report; the attachment's text names it.
    ``previous`` is the same unit's report object for the year before, when
    known: it enables checks 5 (上年结转) and 8 (text copied from last year).
    Raises ParseError for unsupported, empty, corrupt, encrypted or hostile
    input (zip bombs, endless conversion or OCR: extract/limits.py).
    """
    doc = _extract(data, filename or _name_of(source), content_type)
    page_meta, notes = dict(doc.meta), []
    if context and context.page_html:
        try:
            page_meta = _html.extract(context.page_html).meta
        except ParseError as exc:   # a broken linking page must not hide the attachment
            page_meta = {}
            notes.append({"code": "context.page_unreadable", "severity": "info",
                          "message": f"链接附件的页面无法读取（{exc}），发布日期未从该页面获取"})
    report = _build_report(doc, source=source, page_meta=page_meta, context=context, previous=previous)
    report["checks"] += notes
    return report


def parse_file(path: str | _Path, *, previous: dict | None = None) -> dict:
    """``parse_bytes`` of a local file; ParseError when it cannot be read."""
    path = _Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror}; check the path and permissions") from exc
    return parse_bytes(data, source=str(path), filename=path.name, previous=previous)


def _name_of(source: str) -> str | None:
    tail = source.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail if "." in tail else None
