"""Named crawler errors, and the one table that turns a failed request into a problem reason."""

from __future__ import annotations

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectionLost, ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
                                    TimeoutError)
from twisted.web._newclient import ResponseFailed

from crawler.loops import RedirectLoop


class CrawlError(Exception):
    """The crawl could not run (bad seeds, the child process died); the message says what to do."""


class ChallengeFailed(IgnoreRequest):
    """An anti-bot challenge was not passed (the browser failed, or the challenge came back after its cookie)."""


# (exception class, reason) — first match wins; IgnoreRequest is how robots.txt refusals arrive.
# Scrapy ≥ 2.14 wraps Twisted's errors in its own; both are listed.
FAILURE_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (ChallengeFailed, "anti-bot challenge not passed"),
    (RedirectLoop, "redirect loop"),
    (CannotResolveHostError, "DNS lookup failed"),
    (DNSLookupError, "DNS lookup failed"),
    (DownloadConnectionRefusedError, "connection refused"),
    (ConnectionRefusedError, "connection refused"),
    (DownloadTimeoutError, "timed out"),
    (TimeoutError, "timed out"),
    (DownloadCancelledError, "download cancelled (larger than DOWNLOAD_MAXSIZE?)"),
    (ResponseDataLossError, "response data lost"),
    (DownloadFailedError, "download failed"),
    (TCPTimedOutError, "TCP connection timed out"),
    (ConnectionLost, "connection lost"),
    (ResponseFailed, "response failed"),
    (IgnoreRequest, "request ignored (robots.txt or size limit)"),
)


def failure_reason(failure) -> tuple[str, int | None]:
    """(reason, HTTP status or None) for the Twisted ``failure`` of a request."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"HTTP {status}", status
    for exc_type, reason in FAILURE_REASONS:
        if failure.check(exc_type):
            return f"{reason}: {failure.getErrorMessage()}", None
    return f"{failure.type.__name__}: {failure.getErrorMessage()}", None
