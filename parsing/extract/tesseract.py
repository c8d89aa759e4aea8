"""Debian's tesseract over a batch of images in one bounded process.

Tesseract reads a text file listing image paths as a multi-page input; its
TSV output numbers the pages, so one process (one model load) serves every
cell crop of a scanned page. Needs tesseract-ocr and tesseract-ocr-chi-sim.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError
from . import limits

_ENV = {"PATH": "/usr/bin:/bin", "OMP_THREAD_LIMIT": "1", "LANG": "C.UTF-8"}


@dataclass(frozen=True)
class Word:
    """One word as tesseract read it: text, confidence 0–100, box in its image's pixels, line key."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]     # (block, paragraph, line) inside its image


@dataclass(frozen=True)
class Pass:
    """How to read: language(s), page segmentation mode, and optionally the only characters allowed."""

    langs: str
    psm: int
    whitelist: str | None = None

    def argv(self) -> list[str]:
        out = ["-l", self.langs, "--psm", str(self.psm)]
        return out + (["-c", f"tessedit_char_whitelist={self.whitelist}"] if self.whitelist else [])


def read(images: list, directory: str, name: str, how: Pass, seconds: float) -> list[list[Word]]:
    """Words of each PIL image in ``images`` (same order), read in one tesseract run within ``seconds``.

    The images are written to ``directory`` as ``{name}-N.pgm``. ParseError when
    tesseract is missing, fails, or runs out of time.
    """
    if not images:
        return []
    program = limits.tool("tesseract", "tesseract-ocr and tesseract-ocr-chi-sim")
    listing = Path(directory) / f"{name}.txt"
    paths = []
    for n, image in enumerate(images):
        paths.append(Path(directory) / f"{name}-{n}.pgm")
        image.save(paths[-1])
    listing.write_text("".join(f"{p}\n" for p in paths))
    proc = limits.run([program, str(listing), "stdout", *how.argv(), "tsv"], seconds=seconds,
                      what="OCR (tesseract)", env=_ENV | _tessdata())
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ParseError(f"OCR failed on this image ({reason[0]}); check that tesseract-ocr-chi-sim is installed")
    return _words(proc.stdout.decode("utf-8", "replace"), len(images))


def _tessdata() -> dict[str, str]:
    return {"TESSDATA_PREFIX": os.environ["TESSDATA_PREFIX"]} if "TESSDATA_PREFIX" in os.environ else {}


def _words(tsv: str, pages: int) -> list[list[Word]]:
    out: list[list[Word]] = [[] for _ in range(pages)]
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        page = int(row["page_num"]) - 1
        if 0 <= page < pages:
            out[page].append(Word(text, float(row["conf"]), int(row["left"]), int(row["top"]), int(row["width"]),
                                  int(row["height"]), tuple(int(row[k]) for k in ("block_num", "par_num", "line_num"))))
    return out


def lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into their lines, top to bottom, each line left to right."""
    grouped: dict[tuple, list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    ordered = sorted(grouped.values(), key=lambda ws: min(w.top for w in ws))
    return [sorted(ws, key=lambda w: w.left) for ws in ordered]
