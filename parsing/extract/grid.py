"""Ruled tables on a prepared scan page: rulings, the grid they draw, cells with their spans.

A ruling is a thin straight run of ink: horizontal ones at least ``H_MIN_MM``
long, vertical ones at least ``V_MIN_MM`` long and touching or crossing a
horizontal one (a character's stroke does not reach the rulings around it;
a broken ruling's pieces cross the rows' rulings, and an end may be open, as
where a table breaks across pages). Rulings that cross form a
table. Every ruling position of a table splits it into a grid; two
neighbouring grid positions belong to the same (merged) cell when no ruling
stands between them — tested on the pixels of that side, so a broken or
faint line still counts and a character crossing the side does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

H_MIN_MM = 10.0        # a horizontal ruling is at least this long (longer than a CJK character)
V_MIN_MM = 4.0         # a vertical ruling: shorter than a table row, so it must reach a horizontal ruling
GAP_MM = 0.6           # a break this short in a line is closed (faint or broken scans)
TOUCH_MM = 1.5         # a vertical ruling ending this close to a horizontal one reaches it
MERGE_MM = 1.2         # ruling positions closer than this are one grid line
MAX_THICK_MM = 1.5     # a thicker band of ink is a filled area, not a ruling
SIDE_RUN_MM = 3.0      # a cell side is ruled where a straight run at least this long covers it…
SIDE_SHARE = 0.75      # …over this share of its length
SIDE_BAND_MM = 0.5     # how far either side of the grid line the ruling may wander


@dataclass(frozen=True)
class Segment:
    """A ruling: ``pos`` across the line (y of a horizontal, x of a vertical), ``start``-``end`` along it."""

    pos: int
    start: int
    end: int
    thick: int


@dataclass(frozen=True)
class Cell:
    """A cell at grid position (row, col) spanning ``rows`` × ``cols``; ``box`` = (x0, y0, x1, y1) between
    its rulings, in page pixels."""

    row: int
    col: int
    rows: int
    cols: int
    box: tuple[int, int, int, int]


@dataclass
class Grid:
    """One table: grid line positions, its cells, and the rulings that drew it (page pixels)."""

    xs: list[int]
    ys: list[int]
    cells: list[Cell]
    rulings: list[tuple[str, Segment]] = field(default_factory=list)   # ("h" | "v", segment)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def origins(self) -> list[list[int]]:
        """Per grid position, the index in ``cells`` of the cell covering it."""
        out = [[-1] * (len(self.xs) - 1) for _ in range(len(self.ys) - 1)]
        for n, cell in enumerate(self.cells):
            for r in range(cell.row, cell.row + cell.rows):
                for c in range(cell.col, cell.col + cell.cols):
                    out[r][c] = n
        return out


def find_grids(ink, dpi: int) -> list[Grid]:
    """The ruled tables of a page's ink (numpy bool array at ``dpi``), top to bottom."""
    mm = dpi / 25.4
    hs = _segments(ink, axis=1, min_len=round(H_MIN_MM * mm), gap=round(GAP_MM * mm), max_thick=MAX_THICK_MM * mm)
    vs = _segments(ink, axis=0, min_len=round(V_MIN_MM * mm), gap=round(GAP_MM * mm), max_thick=MAX_THICK_MM * mm)
    touch = TOUCH_MM * mm
    vs = [v for v in vs if any(_crosses(h, v, touch + h.thick / 2) for h in hs)]
    grids = [_grid(ink, h, v, mm) for h, v in _tables(hs, vs, touch)]
    return sorted((g for g in grids if g.cells), key=lambda g: g.ys[0])


def _segments(ink, axis: int, min_len: int, gap: int, max_thick: float) -> list[Segment]:
    """Straight runs of ink along ``axis`` (1: horizontal) at least ``min_len`` long, breaks of up to
    ``gap`` pixels bridged, runs on adjacent lines joined."""
    import numpy as np
    lines = ink if axis == 1 else ink.T
    edges = np.diff(np.pad(lines, ((0, 0), (1, 1))).view(np.int8), axis=1)
    starts, ends = np.argwhere(edges == 1), np.argwhere(edges == -1)
    rows, first, last = starts[:, 0], starts[:, 1], ends[:, 1]
    bridged = (rows[1:] == rows[:-1]) & (first[1:] - last[:-1] <= gap)
    heads = np.flatnonzero(np.insert(~bridged, 0, True))        # the first run of each bridged group
    tails = np.append(heads[1:] - 1, len(rows) - 1)
    keep = last[tails] - first[heads] >= min_len
    runs = zip(rows[heads][keep].tolist(), first[heads][keep].tolist(), last[tails][keep].tolist())
    return [s for s in _join_runs(runs) if s.thick <= max_thick]


def _join_runs(runs) -> list[Segment]:
    """Runs (line, start, end) on neighbouring lines that overlap become one segment."""
    open_: list[list[int]] = []    # [first line, last line, start, end]
    done: list[list[int]] = []
    for line, start, end in runs:
        for seg in open_:
            if line - seg[1] <= 1 and start < seg[3] and end > seg[2]:
                seg[1], seg[2], seg[3] = line, min(seg[2], start), max(seg[3], end)
                break
        else:
            open_.append([line, line, start, end])
        done += [s for s in open_ if line - s[1] > 1]
        open_ = [s for s in open_ if line - s[1] <= 1]
    return [Segment((a + b) // 2, s, e, b - a + 1) for a, b, s, e in done + open_]


def _crosses(h: Segment, v: Segment, touch: float) -> bool:
    return h.start - touch <= v.pos <= h.end + touch and v.start - touch <= h.pos <= v.end + touch


def _tables(hs: list[Segment], vs: list[Segment], touch: float) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of crossing rulings with at least two of each direction."""
    parent = list(range(len(hs) + len(vs)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _crosses(h, v, touch):
                parent[root(i)] = root(len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(root(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(root(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _positions(segments: list[Segment], merge: float) -> list[int]:
    """Grid line positions: segment positions, those closer than ``merge`` taken as one."""
    out: list[list[int]] = []
    for pos in sorted(s.pos for s in segments):
        if out and pos - out[-1][-1] <= merge:
            out[-1].append(pos)
        else:
            out.append([pos])
    return [sum(group) // len(group) for group in out]


def _grid(ink, hs: list[Segment], vs: list[Segment], mm: float) -> Grid:
    xs, ys = _positions(vs, MERGE_MM * mm), _positions(hs, MERGE_MM * mm)
    thick = max(s.thick for s in hs + vs)
    sides = _Sides(ink, mm, thick)
    groups = _merge_cells(len(ys) - 1, len(xs) - 1,
                          lambda r, c: sides.vertical(xs[c + 1], ys[r], ys[r + 1]),
                          lambda r, c: sides.horizontal(ys[r + 1], xs[c], xs[c + 1]))
    inset = thick // 2 + 1
    cells = [Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0] + inset, ys[r0] + inset, xs[c1 + 1] - inset,
                                                     ys[r1 + 1] - inset)) for r0, c0, r1, c1 in groups]
    return Grid(xs, ys, cells, [("h", h) for h in hs] + [("v", v) for v in vs])


def _merge_cells(rows: int, cols: int, right_ruled, below_ruled) -> list[tuple[int, int, int, int]]:
    """Bounding (r0, c0, r1, c1) of each group of grid positions not separated by a ruling, in reading order."""
    parent = list(range(rows * cols))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not right_ruled(r, c):
                parent[root(r * cols + c)] = root(r * cols + c + 1)
            if r + 1 < rows and not below_ruled(r, c):
                parent[root(r * cols + c)] = root((r + 1) * cols + c)
    boxes: dict[int, list[int]] = {}
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        b = boxes.setdefault(root(i), [r, c, r, c])
        b[0], b[1], b[2], b[3] = min(b[0], r), min(b[1], c), max(b[2], r), max(b[3], c)
    return sorted((tuple(b) for b in boxes.values()), key=lambda b: (b[0], b[1]))


class _Sides:
    """Whether a cell side is ruled: straight runs of ink along it cover SIDE_SHARE of its length."""

    def __init__(self, ink, mm: float, thick: int):
        self.ink, self.band = ink, thick // 2 + round(SIDE_BAND_MM * mm)
        self.gap, self.run, self.skip = round(GAP_MM * mm), SIDE_RUN_MM * mm, thick // 2 + 1

    def vertical(self, x: int, y0: int, y1: int) -> bool:
        return self._ruled(self.ink[y0 + self.skip:y1 - self.skip, max(0, x - self.band):x + self.band + 1].any(axis=1))

    def horizontal(self, y: int, x0: int, x1: int) -> bool:
        return self._ruled(self.ink[max(0, y - self.band):y + self.band + 1, x0 + self.skip:x1 - self.skip].any(axis=0))

    def _ruled(self, profile) -> bool:
        """True when runs of ink (breaks up to ``gap`` bridged) at least ``run`` long cover enough of it."""
        import numpy as np
        if profile.size == 0:
            return True
        edges = np.diff(np.pad(profile, 1).view(np.int8))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        if starts.size == 0:
            return False
        breaks = np.flatnonzero(starts[1:] - ends[:-1] > self.gap)
        lengths = np.append(ends[breaks], ends[-1]) - np.insert(starts[breaks + 1], 0, starts[0])
        return lengths[lengths >= min(self.run, 0.6 * profile.size)].sum() >= SIDE_SHARE * profile.size


def erase(ink, grids: list[Grid], fringe: int) -> None:
    """Clear the rulings of ``grids`` (and ``fringe`` pixels around them) from the bool array ``ink``."""
    for g in grids:
        for kind, s in g.rulings:
            half = s.thick // 2 + fringe
            across = slice(max(0, s.pos - half), s.pos + half + 1)
            along = slice(max(0, s.start - fringe), s.end + fringe)
            ink[(across, along) if kind == "h" else (along, across)] = False
