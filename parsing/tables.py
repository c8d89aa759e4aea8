"""Tables 二, 三 and 四 read into the INTERFACE.md keys.

Each table is read from the tokens of its section (heading to next heading);
when the heading is lost, from the previous section's start. Results are
flat: dotted path (``applications.new.total``) → value, plus the rows found
with the wrong number of values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import schema
from .labels import Spec
from .reader import RowResult, read_rows, run_of_values, trim_weak
from .tokens import Token

REVIEW_ANCHORS = ("行政复议", "行政诉讼", "维持", "纠正", "审结")
MAX_ANCHOR_CHARS = 20   # a header cell, not a sentence that mentions 行政复议


@dataclass
class Ambiguous:
    table: str
    label: str
    found: int
    expected: int
    paths: list[str]


@dataclass
class Readout:
    cells: dict[str, int | float | None] = field(default_factory=dict)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    fee_units: dict[str, str | None] = field(default_factory=dict)   # cell path → "万元" | "元" | None
    sources: dict[str, tuple[int, str]] = field(default_factory=dict)  # cell path → (line, printed text)


@lru_cache(maxsize=None)   # schema data: built once per format
def proactive_specs(fmt: str) -> tuple[Spec, ...]:
    return tuple(Spec(r.key, (r.label,) + schema.LABEL_VARIANTS.get(r.key, ()), tuple(c for c, _ in b.columns))
                 for b in schema.proactive_blocks(fmt) for r in b.rows)


@lru_cache(maxsize=None)
def application_specs(fmt: str) -> tuple[Spec, ...]:
    cols = tuple(c for c, _ in schema.APPLICANT_COLUMNS)
    return tuple(Spec(r.key, (r.label,) + schema.LABEL_VARIANTS.get(r.key, ()), cols)
                 for r in schema.application_rows(fmt))


def read_table(table: str, specs: tuple[Spec, ...], tokens: list[Token], span: tuple[int, int], out: Readout) -> None:
    """Read one table's rows from ``tokens[span]`` into ``out``."""
    for row in read_rows(tokens, specs, *span).values():
        _record(table, row, out)


def _record(table: str, row: RowResult, out: Readout) -> None:
    paths = [f"{table}.{row.spec.key}.{c}" for c in row.spec.columns]
    if row.ok:
        out.cells.update(zip(paths, row.cells().values()))
        out.sources.update((p, (t.line, t.text)) for p, t in zip(paths, row.values))
    else:
        out.ambiguous.append(Ambiguous(table, row.label, len(row.values), row.spec.expected, paths))


def read_review(tokens: list[Token], span: tuple[int, int], out: Readout) -> None:
    """Table 四: the first run of values after its header, exactly 15 of them."""
    start, end = span
    anchor = next((i for i in range(start, end) if tokens[i].kind == "label" and len(tokens[i].text) <= MAX_ANCHOR_CHARS
                   and any(a in tokens[i].text for a in REVIEW_ANCHORS)), None)
    if anchor is None:
        return
    paths = [f"review_litigation.{p}" for p in schema.review_cell_paths()]
    i = anchor
    while i < end:
        run, j = run_of_values(tokens, i, end)
        if any(not t.weak for t in run) or len(run) >= len(paths):
            run = trim_weak(run, len(paths))
            if len(run) == len(paths):
                out.cells.update(zip(paths, (t.value for t in run)))
                out.sources.update((p, (t.line, t.text)) for p, t in zip(paths, run))
            else:
                out.ambiguous.append(Ambiguous("review_litigation", "行政复议、行政诉讼", len(run), len(paths), paths))
            return
        i = j + 1 if j == i else j


def fee_units(tokens: list[Token], span: tuple[int, int], fmt: str) -> dict[str, str | None]:
    """Unit printed in each money column header: "万元", "元" or None (not printed)."""
    columns = {"本年收费金额": "proactive.fees.amount", "采购总金额": "proactive.procurement.amount"}
    units: dict[str, str | None] = {}
    for i in range(*span):
        tok = tokens[i]
        for header, path in columns.items():
            if tok.kind == "label" and header in tok.text and path not in units:
                text = tok.text + (tokens[i + 1].text if i + 1 < span[1] and tokens[i + 1].kind == "label" else "")
                units[path] = "万元" if "万元" in text else ("元" if "单位:元" in text or "(元)" in text else None)
    wanted = {"2021": ["proactive.fees.amount"], "2019": ["proactive.procurement.amount"]}.get(fmt, [])
    return {p: units.get(p) for p in wanted}


def apply_fee_units(out: Readout) -> None:
    """Money in 万元: convert yuan, make every amount a decimal."""
    for path, unit in out.fee_units.items():
        value = out.cells.get(path)
        if isinstance(value, (int, float)):
            out.cells[path] = round(value / 10000, 6) if unit == "元" else float(value)


def section_span(sections: dict[str, int], section: str, line_starts: list[int], n_tokens: int) -> tuple[int, int]:
    """Token range of a section: heading to the next heading found; lost heading → previous section's start."""
    order = [k for k, _, _ in schema.SECTIONS]
    idx = order.index(section)
    start_line = sections.get(section)
    if start_line is None:
        earlier = [sections[k] for k in order[:idx] if k in sections]
        start_line = max(earlier) if earlier else 0
    later = [sections[k] for k in order[idx + 1:] if k in sections and sections[k] > start_line]
    end_line = min(later) if later else None
    start = line_starts[start_line] if start_line < len(line_starts) else n_tokens
    end = line_starts[end_line] if end_line is not None else n_tokens
    return start, end


def read_all(tokens: list[Token], sections: dict[str, int], line_starts: list[int], fmt: str) -> Readout:
    """Every table of a report in format ``fmt`` ("2021"/"2019"; "mixed" reads the better fit)."""
    out = Readout()
    n = len(tokens)
    pro_fmt, app_fmt = (_best(tokens, sections, line_starts, fmt) if fmt == "mixed" else (fmt, fmt))
    read_table("proactive", proactive_specs(pro_fmt), tokens, section_span(sections, "proactive", line_starts, n), out)
    read_table("applications", application_specs(app_fmt), tokens,
               section_span(sections, "applications", line_starts, n), out)
    read_review(tokens, section_span(sections, "review_litigation", line_starts, n), out)
    out.fee_units = fee_units(tokens, section_span(sections, "proactive", line_starts, n), pro_fmt)
    apply_fee_units(out)
    return out


def _best(tokens, sections, line_starts, fmt) -> tuple[str, str]:
    def score(table, specs):
        span = section_span(sections, table, line_starts, len(tokens))
        return sum(r.ok for r in read_rows(tokens, specs, *span).values())
    pro = max(("2021", "2019"), key=lambda f: score("proactive", proactive_specs(f)))
    app = max(("2021", "2019"), key=lambda f: score("applications", application_specs(f)))
    return pro, app


