"""Decode bytes to text: BOM → header hint → <meta> → sniff.

GBK and GB2312 are decoded as GB18030, their superset (DOMAIN.md §4.6).
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_SUPERSET = {"gbk": "gb18030", "gb2312": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
             "cp936": "gb18030", "euc-cn": "gb18030"}


def _canonical(name: str) -> str | None:
    name = name.strip().lower()
    name = _SUPERSET.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared(data: bytes, content_type: str | None, html: bool) -> str | None:
    """The codec a BOM, the Content-Type header or (``html``) a <meta> in the first 4 KB names, else None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if content_type and (m := _HEADER.search(content_type)) and (name := _canonical(m.group(1))):
        return name
    if html and (m := _META.search(data[:4096])) and (name := _canonical(m.group(1).decode("ascii"))):
        return name
    return None


def detect(data: bytes, content_type: str | None = None, *, html: bool = False) -> str:
    """The encoding to decode ``data`` with (a Python codec name)."""
    if declared := _declared(data, content_type, html):
        return declared
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def decode(data: bytes, content_type: str | None = None, *, html: bool = False) -> str:
    """Text of ``data`` in the ``detect``ed encoding; undecodable bytes become U+FFFD rather than failing."""
    encoding = _declared(data, content_type, html)
    if encoding is None:
        try:
            return data.decode("utf-8").lstrip("\ufeff")   # the sniff's strict decode is the text
        except UnicodeDecodeError:
            encoding = "gb18030"
    return data.decode(encoding, errors="replace").lstrip("\ufeff")
