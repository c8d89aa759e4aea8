"""WACZ 1.1.1 export and our stricter check of a WACZ.

A package holds ``archive/*.warc.gz`` (STOREd, never recompressed),
``indexes/index.cdxj`` (the sorted CDXJ of all its WARCs, as
:mod:`archive.index` writes it), ``pages/pages.jsonl`` (a header line, then one
line per page: every 2xx HTML or document capture, earliest first),
``datapackage.json`` (every file with its sha256 and size) and
``datapackage-digest.json`` (the sha256 of ``datapackage.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from archive.errors import ArchiveError
from archive.index import index_lines
from archive.writer import SOFTWARE

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
PAGE_MIMES = ("text/html", "application/xhtml+xml", "application/pdf", "application/msword",
              "application/vnd.openxmlformats-officedocument", "application/vnd.ms-excel", "application/ofd")


def export_wacz(
    warc_paths: Iterable[str | os.PathLike], out: str | os.PathLike, *, created: datetime,
    title: str = "nianbao archive", pages: list[dict] | None = None,
) -> Path:
    """Write a WACZ of closed WARC files to ``out``; ``pages`` defaults to :func:`pages_from_index`."""
    warcs = sorted(Path(p) for p in warc_paths)
    if not warcs:
        raise ArchiveError("No closed WARC files to export; crawl first or check the WARC folder.")
    lines = sorted(line for w in warcs for line in index_lines(w))
    pages = pages if pages is not None else pages_from_index(lines)
    files: dict[str, bytes | Path] = {f"archive/{w.name}": w for w in warcs}
    files["indexes/index.cdxj"] = "".join(line + "\n" for line in lines).encode("utf-8")
    files["pages/pages.jsonl"] = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [PAGES_HEADER, *pages]).encode()
    package = {
        "profile": "data-package", "wacz_version": WACZ_VERSION, "title": title, "software": SOFTWARE,
        "created": created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": [_resource(path, data) for path, data in files.items()],
    }
    package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
    digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as z:
        for path, data in files.items():
            z.write(data, path) if isinstance(data, Path) else z.writestr(path, data)
        z.writestr("datapackage.json", package_bytes)
        z.writestr("datapackage-digest.json", json.dumps(digest, indent=2))
    os.replace(tmp, out)
    return out


def pages_from_index(lines: Iterable[str]) -> list[dict]:
    """One page per URL: its earliest 2xx HTML/document capture, as ``{"id", "url", "ts"}`` (ts ISO 8601, UTC).

    ``id`` is stable (a hash of url and ts); validators read pages.jsonl as a
    table whose columns come from the header line, so each page carries ``id``.
    """
    seen: dict[str, dict] = {}
    for line in lines:
        _key, ts, fields = line.split(" ", 2)
        entry = json.loads(fields)
        mime, status = entry.get("mime", ""), entry.get("status", "")
        if not status.startswith("2") or not mime.startswith(PAGE_MIMES) or entry["url"].endswith("/robots.txt"):
            continue
        iso = f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"
        if entry["url"] not in seen or iso < seen[entry["url"]]["ts"]:
            page_id = hashlib.sha1(f"{entry['url']} {iso}".encode()).hexdigest()[:32]
            seen[entry["url"]] = {"id": page_id, "url": entry["url"], "ts": iso}
    return sorted(seen.values(), key=lambda p: (p["ts"], p["url"]))


def check_wacz(path: str | os.PathLike) -> list[str]:
    """Problems with a WACZ by our rules (empty when sound); ``wacz validate`` accepts packages this rejects."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for required in ("datapackage.json", "datapackage-digest.json", "pages/pages.jsonl", "indexes/index.cdxj"):
            if required not in names:
                return [f"{required} is missing"]
        package_bytes = z.read("datapackage.json")
        if json.loads(z.read("datapackage-digest.json"))["hash"] != "sha256:" + hashlib.sha256(package_bytes).hexdigest():
            problems.append("datapackage-digest.json does not match datapackage.json")
        package = json.loads(package_bytes)
        if package.get("wacz_version") != WACZ_VERSION:
            problems.append(f"wacz_version is {package.get('wacz_version')!r}, not {WACZ_VERSION}")
        listed = {r["path"]: r for r in package["resources"]}
        for name in names - {"datapackage.json", "datapackage-digest.json"}:
            resource = listed.get(name)
            if resource is None:
                problems.append(f"{name} is not listed in datapackage.json")
            elif resource["hash"] != "sha256:" + hashlib.sha256(z.read(name)).hexdigest():
                problems.append(f"{name} does not match its hash")
            if name.startswith("archive/") and z.getinfo(name).compress_type != zipfile.ZIP_STORED:
                problems.append(f"{name} is compressed inside the ZIP; WARCs must be STOREd")
        problems += _page_problems(z)
    return problems


def _page_problems(z: zipfile.ZipFile) -> list[str]:
    lines = z.read("pages/pages.jsonl").decode("utf-8").splitlines()
    if not lines or json.loads(lines[0]).get("format") != "json-pages-1.0":
        return ["pages/pages.jsonl lacks its json-pages-1.0 header"]
    indexed = {json.loads(line.split(" ", 2)[2])["url"] for line in z.read("indexes/index.cdxj").decode().splitlines()}
    pages = [json.loads(line) for line in lines[1:]]
    out = [] if pages else ["pages/pages.jsonl lists no page"]
    return out + [f"page {p['url']} is not in the index" for p in pages if p.get("url") not in indexed]


def _resource(path: str, data: bytes | Path) -> dict:
    raw = data.read_bytes() if isinstance(data, Path) else data
    return {"name": Path(path).name, "path": path, "hash": "sha256:" + hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
