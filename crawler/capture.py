"""WARC capture for Scrapy: a socket-taping download handler and a writing downloader middleware.

Register both (``crawler/settings.py``)::

    DOWNLOAD_HANDLERS = {"http": "crawler.capture.CaptureDownloadHandler",
                         "https": "crawler.capture.CaptureDownloadHandler"}
    DOWNLOADER_MIDDLEWARES = {"crawler.capture.WarcCaptureMiddleware": 950}

Settings: ``WARC_ENABLED`` (off: the handler behaves as Scrapy's HTTP/1.1
handler and the middleware raises ``NotConfigured``), ``WARC_DIR`` (default
``$NIANBAO_HOME/warcs``), ``WARC_INDEX_DIR`` (default ``indexes/`` beside
``WARC_DIR``), ``WARC_PREFIX``, ``WARC_MAX_SIZE``, ``WARC_OPERATOR``,
``NIANBAO_DATABASE_URL``, ``NIANBAO_RUN_ID``.

The handler tapes the exact bytes each pooled connection writes and reads for
one request (see ``archive``'s docstring for why and the limits). The
middleware, at 950 (after compression 590 and redirect 600 in
``process_request`` order, so it sees every hop before they are consumed),
hands each taped exchange to an :class:`archive.Recorder` (an archivist
process that writes groups of exchanges and commits their ``Capture`` rows
after the flush) and awaits it without blocking the reactor, then sets
``request.meta["capture"] = {"capture_id", "record_id", "warc_file"}`` (so
``response.meta`` of the response the spider sees carries it, committed). A download
that failed after bytes arrived (``DOWNLOAD_MAXSIZE``, timeout, data loss)
is archived with ``WARC-Truncated`` and ``complete=False``, then the failure
goes on.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag

from scrapy import signals
from scrapy.core.downloader.handlers import http11
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, NotConfigured, ResponseDataLossError
from scrapy.utils._download_handlers import wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import load_object
from twisted.internet.defer import Deferred

from archive import ArchiveError, Exchange
from archive.recorder import Recorded, Recorder, WriterSpec
from nianbao.db import connect

logger = logging.getLogger(__name__)
TAPE_KEY = "_nianbao_tape"


@dataclass
class Tape:
    """Bytes one request wrote to and read from its connection, and why the read stopped early (WARC-Truncated).

    ``started_at`` (aware UTC) is when the request began to be written: the WARC-Date of the exchange.
    """

    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    sent: bytearray = field(default_factory=bytearray)
    received: bytearray = field(default_factory=bytearray)
    truncated: str | None = None
    ip_address: str | None = None


class _TeeTransport:
    """A transport proxy that copies every write into the protocol's current tape."""

    def __init__(self, transport, protocol):
        self._transport, self._protocol = transport, protocol

    def write(self, data: bytes) -> None:
        self._protocol.tape_sent(data)
        self._transport.write(data)

    def writeSequence(self, seq) -> None:
        for data in seq:
            self._protocol.tape_sent(data)
        self._transport.writeSequence(seq)

    def __getattr__(self, name):
        return getattr(self._transport, name)


class _TapingProtocol(http11._LenientHTTP11ClientProtocol):
    """Scrapy's lenient HTTP/1.1 client protocol, taping each request's bytes on the wire."""

    _tape: Tape | None = None

    def makeConnection(self, transport) -> None:
        super().makeConnection(_TeeTransport(transport, self))

    def tape_sent(self, data: bytes) -> None:
        if self._tape is not None:
            self._tape.sent += data

    def dataReceived(self, data: bytes) -> None:
        if self._tape is not None:
            self._tape.received += data
        super().dataReceived(data)

    def request(self, request):
        tape = self._tape = Tape()
        with suppress(AttributeError):  # transports without a peer address
            tape.ip_address = self.transport.getPeer().host
        d = super().request(request)

        def attach(response):
            response._nianbao_tape = tape
            return response

        return d.addCallback(attach)


class _TapingFactory(http11._LenientHTTP11ClientFactory):
    def buildProtocol(self, addr):
        return _TapingProtocol(self._quiescentCallback)


class _TapingAgent(http11._ScrapyAgent):
    """Remembers the Twisted response (and so its tape) even when the body download fails."""

    tx_response = None

    def _cb_bodyready(self, txresponse, request):
        self.tx_response = txresponse
        return super()._cb_bodyready(txresponse, request)

    @property
    def tape(self) -> Tape | None:
        return getattr(self.tx_response, "_nianbao_tape", None)


_TRUNCATION = ((DownloadTimeoutError, "time"), (DownloadCancelledError, "length"), (ResponseDataLossError, "disconnect"))


class CaptureDownloadHandler(http11.HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler that leaves each exchange's raw bytes in ``request.meta[TAPE_KEY]``."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._taping = crawler.settings.getbool("WARC_ENABLED")
        if self._taping:
            self._pool._factory = _TapingFactory

    async def download_request(self, request):
        if not self._taping:
            return await super().download_request(request)
        agent = _TapingAgent(
            contextFactory=self._contextFactory, bindAddress=self._bind_address, pool=self._pool,
            maxsize=self._default_maxsize, warnsize=self._default_warnsize, fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler, tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                response = await maybe_deferred_to_future(agent.download_request(request))
        except Exception as exc:
            tape = agent.tape
            if tape is not None and tape.received:
                tape.truncated = next((r for kind, r in _TRUNCATION if isinstance(exc, kind)), "unspecified")
                request.meta[TAPE_KEY] = tape
            raise
        tape = agent.tape
        if tape is not None:
            if "dataloss" in (response.flags or []):
                tape.truncated = "disconnect"
            request.meta[TAPE_KEY] = tape
        return response


HANDLER_PATH = "crawler.capture.CaptureDownloadHandler"


def _require_taping_handler(settings) -> None:
    """Without the taping handler (or a subclass, e.g. ``crawler.browser``'s) nothing would be archived:
    refuse to start rather than crawl unarchived."""
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    for scheme in ("http", "https"):
        handler = handlers.get(scheme)
        cls = load_object(handler) if isinstance(handler, str) else handler
        if not (isinstance(cls, type) and issubclass(cls, CaptureDownloadHandler)):
            raise ArchiveError(
                f"WARC_ENABLED is set but DOWNLOAD_HANDLERS[{scheme!r}] is {handler!r}; "
                f"register {HANDLER_PATH!r} for http and https so exchanges can be archived."
            )


class WarcCaptureMiddleware:
    """Hands every taped exchange to an :class:`archive.Recorder`; see the module docstring."""

    def __init__(self, recorder: Recorder, run_id: int | None, stats=None):
        self.recorder, self.run_id, self.stats = recorder, run_id, stats

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC capture is off; set WARC_ENABLED=True to archive.")
        _require_taping_handler(s)
        from twisted.internet import reactor

        from nianbao.config import get_settings

        warc_dir = Path(s.get("WARC_DIR") or get_settings().warc_dir)
        index_dir = Path(s.get("WARC_INDEX_DIR") or warc_dir.parent / "indexes")
        run_id = s.getint("NIANBAO_RUN_ID") or None
        info = {
            "operator": s.get("WARC_OPERATOR") or "nianbao",
            "http-header-user-agent": s.get("USER_AGENT") or "",
            "robots": "obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore",
            "isPartOf": f"{crawler.spidercls.name}-run-{run_id}" if run_id else crawler.spidercls.name,
        }
        spec = WriterSpec(str(warc_dir), {
            "prefix": s.get("WARC_PREFIX") or "nianbao", "max_size": s.getint("WARC_MAX_SIZE") or 1_000_000_000,
            "info": info, "fsync_each": s.getbool("WARC_FSYNC_EACH")}, index_dir=str(index_dir))
        db_url = s.get("NIANBAO_DATABASE_URL") or get_settings().db_url
        connect(db_url).dispose()  # migrated before the archivist writes to it
        mw = cls(Recorder(spec, db_url, run_id, deliver=reactor.callFromThread), run_id, crawler.stats)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider=None) -> None:
        self.recorder.close()

    def process_request(self, request, spider=None):
        # A redirected request inherits its predecessor's meta; its capture is not this request's.
        request.meta.pop("capture", None)
        request.meta.pop(TAPE_KEY, None)
        return None

    async def process_response(self, request, response, spider=None):
        tape = request.meta.pop(TAPE_KEY, None)
        if tape is None:
            self._inc("warc/not_taped")
            logger.debug("Not archived (no bytes taped): %s", response.url)
            return response
        request.meta["capture"] = (await recorded(self.archive_tape(request.url, request.method, tape))).as_meta()
        return response

    async def process_exception(self, request, exception, spider=None):
        tape = request.meta.pop(TAPE_KEY, None)
        if tape is not None:
            request.meta["capture"] = (await recorded(self.archive_tape(request.url, request.method, tape))).as_meta()
        return None

    def archive_tape(self, url: str, method: str, tape: Tape) -> Future:
        """Queue one taped exchange (also one a recording proxy taped) for the recorder; a future of its ``Recorded``."""
        exchange = Exchange(urldefrag(url)[0], bytes(tape.sent), bytes(tape.received), truncated=tape.truncated,
                            date=tape.started_at, ip_address=tape.ip_address)
        future = self.recorder.exchange(exchange, method)
        future.add_done_callback(self._count)
        return future

    def _count(self, future: Future) -> None:
        if future.exception() is not None:
            self._inc("warc/failed")
            return
        done = future.result()
        self._inc(f"warc/{done.record_type}")
        if done.truncated:
            self._inc("warc/truncated")
        if done.changed:
            self._inc("warc/changed")

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


async def recorded(future: Future) -> Recorded:
    """Wait, without blocking the reactor, for a :class:`archive.Recorder` future (resolved on the reactor thread)."""
    done: Deferred = Deferred()

    def fire(f: Future) -> None:
        if f.exception() is not None:
            done.errback(f.exception())
        else:
            done.callback(f.result())

    future.add_done_callback(fire)
    return await maybe_deferred_to_future(done)
