"""Property: any consistent set of tables, rendered as DOCX or born-digital PDF, parses back exactly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsing import parse_bytes
from parsing.report import nest

from .generated.cases import FILLER, Case
from .generated.render import docx_bytes, pdf_bytes
from .test_property import consistent_values

FORMATS = st.sampled_from([("2021", 2022), ("2019", 2020)])


def _case(values: dict, fmt: str, year: int) -> Case:
    case = Case("prop", fmt, year, "友谊县", "兴隆镇", values, list(FILLER[:6]))
    case.prose_numbers = {"new": values["applications.new.total"], "review": values["review_litigation.review.total"]}
    return case


@st.composite
def cases(draw):
    fmt, year = draw(FORMATS)
    return _case(draw(consistent_values(fmt)), fmt, year)


def _check(case: Case, data: bytes, name: str) -> None:
    report = parse_bytes(data, source=name)
    severe = [c for c in report["checks"] if c["severity"] in ("error", "warning")]
    assert (report["tables"], report["missing"], severe) == (nest(case.values), [], [])
    assert (report["year"], report["agency"], report["format"]) == (case.year, case.agency, case.fmt)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_docx_round_trip(case):
    _check(case, docx_bytes(case), "r.docx")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_pdf_round_trip(case):
    _check(case, pdf_bytes(case), "r.pdf")
