"""A loopback JSON webhook receiver (stdlib http.server on 127.0.0.1, ephemeral port) for alert tests.

Apprise's ``json://127.0.0.1:PORT/path`` posts ``{"title", "message", …}``;
the receiver keeps each body and can fail the first ``fail_first`` posts.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = re.compile(r"alert key: (\S+)")


class Receiver:
    def __init__(self, fail_first: int = 0):
        self.bodies: list[dict] = []
        self.paths: list[str] = []
        self.failures = 0
        self.fail_first = fail_first
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    failing = receiver.failures < receiver.fail_first
                    if failing:
                        receiver.failures += 1
                    else:
                        receiver.bodies.append(json.loads(body))
                        receiver.paths.append(self.path)
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    @property
    def keys(self) -> list[str]:
        with self._lock:
            return [m[1] for b in self.bodies if (m := KEY.search(b.get("message", "")))]

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
