"""The catalog: one row per archived WARC record, pointing into the WARC files. Written by the archive."""

from __future__ import annotations

from datetime import datetime

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
