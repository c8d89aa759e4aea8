"""Generated PDF (reportlab, STSong-Light) and DOCX (python-docx) reports parse back exactly."""

from __future__ import annotations

from functools import lru_cache

import pytest

from parsing import parse_bytes
from parsing.report import nest

from .docgen import docx_bytes, pdf_bytes
from .render import zero_values

VALUES = zero_values()
VALUES.update({
    "applications.new.natural_person": 2, "applications.new.legal_service": 1, "applications.new.total": 3,
    "applications.granted.natural_person": 2, "applications.granted.total": 2,
    "applications.withheld.third_party.legal_service": 1, "applications.withheld.third_party.total": 1,
    "applications.total.natural_person": 2, "applications.total.legal_service": 1, "applications.total.total": 3,
    "proactive.fees.amount": 0.35, "proactive.punishment.decisions": 14,
    "review_litigation.litigation_after_review.corrected": 1, "review_litigation.litigation_after_review.total": 1,
})

MAKERS = {
    "text.pdf": lambda: pdf_bytes(VALUES),
    "ruled.pdf": lambda: pdf_bytes(VALUES, ruled=True),
    "report.docx": lambda: docx_bytes(VALUES),
}


@lru_cache(maxsize=None)
def parsed(name: str) -> dict:
    return parse_bytes(MAKERS[name](), source=f"/tmp/{name}", filename=name)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_tables_round_trip(name):
    assert parsed(name)["tables"] == nest(VALUES)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_nothing_missing(name):
    assert parsed(name)["missing"] == []


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_no_checks(name):
    assert parsed(name)["checks"] == []


@pytest.mark.parametrize("name,field,expected", [
    (n, f, e) for n in MAKERS for f, e in
    [("township", "兴隆镇"), ("county", "友谊县"), ("year", 2022), ("format", "2021"), ("document_kind", "report")]
] + [("text.pdf", "published", "2023-01-15"), ("text.pdf", "published_source", "signature"),
     ("report.docx", "published", None)])
def test_field(name, field, expected):
    assert parsed(name)[field] == expected


def test_ruled_pdf_gives_tables():
    from parsing.extract import extract
    from parsing.document import Table
    doc = extract(MAKERS["ruled.pdf"](), "ruled.pdf")
    assert sum(isinstance(b, Table) for b in doc.blocks) >= 3


def test_docx_vertical_merge_expanded():
    from parsing.extract import extract
    doc = extract(MAKERS["report.docx"](), "report.docx")
    apps = [b for b in doc.blocks if hasattr(b, "rows") and len(b.rows) > 20][0]
    assert [r[0] for r in apps.rows if r[1].startswith(("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8."))][:8] \
        == ["（三）不予公开"] * 8
