"""Anti-bot challenges that set a cookie by script: render once in the browser, then go on over plain HTTP.

``ChallengeMiddleware`` (a downloader middleware at 580: its
``process_response`` runs before back-off retries at 550, so a 412
challenge is not hammered) recognises a challenge by :data:`CHALLENGES`
(rules as data: 瑞数 412 + ``$_ts``, 加速乐 521 + ``document.cookie=``,
安全狗 ``self.location`` page, 阿里云盾 ``acw_sc__v2``). Per host
(scheme, host, port) it then:

1. sends the challenged request **once** to the browser
   (``meta["nb_browser"]``, see :mod:`crawler.browser`); other requests to
   the host wait until that render is over;
2. checks success **positively**: the rendered page is no longer a
   challenge, has a title, and the browser holds a cookie it did not have
   before the challenge (``__jsl_clearance``, …);
3. on success re-sends the request over plain HTTP with the browser's
   cookies, which Scrapy's cookie jar then keeps for every later request to
   the host; on failure, or a challenge again after the cookie, raises
   :class:`crawler.errors.ChallengeFailed` (the spider records a problem).
   Never a second render for the host, never a brute-force retry.

Stats: ``nianbao/challenges/<name>/met|solved|failed``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field

from scrapy.exceptions import NotConfigured

from crawler.browser import BROWSER_FLAG, RENDERED_KEY
from crawler.discovery import site_key
from crawler.errors import ChallengeFailed

logger = logging.getLogger(__name__)

SOLVING = "nb_challenge"          # meta: the browser render of a challenge (its name)
AFTER_SOLVE = "nb_challenge_retry"  # meta: the plain-HTTP retry with the browser's cookies


@dataclass(frozen=True)
class Challenge:
    """A challenge shape: its name, the statuses it comes with, byte patterns that must all match, a size bound."""

    name: str
    statuses: tuple[int, ...]
    patterns: tuple[re.Pattern[bytes], ...]
    max_bytes: int = 64 * 1024


def _rx(*patterns: bytes) -> tuple[re.Pattern[bytes], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


CHALLENGES: tuple[Challenge, ...] = (
    Challenge("ruishu", (412, 202), _rx(rb"\$_ts\s*[=.\[]")),
    Challenge("jiasule", (521,), _rx(rb"document\.cookie\s*=")),
    Challenge("jiasule", (521,), _rx(rb"__jsl_clearance")),
    Challenge("safedog", (200,), _rx(rb"self\.location", "安全狗".encode(), ), 16 * 1024),
    Challenge("safedog", (200,), _rx(rb"self\.location", "安全狗".encode("gb18030")), 16 * 1024),
    Challenge("aliyun", (200,), _rx(rb"acw_sc__v2"), 16 * 1024),
)


def detect(status: int, body: bytes) -> str | None:
    """The name of the challenge ``status`` + ``body`` is, or None."""
    for c in CHALLENGES:
        if status in c.statuses and len(body) <= c.max_bytes and all(p.search(body) for p in c.patterns):
            return c.name
    return None


@dataclass
class _Host:
    name: str
    outcome: str | None = None        # None (rendering) | "solved" | "failed"
    done: asyncio.Event = field(default_factory=asyncio.Event)
    cookies: list[dict] = field(default_factory=list)
    before: set[str] = field(default_factory=set)


class ChallengeMiddleware:
    """See the module docstring. ``NIANBAO_CHALLENGES_ENABLED`` (default True) turns it off."""

    def __init__(self, stats):
        self.stats = stats
        self.hosts: dict[tuple, _Host] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NIANBAO_CHALLENGES_ENABLED", True):
            raise NotConfigured("NIANBAO_CHALLENGES_ENABLED is off")
        return cls(crawler.stats)

    async def process_request(self, request, spider=None):
        host = self.hosts.get(site_key(request.url))
        if host is None or request.meta.get(SOLVING):
            return None
        await host.done.wait()
        if host.outcome == "solved":
            _add_cookies(request, host.cookies)
        return None

    async def process_response(self, request, response, spider=None):
        if request.meta.get(SOLVING):
            return self._after_render(request, response)
        name = detect(response.status, response.body)
        if name is None:
            return response
        key = site_key(request.url)
        host = self.hosts.get(key)
        if host is None:
            return self._render(request, key, name, response)
        await host.done.wait()
        if host.outcome != "solved" or request.meta.get(AFTER_SOLVE):
            self._inc(f"{host.name}/failed")
            raise ChallengeFailed(f"{name} challenge (HTTP {response.status}) at {request.url} persists "
                                  f"{'after the browser cookie' if host.outcome == 'solved' else 'and the browser did not pass it'}")
        return self._retry(request, host)

    def process_exception(self, request, exception, spider=None):
        if request.meta.get(SOLVING):
            host = self.hosts[site_key(request.url)]
            self._finish(host, "failed")
            logger.error("Challenge at %s: the browser failed: %r", request.url, exception)
        return None

    # -- steps ----------------------------------------------------------------------

    def _render(self, request, key: tuple, name: str, response):
        host = self.hosts[key] = _Host(name)
        host.before = {c.split(b"=", 1)[0].strip().decode("latin-1") for c in response.headers.getlist(b"Set-Cookie")}
        self._inc(f"{name}/met")
        logger.info("%s challenge (HTTP %s) at %s: rendering once in the browser", name, response.status, request.url)
        meta = {**request.meta, BROWSER_FLAG: True, SOLVING: name}
        return request.replace(dont_filter=True, meta=meta)

    def _after_render(self, request, response):
        host = self.hosts[site_key(request.url)]
        rendered = request.meta.get(RENDERED_KEY) or {}
        gained = [c for c in rendered.get("cookies", []) if c["name"] not in host.before]
        passed = bool(rendered.get("title")) and bool(gained) and not _looks_like(host.name, response.body)
        self._finish(host, "solved" if passed else "failed")
        if not passed:
            self._inc(f"{host.name}/failed")
            raise ChallengeFailed(f"{host.name} challenge at {request.url} not passed in the browser "
                                  f"(title {rendered.get('title')!r}, {len(gained)} new cookie(s))")
        host.cookies = [{"name": c["name"], "value": c["value"], "path": c["path"]} for c in rendered["cookies"]]
        self._inc(f"{host.name}/solved")
        logger.info("%s challenge at %s passed in the browser; continuing over HTTP with cookies %s",
                    host.name, request.url, ", ".join(c["name"] for c in gained))
        return self._retry(request, host)

    def _retry(self, request, host: _Host):
        meta = {k: v for k, v in request.meta.items() if k not in (BROWSER_FLAG, SOLVING, RENDERED_KEY)}
        retry = request.replace(dont_filter=True, meta={**meta, AFTER_SOLVE: True})
        _add_cookies(retry, host.cookies)
        return retry

    @staticmethod
    def _finish(host: _Host, outcome: str) -> None:
        host.outcome = outcome
        host.done.set()

    def _inc(self, key: str) -> None:
        self.stats.inc_value(f"nianbao/challenges/{key}")


def _looks_like(name: str, body: bytes) -> bool:
    """True when ``body`` still matches a challenge shape called ``name`` (whatever the status)."""
    return any(c.name == name and all(p.search(body) for p in c.patterns) for c in CHALLENGES)


def _add_cookies(request, cookies: list[dict]) -> None:
    """Put ``cookies`` on ``request`` for Scrapy's cookie middleware (700), which files them in the jar."""
    if not cookies:
        return
    if isinstance(request.cookies, dict):
        request.cookies.update({c["name"]: c["value"] for c in cookies})
    else:
        names = {c.get("name") for c in request.cookies}
        request.cookies = [*request.cookies, *(c for c in cookies if c["name"] not in names)]
