"""Writes what the spider finds to the catalog: Document rows (upsert by URL) and CrawlProblem rows.

On close it stores the crawl stats on the CrawlRun (Scrapy's, plus the
summary keys ``responses``, ``documents``, ``problems`` and
``nianbao/candidates_per_seed``) and sets its status:
``failed`` when a seed yielded no report candidate at all (logged loudly:
the site changed, or the seed is wrong), else ``ok``.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime

from scrapy.exceptions import NotConfigured
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import col, select

from archive.catalog import Capture
from crawler.items import DocumentItem, ProblemItem
from crawler.models import CrawlProblem, CrawlRun, Document
from nianbao.db import make_engine, metadata, session
from nianbao.timeutil import utcnow

logger = logging.getLogger(__name__)
_CAPTURE_EXISTS = select(Capture.id).where(Capture.id == bindparam("id"))  # Core: a row's existence, no ORM object


class DatabasePipeline:
    """Needs ``NIANBAO_DATABASE_URL`` (else not enabled); uses ``NIANBAO_RUN_ID`` or creates a run."""

    def __init__(self, database_url: str, run_id: int | None, clock=utcnow):
        metadata()  # every stage's tables, so foreign keys to portal and capture resolve
        self.engine = make_engine(database_url)
        self.clock = clock
        self.started_at = clock()
        self.run_id = run_id or self._new_run()
        self.candidates: Counter[str] = Counter()
        self.write_errors = 0
        self.problems = 0
        self._portals: set[int] | None = None
        self._orphans: dict[str, str] = {}  # child URL → parent URL not stored yet (items arrive in any order)

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("NIANBAO_DATABASE_URL")
        if not url:
            raise NotConfigured("NIANBAO_DATABASE_URL is not set")
        run_id = crawler.settings.getint("NIANBAO_RUN_ID") or None
        pipeline = cls(url, run_id)
        pipeline.crawler = crawler
        return pipeline

    def _new_run(self) -> int:
        with session(self.engine) as s:
            run = CrawlRun(started_at=self.clock())
            s.add(run)
            s.flush()
            return run.id

    def process_item(self, item, spider=None):
        """Stores ``item``; a database error is counted (the run then fails) and re-raised for Scrapy to log."""
        try:
            if isinstance(item, DocumentItem):
                self._upsert(item)
                self.candidates[item.seed_url] += 1
            elif isinstance(item, ProblemItem):
                self._problem(item)
                self.problems += 1
        except SQLAlchemyError:
            self.write_errors += 1
            raise
        return item

    def _upsert(self, item: DocumentItem) -> None:
        """Store ``item``, linked to its capture. The capture id comes from the archivist, which answers only once
        the row is committed, so it is trusted; a foreign-key failure (an id from elsewhere, not catalogued) is
        answered by storing again with the capture checked."""
        try:
            self._store(item, trust_capture=True)
        except IntegrityError:
            if item.capture_id is None:
                raise
            self._store(item, trust_capture=False)

    def _store(self, item: DocumentItem, *, trust_capture: bool) -> None:
        now = self.clock()
        with session(self.engine) as s:
            doc = s.exec(select(Document).where(Document.url == item.url)).first()
            if doc is None:
                doc = Document(url=item.url, kind=item.kind, first_seen_at=now, last_seen_at=now)
            doc.last_seen_at, doc.gone_since = now, None
            doc.kind = item.kind
            doc.portal_id = self._portal(s, item.portal_id) or doc.portal_id
            doc.capture_id = (item.capture_id if trust_capture else self._capture(s, item.capture_id)) or doc.capture_id
            doc.title = item.title or doc.title
            doc.column_url = item.column_url or doc.column_url
            doc.listed_date = _date(item.listed_date) or doc.listed_date
            if item.parent_url:
                parent = s.exec(select(Document.id).where(Document.url == item.parent_url)).first()
                doc.parent_id = parent or doc.parent_id
                if parent is None:
                    self._orphans[item.url] = item.parent_url
            s.add(doc)

    def _adopt_orphans(self) -> None:
        """Link attachments whose page was stored after them (an API can list a file before its page is fetched)."""
        with session(self.engine) as s:
            for child_url, parent_url in self._orphans.items():
                parent = s.exec(select(Document.id).where(Document.url == parent_url)).first()
                child = s.exec(select(Document).where(Document.url == child_url)).first()
                if parent and child:
                    child.parent_id = parent
                    s.add(child)

    def _portal(self, s, portal_id: int | None) -> int | None:
        """``portal_id`` if the registry has it; None (with a warning) otherwise, so the row still lands."""
        if portal_id is None:
            return None
        if self._portals is None:
            from nianbao.registry.models import Portal

            self._portals = set(s.exec(select(Portal.id)).all())
        if portal_id not in self._portals:
            logger.warning("Portal id %s is not in the registry; document stored without it", portal_id)
            return None
        return portal_id

    def _capture(self, s, capture_id: int | None) -> int | None:
        """``capture_id`` if its catalog row is committed (rows land only after their bytes are flushed)."""
        if capture_id is None:
            return None
        if s.connection().execute(_CAPTURE_EXISTS, {"id": capture_id}).first() is None:
            logger.warning("Capture %s not in the catalog yet; document linked to no capture", capture_id)
            return None
        return capture_id

    def _withdraw(self, columns: set[str]) -> int:
        """Mark ``gone_since`` on documents of ``columns`` (read whole this crawl) that this crawl did not list."""
        now, count = self.clock(), 0
        names = sorted(columns)
        with session(self.engine) as s:
            for start in range(0, len(names), 500):
                rows = s.exec(select(Document).where(
                    col(Document.column_url).in_(names[start:start + 500]), Document.last_seen_at < self.started_at,
                    Document.gone_since == None)).all()  # noqa: E711
                for doc in rows:
                    doc.gone_since, count = now, count + 1
                    s.add(doc)
        if count:
            logger.info("%d document(s) no longer listed in their column: marked withdrawn", count)
        return count

    def _problem(self, item: ProblemItem) -> None:
        with session(self.engine) as s:
            s.add(CrawlProblem(run_id=self.run_id, url=item.url, reason=item.reason, status=item.status, at=self.clock()))

    def close_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self._adopt_orphans()
        withdrawn = self._withdraw(set(getattr(spider, "columns_read", ())) - set(getattr(spider, "columns_failed", ())))
        self.crawler.stats.set_value("nianbao/withdrawn", withdrawn)
        seeds = [seed["url"] for seed in getattr(spider, "seeds", [])]
        empty = [url for url in seeds if not self.candidates[url]]
        stats = _jsonable(self.crawler.stats.get_stats())
        stats["nianbao/candidates_per_seed"] = {url: self.candidates[url] for url in seeds}
        stats.update(responses=stats.get("response_received_count", 0), documents=sum(self.candidates.values()),
                     problems=self.problems)
        for url in empty:
            logger.error("Seed %s yielded zero report candidates: the site may have changed, or the seed is wrong", url)
        errors = [f"no report candidates from {len(empty)} seed(s): {', '.join(empty)}"] if empty else []
        errors += [f"{self.write_errors} item(s) could not be stored (see the crawl log)"] if self.write_errors else []
        with session(self.engine) as s:
            run = s.get(CrawlRun, self.run_id)
            run.finished_at = self.clock()
            run.stats = stats
            run.status = "failed" if errors else "ok"
            run.error = "; ".join(errors) or None
            s.add(run)
        self.engine.dispose()


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _jsonable(stats: dict) -> dict:
    """Scrapy stats with datetimes as ISO strings, so they fit a JSON column."""
    return {k: (v.isoformat() if isinstance(v, (datetime, date)) else v) for k, v in stats.items()}
