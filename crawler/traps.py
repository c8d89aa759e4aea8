"""Crawl-trap guard: endless calendars and query-string generators are capped, and the cap is recorded.

``TrapGuardMiddleware`` (a spider middleware) counts, per host and path, the
distinct query strings of the GET requests the spider yields. Past a rule's
cap (:data:`TRAP_RULES`, rules as data: calendar-like parameters get few,
any other query many, so a long ``?page=N`` list is not cut) further
variants are dropped and one :class:`crawler.items.ProblemItem` names the
trap. Stats: ``nianbao/traps/capped`` (traps), ``nianbao/traps/dropped`` (requests).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured

from crawler.items import ProblemItem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrapRule:
    """Queries matching ``pattern`` may take at most ``cap`` distinct values per host + path."""

    label: str
    pattern: re.Pattern[str]
    cap: int


TRAP_RULES: tuple[TrapRule, ...] = (
    TrapRule("calendar", re.compile(r"(^|&)(date|day|rq|riqi|ymd|month|yf|nf|year|time|d)=", re.IGNORECASE), 12),
    TrapRule("query-string", re.compile(r"."), 300),
)


class TrapGuardMiddleware:
    """See the module docstring. ``NIANBAO_TRAPS_ENABLED`` (default True) turns it off."""

    def __init__(self, stats, rules: tuple[TrapRule, ...] = TRAP_RULES):
        self.stats, self.rules = stats, rules
        self.seen: dict[tuple[str, str, str], set[str]] = {}
        self.reported: set[tuple[str, str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NIANBAO_TRAPS_ENABLED", True):
            raise NotConfigured("NIANBAO_TRAPS_ENABLED is off")
        return cls(crawler.stats)

    def process_spider_output(self, response, result, spider=None):
        for out in result:
            yield from self._guard(out, response)

    async def process_spider_output_async(self, response, result, spider=None):
        async for out in result:
            for kept in self._guard(out, response):
                yield kept

    def _guard(self, out, response):
        """``out`` unless it is a request past a trap's cap; the trap's problem the first time."""
        if not isinstance(out, Request) or out.method != "GET":
            yield out
            return
        parts = urlsplit(out.url)
        rule = next((r for r in self.rules if parts.query and r.pattern.search(parts.query)), None)
        if rule is None:
            yield out
            return
        key = (parts.netloc, parts.path, rule.label)
        variants = self.seen.setdefault(key, set())
        if parts.query in variants or len(variants) < rule.cap:
            variants.add(parts.query)
            yield out
            return
        self.stats.inc_value("nianbao/traps/dropped")
        if key not in self.reported:
            self.reported.add(key)
            self.stats.inc_value("nianbao/traps/capped")
            reason = f"crawl trap: more than {rule.cap} {rule.label} variants of {parts.path}; not followed further"
            logger.warning("%s at %s", reason, out.url)
            ctx = (response.meta.get("nb") or {}) if response is not None else {}
            yield ProblemItem(url=out.url, reason=reason, seed_url=ctx.get("seed_url"))
