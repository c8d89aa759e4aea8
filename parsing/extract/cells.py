"""The cells of a scanned page's tables, read: each inked cell cropped, sized and given to tesseract.

A cell's crop is its ink (binarised on the whole page: tesseract thresholds a
small crop badly) cut tight and padded with white. Tesseract reads this kind
of table text best when its digits are 17–23 px high (measured on the
generated scans: smaller or larger, 5 reads as 9 and 17 as 7). The text look
reads every crop of a page scaled by one factor, the target ``TEXT_LINE_PX``
over the median line height in its cells (digit or CJK lines, whichever
dominate: the target keeps digits in range either way). The number and
third looks read again the cells that may be numbers, scaled so that their
own median line is ``NUMBER_LINE_PX`` and ``THIRD_LINE_PX``: differently sized
looks. ``cellread`` says which cells get which look and what each says.
"""

from __future__ import annotations

from typing import Callable

from . import cellread
from .grid import Grid
from .tesseract import Pass, Word

TEXT_LINE_PX = 22.0       # px the page's median table text line is scaled to for the text pass
NUMBER_LINE_PX = 18.0     # px the median line of the number cells is scaled to for the number look
THIRD_LINE_PX = 25.0      # …and for the third look, taken where the first two disagree
PAD_PX = 20               # white border around a crop
MIN_INK_MM2 = 0.4         # less ink than this in a cell is an empty cell (specks, ruling remnants)
SCALE_RANGE = (0.25, 2.0)
MINUS_HEIGHT, MINUS_WIDTH, MINUS_OFFSET = 0.25, 0.25, 0.25   # a minus: bar height, width (share of the
                                                              # crop's height), distance of its middle from
                                                              # half-way up

Reader = Callable[[list, Pass, str], list[list[Word]]]   # (images, how, tag) → words per image


def read_tables(ink, dpi: int, grids: list[Grid], read: Reader) -> list[list[cellread.Reading]]:
    """Per grid, per cell: its ``cellread.Reading``.

    ``ink`` is the page's bool array with rulings erased; ``read`` runs one
    tesseract batch.
    """
    tights = [[_tight(ink, cell.box, dpi) for cell in g.cells] for g in grids]
    flat = [t for row in tights for t in row]
    looks: dict[int, dict[str, list[Word]]] = {n: {} for n, t in enumerate(flat) if t is not None}
    _look(looks, list(looks), flat, read, cellread.TEXT_PASS, TEXT_LINE_PX, "text")
    _look(looks, [n for n, k in looks.items() if cellread.wants_number(k["text"])], flat, read,
          cellread.NUMBER_PASS, NUMBER_LINE_PX, "number")
    _look(looks, [n for n, k in looks.items() if "number" in k and cellread.disputed(k["text"], k["number"])],
          flat, read, cellread.NUMBER_PASS, THIRD_LINE_PX, "third")
    _look(looks, [n for n, k in looks.items() if cellread.wants_label(k["text"])], flat, read,
          cellread.LABEL_PASS, TEXT_LINE_PX, "label")
    readings = [cellread.reading(looks[n], _leading_minus(flat[n])) if n in looks else cellread.EMPTY
                for n in range(len(flat))]
    out, start = [], 0
    for row in tights:
        out.append(readings[start:start + len(row)])
        start += len(row)
    return out


def _look(looks: dict, which: list[int], flat: list, read: Reader, how: Pass, line_px: float, name: str) -> None:
    """Add look ``name`` to the cells ``which``: their crops read by ``how``, scaled so that their median
    line is ``line_px`` high (no tesseract run when there is no such cell)."""
    if not which:
        return
    scale = _scale([flat[n] for n in which], line_px)
    for n, words in zip(which, read([_image(flat[n], scale) for n in which], how, name)):
        looks[n][name] = words


def _tight(ink, box: tuple[int, int, int, int], dpi: int):
    """The cell's ink cut to its bounding box; None when the cell has (almost) no ink."""
    import numpy as np
    x0, y0, x1, y1 = box
    cell = ink[y0:y1, x0:x1]
    if cell.sum() < MIN_INK_MM2 * (dpi / 25.4) ** 2:
        return None
    rows, cols = np.flatnonzero(cell.any(axis=1)), np.flatnonzero(cell.any(axis=0))
    return cell[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _leading_minus(tight) -> bool:
    """True when the crop starts with a minus: from its left edge, columns whose ink lies in one low band
    about half-way up (a level bar), at least MINUS_WIDTH of the height wide, followed by more ink."""
    import numpy as np
    height = tight.shape[0]
    inked = tight.any(axis=0)
    top = np.where(inked, tight.argmax(axis=0), height)
    bottom = np.where(inked, height - 1 - tight[::-1].argmax(axis=0), -1)
    width, low, high = 0, height, -1
    for col in range(tight.shape[1]):
        wider = min(low, top[col]), max(high, bottom[col])
        if not inked[col] or wider[1] - wider[0] + 1 > MINUS_HEIGHT * height:
            break
        (low, high), width = wider, width + 1
    middle = (low + high) / 2
    return (MINUS_WIDTH * height <= width < tight.shape[1] and tight[:, width:].any()
            and abs(middle / height - 0.5) <= MINUS_OFFSET)


def _scale(tights: list, target: float) -> float:
    """The factor that brings the median text line of these crops to ``target`` px."""
    heights = sorted(h for t in tights for h in _line_heights(t))
    if not heights:
        return 1.0
    return min(max(target / heights[len(heights) // 2], SCALE_RANGE[0]), SCALE_RANGE[1])


def _line_heights(tight) -> list[int]:
    """Heights of the bands of inked rows in a crop (its text lines)."""
    import numpy as np
    rows = np.pad(tight.any(axis=1), 1).view(np.int8)
    edges = np.diff(rows)
    return (np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).tolist()


def _image(tight, scale: float):
    """A crop as tesseract gets it: black on white, scaled, padded."""
    import numpy as np
    from PIL import Image, ImageOps
    image = Image.fromarray(np.where(tight, 0, 255).astype(np.uint8))
    if abs(scale - 1) > 0.01:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return ImageOps.expand(image, PAD_PX, fill=255)
