"""The archive's named errors. Each message says what to do."""

from __future__ import annotations


class ArchiveError(Exception):
    """The archive cannot write or read a record; the message says which file and what to do."""


class RecordNotFound(ArchiveError):
    """No WARC record at the catalogued place (file missing, offset or length wrong)."""


class IntegrityError(ArchiveError):
    """A record's bytes do not match its digests or its catalog row; run ``nianbao archive verify``."""
