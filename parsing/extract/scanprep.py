"""Prepare a scanned page for OCR: binarise and erase table rulings (Pillow only).

Tesseract reads ruled tables badly: the lines become letters. A dark run of
pixels longer than a character can be (``H_MIN``/``V_MIN`` of the page size)
is a ruling; it is whitened, and the x-positions of vertical rulings are
returned so the OCR line builder can put a cell boundary where one stood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THRESHOLD = 160       # grey level below which a pixel is ink
H_MIN = 0.05          # share of the page width: a horizontal dark run this long is a ruling
V_MIN = 0.03          # share of the page height, for vertical rulings
MIN_PIXELS = (150, 100)  # horizontal, vertical: never shorter (a character's stroke on a small image)
FRINGE = 3            # rows either side of a ruling also whitened (blur and JPEG fringes read as "|")


@dataclass(frozen=True)
class Ruling:
    x: int
    top: int
    bottom: int


def prepare(image):
    """(cleaned greyscale image, vertical rulings) for a PIL image of one page.

    Both directions are detected on the binarised page before either is
    erased (erasing one first would cut the other into short pieces).
    """
    from PIL import Image
    grey = image.convert("L").point(lambda v: 0 if v < THRESHOLD else 255)
    turned = grey.transpose(Image.Transpose.TRANSPOSE)
    h_runs = _runs(grey, max(int(grey.width * H_MIN), MIN_PIXELS[0]))
    v_runs = _runs(turned, max(int(grey.height * V_MIN), MIN_PIXELS[1]))
    turned = _whiten(turned, v_runs).transpose(Image.Transpose.TRANSPOSE)
    return _whiten(turned, h_runs), _rulings(v_runs)


def _runs(image, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every dark run of ``min_len`` pixels or more."""
    width, data = image.width, image.tobytes()
    dark = re.compile(rb"\x00{%d,}" % max(min_len, 2))
    return [(row, m.start() - row * width, m.end() - row * width) for row in range(image.height)
            for m in dark.finditer(data, row * width, (row + 1) * width)]


def _whiten(image, runs):
    """The image with each run, and FRINGE rows either side of it, made white."""
    from PIL import Image
    width, data = image.width, bytearray(image.tobytes())
    for row, start, end in runs:
        for r in range(max(0, row - FRINGE), min(image.height, row + FRINGE + 1)):
            data[r * width + start:r * width + end] = b"\xff" * (end - start)
    return Image.frombytes("L", image.size, bytes(data))


def _rulings(runs: list[tuple[int, int, int]]) -> list[Ruling]:
    """Adjacent columns of the transposed image (a thick line) merged into one ruling."""
    out: list[Ruling] = []
    for x, top, bottom in sorted(runs):
        last = out[-1] if out else None
        if last and x - last.x <= 3 and top < last.bottom and bottom > last.top:
            continue
        out.append(Ruling(x, top, bottom))
    return out
