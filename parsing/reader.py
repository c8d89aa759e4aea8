"""Read rows of numbers by leaf label from a token stream (DOMAIN.md §3).

For each label naming a row: skip the label's wrapped continuation, take the
run of values that follows, drop trailing empty table cells beyond the
expected count, and accept the run only when it has exactly the expected
number of values. Any other count makes the row *ambiguous*: its cells stay
absent. The first occurrence with the right count wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import Spec, matcher_for
from .tokens import Token


@dataclass
class RowResult:
    spec: Spec
    values: list[Token]         # the run of values/nulls that followed the label
    label: str                  # the label as printed (normalised)

    @property
    def ok(self) -> bool:
        return len(self.values) == self.spec.expected

    def cells(self) -> dict[str, int | float | None]:
        """Column key → value (None for a blank cell); empty unless ``ok``."""
        return {col: tok.value for col, tok in zip(self.spec.columns, self.values)} if self.ok else {}


def read_rows(tokens: list[Token], specs: tuple[Spec, ...], start: int = 0, end: int | None = None) -> dict[str, RowResult]:
    """Row key → result, for every row whose label occurs in ``tokens[start:end]``."""
    matcher = matcher_for(specs)
    end = len(tokens) if end is None else end
    results: dict[str, RowResult] = {}
    i = start
    while i < end:
        tok = tokens[i]
        spec = matcher.match(tok.text) if tok.kind == "label" else None
        if spec is None:
            i += 1
            continue
        j, printed = _skip_continuation(tokens, i + 1, end, matcher, spec, tok.text)
        values, j = run_of_values(tokens, j, end)
        result = RowResult(spec, trim_weak(values, spec.expected), printed)
        if result.values and (spec.key not in results or (result.ok and not results[spec.key].ok)):
            results[spec.key] = result
        i = j
    return results


def _skip_continuation(tokens, j, end, matcher, spec, printed):
    while j < end and tokens[j].kind == "label" and matcher.match(tokens[j].text) is None \
            and matcher.continues(spec, printed + tokens[j].text):
        printed += tokens[j].text
        j += 1
    return j, printed


def run_of_values(tokens: list[Token], j: int, end: int) -> tuple[list[Token], int]:
    """The consecutive value/null tokens from ``j``, and the index after them."""
    run = []
    while j < end and tokens[j].kind in ("value", "null"):
        run.append(tokens[j])
        j += 1
    return run, j


def trim_weak(values: list[Token], expected: int) -> list[Token]:
    """Drop empty-cell nulls at the end (then the start) while the run is too long."""
    values = list(values)
    while len(values) > expected and values[-1].weak:
        values.pop()
    while len(values) > expected and values[0].weak:
        values.pop(0)
    return values
