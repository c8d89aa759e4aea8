"""A loopback HTTP server that misbehaves on purpose, one way per path, and counts what it was asked.

Paths: ``/trickle`` (one byte every 0.1 s of a 100 kB body), ``/reset`` (part of the body, then a
TCP reset), ``/reset-early`` (a reset before any byte), ``/storm`` (always 500), ``/busy`` (always
503, ``Retry-After: 1``), ``/loop-a`` ↔ ``/loop-b`` (302 to each other), ``/malformed/`` (broken
markup and stray non-UTF-8 bytes around one report link, declared UTF-8), ``/trap/`` (a 年报 column whose 下一页 link steps
a ``date`` parameter forever). Anything else: a small report page.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

_TITLE = "政府信息公开工作年度报告"


def _head(status: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _page(body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8", extra=()) -> bytes:
    return _head(status, [("Content-Type", ctype), ("Content-Length", str(len(body))), *extra]) + body


def _html(title: str, inner: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body>{inner}</body></html>".encode("utf-8")


MALFORMED = (b"<html><head><title>\xe5\xb9\xb4\xe6\x8a\xa5</title><body><ul><li><a href='/malformed/t20240115_1.html'>"
             + "兴隆镇2023年政府信息公开工作年度报告".encode("utf-8")
             + b"</a><div><<<>>>\x00\xff\xfe<a href=\"><table><tr><td></ul></html></td><script>document.write('<")


class MisbehavingServer:
    """Serves on 127.0.0.1 (ephemeral port) in a daemon thread; ``hits`` counts requests per path."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.hits: Counter[str] = Counter()
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()


    def close(self) -> None:
        self.closed.set()
        self.sock.close()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                while self._one(conn):
                    pass
            except OSError:
                return

    def _one(self, conn: socket.socket) -> bool:
        """Answers one request; False when the connection is done."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        target = data.split(b" ", 2)[1].decode("latin-1")
        parts = urlsplit(target)
        self.hits[parts.path] += 1
        handler = ROUTES.get(parts.path) or (_trap if parts.path.startswith("/trap/") else _report)
        return handler(self, conn, parts)


def _trickle(server, conn, parts) -> bool:
    conn.sendall(_head("200 OK", [("Content-Type", "text/html"), ("Content-Length", "100000")]))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not server.closed.is_set():
        conn.sendall(b"<")
        time.sleep(0.1)
    return False


def _reset(conn: socket.socket) -> bool:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return False


def _reset_mid(server, conn, parts) -> bool:
    conn.sendall(_head("200 OK", [("Content-Type", "text/html"), ("Content-Length", "5000")]) + b"<html>" * 20)
    time.sleep(0.2)
    return _reset(conn)


def _reset_early(server, conn, parts) -> bool:
    return _reset(conn)


def _storm(server, conn, parts) -> bool:
    conn.sendall(_page(b"<h1>500</h1>", "500 Internal Server Error"))
    return True


def _busy(server, conn, parts) -> bool:
    conn.sendall(_page(b"<h1>503</h1>", "503 Service Unavailable", extra=[("Retry-After", "1")]))
    return True


def _loop(target: str):
    def handler(server, conn, parts) -> bool:
        conn.sendall(_page(b"", "302 Found", extra=[("Location", target)]))
        return True
    return handler


def _malformed(server, conn, parts) -> bool:
    conn.sendall(_page(MALFORMED))
    return True


def _trap(server, conn, parts) -> bool:
    """A 年报 column whose 下一页 link steps ``date`` by one day forever (an endless calendar)."""
    day = int(dict(parse_qsl(parts.query)).get("date", "0"))
    inner = (f'<ul><li><a href="/trap/t{day}.html">兴隆镇{2000 + day % 20}年{_TITLE}</a></li></ul>'
             f'<a href="/trap/index.html?date={day + 1}">下一页</a>')
    conn.sendall(_page(_html(f"{_TITLE}_信息公开", inner)))
    return True


def _report(server, conn, parts) -> bool:
    conn.sendall(_page(_html(f"兴隆镇2023年{_TITLE}", "<p>一、总体情况</p>")))
    return True


ROUTES = {
    "/trickle": _trickle, "/reset": _reset_mid, "/reset-early": _reset_early, "/storm": _storm, "/busy": _busy,
    "/loop-a": _loop("/loop-b"), "/loop-b": _loop("/loop-a"), "/malformed/": _malformed,
}
