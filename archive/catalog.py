"""The catalog: one row per archived WARC record, pointing into the WARC files. Written by the archive."""

from __future__ import annotations

import hashlib
from datetime import datetime
from types import SimpleNamespace

from sqlmodel import Field, SQLModel


class Capture(SQLModel, table=True):
    """A record in a WARC file. A row is committed only after its bytes are flushed.

    ``offset``/``length`` locate the gzip member in ``warc_file`` (a name
    relative to the WARC folder). ``payload_digest`` is the WARC
    ``sha1:`` base32 digest; ``sha256`` is hex over the same payload.
    ``truncated`` holds the WARC-Truncated reason; ``complete`` is False then.
    """

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="crawlrun.id", index=True)
    url: str = Field(index=True)
    method: str = "GET"
    status: int | None = None
    content_type: str | None = None
    record_type: str = "response"
    record_id: str = Field(unique=True)
    request_record_id: str | None = None
    refers_to: str | None = Field(default=None, description="record id of the original, for revisits")
    warc_file: str = Field(index=True)
    offset: int
    length: int
    payload_digest: str | None = Field(default=None, index=True)
    block_digest: str | None = None
    sha256: str | None = None
    payload_length: int | None = None
    captured_at: datetime = Field(index=True)
    truncated: str | None = None
    complete: bool = True


class CaptureChange(SQLModel, table=True):
    """A URL whose content changed between two complete ``200`` captures (bar 18); see :mod:`archive.changes`.

    ``before_id``/``after_id`` are the two ``Capture`` rows (response or
    revisit); their payload digests differ and ``diff`` (never empty) says
    how the documents differ. ``detected_at`` is the later capture's time (UTC).
    """

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(index=True)
    before_id: int = Field(foreign_key="capture.id")
    after_id: int = Field(foreign_key="capture.id", unique=True)
    before_digest: str
    after_digest: str
    detected_at: datetime = Field(index=True)
    diff: str


# -- helpers -----------------------------------------------------------------
# Written by the capture component after each flush; read by parsing and verify.


def record_capture(session, location, url: str, status: int | None, content_type: str | None, method: str,
                   run_id: int | None, captured_at: datetime, truncated: str | None = None, *,
                   request_record_id: str | None = None, refers_to: str | None = None) -> Capture:
    """Add the catalog row for one written record (an :class:`archive.RecordLocation`); the caller commits.

    Call only after the writer returned ``location`` (its bytes are flushed).
    ``url`` is the target URI as archived; ``complete`` is False when ``truncated``.
    """
    row = capture_row(location, url, status, content_type, method, run_id, captured_at, truncated,
                      request_record_id=request_record_id, refers_to=refers_to)
    session.add(row)
    session.flush()
    return row


def capture_row(location, url: str, status: int | None, content_type: str | None, method: str, run_id: int | None,
                captured_at: datetime, truncated: str | None = None, *, request_record_id: str | None = None,
                refers_to: str | None = None) -> Capture:
    """The :class:`Capture` row :func:`record_capture` adds, not yet in any session (to add many at once)."""
    return Capture(**capture_values(location, url, status, content_type, method, run_id, captured_at, truncated,
                                    request_record_id=request_record_id, refers_to=refers_to))


def capture_values(location, url: str, status: int | None, content_type: str | None, method: str,
                   run_id: int | None, captured_at: datetime, truncated: str | None = None, *,
                   request_record_id: str | None = None, refers_to: str | None = None) -> dict:
    """The column values of :func:`capture_row` (every column but ``id``)."""
    return dict(
        run_id=run_id, url=url, method=method, status=status, content_type=content_type,
        record_type=location.record_type, record_id=location.record_id, request_record_id=request_record_id,
        refers_to=refers_to if refers_to is not None else location.refers_to,
        warc_file=location.warc_file, offset=location.offset, length=location.length,
        payload_digest=location.payload_digest, block_digest=location.block_digest, sha256=location.sha256,
        payload_length=location.payload_length, captured_at=captured_at, truncated=truncated,
        complete=not truncated,
    )


def insert_captures(session, values: list[dict]) -> list[SimpleNamespace]:
    """Insert many catalog rows (:func:`capture_values`) in one statement, without building ORM objects; the caller
    commits. Returns the rows as inserted, in order, with their ids: plain objects with :class:`Capture`'s
    attributes (what :func:`read_capture` and :func:`archive.note_changes` read)."""
    from sqlalchemy import insert

    if not values:
        return []
    table = Capture.__table__
    ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values).scalars().all()
    return [SimpleNamespace(id=row_id, **row) for row_id, row in zip(ids, values)]


def find_original(session, payload_digest: str):
    """The earliest complete ``response`` capture with ``payload_digest``, as an :class:`archive.Original`, or None.

    Only committed rows are visible to other sessions, so a revisit never
    points at a record whose bytes might not be on disk.
    """
    return find_originals(session, [payload_digest]).get(payload_digest)


def find_originals(session, payload_digests: list[str]) -> dict:
    """:func:`find_original` for many digests in one query: digest → :class:`archive.Original` for those found."""
    from sqlmodel import col, select

    from archive.records import Original
    from nianbao.timeutil import as_utc

    found: dict = {}
    for start in range(0, len(payload_digests), 500):
        rows = session.exec(
            select(Capture.payload_digest, Capture.record_id, Capture.url, Capture.captured_at)
            .where(col(Capture.payload_digest).in_(payload_digests[start:start + 500]),
                   Capture.record_type == "response", Capture.complete == True)  # noqa: E712
            .order_by(Capture.captured_at.desc(), Capture.id.desc())
        ).all()
        for digest, record_id, url, when in rows:  # newest first, so the earliest is set last
            found[digest] = Original(record_id, url, as_utc(when))
    return found


def read_capture(warc_dir, capture: Capture, *, session=None, decode: bool = True, record=None) -> bytes:
    """The payload of ``capture`` read back from the archive, checked against its sha256.

    ``decode=True`` (default) undoes Content-Encoding (the document a parser
    wants); ``decode=False`` gives the entity as served (what ``sha256`` covers).
    A revisit is followed to its original through ``session`` (default: the
    session ``capture`` is attached to, if any). ``record``: ``capture``'s own
    record when the caller has read it already (not read again; unused for a revisit).
    """
    from sqlalchemy.orm import object_session

    from archive.errors import ArchiveError, IntegrityError
    from archive.reader import read_record
    from sqlmodel import select

    if capture.record_type == "revisit":
        session = session or object_session(capture)
        if session is None:
            raise ArchiveError(f"Capture {capture.id} is a revisit; pass session= to follow it to its original.")
        original = session.exec(select(Capture).where(Capture.record_id == capture.refers_to)).first()
        if original is None:
            raise ArchiveError(f"Revisit {capture.record_id} refers to {capture.refers_to}, which is not catalogued.")
        capture, record = original, None
    if record is None:
        record = read_record(warc_dir, capture.warc_file, capture.offset, capture.length)
    if record.record_id != capture.record_id:
        raise IntegrityError(f"{capture.warc_file}@{capture.offset} holds {record.record_id}, not {capture.record_id}.")
    payload = record.payload
    if capture.sha256 and hashlib.sha256(payload).hexdigest() != capture.sha256:
        raise IntegrityError(f"Payload of {capture.record_id} does not match its catalogued sha256.")
    return record.content if decode else payload
