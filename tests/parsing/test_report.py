"""The report object's table tree: dotted cell paths nested into dicts, whatever their order."""

from __future__ import annotations

import pytest

from parsing.report import nest

NESTED = [
    ({}, {}),
    ({"a": 1}, {"a": 1}),
    ({"t.r.x": 1, "t.r.y": 2, "t.s.x": 3}, {"t": {"r": {"x": 1, "y": 2}, "s": {"x": 3}}}),
    ({"t.r.x": 1, "t.s.x": 3, "t.r.y": 2}, {"t": {"r": {"x": 1, "y": 2}, "s": {"x": 3}}}),
    ({"t.w.a.x": None, "u.b": 0, "t.w.a.y": 1.5}, {"t": {"w": {"a": {"x": None, "y": 1.5}}}, "u": {"b": 0}}),
]


@pytest.mark.parametrize("cells,expected", NESTED)
def test_nest(cells, expected):
    assert nest(cells) == expected
