"""A small scripted world for scheduler tests: one county, four townships, reports appearing over time.

Writes the crawler's and parser's tables directly (Document, Report,
CrawlRun), as those stages would after a sweep.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import select

from crawler.models import CrawlRun, Document
from nianbao.db import session
from nianbao.registry import Portal, Unit, import_registry
from nianbao.timeutil import CHINA
from parsing.models import Report

COLUMN = "http://127.0.0.1:9/zwgk/nb/"
PORTAL = "http://127.0.0.1:9/"
REGISTRY = f"""code,name,level,parent_code,aliases,portal_urls
230000000000,黑龙江省,province,,,
230500000000,双鸭山市,city,230000000000,,
230522000000,友谊县,county,230500000000,,{PORTAL}
230522100000,兴隆镇,township,230522000000,,
230522101000,龙山镇,township,230522000000,,
230522102000,凤岗镇,township,230522000000,,
230522200000,庆丰乡,township,230522000000,,
"""
TOWNSHIPS = ("兴隆镇", "龙山镇", "凤岗镇", "庆丰乡")


def china(day: str, hour: int = 10) -> datetime:
    """``day`` at ``hour`` China time, as an aware datetime."""
    return datetime.combine(date.fromisoformat(day), time(hour), CHINA)


def setup(engine) -> None:
    with session(engine) as s:
        import_registry(s, REGISTRY)


def unit_id(engine, name: str) -> int:
    with session(engine) as s:
        return s.exec(select(Unit.id).where(Unit.name == name)).one()


def url_of(name: str, year: int) -> str:
    return f"{COLUMN}{year}/{TOWNSHIPS.index(name)}.html"


def publish(engine, name: str, year: int, published: str | None, seen: datetime, column: str = COLUMN) -> str:
    """A report page for ``name``'s ``year`` report, dated ``published``, first captured at ``seen``."""
    url = url_of(name, year) if column == COLUMN else f"{column}{year}/{name}.html"
    uid = unit_id(engine, name)
    with session(engine) as s:
        portal = s.exec(select(Portal.id)).first()
        doc = Document(url=url, kind="page", portal_id=portal, title=f"{name}{year}年政府信息公开工作年度报告",
                       column_url=column, first_seen_at=seen, last_seen_at=seen)
        s.add(doc)
        s.flush()
        s.add(Report(document_id=doc.id, unit_id=uid, year=year, agency=f"{name}人民政府", agency_kind="township",
                     published=date.fromisoformat(published) if published else None,
                     published_source="meta" if published else None, format="2021", parsed_at=seen))
    return url


def withdraw(engine, url: str, at: datetime) -> None:
    with session(engine) as s:
        doc = s.exec(select(Document).where(Document.url == url)).one()
        doc.gone_since = at
        s.add(doc)


def crawl_run(engine, at: datetime, *, ok: bool = True, seen_urls: tuple[str, ...] = (),
              error: str | None = None) -> int:
    """A finished crawl run over the registry portal at ``at``; ``seen_urls`` are listed again in it.

    Its stats hold the per-seed candidate count as the crawler records it (none when it failed).
    """
    with session(engine) as s:
        portal = s.exec(select(Portal)).first()
        stats = {"nianbao/candidates_per_seed": {portal.url: len(seen_urls) if ok else 0}}
        run = CrawlRun(started_at=at, finished_at=at + timedelta(minutes=5), status="ok" if ok else "failed",
                       seeds=[{"portal_id": portal.id, "url": portal.url}], error=error, stats=stats)
        s.add(run)
        for doc in s.exec(select(Document).where(Document.url.in_(seen_urls))):
            doc.last_seen_at = at + timedelta(minutes=1)
            s.add(doc)
        s.flush()
        return run.id
