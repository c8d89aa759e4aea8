"""OCR for images and image-only PDFs: Debian's tesseract (``chi_sim``) run as a bounded subprocess.

PDF pages are rendered with pdftoppm (poppler-utils) at up to ``limits.OCR_DPI``,
never above ``limits.OCR_MAX_PIXELS``. Words come back with tesseract's
confidence (0–100); they are grouped into lines, and a gap wider than
``CELL_GAP`` line heights becomes a tab (a table cell boundary). The Document
carries ``ocr = {engine, mean_confidence, pages, low_confidence}`` where
``low_confidence`` maps a paragraph index to the numbers read with confidence
below ``LOW_CONFIDENCE`` on that line. Limits: page count, seconds per page
and per document (limits.OCR_*). Needs Debian's tesseract-ocr,
tesseract-ocr-chi-sim and poppler-utils.
"""

from __future__ import annotations

import csv
import io
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..document import Document, Paragraph
from ..errors import ParseError
from . import limits, scanprep

LANGS = "chi_sim+eng"
PSM = "6"              # one uniform block of text: keeps a table row on one line
CELL_GAP = 1.5         # line heights of blank space between two cells
LOW_CONFIDENCE = 80.0  # a number read below this confidence is flagged for checking
_ENV = {"PATH": "/usr/bin:/bin", "OMP_THREAD_LIMIT": "1", "LANG": "C.UTF-8"}


@dataclass
class _Word:
    key: tuple[int, int, int, int]
    left: int
    right: int
    top: int
    height: int
    conf: float
    text: str
    rulings: tuple = ()   # vertical table rulings of its page (cell boundaries)


def extract_image(data: bytes, content_type: str | None = None) -> Document:
    """Text of an image (PNG, JPEG, TIFF, GIF, BMP). ParseError when tesseract is missing or limits are hit."""
    frames = _check_image(data)
    deadline = time.monotonic() + limits.OCR_TOTAL_SECONDS
    from PIL import Image
    words: list[_Word] = []
    with limits.scratch() as tmp, Image.open(io.BytesIO(data)) as img:
        for n in range(frames):
            img.seek(n)
            words += _ocr_page(img, Path(tmp) / f"f{n}.png", n + 1, deadline)
    return _document(words, pages=frames)


def extract_pdf(data: bytes, page_sizes: list[tuple[float, float]]) -> Document:
    """Text of an image-only PDF whose pages measure ``page_sizes`` (points). ParseError on limits."""
    if len(page_sizes) > limits.OCR_MAX_PAGES:
        raise ParseError(f"this scanned PDF has {len(page_sizes)} pages (OCR limit {limits.OCR_MAX_PAGES}); "
                         "split it or ask the publisher for a text PDF")
    program = limits.tool("pdftoppm", "poppler-utils")
    deadline = time.monotonic() + limits.OCR_TOTAL_SECONDS
    words: list[_Word] = []
    with limits.scratch() as tmp:
        src = limits.write(tmp, "scan.pdf", data)
        for n, (w, h) in enumerate(page_sizes, start=1):
            dpi = _dpi(w, h)
            out = Path(tmp) / f"p{n}"
            limits.run([program, "-r", str(dpi), "-f", str(n), "-l", str(n), "-gray", "-png", "-singlefile",
                        str(src), str(out)], seconds=_left(deadline), what="pdftoppm rendering a scanned page",
                       env=_ENV)
            image = out.with_suffix(".png")
            if not image.exists():
                raise ParseError(f"page {n} of this scanned PDF could not be rendered; the file may be corrupt")
            from PIL import Image
            with Image.open(image) as img:
                words += _ocr_page(img, image, n, deadline)
    return _document(words, pages=len(page_sizes))


def _dpi(width_pt: float, height_pt: float) -> int:
    area_in = max(width_pt * height_pt / 72 / 72, 1e-6)
    return max(30, min(limits.OCR_DPI, int(math.sqrt(limits.OCR_MAX_PIXELS / area_in))))


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ParseError(f"OCR took longer than {limits.OCR_TOTAL_SECONDS} s on this document and was stopped")
    return min(left, limits.OCR_PAGE_SECONDS)


def _check_image(data: bytes) -> int:
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            frames = getattr(img, "n_frames", 1)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ParseError(f"cannot read this image for OCR ({type(exc).__name__}); it may be corrupt — download it again "
                         "(图片版 reports need a readable PNG/JPEG/TIFF)") from exc
    if width * height > limits.OCR_MAX_PIXELS or frames > limits.OCR_MAX_PAGES:
        raise ParseError(f"this image is too large for OCR ({width}×{height} px, {frames} frames; limits "
                         f"{limits.OCR_MAX_PIXELS} px, {limits.OCR_MAX_PAGES} frames)")
    return frames


def _ocr_page(img, path: Path, page: int, deadline: float) -> list[_Word]:
    """Words of one page image: rulings erased first (saved to ``path``), then tesseract."""
    cleaned, rulings = scanprep.prepare(img)
    cleaned.save(path)
    return [_Word((page,) + w.key[1:], w.left, w.right, w.top, w.height, w.conf, w.text, tuple(rulings))
            for w in _tesseract(path, deadline)]


def _tesseract(image: Path, deadline: float) -> list[_Word]:
    program = limits.tool("tesseract", "tesseract-ocr and tesseract-ocr-chi-sim")
    proc = limits.run([program, str(image), "stdout", "-l", LANGS, "--psm", PSM, "tsv"],
                      seconds=_left(deadline), what="OCR (tesseract)", env=_ENV | _tessdata())
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ParseError(f"OCR failed on this image ({reason[0]}); check that tesseract-ocr-chi-sim is installed")
    return _words(proc.stdout.decode("utf-8", "replace"))


def _tessdata() -> dict[str, str]:
    return {"TESSDATA_PREFIX": os.environ["TESSDATA_PREFIX"]} if "TESSDATA_PREFIX" in os.environ else {}


def _words(tsv: str) -> list[_Word]:
    out = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        key = tuple(int(row[k]) for k in ("page_num", "block_num", "par_num", "line_num"))
        left, width = int(row["left"]), int(row["width"])
        out.append(_Word(key, left, left + width, int(row["top"]), int(row["height"]), float(row["conf"]), text))
    return out


def _document(words: list[_Word], pages: int) -> Document:
    lines: dict[tuple, list[_Word]] = {}
    for word in words:
        lines.setdefault(word.key, []).append(word)
    blocks, low = [], {}
    for line in lines.values():
        text, flagged = _join(sorted(line, key=lambda w: w.left))
        if text.strip():
            if flagged:
                low[len(blocks)] = flagged
            blocks.append(Paragraph(text))
    confs = [w.conf for w in words if w.conf >= 0]
    ocr = {"engine": f"tesseract {LANGS} psm {PSM}", "pages": pages,
           "mean_confidence": round(sum(confs) / len(confs), 1) if confs else None, "low_confidence": low}
    return Document(blocks=blocks, ocr=ocr)


def _join(line: list[_Word]) -> tuple[str, list[str]]:
    height = sorted(w.height for w in line)[len(line) // 2] or 1
    out, flagged = line[0].text, []
    for prev, word in zip(line, line[1:]):
        gap = word.left - prev.right
        ruled = any(prev.right <= r.x <= word.left and r.top <= word.top + word.height / 2 <= r.bottom
                    for r in word.rulings)
        out += ("\t" if ruled or gap > CELL_GAP * height else " ") + word.text
    for word in line:
        if word.conf < LOW_CONFIDENCE and any(ch.isdigit() for ch in word.text):
            flagged.append(word.text)
    return out, flagged
