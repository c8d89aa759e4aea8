"""Plain text (any charset): one Paragraph per line; tabs kept as cell separators."""

from __future__ import annotations

from ..document import Document, Paragraph
from .charset import decode


def extract(data: bytes, content_type: str | None = None) -> Document:
    """Lines of the text in order; blank lines dropped."""
    text = decode(data, content_type)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Document(blocks=[Paragraph(line.rstrip()) for line in lines if line.strip()])
