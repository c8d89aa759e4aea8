"""The text of a scanned page outside its tables, cut into lines for tesseract.

A page mixes sizes (a large title, body text, a small page number) and
tesseract reads a block of mixed sizes worse than each line alone. Lines
are the bands of inked pixel rows (gaps shorter than ``JOIN_SHARE`` of the
median band joined, so "二、" stays one line); each is cut tight, scaled so
its band is ``LINE_PX`` high and padded. ``LINE_PASS`` reads them with the
Chinese model alone: prose and headings are Chinese with digits in context,
and the English model, given the choice, takes a whole line of Chinese for
Latin letters now and then.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tesseract import Pass

LINE_PASS = Pass("chi_sim", 7)
LINE_PX = 28.0        # px a text line's band is scaled to (tesseract reads body text best so)
JOIN_SHARE = 0.25     # blank rows shorter than this share of the median band do not end a line
PAD_PX = 20
MIN_LINE_MM = 1.2     # a lower band is a speck or a ruling's remnant, not a line of text


@dataclass
class Line:
    """One text line: its rows on the page and the image tesseract gets."""

    top: int
    bottom: int
    image: object


def cut(ink, min_height: int) -> list[Line]:
    """The text lines of a bool ink array (tables already cleared), top to bottom; bands lower than
    ``min_height`` pixels are left out."""
    import numpy as np
    bands = _bands(ink.any(axis=1))
    if not bands:
        return []
    median = sorted(b - a for a, b in bands)[len(bands) // 2]
    out = []
    for top, bottom in _join(bands, JOIN_SHARE * median):
        if bottom - top < min_height:
            continue
        cols = np.flatnonzero(ink[top:bottom].any(axis=0))
        out.append(Line(top, bottom, _image(ink[top:bottom, cols[0]:cols[-1] + 1])))
    return out


def _bands(rows) -> list[tuple[int, int]]:
    """(first, past-last) of each run of True."""
    import numpy as np
    edges = np.diff(np.pad(rows, 1).view(np.int8))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def _join(bands: list[tuple[int, int]], gap: float) -> list[tuple[int, int]]:
    out = [list(bands[0])]
    for top, bottom in bands[1:]:
        if top - out[-1][1] < gap:
            out[-1][1] = bottom
        else:
            out.append([top, bottom])
    return [(a, b) for a, b in out]


def _image(band):
    import numpy as np
    from PIL import Image, ImageOps
    image = Image.fromarray(np.where(band, 0, 255).astype(np.uint8))
    scale = LINE_PX / max(band.shape[0], 1)
    if abs(scale - 1) > 0.01:
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.Resampling.LANCZOS)
    return ImageOps.expand(image, PAD_PX, fill=255)
