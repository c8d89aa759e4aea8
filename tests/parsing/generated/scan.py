"""Scanned (图片版) renderings of a generated case: the page drawn, then printed and scanned badly.

Tables are drawn as the national templates print them: table 二 with a
caption row and short rows whose last cell spans the rest, table 三 with its
merged header (the 勾稽 rule top-left, 申请人情况 over 自然人 / 法人或其他组织 /
总计) and group cells spanning their rows on the left, table 四 with 行政复议
and 行政诉讼 over five narrow columns each, headers in vertical text. Pages
are drawn at ``BASE_DPI``; a ``Style`` then makes them look like real
scans: grey uneven paper, ink that is not black, blur, noise, a page turned
by a fraction of a degree, a lower resolution, JPEG or bilevel (fax)
compression, thick or broken rulings, page numbers and a running header.
"""

from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass

from .cases import Case
from .layout import RULE, blocks

BASE_DPI = 200
PAGE = (1654, 2339)            # A4 at BASE_DPI
MARGIN = 110
TEXT_SIZE, CELL_SIZE = 28, 26  # px at BASE_DPI (about 10 and 9.5 pt)
TITLE_SIZE = 61                # the title, centred: 二号 (22 pt), the size GB/T 9704 sets for 公文 titles
LINE_GAP = 14                  # px between text lines
CELL_PAD = 10


@dataclass(frozen=True)
class Style:
    """How a scan looks. Angles in degrees (each page turned by ± a value in ``skew``), levels 0–255."""

    dpi: int = BASE_DPI
    skew: tuple[float, float] = (0.0, 0.0)
    paper: int = 255
    ink: int = 0
    shading: float = 0.0          # share of brightness lost towards one corner
    blur: float = 0.0             # Gaussian radius, px at BASE_DPI
    noise: float = 0.0            # sigma of grey noise
    speckle: float = 0.0          # share of pixels flipped (bilevel scans)
    bilevel: bool = False         # 1-bit (CCITT G4) like an office scanner's B/W mode
    jpeg_quality: int = 85
    ruling: int = 2               # px at BASE_DPI
    gaps: float = 0.0             # chance that each 20–120 px piece of a ruling is followed by a 2–6 px gap
    page_furniture: bool = False  # page numbers and a running header


STYLES = {
    "scan.pdf": Style(),
    "scan-photo.pdf": Style(dpi=150, skew=(0.3, 1.0), paper=232, ink=45, shading=0.12, blur=0.7, noise=7.0,
                            jpeg_quality=55, ruling=3, page_furniture=True),
    "scan-bw.pdf": Style(skew=(0.3, 0.8), speckle=0.002, bilevel=True, ruling=2, gaps=0.3, page_furniture=True),
}


@dataclass
class _Cell:
    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1


def scan_pdf(case: Case, style: Style) -> bytes:
    """The case as an image-only PDF in ``style`` (deterministic for a case and style)."""
    images = scan_pages(case, style)
    buf = io.BytesIO()
    options = {} if style.bilevel else {"quality": style.jpeg_quality}
    images[0].save(buf, "PDF", resolution=style.dpi, save_all=True, append_images=images[1:], **options)
    return buf.getvalue()


def scan_pages(case: Case, style: Style) -> list:
    """The case's pages as PIL images scanned in ``style`` (mode "1" for bilevel, else "L"), at ``style.dpi``."""
    rng = random.Random(zlib.crc32(f"{case.name}/{style}".encode()))
    return [_degrade(p, style, rng) for p in _Drawer(case, style, rng).draw()]


class _Drawer:
    """Lays the case's blocks out on A4 pages at BASE_DPI, black on white."""

    def __init__(self, case: Case, style: Style, rng: random.Random):
        from PIL import ImageFont

        from .render import cjk_font
        self.case, self.style, self.rng = case, style, rng
        self.text_font = ImageFont.truetype(cjk_font(), TEXT_SIZE)
        self.cell_font = ImageFont.truetype(cjk_font(), CELL_SIZE)
        self.pages: list = []
        self.y = PAGE[1]

    def draw(self) -> list:
        for kind, item in blocks(self.case):
            if kind == "p" and item == self.case.title:
                self._title(item)
            elif kind == "p":
                self._paragraph(item)
            else:
                self._table(*_template(item, self.case))
                self.y += TEXT_SIZE
        return self.pages

    def _new_page(self):
        from PIL import Image, ImageDraw
        self.pages.append(Image.new("L", PAGE, 255))
        self.canvas = ImageDraw.Draw(self.pages[-1])
        self.y = MARGIN
        if self.style.page_furniture:
            n = len(self.pages)
            self.canvas.text((MARGIN, MARGIN // 2), f"{self.case.township}政务公开", font=self.cell_font, fill=0)
            self.canvas.text((PAGE[0] // 2 - 30, PAGE[1] - MARGIN // 2 - CELL_SIZE), f"- {n} -",
                             font=self.cell_font, fill=0)

    def _room(self, height: int) -> None:
        if self.y + height > PAGE[1] - MARGIN:
            self._new_page()

    def _title(self, text: str) -> None:
        """The title centred in large type, broken after the agency's name as 年报 print it."""
        from PIL import ImageFont

        from .render import cjk_font
        font = ImageFont.truetype(cjk_font(), TITLE_SIZE)
        cut = text.find("人民政府") + len("人民政府")
        for line in (text[:cut], text[cut:]) if cut >= len("人民政府") else (text,):
            self._room(TITLE_SIZE + LINE_GAP)
            x = (PAGE[0] - font.getlength(line)) // 2
            self.canvas.text((x, self.y), line, font=font, fill=0)
            self.y += TITLE_SIZE + LINE_GAP
        self.y += LINE_GAP

    def _paragraph(self, text: str) -> None:
        for line in _wrap(text, self.text_font, PAGE[0] - 2 * MARGIN):
            self._room(TEXT_SIZE + LINE_GAP)
            self.canvas.text((MARGIN, self.y), line, font=self.text_font, fill=0)
            self.y += TEXT_SIZE + LINE_GAP

    def _table(self, cells: list[_Cell], widths: list[int]) -> None:
        xs = [MARGIN + sum(widths[:k]) for k in range(len(widths) + 1)]
        heights = _row_heights(cells, widths, self.cell_font)
        for r, h in enumerate(heights):
            self._room(h)
            for cell in cells:
                if cell.row <= r < cell.row + cell.rows:
                    self._cell_part(cell, r, h, xs)
            self.y += h

    def _cell_part(self, cell: _Cell, r: int, h: int, xs: list[int]) -> None:
        """The part of ``cell`` in row ``r``: its side rulings, top/bottom where it ends, the text once."""
        x0, x1, y0, y1 = xs[cell.col], xs[cell.col + cell.cols], self.y, self.y + h
        self._line((x0, y0), (x0, y1))
        self._line((x1, y0), (x1, y1))
        if r == cell.row or y0 == MARGIN:     # its top, or the top of a new page
            self._line((x0, y0), (x1, y0))
        if r == cell.row + cell.rows - 1:
            self._line((x0, y1), (x1, y1))
        if r == cell.row:
            self._cell_text(cell, x0, y0, x1 - x0)

    def _cell_text(self, cell: _Cell, x: int, y: int, width: int) -> None:
        for n, line in enumerate(_cell_lines(cell.text, self.cell_font, width)):
            self.canvas.text((x + CELL_PAD, y + CELL_PAD + n * (CELL_SIZE + 8)), line, font=self.cell_font, fill=0)

    def _line(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        """A ruling; with small gaps when the style has ``gaps``."""
        width = self.style.ruling
        if not self.style.gaps:
            self.canvas.line((a, b), fill=0, width=width)
            return
        horizontal = a[1] == b[1]
        length = (b[0] - a[0]) if horizontal else (b[1] - a[1])
        pos = 0
        while pos < length:
            piece = self.rng.randint(20, 120)
            end = min(length, pos + piece)
            p = (a[0] + pos, a[1]) if horizontal else (a[0], a[1] + pos)
            q = (a[0] + end, a[1]) if horizontal else (a[0], a[1] + end)
            self.canvas.line((p, q), fill=0, width=width)
            pos = end + (self.rng.randint(2, 6) if self.rng.random() < self.style.gaps else 0)


def _wrap(text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if font.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def _cell_lines(text: str, font, width: int) -> list[str]:
    """A cell's text lines: wrapped to the cell, or one character a line (vertical) in a column too narrow
    for three."""
    inner = width - 2 * CELL_PAD
    if font.getlength(text) > inner and font.getlength(text[:3]) > inner:
        return list(text)
    return _wrap(text, font, inner)


def _row_heights(cells: list[_Cell], widths: list[int], font) -> list[int]:
    rows = max(c.row + c.rows for c in cells)
    heights = [CELL_SIZE + 2 * CELL_PAD + 8] * rows
    for cell in sorted(cells, key=lambda c: c.rows):
        need = len(_cell_lines(cell.text, font, sum(widths[cell.col:cell.col + cell.cols]))) * (CELL_SIZE + 8) \
            + 2 * CELL_PAD
        have = sum(heights[cell.row:cell.row + cell.rows])
        if need > have:
            heights[cell.row + cell.rows - 1] += need - have
    return heights


def _template(rows: list[list[str]], case: Case) -> tuple[list[_Cell], list[int]]:
    """A layout table as the template's cells and column widths."""
    inner = PAGE[0] - 2 * MARGIN
    if rows[0] == [RULE]:
        cells = _applications(rows)
        return cells, [150, 170, 330] + [(inner - 650) // 7] * 7
    if rows[0] == ["行政复议", "行政诉讼"]:
        return _review(rows), [inner // 15] * 15
    width = max(len(r) for r in rows)
    cells = [_Cell(r, c, text, cols=width - c if c == len(row) - 1 else 1)
             for r, row in enumerate(rows) for c, text in enumerate(row)]
    return cells, [420] + [(inner - 420) // (width - 1)] * (width - 1)


def _applications(rows: list[list[str]]) -> list[_Cell]:
    """Table 三: rule and 申请人情况 header; 三、本年度办理结果 and the （三）–（六） groups spanning their rows."""
    from parsing import schema
    cells = [_Cell(0, 0, RULE, rows=3, cols=3), _Cell(0, 3, "申请人情况", cols=7), _Cell(1, 3, "自然人", rows=2),
             _Cell(1, 4, "法人或其他组织", cols=5), _Cell(1, 9, "总计", rows=2)]
    cells += [_Cell(2, 4 + k, name) for k, (_, name) in enumerate(schema.APPLICANT_COLUMNS[1:6])]
    groups = {r.label: r.group for r in schema.APPLICATIONS_2021 + schema.APPLICATIONS_2019}
    body = [r for r in rows[4:] if len(r) > 1]
    spans: dict[str, _Cell] = {}
    for n, row in enumerate(body, start=3):
        group = groups.get(row[0], "")
        if group and group != "三、本年度办理结果":
            _extend(spans, cells, group, n, 1)
        if group:
            _extend(spans, cells, "三、本年度办理结果", n, 0)
        col = 2 if group and group != "三、本年度办理结果" else (1 if group else 0)
        cells.append(_Cell(n, col, row[0], cols=3 - col))
        cells += [_Cell(n, 3 + k, v) for k, v in enumerate(row[1:])]
    return cells


def _extend(spans: dict[str, _Cell], cells: list[_Cell], label: str, row: int, col: int) -> None:
    """Grow the group cell ``label`` down to ``row`` (a new cell when its run was interrupted)."""
    cell = spans.get(label)
    if cell and cell.row + cell.rows == row:
        cell.rows += 1
        return
    spans[label] = _Cell(row, col, label)
    cells.append(spans[label])


def _review(rows: list[list[str]]) -> list[_Cell]:
    """Table 四: 行政复议 (5 columns) and 行政诉讼 (10, in two blocks of 5), then the 15 values."""
    heads, values = rows[2][:5], rows[3]
    cells = [_Cell(0, 0, rows[0][0], cols=5), _Cell(0, 5, rows[0][1], cols=10)]
    cells += [_Cell(1, k, h, rows=2) for k, h in enumerate(heads)]
    cells += [_Cell(1, 5, rows[1][0], cols=5), _Cell(1, 10, rows[1][1], cols=5)]
    cells += [_Cell(2, 5 + k, h) for k, h in enumerate(heads * 2)]
    return cells + [_Cell(3, k, v) for k, v in enumerate(values)]


def _degrade(page, style: Style, rng: random.Random):
    """The clean page printed and scanned in ``style``."""
    import numpy as np
    from PIL import Image, ImageFilter
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    pixels = np.asarray(page, dtype=np.float32) / 255
    pixels = style.ink + pixels * (style.paper - style.ink)
    if style.shading:
        yy, xx = np.mgrid[0:page.height, 0:page.width]
        pixels *= 1 - style.shading * (xx / page.width + yy / page.height) / 2
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if style.skew != (0.0, 0.0):
        angle = rng.uniform(*style.skew) * rng.choice((-1, 1))
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=style.paper)
    if style.dpi != BASE_DPI:
        image = image.resize((round(PAGE[0] * style.dpi / BASE_DPI), round(PAGE[1] * style.dpi / BASE_DPI)),
                             Image.Resampling.LANCZOS)
    return _grain(image, style, rng)


def _grain(image, style: Style, rng: random.Random):
    """Sensor noise, then (for bilevel scans) the threshold and speckle of a B/W scanner."""
    import numpy as np
    from PIL import Image
    noise = np.random.default_rng(rng.getrandbits(32))
    pixels = np.asarray(image, dtype=np.float32)
    if style.noise:
        pixels = pixels + noise.normal(0, style.noise, pixels.shape)
    if not style.bilevel:
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    black = pixels < 128
    black ^= noise.random(pixels.shape) < style.speckle
    return Image.fromarray(~black)
