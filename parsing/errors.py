"""Named errors of the parsing library."""

from __future__ import annotations


class ParseError(Exception):
    """The input cannot be read: unsupported type, corrupt or encrypted file.

    The message says what the caller can do (convert the file, supply the
    right extension, run OCR). Raised ``from`` the underlying library error.
    """
