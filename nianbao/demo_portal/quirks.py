"""Quirk families of the demo portal: a 加速乐-style cookie challenge, an off-site spam mirror.

- ``JslTrsFamily``: a TRS county behind a 521 challenge. A request without
  the right ``__jsl_clearance`` cookie gets ``521`` and a small script that
  computes the cookie, sets it with ``document.cookie=`` and reloads after a
  moment (like the real one's ``setTimeout``). ``robots.txt`` is not
  challenged. ``challenges`` counts the 521s served.
- ``MirrorFamily``: a spam site copying one report of another county under
  the identical path, with injected keywords; every other path 404s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from nianbao.demo_portal.family import Family, Request, Response
from nianbao.demo_portal.trs import TrsFamily

CHALLENGE_COOKIE = "__jsl_clearance"


def clearance(county_code: str) -> str:
    """The cookie value the challenge script computes for a county."""
    return hashlib.sha1(f"jsl-{county_code}".encode()).hexdigest()[:24]


def _challenge_page(value: str) -> bytes:
    # The value is built from char codes so nothing short of running the script yields it.
    codes = ",".join(str(ord(c) + 3) for c in value)
    script = (f"var c=[{codes}].map(function(x){{return String.fromCharCode(x-3)}}).join('');"
              f"document.cookie='{CHALLENGE_COOKIE}='+c+';max-age=3600;path=/';"
              "setTimeout(function(){location.href=location.pathname+location.search},300);")
    return f"<html><body><script>{script}</script></body></html>".encode()


class JslTrsFamily(TrsFamily):
    """A TRS county whose every page but robots.txt needs the challenge cookie."""

    name = "trs_jsl"

    def __init__(self, county) -> None:  # noqa: ANN001
        super().__init__(county)
        self.value = clearance(county.code)
        self.challenges = 0

    def _cleared(self, request: Request) -> bool:
        cookies = dict(part.strip().split("=", 1) for part in request.headers.get("cookie", "").split(";") if "=" in part)
        return cookies.get(CHALLENGE_COOKIE) == self.value

    def respond(self, request: Request) -> Response:
        if request.path == "/robots.txt" or self._cleared(request):
            return super().respond(request)
        with self._lock:
            self.challenges += 1
        return Response(521, _challenge_page(self.value), "text/html",
                        [("Set-Cookie", f"__jsluid_h={self.value[:16]}; max-age=31536000; path=/; HttpOnly")])


class MirrorFamily(Family):
    """Serves ``pages`` (path → the original's response) with spam keywords injected; nothing else."""

    name = "mirror"

    def __init__(self, county, pages: dict[str, Callable[[], Response]]) -> None:  # noqa: ANN001
        super().__init__(county)
        self.pages = pages

    def build_routes(self) -> dict[str, Callable[[], Response]]:
        return {path: (lambda thunk=thunk: self._spam(thunk())) for path, thunk in self.pages.items()}

    @staticmethod
    def _spam(original: Response) -> Response:
        body = original.body.replace(b"<body>", "<body><p>优惠 代开发票 网赚</p>".encode(), 1)
        return Response(original.status, body, original.content_type)

    def home_links(self) -> list[tuple[str, str]]:
        return []
