"""The demo portal's servers: one ``ThreadingHTTPServer`` per county on 127.0.0.1.

``DemoPortal`` is the public entry point (also exported by the package):

- ``DemoPortal(scale=1, base_port=None, quiet=True, transfer_quirks=True, chunked=False)``;
  ``transfer_quirks`` turns on what real servers do on the wire: gzip
  ``Content-Encoding`` for text on counties whose family sets ``gzip_text``
  (when the client sends ``Accept-Encoding: gzip``); ``chunked`` adds
  ``Transfer-Encoding: chunked`` for responses marked ``chunked`` (the gkmlpt
  JSON API). Chunking is off by default because ``warcio check`` hashes chunk
  framing (DOMAIN.md §6) and would reject the archive's spec-correct payload
  digests of the demo's WARCs; the archive's own tests cover chunked capture. ``start()`` binds every
  county (port ``base_port + i`` for county ``i``, else ephemeral), ``stop()``
  shuts them down; usable as a context manager;
- ``counties`` → ``{county name: base URL "http://127.0.0.1:PORT/"}``;
- ``registry_csv()``, ``truth()``, ``lookalikes()``: see ``truth.py``;
- ``serve_forever()`` starts, prints the URLs and blocks until Ctrl-C.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from nianbao.demo_portal.anhui import AnhuiFamily
from nianbao.demo_portal.family import Family, Request, Response
from nianbao.demo_portal.gkmlpt import GkmlptFamily
from nianbao.demo_portal.hanweb import HanwebFamily
from nianbao.demo_portal.ilist import IlistFamily
from nianbao.demo_portal.jpaas import JpaasFamily
from nianbao.demo_portal.jsonly import JsOnlyFamily
from nianbao.demo_portal.quirks import JslTrsFamily, MirrorFamily
from nianbao.demo_portal.trs import TrsFamily
from nianbao.demo_portal.ucap import UcapFamily
from nianbao.demo_portal.xxgk import XxgkFamily
from nianbao.demo_portal.truth import lookalike_records, registry_csv, truth_records
from nianbao.demo_portal.site import build_world
from nianbao.demo_portal.world import County

FAMILIES: dict[str, type[Family]] = {"trs": TrsFamily, "hanweb": HanwebFamily, "gkmlpt": GkmlptFamily,
                                     "anhui": AnhuiFamily, "jsonly": JsOnlyFamily, "trs_jsl": JslTrsFamily}
FAMILIES.update({"jpaas": JpaasFamily, "ucap": UcapFamily, "ilist": IlistFamily, "xxgk": XxgkFamily})
HOST = "127.0.0.1"
_CHUNK = 2048


def _compressible(response: Response) -> bool:
    return response.content_type.startswith(("text/", "application/json")) and len(response.body) > 256


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    # 521 has no standard phrase; warcio check misreads a status line without one (DOMAIN.md §6).
    responses = {**BaseHTTPRequestHandler.responses, 521: ("Web Server Is Down", "")}

    def version_string(self) -> str:
        return self.server_version

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        family: Family = self.server.family  # type: ignore[attr-defined]
        self.server.hits.append((method, self.path, headers.get("user-agent", "")))  # type: ignore[attr-defined]
        response = family.respond(Request(method, parts.path, query, headers, body))
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        quirks = self.server.transfer_quirks  # type: ignore[attr-defined]
        payload = response.body
        if quirks and family.gzip_text and _compressible(response) and "gzip" in headers.get("accept-encoding", ""):
            payload = response.gzipped()
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        if self.server.chunked and response.chunked:  # type: ignore[attr-defined]
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if method != "HEAD":
                self._write_chunked(payload)
            return
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(payload)

    def _write_chunked(self, payload: bytes) -> None:
        for start in range(0, len(payload), _CHUNK):
            piece = payload[start:start + _CHUNK]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self._serve("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if not self.server.quiet:  # type: ignore[attr-defined]
            super().log_message(format, *args)


class DemoPortal:
    """The whole demo world, served on loopback; see the module docstring."""

    def __init__(self, scale: int = 1, base_port: int | None = None, quiet: bool = True,
                 transfer_quirks: bool = True, chunked: bool = False, quirks: bool = False) -> None:
        self.world: list[County] = build_world(scale, quirks)
        self.transfer_quirks = transfer_quirks
        self.chunked = chunked
        self.families = [FAMILIES[c.family](c) for c in self.world]
        self.mirror = _mirror(self.families)
        self.base_port = base_port
        self.quiet = quiet
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self._withdrawn: dict[str, tuple[int, object]] = {}
        self._originals: dict[int, list] = {}

    # ---- lifecycle -------------------------------------------------------------
    def start(self) -> None:
        """Bind and serve every county in background threads (no-op when already started)."""
        if self._servers:
            return
        for i, family in enumerate([*self.families, *filter(None, [self.mirror])]):
            port = 0 if self.base_port is None else self.base_port + i
            server = ThreadingHTTPServer((HOST, port), _Handler)
            server.daemon_threads = True
            server.family = family  # type: ignore[attr-defined]
            server.quiet = self.quiet  # type: ignore[attr-defined]
            server.transfer_quirks = self.transfer_quirks  # type: ignore[attr-defined]
            server.chunked = self.chunked  # type: ignore[attr-defined]
            server.hits = []  # type: ignore[attr-defined]
            thread = threading.Thread(target=server.serve_forever, name=f"demo-portal-{i}", daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        if self.mirror is not None:
            for family in self.families:
                if isinstance(family, JsOnlyFamily):
                    family.mirror_base = f"http://{HOST}:{self._servers[-1].server_address[1]}/"

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers, self._threads = [], []

    def __enter__(self) -> DemoPortal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Start (unless started), print each county's URL, block until interrupted, then stop."""
        self.start()
        for name, url in self.counties.items():
            print(f"{name}\t{url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # ---- views -----------------------------------------------------------------
    @property
    def counties(self) -> dict[str, str]:
        """County name → base URL; empty before ``start()``."""
        return {f.county.name: f"http://{HOST}:{s.server_address[1]}/" for f, s in zip(self.families, self._servers)}

    def hits(self, county: str | None = None, *, mirror: bool = False) -> list[tuple[str, str, str]]:
        """(method, path with query, User-Agent) of every request one county's server (or the mirror) received."""
        servers = dict(zip([f.county.name for f in self.families], self._servers))
        server = self._servers[-1] if mirror and self.mirror is not None else servers.get(county or "")
        return list(server.hits) if server is not None else []  # type: ignore[attr-defined]

    def base_url(self, county: County) -> str:
        return self.counties.get(county.name, "").rstrip("/")

    def registry_csv(self) -> str:
        return registry_csv(self)

    def truth(self) -> list[dict]:
        return truth_records(self)

    def lookalikes(self) -> list[dict]:
        return lookalike_records(self)

    # ---- withdrawal (tests of the crawler's withdrawn detection) ----------------
    def withdraw(self, url: str) -> None:
        """Take the report page at ``url`` (a ``truth()`` URL) off its county's site: lists and page.

        ``restore(url)`` puts it back. The county's pages are rendered afresh
        (unchanged pages keep their bytes and ETags).
        """
        i, article = self._article_at(url)
        self._withdrawn[url] = (i, article)
        self._set_articles(i)

    def restore(self, url: str) -> None:
        i, _ = self._withdrawn.pop(url)
        self._set_articles(i)

    def _article_at(self, url: str):
        for i, family in enumerate(self.families):
            for a in family.county.articles:
                if self.base_url(family.county) + family.report_path(a) == url:
                    return i, a
        raise ValueError(f"No report page at {url} on the demo portal; use a URL from truth().")

    def _set_articles(self, i: int) -> None:
        county = self.world[i]
        original = self._originals.setdefault(i, list(county.articles))
        gone = {id(a) for j, a in self._withdrawn.values() if j == i}
        county.articles = [a for a in original if id(a) not in gone]
        self.families[i] = FAMILIES[county.family](county)
        if i < len(self._servers):
            self._servers[i].family = self.families[i]  # type: ignore[attr-defined]


def _mirror(families: list[Family]) -> MirrorFamily | None:
    """The off-site spam mirror of the JavaScript-only county's first dated report (quirk worlds only)."""
    source = next((f for f in families if isinstance(f, JsOnlyFamily)), None)
    if source is None:
        return None
    path = source.report_path(source.mirrored())
    return MirrorFamily(source.county, {path: lambda: source.routes[path]()})
