"""The browser, only when needed: Debian's Chromium through scrapy-playwright, archived honestly.

**When.** A request is rendered only when it carries ``meta["nb_browser"]``
(see :data:`BROWSER_FLAG`); two components set it, per page, never per crawl:
the spider, for a 年报 column whose HTML lists nothing but whose scripts fetch
the list (:func:`needs_rendering`, rules in :data:`SCRIPT_FETCH`), and
:mod:`crawler.challenge`, once per host, for an anti-bot challenge that sets
a cookie by script. Everything else (and every PDF/DOC) goes over plain HTTP.

**Slots.** scrapy-playwright wants the http/https ``DOWNLOAD_HANDLERS`` slots
that WARC capture occupies. :class:`BrowserDownloadHandler` *is* the capture
handler (a subclass of :class:`crawler.capture.CaptureDownloadHandler`): it
downloads plain requests exactly as before and hands ``nb_browser`` requests
to a ``ScrapyPlaywrightDownloadHandler`` it creates on first use (so crawls
that never need a browser never start one).

**Archive (DOMAIN.md §6).** The DOM Chromium serialises is not what any
server sent, so it is never written as a ``response``. Chromium is launched
with ``--proxy-server`` pointing at :class:`RecordingProxy`, a forward proxy
on 127.0.0.1 that tapes the bytes it sends upstream and the bytes it reads
back, for every request the browser makes (the page, its XHR, its scripts),
exactly as :mod:`crawler.capture` tapes Scrapy's own connections; each taped
exchange goes through ``WarcCaptureMiddleware.archive_tape`` into the same
WARC files and catalog as request/response records. We chose the proxy over
CDP ``Network.*`` events because CDP gives decoded bodies and merged headers,
which would need a declared normalisation; the proxy needs none. The
proxy asks upstream for ``Connection: close`` (so a response ends with its
connection and is relayed byte for byte); that header is in the archived
request, as sent. The renderings go in as ``resource`` records:
``urn:dom:<url>`` (the serialised DOM, UTF-8) and ``urn:view:<url>`` (a PNG
screenshot), each with ``WARC-Refers-To`` the page's response record.

Limits: the proxy does not intercept TLS, so a ``https`` page in the browser
is refused (``CONNECT`` → 501) and recorded as a failed render rather than
fetched unarchived; the proxy only lets the browser reach the hosts of the
pages it was asked to render (plus ``NIANBAO_ALLOWED_DOMAINS``), so trackers
and mirrors are never contacted.

**Politeness.** The page request itself goes through Scrapy's downloader
slot (delay, per-host concurrency, AutoThrottle) like any request. Inside the
browser: one context, at most ``PLAYWRIGHT_MAX_PAGES_PER_CONTEXT`` pages,
images, media and fonts never fetched, and the proxy lets at most
``CONCURRENT_REQUESTS_PER_DOMAIN`` browser requests per host run at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import Future
from urllib.parse import urlsplit

from scrapy.http import Response

from archive import ArchiveError
from crawler.capture import CaptureDownloadHandler, Tape, WarcCaptureMiddleware, recorded

logger = logging.getLogger(__name__)

BROWSER_FLAG = "nb_browser"
RENDERED_KEY = "nb_rendered"   # response.meta: {"url", "title", "cookies", "dom_record_id"} after a render
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run")
SKIPPED_RESOURCES = ("image", "media", "font")

# Inline scripts that fetch a list (rules as data): XHR, fetch, jQuery, axios.
SCRIPT_FETCH = tuple(re.compile(p) for p in (
    r"XMLHttpRequest", r"\bfetch\s*\(", r"\$\.(ajax|get|post|getJSON)\s*\(", r"\baxios\.", r"\.load\(\s*['\"]/",
))


class BrowserError(Exception):
    """A page could not be rendered (no Chromium, a TLS page, the browser failed); the message says what to do."""


def needs_rendering(response: Response) -> bool:
    """True for an HTML page whose inline scripts fetch data (a list that only exists after JavaScript)."""
    if not hasattr(response, "xpath"):
        return False
    scripts = "\n".join(response.xpath("//script[not(@src)]/text()").getall())
    return any(p.search(scripts) for p in SCRIPT_FETCH)


def skip_resource(request) -> bool:  # noqa: ANN001 (a playwright Request)
    """``PLAYWRIGHT_ABORT_REQUEST``: images, media and fonts are never fetched by the browser."""
    return request.resource_type in SKIPPED_RESOURCES


async def browser_headers(*, browser_type_name: str, playwright_request, scrapy_request_data: dict) -> dict:
    """``PLAYWRIGHT_PROCESS_REQUEST_HEADERS``: the browser's own headers (its cookies rule), Scrapy's User-Agent.

    Scrapy's headers would replace the cookie a challenge script just set
    with the jar's older one, and the challenge would never clear.
    """
    headers = await playwright_request.all_headers()
    ua = scrapy_request_data["headers"].get("User-Agent")
    if ua:
        headers["user-agent"] = ua.decode("latin-1") if isinstance(ua, bytes) else ua
    return headers


def _split_head(head: bytes) -> tuple[str, str, list[bytes]]:
    """(method, target, raw header lines) of a request head."""
    lines = head.split(b"\r\n")
    method, target, _ = lines[0].decode("latin-1").split(" ", 2)
    return method, target, [line for line in lines[1:] if line]


def _is_navigation(lines: list[bytes]) -> bool:
    """Chromium marks page loads ``Sec-Fetch-Dest: document``."""
    return any(line.lower().replace(b" ", b"") == b"sec-fetch-dest:document" for line in lines)


_HOP_HEADERS = (b"proxy-connection", b"connection", b"keep-alive", b"proxy-authorization")


class RecordingProxy:
    """A forward HTTP proxy on 127.0.0.1 that tapes each exchange and passes it to ``on_exchange(url, method, tape)``.

    ``allow(url)`` decides which URLs the browser may reach (others get a
    403 from the proxy, never sent). A page that keeps reloading itself (a
    challenge that never clears) gets at most ``max_navigations`` document
    requests per URL through; later ones a 429 from the proxy. One request
    per client connection.
    """

    def __init__(self, on_exchange: Callable[[str, str, Tape], None], allow: Callable[[str], bool], *,
                 per_host: int = 2, timeout: float = 30.0, max_bytes: int = 100 * 1024 * 1024,
                 max_navigations: int = 3, on_refuse: Callable[[str, int], None] | None = None):
        self.on_exchange, self.allow, self.on_refuse = on_exchange, allow, on_refuse
        self.per_host, self.timeout, self.max_bytes = max(per_host, 1), timeout, max_bytes
        self.max_navigations = max_navigations
        self.navigations: dict[str, int] = {}
        self.refused: list[str] = []
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> int:
        """Listen on an ephemeral loopback port; the port."""
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.timeout)
            method, target, lines = _split_head(head[:-4])
            if method == "CONNECT":
                await self._refuse(writer, target, 501, b"nianbao's recording proxy does not intercept TLS")
                return
            if not self.allow(target):
                await self._refuse(writer, target, 403, b"off-site for this crawl: not fetched")
                return
            if _is_navigation(lines) and not self._navigation_allowed(target):
                await self._refuse(writer, target, 429, b"this page reloaded itself too often: not fetched again")
                return
            length = next((int(line.split(b":", 1)[1]) for line in lines if line.lower().startswith(b"content-length:")), 0)
            body = await reader.readexactly(length) if length else b""
            async with self._slots.setdefault(urlsplit(target).netloc, asyncio.Semaphore(self.per_host)):
                await self._forward(method, target, lines, body, writer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError, ValueError) as exc:
            logger.debug("Browser proxy dropped a connection: %r", exc)
        finally:
            writer.close()

    def _navigation_allowed(self, target: str) -> bool:
        self.navigations[target] = self.navigations.get(target, 0) + 1
        return self.navigations[target] <= self.max_navigations

    async def _refuse(self, writer: asyncio.StreamWriter, target: str, status: int, why: bytes) -> None:
        self.refused.append(target)
        if self.on_refuse is not None:
            self.on_refuse(target, status)
        logger.info("Browser proxy refused %s (%s)", target, status)
        writer.write(b"HTTP/1.1 %d Refused\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                     % (status, len(why), why))
        await writer.drain()

    async def _forward(self, method: str, target: str, lines: list[bytes], body: bytes,
                       client: asyncio.StreamWriter) -> None:
        parts = urlsplit(target)
        origin = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        kept = [line for line in lines if line.split(b":", 1)[0].strip().lower() not in _HOP_HEADERS]
        head = b"\r\n".join([f"{method} {origin} HTTP/1.1".encode("latin-1"), *kept, b"Connection: close"])
        tape = Tape()
        tape.sent += head + b"\r\n\r\n" + body
        reader, upstream = await asyncio.open_connection(parts.hostname, parts.port or 80)
        try:
            tape.ip_address = upstream.get_extra_info("peername", ("",))[0] or None
            upstream.write(bytes(tape.sent))
            await upstream.drain()
            await self._relay(reader, client, tape)
        finally:
            upstream.close()
        if tape.received:
            self.on_exchange(target, method, tape)

    async def _relay(self, reader: asyncio.StreamReader, client: asyncio.StreamWriter, tape: Tape) -> None:
        """Upstream bytes to the tape and the browser, until upstream closes (or time / size runs out)."""
        while True:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), self.timeout)
            except asyncio.TimeoutError:
                tape.truncated = "time"
                return
            if not chunk:
                return
            tape.received += chunk
            client.write(chunk)
            await client.drain()
            if len(tape.received) > self.max_bytes:
                tape.truncated = "length"
                return


class BrowserDownloadHandler(CaptureDownloadHandler):
    """The capture handler, plus Chromium for ``meta["nb_browser"]`` requests (see the module docstring)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.crawler = crawler
        self._browser = None
        self._proxy: RecordingProxy | None = None
        self._lock = asyncio.Lock()
        self._sites: set[str] = set()
        self._response_ids: dict[str, Future] = {}   # URL → the recorder's future of its latest archived response
        self._allowed_domains = tuple(d.lower().lstrip(".") for d in crawler.settings.getlist("NIANBAO_ALLOWED_DOMAINS"))

    async def download_request(self, request):
        if not request.meta.get(BROWSER_FLAG):
            return await super().download_request(request)
        return await self._render(request)

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._proxy is not None:
            await self._proxy.close()
        await super().close()

    # -- rendering --------------------------------------------------------------------

    async def _render(self, request) -> Response:
        if urlsplit(request.url).scheme != "http":
            raise BrowserError(f"Cannot render {request.url} with an archive: the recording proxy does not intercept TLS.")
        self._sites.add(urlsplit(request.url).netloc.lower())
        browser = await self._ensure_browser()
        from scrapy_playwright.page import PageMethod

        request.meta.update(playwright=True, playwright_include_page=True, playwright_context="nianbao",
                            playwright_page_methods=[PageMethod("wait_for_load_state", "networkidle")])
        self._inc("nianbao/browser/renders")
        try:
            response = await browser.download_request(request)
        finally:
            for key in ("playwright", "playwright_include_page", "playwright_page_methods"):
                request.meta.pop(key, None)
        page = request.meta.pop("playwright_page", None)
        if page is not None:
            try:
                request.meta[RENDERED_KEY] = await self._renderings(page)
            finally:
                await page.close()
        return response

    async def _renderings(self, page) -> dict:  # noqa: ANN001 (a playwright Page)
        """Title, cookies and the DOM/screenshot resource records of a rendered page."""
        url, title = page.url, await page.title()
        cookies = [{"name": c["name"], "value": c["value"], "domain": c["domain"], "path": c.get("path", "/")}
                   for c in await page.context.cookies()]
        dom = (await page.content()).encode("utf-8")
        refers = await self._response_id(url)
        dom_id = await self._write_resource(f"urn:dom:{url}", "text/html; charset=utf-8", dom, refers)
        if self.crawler.settings.getbool("NIANBAO_BROWSER_SCREENSHOT", True):
            shot = await page.screenshot(type="png", full_page=False)
            await self._write_resource(f"urn:view:{url}", "image/png", shot, refers)
        return {"url": url, "title": title, "cookies": cookies, "dom_record_id": dom_id}

    async def _ensure_browser(self):
        async with self._lock:
            if self._browser is None:
                self._browser = await self._launch()
        return self._browser

    async def _launch(self):
        from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

        executable = self.crawler.settings.get("NIANBAO_CHROMIUM") or CHROMIUM
        if not os.access(executable, os.X_OK):
            raise BrowserError(f"Chromium not found at {executable}: install Debian's chromium or set NIANBAO_CHROMIUM.")
        s = self.crawler.settings
        self._proxy = RecordingProxy(self._on_exchange, self._allowed, per_host=s.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2),
                                     timeout=s.getfloat("DOWNLOAD_TIMEOUT", 60), max_bytes=s.getint("DOWNLOAD_MAXSIZE") or 1 << 30,
                                     on_refuse=lambda url, status: self._inc(f"nianbao/browser/refused/{status}"))
        port = await self._proxy.start()
        handler = ScrapyPlaywrightDownloadHandler(self.crawler)
        handler.config.launch_options = {
            **handler.config.launch_options, "executable_path": executable, "headless": True,
            "args": [*CHROMIUM_ARGS, f"--proxy-server=http://127.0.0.1:{port}", "--proxy-bypass-list=<-loopback>"],
        }
        await handler._launch()  # scrapy-playwright starts on engine_started, long past when we create it
        logger.info("Browser ready (Chromium %s, recording proxy on 127.0.0.1:%s)", executable, port)
        return handler

    # -- archiving ------------------------------------------------------------------

    def _allowed(self, url: str) -> bool:
        netloc = urlsplit(url).netloc.lower()
        host = urlsplit(url).hostname or ""
        return netloc in self._sites or any(host == d or host.endswith("." + d) for d in self._allowed_domains)

    def _capture_middleware(self) -> WarcCaptureMiddleware | None:
        middlewares = self.crawler.engine.downloader.middleware.middlewares
        return next((m for m in middlewares if isinstance(m, WarcCaptureMiddleware)), None)

    def _on_exchange(self, url: str, method: str, tape: Tape) -> None:
        mw = self._capture_middleware()
        if mw is None:
            self._inc("nianbao/browser/not_archived")
            return
        self._response_ids[url] = mw.archive_tape(url, method, tape)
        self._inc("nianbao/browser/archived")

    async def _response_id(self, url: str) -> str | None:
        """Record id of the page's archived response (what its renderings refer to), None if it was not archived."""
        future = self._response_ids.get(url)
        try:
            return None if future is None else (await recorded(future)).record_id
        except ArchiveError:
            return None

    async def _write_resource(self, uri: str, content_type: str, body: bytes, refers_to: str | None) -> str | None:
        mw = self._capture_middleware()
        if mw is None:
            return None
        done = await recorded(mw.recorder.resource(uri, content_type, body, refers_to=refers_to))
        self._inc("nianbao/browser/renderings")
        return done.record_id

    def _inc(self, key: str) -> None:
        self.crawler.stats.inc_value(key)
