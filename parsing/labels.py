"""Match a printed label to a table row by its leaf label (DOMAIN.md §3).

A label matches a row when, after normalisation, its text equals the row's
label (or a variant from ``schema.LABEL_VARIANTS``), or is a long enough
prefix of it (a label wrapped onto the next line, or printed without its
remark: "(二)部分公开"). Item numbers must agree when both sides have one;
short labels ("其他", "总计", "规章") must match exactly and, when the
official label is numbered, carry the number — so the column header "总计"
is never the row "(七)总计". A numbered label retyped with a word added or
changed ("四、结转下年度继续办理数量", "5.…已获取的信息", "3.其它") names the
row of the same number it is clearly nearest to (``MAX_EDIT_SHARE``), and
no other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .normalise import key, nearest, split_numbering
from .schema import LABEL_VARIANTS

MIN_PREFIX = 6        # characters of a wrapped label needed to identify its row
MIN_UNNUMBERED = 4    # shorter labels must carry their item number (and a numbered prefix needs this many)
MAX_EDIT_SHARE = 0.25  # a retyped numbered label may differ from its row's in this share of characters (at least one)
NEAREST_MEMO = 4096   # retyped labels remembered per matcher


@dataclass(frozen=True)
class Spec:
    """One readable row: where its values go and how many it must have."""

    key: str                   # dotted key inside its table, e.g. "withheld.state_secret"
    labels: tuple[str, ...]    # official label first, then variants
    columns: tuple[str, ...]   # column keys, in printed order

    @property
    def expected(self) -> int:
        return len(self.columns)


@dataclass(frozen=True)
class _Form:
    numbering: str | None
    core: str


class Matcher:
    """Finds the Spec a printed label names, among a fixed list of specs."""

    def __init__(self, specs: list[Spec]):
        self.specs = specs
        self.forms = [(spec, _form(lab)) for spec in specs for lab in spec.labels]
        self._by_core: dict[str, list[tuple[Spec, _Form]]] = {}
        for spec, form in self.forms:
            self._by_core.setdefault(form.core, []).append((spec, form))
        self._nearest_memo: dict[tuple[str, str], Spec | None] = {}

    def match(self, text: str) -> Spec | None:
        """The spec ``text`` names, or None when it names none or several."""
        numbering, rest = split_numbering(text)
        core = key(rest)
        if not core:
            return None
        exact = {s.key: s for s, f in self._by_core.get(core, ()) if _numbers_agree(numbering, f, core)}
        if len(exact) == 1:
            return next(iter(exact.values()))
        if exact:
            return None
        prefix = self._prefix(numbering, core) if len(core) >= (MIN_UNNUMBERED if numbering else MIN_PREFIX) else {}
        if prefix or numbering is None:
            return next(iter(prefix.values())) if len(prefix) == 1 else None
        return self._nearest(numbering, core)

    def _prefix(self, numbering: str | None, core: str) -> dict[str, Spec]:
        return {s.key: s for s, f in self.forms if f.core.startswith(core) and _numbers_agree(numbering, f, core)}

    def _nearest(self, numbering: str, core: str) -> Spec | None:
        """The spec of this numbering whose label ``core`` is within ``MAX_EDIT_SHARE`` of, at most half
        as far as from any other spec of this numbering; else None."""
        memo = (numbering, core)
        if memo not in self._nearest_memo:
            if len(self._nearest_memo) >= NEAREST_MEMO:
                self._nearest_memo.clear()
            found = nearest(core, ((f.core, s.key, s) for s, f in self.forms if f.numbering == numbering),
                            MAX_EDIT_SHARE)
            self._nearest_memo[memo] = found[1] if found else None
        return self._nearest_memo[memo]

    def continues(self, spec: Spec, text: str) -> bool:
        """True when ``text`` is still (a prefix of) one of ``spec``'s labels: a wrapped label."""
        core = key(split_numbering(text)[1])
        return any(_form(lab).core.startswith(core) for lab in spec.labels)


@lru_cache(maxsize=1024)   # official labels and their variants: a small fixed set
def _form(lab: str) -> _Form:
    numbering, rest = split_numbering(lab)
    return _Form(numbering, key(rest))


def _numbers_agree(numbering: str | None, form: _Form, core: str) -> bool:
    if numbering and form.numbering:
        return numbering == form.numbering
    if numbering is None and form.numbering:
        return len(core) >= MIN_UNNUMBERED
    return True


_MATCHERS: dict[int, tuple[tuple[Spec, ...], Matcher]] = {}


def matcher_for(specs: tuple[Spec, ...]) -> Matcher:
    """The Matcher of ``specs`` (the tables' spec tuples are built once per format: one Matcher each,
    its memo kept from report to report)."""
    cached = _MATCHERS.get(id(specs))
    if cached is None or cached[0] is not specs:
        if len(_MATCHERS) >= 64:   # callers building new tuples each time: do not grow without end
            _MATCHERS.clear()
        cached = _MATCHERS[id(specs)] = (specs, Matcher(list(specs)))
    return cached[1]


matcher_for.cache_clear = _MATCHERS.clear   # benchmarks empty every memo between passes
