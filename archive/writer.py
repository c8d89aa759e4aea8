"""The WARC writer: rotation, warcinfo, request/response/revisit/resource records. Knows nothing of Scrapy.

Contract:

- Files are ``{prefix}-{timestamp17}-{serial:05d}-{hostname}.warc.gz``, written
  as ``….warc.gz.open`` (created exclusively, never an existing file) and
  renamed on :meth:`WarcWriter.close` or when they reach ``max_size`` bytes.
- Each file is WARC/1.1 and starts with a ``warcinfo`` record built from ``info``.
- Every record is one gzip member; every record has ``WARC-Block-Digest``.
  Records are serialised here, not by warcio's writer: warcio parses an HTTP
  block's head and writes it back normalised (``Name:value`` becomes
  ``Name: value``, non-ASCII bytes are %-encoded), which would break both
  fidelity and the block digest. The block is written as given.
- :meth:`WarcWriter.write_exchange` writes the request and the response (or a
  revisit); :meth:`WarcWriter.write_exchanges` a group of them. The file is
  flushed (and fsync'd with ``fsync_each``) before locations are returned,
  so a caller may commit catalog rows for them. If writing fails, the file is
  cut back to where the call began and closed, and :class:`ArchiveError` raised.
- The ``.open`` file is ``flock``-ed while written; after a crash
  :func:`archive.recover` cuts it back to its last complete record and closes it.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import io
import os
import socket
import uuid
import zlib
from datetime import datetime, timezone
from importlib.metadata import version as _version
from pathlib import Path
from typing import Callable, Iterable, Iterator


from archive._http import ascii_uri, entity, split_message, status_of
from archive.errors import ArchiveError
from archive.records import Exchange, Original, RecordLocation

SOFTWARE = f"nianbao/{_version('nianbao')}"
WARC_VERSION = "WARC/1.1"
GZIP_PIECE = 1 << 18  # bytes of a block compressed (and written) at a time
Lookup = Callable[[str], "Original | None"]
BatchLookup = Callable[[list[str]], "dict[str, Original]"]


def utc_clock() -> datetime:
    return datetime.now(timezone.utc)


def uuid_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(value: datetime) -> str:
    """WARC-Date text (UTC, second precision) of an aware datetime."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


class WarcWriter:
    """Writes exchanges into rotating WARC files in ``directory``.

    ``info`` fills each warcinfo record (e.g. operator, robots, isPartOf);
    ``clock`` returns an aware datetime; ``make_id`` a ``<urn:uuid:…>`` id;
    ``on_close(path)`` is called with each file closed and renamed;
    ``on_write(open_path, start, end, locations)`` after each call's records
    are flushed, with the byte range they fill (whole records) and their
    :class:`RecordLocation` s (the warcinfo record of a new file not among them).
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        *,
        prefix: str = "nianbao",
        max_size: int = 1_000_000_000,
        info: dict[str, str] | None = None,
        clock: Callable[[], datetime] = utc_clock,
        make_id: Callable[[], str] = uuid_id,
        hostname: str | None = None,
        on_close: Callable[[Path], None] | None = None,
        on_write: Callable[[Path, int, int, list[RecordLocation]], None] | None = None,
        fsync_each: bool = True,
    ):
        # fsync_each=False: records are flushed to the OS before their locations are returned (a killed
        # process loses nothing), and fsync'd when the file closes; power-loss durability per record costs
        # one disk sync per exchange.
        self.fsync_each = fsync_each
        self.directory = Path(directory)
        self.prefix, self.max_size = prefix, max_size
        self.info = dict(info or {})
        self.clock, self.make_id = clock, make_id
        self.hostname = (hostname or socket.gethostname()).replace("-", "_") or "localhost"
        self.on_close, self.on_write = on_close, on_write
        self._serial = 0
        self._file: io.BufferedWriter | None = None
        self._path: Path | None = None

    # -- files -------------------------------------------------------------

    @property
    def current_file(self) -> Path | None:
        """The ``.open`` file being written, or None between files."""
        return self._path

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = self.clock().astimezone(timezone.utc)
        ts17 = stamp.strftime("%Y%m%d%H%M%S") + f"{stamp.microsecond // 1000:03d}"
        while True:
            name = f"{self.prefix}-{ts17}-{self._serial:05d}-{self.hostname}.warc.gz"
            self._serial += 1
            final = self.directory / name
            if final.exists():
                continue
            try:
                fd = os.open(f"{final}.open", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            break
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until close or death: archive.recover leaves a live file alone
        self._file, self._path = os.fdopen(fd, "wb"), final
        self._write_records([self._warcinfo(name)])
        self._sync()

    def close(self) -> None:
        """Close and rename the current file (if any). Later writes begin a new file."""
        if self._file is None:
            return
        path, f = self._path, self._file
        self._file = self._path = None
        self._sync(f)
        os.replace(f"{path}.open", path)  # renamed while still locked, so recover never sees a closing file
        f.close()
        if self.on_close:
            self.on_close(path)

    def __enter__(self) -> "WarcWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sync(self, f: io.BufferedWriter | None = None) -> None:
        f = f or self._file
        f.flush()
        os.fsync(f.fileno())

    # -- records -------------------------------------------------------------

    def write_exchange(self, exchange: Exchange, find_original: Lookup | None = None) -> list[RecordLocation]:
        """Write ``exchange``; returns [request, response-or-revisit] locations, flushed to disk.

        ``find_original(payload_digest)`` names a committed earlier capture
        with the same payload; then a revisit (identical-payload-digest) is
        written instead of the response. Never for truncated or empty payloads.
        """
        lookup = None if find_original is None else (
            lambda digests: {d: o for d in digests if (o := find_original(d)) is not None})
        return self.write_exchanges([exchange], lookup)[0]

    def write_exchanges(self, exchanges: list[Exchange], find_originals: BatchLookup | None = None
                        ) -> list[list[RecordLocation]]:
        """Write a group of exchanges with one flush; per exchange its [request, response-or-revisit] locations.

        ``find_originals(digests)`` maps each payload digest that has a
        committed earlier capture to it (one lookup for the group). A payload
        repeated inside the group becomes a revisit of its first response in
        the group, so the caller must commit the group's catalog rows in one
        transaction (a revisit never resolves to an uncommitted original).
        If writing fails, the file is cut back to where the group began and
        closed, and :class:`ArchiveError` raised: none of the group is written.
        """
        for exchange in exchanges:
            if not exchange.response:
                raise ArchiveError(f"No response bytes for {exchange.target_uri}; archive only what was received.")
        prepared = [_Prepared(e, e.date or self.clock()) for e in exchanges]
        wanted = {p.digest for p in prepared if p.dedupable}
        originals = dict(find_originals(sorted(wanted))) if find_originals and wanted else {}
        self._ensure_open()
        pending: list[_Pending] = []
        for p in prepared:
            pending += self._exchange_records(p, originals.get(p.digest) if p.dedupable else None)
            if p.dedupable and p.digest not in originals:
                originals[p.digest] = Original(pending[-1].record_id, p.uri, p.date)
        locations = self._commit(pending)
        return [locations[i:i + 2] for i in range(0, len(locations), 2)]

    def _exchange_records(self, p: "_Prepared", original: Original | None) -> list["_Pending"]:
        """[request, response-or-revisit] records of one prepared exchange."""
        req_id, resp_id = self.make_id(), self.make_id()
        extra = [("WARC-IP-Address", p.exchange.ip_address)] if p.exchange.ip_address else []
        if p.exchange.normalisation:
            extra.append(("WARC-Comment", p.exchange.normalisation))
        if original:
            resp = self._revisit(p.uri, p.date, resp_id, req_id, p.response, p.payload, original, extra)
        else:
            resp = self._http_record("response", p.uri, p.date, resp_id, req_id, p.exchange.response, p.response,
                                     extra, p.exchange.truncated)
        req = self._http_record("request", p.uri, p.date, req_id, resp_id, p.exchange.request,
                                split_message(p.exchange.request), [], None)
        return [req, resp]

    def write_resource(
        self, uri: str, content_type: str, body: bytes, *, refers_to: str | None = None, date: datetime | None = None
    ) -> RecordLocation:
        """Write a ``resource`` record (a rendering: ``urn:text:…``, ``urn:view:…``), optionally tied to a record."""
        self._ensure_open()
        date = date or self.clock()
        headers = [("WARC-Type", "resource"), ("WARC-Record-ID", self.make_id()), ("WARC-Date", warc_date(date))]
        headers.append(("WARC-Target-URI", ascii_uri(uri)))
        if refers_to:
            headers.append(("WARC-Refers-To", refers_to))
        headers += [("Content-Type", content_type), *_digests(body, body)]
        return self._commit([_Pending(headers, body, "resource", uri, date, body, content_type=content_type)])[0]

    def _warcinfo(self, filename: str) -> "_Pending":
        fields = {"software": SOFTWARE, "format": "WARC File Format 1.1",
                  "conformsTo": "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"}
        fields.update(self.info)
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
        date = self.clock()
        headers = [("WARC-Type", "warcinfo"), ("WARC-Record-ID", self.make_id()), ("WARC-Date", warc_date(date)),
                   ("WARC-Filename", filename), ("Content-Type", "application/warc-fields"), *_digests(body, None)]
        return _Pending(headers, body, "warcinfo", "", date, None)

    def _http_record(self, kind, uri, date, rec_id, other_id, raw, message, extra, truncated) -> "_Pending":
        payload = entity(message)
        headers = [("WARC-Type", kind), ("WARC-Record-ID", rec_id), ("WARC-Date", warc_date(date)),
                   ("WARC-Target-URI", uri), ("WARC-Concurrent-To", other_id), *extra,
                   ("Content-Type", f"application/http; msgtype={kind}"), *_digests(raw, payload)]
        if truncated:
            headers.append(("WARC-Truncated", truncated))
        status = status_of(message.start)[1] if kind == "response" else None
        return _Pending(headers, raw, kind, uri, date, payload, status, message.get("Content-Type"),
                        concurrent_to=other_id, truncated=truncated, head=message.head)

    def _revisit(self, uri, date, rec_id, req_id, message, payload, original: Original, extra) -> "_Pending":
        head = message.head
        headers = [("WARC-Type", "revisit"), ("WARC-Record-ID", rec_id), ("WARC-Date", warc_date(date)),
                   ("WARC-Target-URI", uri), ("WARC-Concurrent-To", req_id), *extra,
                   ("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"),
                   ("WARC-Refers-To-Target-URI", ascii_uri(original.target_uri)),
                   ("WARC-Refers-To-Date", warc_date(original.date)), ("WARC-Refers-To", original.record_id),
                   ("Content-Type", "application/http; msgtype=response"),
                   ("WARC-Block-Digest", sha1_digest(head)), ("WARC-Payload-Digest", sha1_digest(payload))]
        return _Pending(headers, head, "revisit", uri, date, payload, status_of(message.start)[1],
                        message.get("Content-Type"), refers_to=original.record_id, concurrent_to=req_id, head=head)

    def _ensure_open(self) -> None:
        if self._file is None:
            self._open()

    def _commit(self, pending: list["_Pending"]) -> list[RecordLocation]:
        start = self._file.tell()
        try:
            spans = self._write_records(pending)
            if self.fsync_each:
                self._sync()
            else:
                self._file.flush()
        except OSError as exc:
            self._abandon(start)
            raise ArchiveError(f"Could not write to {self._path}: {exc}. Check disk space and permissions.") from exc
        locations = [p.location(self._path.name, off, length) for p, (off, length) in zip(pending, spans)]
        if self.on_write:
            self.on_write(Path(f"{self._path}.open"), start, self._file.tell(), locations)
        if self._file.tell() >= self.max_size:
            self.close()
        return locations

    def _write_records(self, pending: Iterable["_Pending"]) -> list[tuple[int, int]]:
        """Each record as one gzip member; (offset, length) of each."""
        spans = []
        for p in pending:
            offset = self._file.tell()
            for piece in gzip_member(p.serialise()):
                self._file.write(piece)
            spans.append((offset, self._file.tell() - offset))
        return spans

    def _abandon(self, good_end: int) -> None:
        """Cut a half-written exchange off and close the file, so it holds only whole records."""
        try:
            self._file.truncate(good_end)
        finally:
            self.close()


def _digests(block: bytes, payload: bytes | None) -> list[tuple[str, str]]:
    out = [("WARC-Block-Digest", sha1_digest(block))]
    if payload is not None:
        out.append(("WARC-Payload-Digest", sha1_digest(payload)))
    return out


def gzip_member(parts: Iterable[bytes | memoryview]) -> Iterator[bytes]:
    """The concatenation of ``parts`` as one complete gzip member, compressed piece by piece (each record can be
    read alone at its offset; a large block is never copied whole)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for part in parts:
        for start in range(0, len(part), GZIP_PIECE):
            if out := packer.compress(part[start:start + GZIP_PIECE]):
                yield out
    yield packer.flush()


class _Prepared:
    """An exchange parsed once: its response message, payload and digest, and whether it may become a revisit."""

    def __init__(self, exchange: Exchange, date: datetime):
        self.exchange, self.date = exchange, date
        self.uri = ascii_uri(exchange.target_uri)
        self.response = split_message(exchange.response)
        self.payload = entity(self.response)
        self.digest = sha1_digest(self.payload)
        self.dedupable = bool(self.payload) and not exchange.truncated


class _Pending:
    """A record about to be written, and what its location will report."""

    def __init__(self, headers, block, kind, uri, date, payload, status=None, content_type=None, *,
                 refers_to=None, concurrent_to=None, truncated=None, head=None):
        self.headers, self.block, self.kind, self.uri, self.date = headers, block, kind, uri, date
        self.payload, self.status, self.content_type = payload, status, content_type
        self.refers_to, self.concurrent_to, self.truncated, self.head = refers_to, concurrent_to, truncated, head
        self.payload_digest = None if payload is None else dict(headers).get("WARC-Payload-Digest") or sha1_digest(payload)

    @property
    def record_id(self) -> str:
        return dict(self.headers)["WARC-Record-ID"]

    def serialise(self) -> tuple[bytes, memoryview, bytes]:
        """The record as WARC/1.1 in three parts: version line, WARC headers and Content-Length; the block verbatim;
        CRLF CRLF."""
        head = "".join(f"{k}: {v}\r\n" for k, v in self.headers)
        return (f"{WARC_VERSION}\r\n{head}Content-Length: {len(self.block)}\r\n\r\n".encode("utf-8"),
                memoryview(self.block), b"\r\n\r\n")

    def location(self, warc_file: str, offset: int, length: int) -> RecordLocation:
        fields = dict(self.headers)
        return RecordLocation(
            warc_file=warc_file, offset=offset, length=length, record_id=fields["WARC-Record-ID"],
            record_type=self.kind, payload_digest=self.payload_digest, block_digest=fields["WARC-Block-Digest"],
            sha256=None if self.payload is None else hashlib.sha256(self.payload).hexdigest(),
            payload_length=None if self.payload is None else len(self.payload), target_uri=self.uri,
            date=self.date, status=self.status, content_type=self.content_type, refers_to=self.refers_to,
            concurrent_to=self.concurrent_to, truncated=self.truncated, head=self.head,
        )
