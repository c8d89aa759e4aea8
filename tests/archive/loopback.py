"""A loopback HTTP/1.1 server that logs the exact bytes it receives and sends, for archive oracle tests.

Raw sockets, keep-alive, one thread per connection. Each exchange is logged as
``{"path", "request": bytes received, "response": bytes sent, "complete": bool}``.
"""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import socket
import ssl
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

GBK_HTML = (
    '<html><head><meta charset="gbk"><title>兴隆镇人民政府2023年政府信息公开工作年度报告</title></head><body>'
    '<a href="/r1">跳转</a> <a href="/文件/报告.pdf">附件</a> <a href="/search?q=年报&amp;page=2">搜索</a>'
    "<p>本报告由兴隆镇人民政府编制。" + "一、总体情况。" * 40 + "</p></body></html>"
).encode("gbk")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
PDF_PATH = "/文件/报告.pdf"
SAME = b"<html><body>unchanged page</body></html>"
BIG_CHUNK = b"x" * 4096


def _head(status: str, headers: list[tuple[str, str]]) -> bytes:
    return ("HTTP/1.1 " + status + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode("latin-1")


def _plain(body: bytes, ctype: str, status: str = "200 OK", extra=()) -> bytes:
    return _head(status, [("Content-Type", ctype), ("Content-Length", str(len(body))), *extra]) + body


def _chunked(parts: list[bytes]) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def gbk_response() -> bytes:
    body = gzip.compress(GBK_HTML, mtime=0)
    cut = len(body) // 3
    headers = [("Content-Type", "text/html; charset=gbk"), ("Content-Encoding", "gzip"),
               ("Transfer-Encoding", "chunked"), ("Set-Cookie", "JSESSIONID=abc123; Path=/"),
               ("Set-Cookie", "__jsluid_h=0f1e2d; Path=/; HttpOnly"), ("x-frame-options", "SAMEORIGIN")]
    # as some portal servers write them: no space after the colon, and raw UTF-8 in a value
    odd = "x-server:TRS WCM\r\nX-Title: 年报\r\n".encode("utf-8")
    return _head("200 OK", headers)[:-2] + odd + b"\r\n" + _chunked([body[:cut], body[cut:]])


REDIRECTS = {"/r1": ("301 Moved Permanently", "/r2"), "/r2": ("302 Found", "/r3"),
             "/r3": ("307 Temporary Redirect", "/final")}


def route(method: str, target: str, body: bytes) -> bytes:
    """Raw response bytes for a request."""
    path = unquote(urlsplit(target).path)
    if path == "/robots.txt":
        return _plain(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    if path == "/gbk.html":
        return gbk_response()
    if path in REDIRECTS:
        status, to = REDIRECTS[path]
        return _plain(b"", "text/html", status, [("Location", to)])
    if path == "/reason":  # a reason phrase of the server's own
        return _plain(b"<html>ok</html>", "text/html", "200 Everything Fine Here")
    if path == "/final":
        return _plain(b"<html>final</html>", "text/html; charset=utf-8")
    if path == PDF_PATH:
        return _plain(PDF, "application/pdf")
    if path == "/search":
        return _plain(b"results for " + urlsplit(target).query.encode(), "text/plain; charset=utf-8")
    if path == "/form" and method == "POST":
        return _plain(b"posted " + body, "text/plain")
    if path == "/same":
        return _plain(SAME, "text/html")
    if path == "/short":  # promises 1000 bytes, sends 500, hangs up
        return _head("200 OK", [("Content-Type", "application/pdf"), ("Content-Length", "1000")]) + b"z" * 500
    if path == "/slow":
        return _plain(b"y" * 4000, "application/pdf")
    if path == "/big":
        return _head("200 OK", [("Content-Type", "application/pdf"), ("Transfer-Encoding", "chunked")]) + _chunked(
            [BIG_CHUNK] * 64)
    return _plain(b"not found", "text/plain", "404 Not Found")


def self_signed_context(directory) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1 (files kept in ``directory``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = Path(directory) / "cert.pem", Path(directory) / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


class LoopbackServer:
    """Serves :func:`route` (or ``routes``) on 127.0.0.1 (ephemeral port); ``log`` lists the exchanges in order.

    With ``tls`` (an ``ssl.SSLContext``) it speaks HTTPS; the log holds the plaintext inside TLS.
    """

    def __init__(self, tls: ssl.SSLContext | None = None, routes=None):
        self.tls = tls
        self.route = routes or route  # (method, target, body) -> raw response bytes
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.log: list[dict] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.sock.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls:
                conn = self.tls.wrap_socket(conn, server_side=True)
            self._exchanges(conn)
        except OSError:  # the client went away (e.g. a download cut by DOWNLOAD_MAXSIZE)
            pass

    def _exchanges(self, conn: socket.socket) -> None:
        buf = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                head, _, rest = buf.partition(b"\r\n\r\n")
                length = _content_length(head)
                while len(rest) < length:
                    data = conn.recv(65536)
                    if not data:
                        return
                    rest += data
                raw_request, buf = head + b"\r\n\r\n" + rest[:length], rest[length:]
                method, target = head.split(b" ", 2)[:2]
                response = self.route(method.decode(), target.decode("latin-1"), rest[:length])
                entry = {"path": unquote(target.decode("latin-1")), "request": raw_request, "response": response,
                         "complete": True}
                with self._lock:
                    self.log.append(entry)
                entry["complete"] = False
                if entry["path"] == "/slow":  # half the body, then silence past the client's timeout
                    half = len(response) // 2
                    conn.sendall(response[:half])
                    time.sleep(3)
                    response = response[half:]
                conn.sendall(response)
                entry["complete"] = True
                if entry["path"] == "/short":
                    return


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def serve_forever() -> None:  # pragma: no cover - manual use
    server = LoopbackServer()
    print(server.base, flush=True)
    while True:
        time.sleep(3600)
