"""Incremental re-crawl and resume: a downloader middleware that answers from the archive what need not be fetched.

Register at 900 (``crawler/settings.py``): nearer the downloader than
redirect (600) and compression (590), so a response it answers is redirected
and decoded like any other, and farther than WARC capture (950), so a ``304``
is archived (request + the ``304`` response record) before it is replaced.

What it does to each request (the catalog is the memory: ``archive.Capture``
rows, read through ``NIANBAO_DATABASE_URL``; bodies are read back from
``WARC_DIR``):

- **Conditional GET.** A URL with a complete earlier ``200`` capture (its
  *last full capture*) is asked with ``If-None-Match`` / ``If-Modified-Since``
  taken from that capture's archived response headers. On ``304`` the spider
  gets the last full capture replayed (status, headers, decoded body), and
  ``response.meta["capture"]`` names that capture, so a Document keeps
  pointing at it.
- **Skip until a re-check is due.** Requests whose callback is one of
  ``INCREMENTAL_SKIP_CALLBACKS`` (report pages, attachments) are not sent at
  all while their last check — the newest ``200`` or ``304`` capture of the
  URL: every check is a catalogued exchange — is younger than
  ``INCREMENTAL_RECHECK_DAYS``; the last full capture is replayed. List,
  column and discovery pages are always re-read (conditionally).
- **Resume** (``INCREMENTAL_REPLAY_RUN`` = a run id): every exchange that run
  already archived completely (any status, redirects included, POSTs matched
  by body) is replayed instead of refetched, so a resumed crawl walks the
  same graph without sending those requests again.

Replayed responses carry the flag ``"replayed"``. Stats: ``incremental/conditional``,
``incremental/not_modified``, ``incremental/modified``, ``incremental/skipped``,
``incremental/resumed``. Settings: ``INCREMENTAL_ENABLED`` (off →
``NotConfigured``; needs ``WARC_ENABLED``), ``INCREMENTAL_RECHECK_DAYS``
(default 7), ``INCREMENTAL_SKIP_CALLBACKS``, ``INCREMENTAL_REPLAY_RUN``.
"""

from __future__ import annotations

import hashlib
import logging
from array import array
from bisect import bisect_left
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urldefrag

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from sqlalchemy import bindparam, or_
from sqlmodel import col, select

from archive import ArchiveError, Capture, read_capture, read_record
from nianbao.db import connect, session
from nianbao.timeutil import as_utc, utcnow

logger = logging.getLogger(__name__)

CONDITIONAL = (("ETag", b"If-None-Match"), ("Last-Modified", b"If-Modified-Since"))
KNOWN_KEY, CONDITIONAL_KEY = "nb_known_capture", "nb_conditional"
REPLAYED = "replayed"
_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}  # the replayed body is decoded and whole
_HTTP_RECORDS = ("response", "revisit")


class IncrementalMiddleware:
    """See the module docstring. ``clock`` returns aware UTC (the seam for tests)."""

    def __init__(self, engine, warc_dir: Path, recheck: timedelta, skip_callbacks: set[str],
                 replay_run: int | None = None, stats=None, clock=utcnow):
        self.engine, self.warc_dir, self.recheck = engine, warc_dir, recheck
        self.skip_callbacks, self.replay_run = skip_callbacks, replay_run
        self.stats, self.clock = stats, clock
        self.known_urls = KnownUrls(engine)

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("INCREMENTAL_ENABLED"):
            raise NotConfigured("Incremental re-crawl is off; set INCREMENTAL_ENABLED=True.")
        if not s.getbool("WARC_ENABLED"):
            raise NotConfigured("Incremental re-crawl answers from the archive; it needs WARC_ENABLED=True.")
        from nianbao.config import get_settings

        engine = connect(s.get("NIANBAO_DATABASE_URL") or get_settings().db_url)
        warc_dir = Path(s.get("WARC_DIR") or get_settings().warc_dir)
        mw = cls(engine, warc_dir, timedelta(days=s.getfloat("INCREMENTAL_RECHECK_DAYS", 7.0)),
                 set(s.getlist("INCREMENTAL_SKIP_CALLBACKS", ["parse_detail", "parse_attachment"])),
                 s.getint("INCREMENTAL_REPLAY_RUN") or None, crawler.stats)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider=None) -> None:
        self.engine.dispose()

    # --- downloader middleware ----------------------------------------------------------

    def process_request(self, request, spider=None):
        self._unset_conditional(request)
        url = urldefrag(request.url)[0]
        if self.replay_run:
            with session(self.engine) as s:
                if (done := self._done_in_run(s, request, url)) is not None:
                    if done.status == 304:  # a conditional check the run made: the spider saw the full capture
                        done = _last_full(s, url) or done
                    return self._try_replay(s, request, done, "incremental/resumed")
        if request.method != "GET" or url not in self.known_urls:  # most URLs of a first sweep: no catalog query
            return None
        with self.engine.connect() as conn:
            known_id, checked = conn.execute(_KNOWN, {"url": url}).one()
        if known_id is None:
            return None
        with session(self.engine) as s:
            known = s.get(Capture, known_id)
            if _callback_name(request) in self.skip_callbacks and not self._due(checked):
                return self._try_replay(s, request, known, "incremental/skipped")
            self._set_conditional(s, request, known)
        return None

    def process_response(self, request, response, spider=None):
        if response.status == 200 and request.method == "GET" and "capture" in request.meta:
            self.known_urls.add(urldefrag(request.url)[0])   # captured by this crawl (archived at 950, before us)
        if REPLAYED in response.flags or KNOWN_KEY not in request.meta:
            return response
        known_id = request.meta.pop(KNOWN_KEY)
        if response.status != 304:
            self._inc("incremental/modified")
            return response
        with session(self.engine) as s:
            known = s.get(Capture, known_id)
            return self._try_replay(s, request, known, "incremental/not_modified") or response

    # --- decisions ----------------------------------------------------------------------

    def _due(self, last_check: datetime | None) -> bool:
        """True when a URL's last check (its newest 200 or 304 capture) is older than the re-check interval."""
        return last_check is None or as_utc(last_check) <= self.clock() - self.recheck

    def _done_in_run(self, s, request, url: str) -> Capture | None:
        """The complete capture of this exact request in the run being resumed, or None."""
        rows = s.exec(select(Capture).where(
            Capture.run_id == self.replay_run, Capture.url == url, Capture.method == request.method,
            col(Capture.record_type).in_(_HTTP_RECORDS), Capture.complete == True,  # noqa: E712
        ).order_by(col(Capture.id).desc())).all()
        if request.method == "GET":
            return rows[0] if rows else None
        return next((row for row in rows if self._request_body(s, row) == request.body), None)

    def _request_body(self, s, row: Capture) -> bytes | None:
        req = s.exec(select(Capture).where(Capture.record_id == row.request_record_id)).first()
        if req is None:
            return None
        return read_record(self.warc_dir, req.warc_file, req.offset, req.length).payload

    def _set_conditional(self, s, request, known: Capture) -> None:
        try:
            headers = read_record(self.warc_dir, known.warc_file, known.offset, known.length).http_headers
        except ArchiveError as exc:
            logger.warning("Cannot read capture %s for a conditional request (%s); fetching in full", known.id, exc)
            return
        sent = []
        for source, target in CONDITIONAL:
            value = next((v for k, v in headers if k.lower() == source.lower()), None)
            if value:
                request.headers[target] = value
                sent.append(target)
        if sent:
            request.meta[KNOWN_KEY], request.meta[CONDITIONAL_KEY] = known.id, sent
            self._inc("incremental/conditional")

    @staticmethod
    def _unset_conditional(request) -> None:
        """Headers this middleware added to a predecessor (a redirect copies them) are not this URL's."""
        request.meta.pop(KNOWN_KEY, None)
        for name in request.meta.pop(CONDITIONAL_KEY, ()):
            request.headers.pop(name, None)

    # --- replay -------------------------------------------------------------------------

    def _try_replay(self, s, request, capture: Capture, stat: str):
        """:meth:`_replay`, or None (the request then goes to the network) when the archive cannot give it back."""
        try:
            return self._replay(s, request, capture, stat)
        except ArchiveError as exc:
            logger.warning("Cannot replay capture %s for %s (%s); fetching it instead", capture.id, request.url, exc)
            self._inc("incremental/unreadable")
            return None

    def _replay(self, s, request, capture: Capture, stat: str):
        """``capture`` as the response to ``request``: archived status and headers, decoded body, flag ``replayed``."""
        record = read_record(self.warc_dir, capture.warc_file, capture.offset, capture.length)
        body = read_capture(self.warc_dir, capture, session=s, record=record) if record.status != 304 else b""
        headers = Headers()
        for name, value in record.http_headers:
            if name.lower() not in _DROPPED:
                headers.appendlist(name, value)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        request.meta["capture"] = {"capture_id": capture.id, "record_id": capture.record_id,
                                   "warc_file": capture.warc_file}
        self._inc(stat)
        return cls(url=request.url, status=record.status or 200, headers=headers, body=body, flags=[REPLAYED],
                   request=request)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


# Constant alternatives as OR, not IN: IN binds an expanding parameter, re-rendered on every execution of these
# per-request queries.
_HTTP_RECORD = or_(*(Capture.record_type == kind for kind in _HTTP_RECORDS))
# A full capture: a complete 200 answer to a GET (a response, or a revisit of an identical payload).
_FULL = (Capture.method == "GET", Capture.status == 200, _HTTP_RECORD, Capture.complete == True)  # noqa: E712


class KnownUrls:
    """Which URLs the catalog may hold a last full capture of, without a query per URL.

    64-bit digests of every URL with a complete ``200`` GET capture, read in
    one pass at the first lookup (a sorted array: 8 bytes a URL), and of the
    URLs this crawl captures with ``200`` since (:meth:`add`). A URL not
    among them has no last full capture, so the catalog is not asked; one
    among them is looked up as before (a digest collision costs one query,
    never a wrong answer). Captures another process makes meanwhile are not
    seen: such a URL is fetched in full and archived as a revisit.
    """

    def __init__(self, engine):
        self.engine = engine
        self._catalogued: array | None = None   # sorted digests ('Q'), read at the first lookup
        self._added: set[int] = set()

    def __contains__(self, url: str) -> bool:
        if self._catalogued is None:
            self._catalogued = self._read()
        digest = _digest(url)
        if digest in self._added:
            return True
        at = bisect_left(self._catalogued, digest)
        return at < len(self._catalogued) and self._catalogued[at] == digest

    def add(self, url: str) -> None:
        self._added.add(_digest(url))

    def _read(self) -> array:
        import numpy as np

        with self.engine.connect() as conn:
            rows = conn.execution_options(yield_per=10_000).execute(select(Capture.url).where(*_FULL).distinct())
            digests = np.unique(np.fromiter((_digest(url) for (url,) in rows), dtype=np.uint64))
        return array("Q", digests.tobytes())


def _digest(url: str) -> int:
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def _full_captures(columns):
    """``select(columns)`` of the complete 200 GET captures (responses, or revisits of an identical payload) of a URL
    (bound as ``url``), newest first."""
    return select(*columns).where(Capture.url == bindparam("url"), *_FULL).order_by(
        col(Capture.captured_at).desc(), col(Capture.id).desc())


_LAST_FULL = _full_captures([Capture]).limit(1)
_LAST_CHECKED = select(Capture.captured_at).where(
    Capture.url == bindparam("url"), or_(Capture.status == 200, Capture.status == 304), _HTTP_RECORD,
).order_by(col(Capture.captured_at).desc()).limit(1)
# (id of the last full capture, time of the last check) of a URL, in one round trip
_KNOWN = select(_full_captures([Capture.id]).limit(1).scalar_subquery(), _LAST_CHECKED.scalar_subquery())


def _last_full(s, url: str) -> Capture | None:
    """The newest complete 200 capture of ``url`` (a response, or a revisit of an identical payload)."""
    return s.exec(_LAST_FULL, params={"url": url}).first()


def _callback_name(request) -> str | None:
    return getattr(request.callback, "__name__", None)
