"""Assemble the INTERFACE.md report object from a Document."""

from __future__ import annotations

from dataclasses import dataclass

from . import dates, prose, schema
from .checks import Facts, run_checks
from .document import Document
from .identify import identify, identity_checks
from .kinds import document_kind
from .structure import detect_format, find_sections
from .tables import Readout, read_all
from .titles import find_title
from .tokens import lines_of, tokens_of


@dataclass
class PageContext:
    """The page that linked an attachment (all optional).

    ``page_html``: the linking page's bytes (its meta tags and 发布日期 give the
    published date); ``page_url``: its URL (a date in it is the ``url`` source);
    ``listing_title`` / ``listed_date``: the title and date shown on the column
    list (``listed_date`` as ``YYYY-MM-DD`` or any Y-M-D text).
    """

    page_html: bytes | None = None
    page_url: str | None = None
    listing_title: str | None = None
    listed_date: str | None = None


@dataclass
class _Tables:
    lines: list
    fmt: str
    app_fmt: str
    sections: dict[str, int]
    readout: Readout
    expected: list[str]
    missing: list[str]


def build_report(doc: Document, *, source: str, page_meta: dict[str, str], context: PageContext | None,
                 previous: dict | None = None) -> dict:
    """The report object for ``doc``; ``page_meta`` is the metadata of the HTML page it came from.

    ``previous`` (the same unit's report object for year − 1) enables the
    cross-year checks. Extensions beyond INTERFACE.md: ``text_fingerprint``
    (hashes of the prose sentences, for next year's copy check) and, for OCR'd
    documents, ``ocr = {engine, pages, mean_confidence, low_confidence_cells}``.
    """
    text_lines = doc.text_lines()
    t = _read_tables(doc, text_lines)
    ident = _identify(doc, text_lines, page_meta, context)
    pub, pub_source = dates.published(_date_candidates(page_meta, context, source, text_lines, ident.year))
    sections = [k for k, _, _ in schema.SECTIONS if k in t.sections]
    report = {
        "source": source, "title": ident.title,
        "agency": ident.agency, "agency_kind": ident.agency_kind,
        "township": ident.township, "county": ident.county, "city": ident.city, "province": ident.province,
        "division_code": None,
        "year": ident.year,
        "published": pub, "published_source": pub_source,
        "format": t.fmt,
        "document_kind": document_kind(ident.title, has_tables=bool(t.readout.cells), n_sections=len(sections)),
        "sections": sections,
        "tables": nest(t.readout.cells),
        "missing": t.missing,
        "coverage": {"found": len(t.expected) - len(t.missing), "expected": len(t.expected)},
    }
    text = prose.prose_text(t.lines)
    report["text_fingerprint"] = prose.fingerprint(text)
    low = _low_confidence(doc, t.readout)
    if doc.ocr is not None:
        report["ocr"] = {k: v for k, v in doc.ocr.items() if k != "low_confidence"} | {"low_confidence_cells": low}
    report["checks"] = run_checks(Facts(t.readout.cells, t.readout, t.fmt, t.app_fmt, ident.year, ident.title_year,
                                        ident.period_year, sections, t.missing, pub, pub_source, previous=previous,
                                        prose=text, quoted=prose.quoted_numbers(text), low_confidence=low))
    report["checks"] += identity_checks(ident)
    return report


def _low_confidence(doc: Document, readout: Readout) -> list[str]:
    """Cell paths whose value came from a number OCR read with low confidence on that line."""
    flagged = (doc.ocr or {}).get("low_confidence") or {}
    return [path for path, (line, text) in readout.sources.items() if text in flagged.get(line, ())]


def _read_tables(doc: Document, text_lines: list[str]) -> _Tables:
    lines = lines_of(doc)
    tokens = tokens_of(lines)
    sections = find_sections(lines)
    fmt = detect_format([tok.text for tok in tokens if tok.kind == "label"], sections)
    read_fmt = "2021" if fmt == "tables_missing" else fmt
    readout = read_all(tokens, sections, _line_starts(tokens, len(lines)), read_fmt) if fmt != "legacy" else Readout()
    pro_fmt, app_fmt = _formats(readout, read_fmt)
    expected = _expected_paths(fmt, pro_fmt, app_fmt)
    return _Tables(lines, fmt, app_fmt, sections, readout, expected, [p for p in expected if p not in readout.cells])


def _identify(doc: Document, text_lines: list[str], page_meta: dict[str, str], context: PageContext | None):
    fallbacks = [page_meta.get("ArticleTitle"), context.listing_title if context else None,
                 doc.meta.get("title"), page_meta.get("title")]
    title = find_title(text_lines, doc.meta.get("ArticleTitle"), [f for f in fallbacks if f])
    hints = [h for h in (page_meta.get("SiteName"), page_meta.get("page_agency"), doc.meta.get("SiteName")) if h]
    site = (page_meta.get("SiteName", ""), page_meta.get("SiteIDCode", ""))
    namers = (dates.signature_agency(text_lines), context.listing_title if context else None,
              page_meta.get("ContentSource"), page_meta.get("page_agency"))
    return identify(title, "\n".join(text_lines), hints, site, tuple(n for n in namers if n))


def _line_starts(tokens, n_lines: int) -> list[int]:
    starts, k = [], 0
    for n in range(n_lines):
        while k < len(tokens) and tokens[k].line < n:
            k += 1
        starts.append(k)
    return starts


def _formats(readout: Readout, fmt: str) -> tuple[str, str]:
    if fmt != "mixed":
        return fmt, fmt
    pro = "2019" if any(p.startswith("proactive.procurement") for p in readout.cells) else "2021"
    app = "2019" if any(p.startswith("applications.other_handling") for p in readout.cells) else "2021"
    return pro, app


def _expected_paths(fmt: str, pro_fmt: str, app_fmt: str) -> list[str]:
    if fmt == "legacy":
        return []
    pro = [p for p in schema.cell_paths(pro_fmt) if p.startswith("proactive.")]
    rest = [p for p in schema.cell_paths(app_fmt) if not p.startswith("proactive.")]
    return pro + rest


def _date_candidates(page_meta, context, source, text_lines, year):
    listed = dates.as_date(context.listed_date) if context and context.listed_date else None
    page_url = context.page_url if context and context.page_url else None
    return [
        ("meta", dates.as_date(page_meta.get("PubDate"))),
        ("page", dates.as_date(page_meta.get("page_date"))),
        ("listing", listed),
        ("url", dates.from_url(page_url) or dates.from_url(source)),
        ("signature", dates.plausible_signature(dates.from_signature(text_lines), year)),
    ]


def nest(cells: dict[str, object]) -> dict:
    """Dotted paths → nested dicts (``applications.withheld.state_secret.total``)."""
    out: dict = {}
    prefix, node = None, out
    for path, value in cells.items():
        parents, _, leaf = path.rpartition(".")
        if parents != prefix:   # a row's cells come together: find their dict once
            prefix, node = parents, out
            for part in parents.split(".") if parents else ():
                node = node.setdefault(part, {})
        node[leaf] = value
    return out
