"""The stages run in order, as library calls the CLI (and the scheduler) share.

Each function takes the settings and an engine and returns plain results;
formatting is the CLI's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

from sqlalchemy.engine import Engine
from sqlmodel import select

from nianbao.config import Settings, load_settings
from nianbao.db import connect, session
from nianbao.registry import ImportResult, Portal, Unit, import_registry, stem
from nianbao.timeutil import CHINA, utcnow


class UsageError(Exception):
    """The command was asked for something that does not exist (a county, a file)."""


def open_db(settings: Settings) -> Engine:
    """The catalog engine with migrations applied, and the data folders in place."""
    for folder in (settings.home, settings.warc_dir, settings.index_dir):
        folder.mkdir(parents=True, exist_ok=True)
    return connect(settings.db_url)


def registry_import(engine: Engine, text: str) -> ImportResult:
    with session(engine) as s:
        return import_registry(s, text)


def today_china(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(CHINA).date()


def select_seeds(engine: Engine, portals: list[str], counties: list[str]) -> list[dict]:
    """Crawl seeds: the given portal URLs, else the registry's portals (of ``counties`` when given)."""
    with session(engine) as s:
        known = {p.url: p for p in s.exec(select(Portal))}
        if portals:
            return [{"portal_id": known[u].id if u in known else None, "url": u} for u in portals]
        rows = list(s.exec(select(Portal, Unit).where(Portal.unit_id == Unit.id)))
        if counties:
            wanted = {c if c.isdigit() else stem(c) for c in counties}
            rows = [(p, u) for p, u in rows if u.code in wanted or u.stem in wanted]
            if not rows:
                raise UsageError(f"No portal in the registry for {', '.join(counties)}; import a registry first.")
        return [{"portal_id": p.id, "url": p.url} for p, _ in rows]


def crawl(settings: Settings, engine: Engine, seeds: list[dict], progress: Callable[[dict], None] | None = None):
    """Run one crawl over ``seeds``; returns the finished CrawlRun."""
    if not seeds:
        raise UsageError("Nothing to crawl: give --portal URL or import a registry with portal_urls.")
    from crawler.run import run_crawl

    return run_crawl(settings, seeds, engine=engine, progress=progress)


def resume(settings: Settings, engine: Engine, progress: Callable[[dict], None] | None = None):
    """Resume the newest interrupted crawl (its .open WARCs recovered; what it archived is not refetched)."""
    from crawler.run import resume_crawl

    return resume_crawl(settings, engine=engine, progress=progress)


def parse_archived(settings: Settings, engine: Engine, *, everything: bool = False,
                   progress: Callable[[int, int], None] | None = None):
    """Parse archived documents into reports (only new captures unless ``everything``)."""
    from parsing.stage import run_stage

    with session(engine) as s:
        return run_stage(s, settings.warc_dir, now=utcnow(), everything=everything, progress=progress)


def evaluate(engine: Engine, as_of: date, years: list[int] | None = None) -> list[dict]:
    """Recompute compliance as of ``as_of``, recording the alerts the changes call for; returns the status objects.

    ``years`` defaults to every year from the first report seen through the year now due.
    """
    from scheduler import list_statuses
    from scheduler.cycle import evaluate_and_alert

    evaluate_and_alert(engine, as_of=as_of, now=utcnow(), years=years)
    with session(engine) as s:
        return list_statuses(s, years=years)


def report_years(engine: Engine) -> list[int]:
    """The report years the catalog holds reports for."""
    from scheduler.compliance import report_years as years

    with session(engine) as s:
        return years(s)


def replay_season(engine: Engine, dates: list[date], years: list[int] | None = None) -> list[tuple[date, list]]:
    """Evaluate as of each date in turn; returns (date, alerts recorded that day): what the service would have sent."""
    from scheduler.cycle import evaluate_and_alert

    return [(day, evaluate_and_alert(engine, as_of=day, now=utcnow(), years=years)) for day in sorted(dates)]


def season_dates(as_of: date) -> list[date]:
    """Check dates around the last township deadline before ``as_of``: a week before it to ``as_of``."""
    deadline = date(as_of.year if as_of >= date(as_of.year, 2, 1) else as_of.year - 1, 1, 31)
    days = [-7, -3, -1, 1, 6, 15, 29, 45, 60, 75]
    return [d for d in (deadline + timedelta(days=n) for n in days) if d < as_of] + [as_of]


def statuses(engine: Engine, *, year: int | None, county: str | None) -> list[dict]:
    from scheduler import list_statuses

    with session(engine) as s:
        return list_statuses(s, year=year, county=county)


def loopback_settings(home: Path, **overrides: object) -> Settings:
    """Settings for crawling the demo portal: politeness off, since every host is on loopback (never real portals)."""
    return load_settings(home=home, download_delay=0.0, autothrottle=False, concurrent_per_host=8, **overrides)


def crawl_demo(settings: Settings, registry_csv: str, counties: list[str] = ()) -> tuple[Engine, object]:
    """Import a demo registry, crawl it (all counties, or ``counties``) and parse; returns (engine, crawl run)."""
    engine = open_db(settings)
    registry_import(engine, registry_csv)
    run = crawl(settings, engine, select_seeds(engine, [], list(counties)))
    parse_archived(settings, engine)
    return engine, run


def demo_home(settings: Settings) -> Path:
    """The folder the demo writes to: ``<home>/demo``, emptied before each run (it holds demo data only)."""
    return settings.home / "demo"


def verify_archive(settings: Settings, engine: Engine) -> tuple[int, list]:
    """Re-read every catalogued record and check the CDXJ indexes; returns (records checked, problems)."""
    from archive import Capture, verify_catalog

    with session(engine) as s:
        checked = len(s.exec(select(Capture.id)).all())
        return checked, verify_catalog(s, settings.warc_dir, settings.index_dir)


def export_wacz(settings: Settings, out: Path) -> Path:
    """Package every closed WARC file as WACZ 1.1.1 at ``out``."""
    from archive import export_wacz as export

    warcs = sorted(settings.warc_dir.glob("*.warc.gz"))
    if not warcs:
        raise UsageError(f"No closed WARC files in {settings.warc_dir}; crawl something first.")
    return export(warcs, out, created=utcnow(), title=f"nianbao archive ({settings.home})")


@dataclass
class CaptureResult:
    """What ``nianbao capture`` archived: the run, its response/revisit catalog rows (redirect hops included,
    in order), the URLs given that got no archived response, and the run's problems (HTTP errors, refusals)."""

    run: object
    captures: list
    missing: list[str]
    problems: list


def capture(settings: Settings, engine: Engine, urls: list[str],
            progress: Callable[[dict], None] | None = None) -> CaptureResult:
    """Archive exactly ``urls`` (and their redirects), without discovery; see :func:`crawler.run.capture_urls`."""
    from urllib.parse import urldefrag

    from archive import Capture, ascii_uri
    from crawler.errors import CrawlError
    from crawler.models import CrawlProblem
    from crawler.run import capture_urls

    try:
        run = capture_urls(settings, urls, engine=engine, progress=progress)
    except CrawlError as exc:
        raise UsageError(str(exc)) from exc
    with session(engine) as s:
        rows = list(s.exec(select(Capture).where(Capture.run_id == run.id, Capture.record_type != "request")
                           .order_by(Capture.id)))
        problems = list(s.exec(select(CrawlProblem).where(CrawlProblem.run_id == run.id)))
    archived = {row.url for row in rows}
    return CaptureResult(run, rows, [u for u in urls if ascii_uri(urldefrag(u)[0]) not in archived], problems)
