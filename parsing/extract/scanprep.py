"""Prepare a scanned page for table finding and OCR (Pillow + numpy).

Real 图片版 reports are photographed or scanned: grey or uneven paper, JPEG
noise, a page turned by a degree, 150 dpi. ``prepare`` brings any page to
one working form: resampled to ``WORK_DPI``, background flattened (each pixel
divided by the local paper brightness), straightened (the angle at which
rows of ink line up best) and binarised (Otsu's threshold on the flattened
page, after a 3×3 median that removes speckle). Sizes here are in
millimetres of paper, so the method does not depend on the resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

WORK_DPI = 300               # every page is resampled to this before anything else
BACKGROUND_REDUCE = 8        # paper brightness is estimated on a page shrunk this much…
BACKGROUND_WINDOW = 5        # …as the brightest pixel of a window this wide (wider than a stroke)
SKEW_MAX = 3.0               # degrees either way: a page turned further is not straightened
SKEW_STEPS = ((8, 0.25), (4, 0.02))   # (shrink factor, step in degrees): coarse, then fine search
SKEW_MIN = 0.02              # a smaller angle is left alone
THRESHOLD_RANGE = (90, 215)  # Otsu's threshold is kept inside this (a blank page has no real split)
SPECK_WINDOW_MM = 0.6        # ink with less than SPECK_SHARE of this window around it inked is a speck…
SPECK_SHARE = 0.12           # …(a dot of a B/W scanner), not a stroke or a printed point


@dataclass
class Page:
    """One prepared page.

    ``grey``: PIL "L" image, flattened and straightened, at ``dpi``;
    ``ink``: numpy bool array of the same size, True where there is ink;
    ``skew``: the angle (degrees) the page was turned back by.
    """

    grey: object
    ink: object
    dpi: int
    skew: float

    def px(self, mm: float) -> int:
        """Millimetres of paper in pixels of this page (at least 1)."""
        return max(1, round(mm * self.dpi / 25.4))


def prepare(image, dpi: float, max_pixels: int) -> Page:
    """The working form of a PIL page image scanned at ``dpi``; never more than ``max_pixels`` pixels."""
    from PIL import Image, ImageFilter
    grey = image.convert("L")
    scale = min(WORK_DPI / dpi, (max_pixels / max(grey.width * grey.height, 1)) ** 0.5)
    if abs(scale - 1) > 0.02:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.BICUBIC)
    grey = _flatten(grey).filter(ImageFilter.MedianFilter(3))
    threshold = _otsu(grey.histogram())
    angle = _skew(grey, threshold)
    if abs(angle) >= SKEW_MIN:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    work_dpi = round(dpi * scale)
    return Page(grey, _despeckle(_ink(grey, threshold), work_dpi), work_dpi, angle)


def _flatten(grey):
    """Each pixel divided by the local paper brightness: grey or uneven paper becomes white."""
    import numpy as np
    from PIL import Image, ImageFilter
    small = grey.reduce(BACKGROUND_REDUCE) if min(grey.size) >= 4 * BACKGROUND_REDUCE else grey
    paper = small.filter(ImageFilter.MaxFilter(BACKGROUND_WINDOW)).filter(ImageFilter.GaussianBlur(2))
    paper = np.asarray(paper.resize(grey.size, Image.Resampling.BILINEAR), dtype=np.uint16)
    flat = np.asarray(grey, dtype=np.uint16) * 255 // np.maximum(paper, 1)
    return Image.fromarray(np.minimum(flat, 255).astype(np.uint8))


def _otsu(histogram: list[int]) -> int:
    """Otsu's grey level separating ink from paper, kept within THRESHOLD_RANGE."""
    total = sum(histogram)
    weighted = sum(i * n for i, n in enumerate(histogram))
    best, best_level, below, below_weighted = -1.0, 128, 0, 0
    for level, n in enumerate(histogram):
        below += n
        below_weighted += level * n
        above = total - below
        if below == 0 or above == 0:
            continue
        gap = below_weighted / below - (weighted - below_weighted) / above
        between = below * above * gap * gap
        if between > best:
            best, best_level = between, level
    return min(max(best_level + 1, THRESHOLD_RANGE[0]), THRESHOLD_RANGE[1])


def _ink(grey, threshold: int):
    import numpy as np
    return np.asarray(grey) < threshold


def _despeckle(ink, dpi: int):
    """``ink`` without isolated specks: pixels whose neighbourhood is almost all paper."""
    import numpy as np
    from PIL import Image, ImageFilter
    radius = max(1, round(SPECK_WINDOW_MM * dpi / 25.4 / 2))
    density = Image.fromarray(ink.astype(np.uint8) * 255).filter(ImageFilter.BoxBlur(radius))
    return ink & (np.asarray(density) >= 255 * SPECK_SHARE)


def _skew(grey, threshold: int) -> float:
    """The angle (degrees, counter-clockwise) that makes rows of ink line up: text lines and rulings
    give the sharpest row profile when level. Searched coarsely on a small copy, then finely."""
    from PIL import Image
    best, span = 0.0, SKEW_MAX
    for shrink, step in SKEW_STEPS:
        small = grey.reduce(shrink).point(lambda v: 255 if v < threshold else 0)
        candidates = [best + k * step for k in range(-round(span / step), round(span / step) + 1)]
        best = max(candidates, key=lambda a: _sharpness(small.rotate(a, resample=Image.Resampling.BILINEAR)))
        span = step
    return best


def _sharpness(ink_image) -> float:
    """How sharply the rows of an ink image (ink = 255) change: high when lines are level."""
    import numpy as np
    rows = np.asarray(ink_image, dtype=np.float64).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())
