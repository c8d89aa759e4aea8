"""The archive: every HTTP exchange as it came off the wire, in WARC files, with a catalog and CDXJ indexes.

Public surface (everything else is private):

- :class:`WarcWriter` writes exchanges (:class:`Exchange`) as request +
  response (or revisit) records and returns :class:`RecordLocation` s after
  the bytes are flushed and fsync'd; :meth:`WarcWriter.write_resource` writes
  renderings (``urn:`` targets).
- :func:`read_record` reads one record back from (folder, file, offset, length).
- :func:`record_capture`, :func:`find_original`, :func:`read_capture`: the catalog.
- :func:`write_index`, :func:`rebuild_indexes`: CDXJ per WARC file.
- :func:`verify_catalog`: re-read every catalogued record (``nianbao archive verify``).

How Scrapy traffic gets here (``crawler/capture.py``) — option (a) of
DOMAIN.md §6, capture at the socket: a download handler subclassing Scrapy's
HTTP/1.1 handler gives each pooled connection a Twisted protocol that tapes
the bytes it writes (request line, headers in the order sent incl. Host,
Cookie, Referer, Accept-Encoding, body) and the bytes it receives (real
status line and reason phrase, headers in order with repeats, body with
chunk framing and content coding untouched). A downloader middleware placed
after the redirect and compression middlewares (priority 950) writes each
taped exchange, so every redirect hop and robots.txt are records of their own.
Payload digests de-chunk but keep content coding. Honest limits: the tape
sees bytes after TLS decryption (as every WARC does) but not HTTP/2 or
proxy CONNECT framing (HTTPS through a proxy is taped after the tunnel is
up); a response cut by ``DOWNLOAD_MAXSIZE`` or a timeout is archived with the
bytes that arrived and ``WARC-Truncated``; a request that gets no byte back
is not archived. Responses that did not come through the handler (cache,
browser) are never written as ``response`` records.
"""

from archive.catalog import Capture, find_original, read_capture, record_capture
from archive.errors import ArchiveError, IntegrityError, RecordNotFound
from archive.index import index_lines, rebuild_indexes, write_index
from archive.reader import ArchivedRecord, read_record
from archive.records import Exchange, Original, RecordLocation, build_request, build_response
from archive.verify import Problem, verify_capture, verify_catalog
from archive.writer import WarcWriter

__all__ = [
    "ArchiveError", "ArchivedRecord", "Capture", "Exchange", "IntegrityError", "Original", "Problem", "RecordLocation",
    "RecordNotFound", "WarcWriter", "build_request", "build_response", "find_original", "index_lines",
    "read_capture", "read_record", "rebuild_indexes", "record_capture", "verify_capture", "verify_catalog",
    "write_index",
]
