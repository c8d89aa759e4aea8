"""Redirect loops, caught and recorded: a downloader middleware just outside Scrapy's redirect middleware.

Scrapy follows ``A → B → A`` until its duplicate filter silently drops the
second ``A``: the loop ends, but nothing says so. ``RedirectLoopMiddleware``
(at 601, so it sees each 3xx response before ``RedirectMiddleware`` at 600)
raises :class:`RedirectLoop` when a redirect points back at a URL of its own
chain; the request's errback records it as a problem with the chain. Chains
that do not loop stay bounded by ``REDIRECT_MAX_TIMES``. Every hop is already
archived (WARC capture sits at 950). ``NIANBAO_REDIRECT_LOOPS`` (default True) turns it off.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

from scrapy.exceptions import IgnoreRequest, NotConfigured

REDIRECT_CODES = (301, 302, 303, 307, 308)


class RedirectLoop(IgnoreRequest):
    """A redirect pointed back at a URL already in its own chain."""


class RedirectLoopMiddleware:
    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NIANBAO_REDIRECT_LOOPS", True):
            raise NotConfigured("NIANBAO_REDIRECT_LOOPS is off")
        return cls()

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_CODES or not location or request.meta.get("dont_redirect"):
            return response
        target = urldefrag(urljoin(request.url, location.decode("latin-1").strip()))[0]
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {urldefrag(u)[0] for u in chain}:
            raise RedirectLoop(" → ".join([*chain, target]))
        return response
