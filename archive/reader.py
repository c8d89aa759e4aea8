"""Read one record back from its (file, offset, length). Works on ``*.warc.gz.open`` files too.

Exactly one gzip member must sit at ``offset`` spanning ``length`` bytes;
anything else raises :class:`RecordNotFound`. Digests are checked on request
(``verify=True``) and raise :class:`IntegrityError` on mismatch.
"""

from __future__ import annotations

import io
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive._http import Headers, Message, decode_content, entity, split_message, status_of
from archive.errors import IntegrityError, RecordNotFound
from archive.writer import sha1_digest


@dataclass
class ArchivedRecord:
    """A WARC record read back.

    ``block`` is the record block verbatim; for request/response/revisit
    records ``http`` is the HTTP message parsed from it. ``payload`` is the
    entity with transfer coding removed and content coding kept (what the
    payload digest covers); :attr:`content` also undoes the content coding.
    """

    warc_headers: Headers
    block: bytes
    http: Message | None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.warc_headers if k.lower() == name), None)

    @property
    def record_type(self) -> str:
        return self.header("WARC-Type") or ""

    @property
    def record_id(self) -> str:
        return self.header("WARC-Record-ID") or ""

    @property
    def status(self) -> int | None:
        return status_of(self.http.start)[1] if self.http and self.record_type != "request" else None

    @property
    def http_headers(self) -> Headers:
        return self.http.headers if self.http else []

    @property
    def payload(self) -> bytes:
        return entity(self.http) if self.http else self.block

    @property
    def content(self) -> bytes:
        """The payload with Content-Encoding undone: the document a parser wants."""
        if not self.http:
            return self.block
        return decode_content(self.payload, self.http.get("Content-Encoding"))

    def verify(self) -> None:
        """Raise :class:`IntegrityError` unless the block and payload digests match the bytes."""
        checks = [("WARC-Block-Digest", self.block)]
        if self.record_type in ("response", "request", "resource"):
            checks.append(("WARC-Payload-Digest", self.payload))
        for name, data in checks:
            stated = self.header(name)
            if stated and stated != sha1_digest(data):
                raise IntegrityError(f"{name} of {self.record_id} does not match its bytes; the record is damaged.")


def read_member(path: str | os.PathLike, offset: int, length: int) -> bytes:
    """The decompressed gzip member at ``offset``; ``path`` may be the final name of a file still ``.open``."""
    path = Path(path)
    if not path.exists() and Path(f"{path}.open").exists():
        path = Path(f"{path}.open")
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            raw = f.read(length)
    except OSError as exc:
        raise RecordNotFound(f"Cannot read {path}: {exc}. Is the WARC folder right?") from exc
    if len(raw) != length:
        raise RecordNotFound(f"{path} ends before offset {offset} + length {length}; the catalog row is wrong.")
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = d.decompress(raw) + d.flush()
    except zlib.error as exc:
        raise RecordNotFound(f"No gzip member at offset {offset} of {path}: {exc}.") from exc
    if not d.eof or d.unused_data:
        raise RecordNotFound(f"Offset {offset}, length {length} of {path} is not exactly one gzip member.")
    return data


def read_record(
    warc_dir: str | os.PathLike, warc_file: str, offset: int, length: int, *, verify: bool = False
) -> ArchivedRecord:
    """The record at ``offset`` (``length`` bytes) of ``warc_dir/warc_file``."""
    data = read_member(Path(warc_dir) / warc_file, offset, length)
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data), no_record_parse=True)))
    except (ArchiveLoadFailed, StopIteration) as exc:
        raise RecordNotFound(f"No WARC record at offset {offset} of {warc_file}: {exc}.") from exc
    headers = list(record.rec_headers.headers)
    block = record.raw_stream.read()
    http = split_message(block) if block[:5] in (b"HTTP/",) or _is_http(headers) else None
    result = ArchivedRecord(headers, block, http)
    if verify:
        result.verify()
    return result


def _is_http(headers: Headers) -> bool:
    ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
    return ctype.startswith("application/http")
