"""The archive: every HTTP exchange as it came off the wire, in WARC files, with a catalog and CDXJ indexes.

Public surface (everything else is private):

- :class:`Recorder` runs a :class:`WarcWriter` and the catalog in an archivist
  process, committing groups of exchanges (what the crawler uses).
- :class:`WarcWriter` writes exchanges (:class:`Exchange`) as request +
  response (or revisit) records and returns :class:`RecordLocation` s after
  the bytes are flushed and fsync'd; :meth:`WarcWriter.write_resource` writes
  renderings (``urn:`` targets).
- :func:`read_record` reads one record back from (folder, file, offset, length).
- :func:`record_capture`, :func:`find_original`, :func:`read_capture`: the catalog.
- :func:`note_change`, :func:`changes`: a new payload for a URL as a :class:`CaptureChange`
  linking both captures, with a non-empty diff (DOMAIN.md §6 bar 18); the alert service reads ``changes(session, since)``.
- :func:`recover`: an ``.open`` file left by a crash, cut back to its last complete record and closed.
- :func:`write_index`, :func:`rebuild_indexes`: CDXJ per WARC file.
- :func:`verify_catalog`: re-read every catalogued record (``nianbao archive verify``);
  :func:`audit_warc`: one file against our rules (stricter than ``warcio check``).
- :func:`export_wacz`, :func:`check_wacz`: WACZ 1.1.1 packages (``nianbao archive export --wacz``).

How Scrapy traffic gets here (``crawler/capture.py``) — option (a) of
DOMAIN.md §6, capture at the socket. A download handler subclassing Scrapy's
HTTP/1.1 handler gives each pooled connection a Twisted protocol that tapes
the bytes it writes (request line with the query, headers in the order sent
incl. Host, Cookie, Referer, Accept-Encoding, the POST body) and the bytes it
reads (real status line and reason phrase, headers in order with repeats,
body with chunk framing and content coding untouched). A downloader
middleware at priority 950 (nearer the downloader than compression 590 and
redirect 600) writes each taped exchange, so every redirect hop and every
robots.txt fetch is a record pair of its own. No normalisation is declared
because none is done: response blocks are the bytes received.

Digests: block digest over the block as stored; payload digest over the
entity with transfer coding removed and content coding kept (so chunked and
unchunked copies share it). ``warcio check`` disagrees on chunked responses
because warcio hashes the chunk framing; tests pin that this is its only
complaint.

Honest limits: the tape sees plaintext inside TLS (as every WARC does);
HTTP/2 and the experimental httpx handler are not taped; a request that
gets no response head back (refused, timed out before headers) is not
archived; a response cut by ``DOWNLOAD_MAXSIZE`` / timeout / data loss is
archived with the bytes that arrived and ``WARC-Truncated: length | time |
disconnect`` (possibly more bytes than Scrapy kept, never fewer). The
handler depends on private Scrapy 2.19 classes (``_ScrapyAgent``,
``_LenientHTTP11ClientProtocol``); a Scrapy upgrade must re-run
``tests/crawler/test_capture.py``. Responses that did not come through the
handler (HTTP cache, browser) are never written as ``response`` records;
browser renderings go to :meth:`WarcWriter.write_resource` with ``urn:``
targets. Writing, revisit lookups, catalog commits and change checks run on
the :class:`Recorder`'s archivist process, a group of exchanges at a time,
never on the reactor thread; CDXJ lines are built as records are flushed
(:class:`archive.index.GrowingIndex`).
"""

from __future__ import annotations

from nianbao.lazy import exports

# Public names → the module that defines them, imported on first use: a process that only starts an archivist
# (``archive.recorder.start_archivist``) or reads one module does not pay for the whole package.
_EXPORTS = {
    "ascii_uri": "archive._http",
    **dict.fromkeys(("Capture", "CaptureChange", "find_original", "read_capture", "record_capture"), "archive.catalog"),
    **dict.fromkeys(("changes", "note_change", "note_changes"), "archive.changes"),
    **dict.fromkeys(("ArchiveError", "IntegrityError", "RecordNotFound"), "archive.errors"),
    **dict.fromkeys(("index_lines", "rebuild_indexes", "write_index"), "archive.index"),
    **dict.fromkeys(("ArchivedRecord", "read_record"), "archive.reader"),
    **dict.fromkeys(("Recovered", "recover", "recover_all"), "archive.recover"),
    **dict.fromkeys(("Exchange", "Original", "RecordLocation", "build_request", "build_response"), "archive.records"),
    **dict.fromkeys(("Problem", "audit_warc", "verify_capture", "verify_catalog"), "archive.verify"),
    **dict.fromkeys(("check_wacz", "export_wacz"), "archive.wacz"),
    **dict.fromkeys(("Recorded", "Recorder", "WriterSpec"), "archive.recorder"),
    "WarcWriter": "archive.writer",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = exports("archive", _EXPORTS)
