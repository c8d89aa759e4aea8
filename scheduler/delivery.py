"""Sending recorded alerts through apprise, once per target, with back-off, secrets redacted.

Targets are apprise URLs from configuration: ``mailto://``/``mailtos://``,
``json://``/``jsons://`` (a JSON webhook), ``dingtalk://``, ``wecombot://``,
``feishu://``. A target is named in logs and errors only by its redacted form
(:func:`redact_url`) and in the database by a hash (:func:`target_id`). An
alert is sent to each target until that target accepts it; a failed send is
retried after ``base`` seconds, doubling up to ``cap`` (exponential back-off),
with ``attempts``, ``last_error`` and ``next_attempt_at`` kept on the row, so a
later run (after a restart too) retries what is unsent.

Delivery is at least once per target: a crash between a target accepting an
alert and the commit that records it would send it again on restart.
"""

from __future__ import annotations

import hashlib
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterator, Sequence
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import or_
from sqlmodel import Session, select

from nianbao.timeutil import as_utc

from .models import Alert

logger = logging.getLogger(__name__)
MASK = "***"
_HOSTLIKE = re.compile(r"^(localhost|[\d.]+|\[[0-9a-f:]+\]|[\w-]+(\.[\w-]+)+)$", re.I)


class DeliveryError(Exception):
    """A target URL is not one apprise can use; the message names it (redacted) and says what to fix."""


def secrets_in(url: str) -> list[str]:
    """The parts of an apprise URL that may be secret: user, password, query values, tokens in host or path."""
    parts = urlsplit(url)
    found = [parts.password, parts.username if len(parts.username or "") >= 4 else None]  # "u" would mangle text
    host = parts.netloc.rpartition("@")[2].split(":")[0]  # as written: .hostname lower-cases tokens
    if host and not _HOSTLIKE.match(host):  # dingtalk://TOKEN, wecombot://KEY: the "host" is the token
        found.append(host)
    found += [seg for seg in parts.path.split("/") if len(seg) >= 6]
    found += [value for _, value in parse_qsl(parts.query) if len(value) >= 4]
    return sorted({f for f in found if f}, key=len, reverse=True)


class Redactor:
    """Replaces every secret of the configured URLs in a text (longest first)."""

    def __init__(self, urls: Sequence[str]):
        self.secrets = sorted({s for u in urls for s in secrets_in(u)}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text


class _RedactingFilter(logging.Filter):
    def __init__(self, redact: Redactor):
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        return True


@contextmanager
def redacting_logs(urls: Sequence[str]) -> Iterator[Redactor]:
    """While inside, apprise's log records (which name URLs, tokens included) pass through the redactor."""
    redact = Redactor(urls)
    log_filter = _RedactingFilter(redact)
    logging.getLogger("apprise").addFilter(log_filter)
    try:
        yield redact
    finally:
        logging.getLogger("apprise").removeFilter(log_filter)


def redact_url(url: str) -> str:
    """``url`` with its secrets masked, for logs and messages."""
    return Redactor([url])(url)


def target_id(url: str) -> str:
    """A stable, non-reversible id for a target (stored in ``Alert.delivered_to``)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Backoff:
    """Seconds before retry number ``attempts``: ``base`` × 2^(attempts-1), at most ``cap``."""

    base: float = 60.0
    cap: float = 3600.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.base * 2 ** max(attempts - 1, 0), self.cap))


Sender = Callable[[str, str, str], None]  # (url, title, body); raises DeliveryFailed with a reason


class DeliveryFailed(Exception):
    """One send to one target failed; the message is the (unredacted) reason."""


def apprise_send(url: str, title: str, body: str) -> None:
    """Send one notification through apprise; raises DeliveryFailed with apprise's reason."""
    import apprise

    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError(f"{redact_url(url)} is not an apprise URL nianbao can use; check the alert URL setting.")
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        ok = notifier.notify(title=title, body=body)
    if not ok:
        lines = [line for line in captured.getvalue().splitlines() if line.strip()]
        raise DeliveryFailed(lines[-1] if lines else "apprise reported a failed send")


def check_targets(urls: Sequence[str]) -> None:
    """Raise DeliveryError for a URL apprise cannot use (at start, not at the first alert)."""
    import apprise

    with redacting_logs(urls):
        unusable = [url for url in urls if apprise.Apprise.instantiate(url) is None]
    if unusable:
        raise DeliveryError(f"{redact_url(unusable[0])} is not an apprise URL nianbao can use; "
                            "check the alert URL (json://, mailto://, dingtalk://, wecombot://, feishu://).")


def body_of(alert: Alert) -> str:
    """The text sent: the message, then the alert key (stable, so receivers can de-duplicate too)."""
    return f"{alert.message}\n\nalert key: {alert.key}"


def due(s: Session, now: datetime) -> list[Alert]:
    """Unsent alerts whose back-off has passed, oldest first."""
    query = select(Alert).where(Alert.sent_at == None, or_(Alert.next_attempt_at == None,  # noqa: E711
                                                           Alert.next_attempt_at <= now))
    return list(s.exec(query.order_by(Alert.id)))


def deliver(s: Session, urls: Sequence[str], now: datetime, *, send: Sender = apprise_send,
            backoff: Backoff = Backoff()) -> list[Alert]:
    """Send every due alert to every target not yet reached; returns the alerts completed. Caller commits.

    With no ``urls`` nothing is sent: alerts wait, recorded, until a target is configured.
    """
    if not urls:
        return []
    done = []
    with redacting_logs(urls) as redact:
        for alert in due(s, now):
            if _deliver_one(alert, urls, now, send, backoff, redact):
                done.append(alert)
            s.add(alert)
            s.flush()
    return done


def _deliver_one(alert: Alert, urls: Sequence[str], now: datetime, send: Sender, backoff: Backoff,
                 redact: Redactor) -> bool:
    reached, errors = list(alert.delivered_to or []), []
    title = alert.payload.get("title") or alert.kind
    for url in urls:
        if target_id(url) in reached:
            continue
        try:
            send(url, title, body_of(alert))
        except DeliveryFailed as exc:
            errors.append(f"{redact_url(url)}: {redact(str(exc))}")
            continue
        reached.append(target_id(url))
    alert.delivered_to = reached  # a new list, so the JSON column is seen as changed
    if errors:
        alert.attempts += 1
        alert.last_error = "; ".join(errors)[:2000]
        alert.next_attempt_at = as_utc(now) + backoff.delay(alert.attempts)
        logger.warning("Alert %s not delivered (attempt %d), retry after %s: %s", alert.key, alert.attempts,
                       alert.next_attempt_at.isoformat(), alert.last_error)
        return False
    alert.sent_at, alert.next_attempt_at, alert.last_error = now, None, None
    alert.attempts += 1
    logger.info("Alert %s delivered to %d target(s)", alert.key, len(urls))
    return True
