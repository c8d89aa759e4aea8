"""``nianbao scheduler run``: the long-running service (APScheduler 3, jobs stored in the catalog database).

Jobs (stable ids, ``replace_existing``, so a restart neither loses nor doubles them):

- ``sweep-season`` / ``sweep-offseason``: crawl → parse (the injected sweep),
  then evaluate and alert, then deliver. Frequent in January–April, rare otherwise.
- ``deadline-eval:YYYY-MM-DD``: evaluate and alert at 00:05 China time the day
  after each strict and each holiday-adjusted deadline of the report year due.
- ``plan-deadlines``: daily, (re)plans the deadline jobs from the rules.
- ``deliver``: sends due alerts (retries after back-off).
- ``sweep-resume``: a paused marker present only while a sweep runs; found
  at start (the previous process died mid-sweep), it runs the sweep again now.

Every job coalesces, has a misfire grace time and at most one instance. One
service per database: :class:`scheduler.lock.InstanceLock`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine
from sqlmodel import select

from nianbao.db import session
from nianbao.timeutil import CHINA, utcnow

from .cycle import AlertRules, evaluate_and_alert
from .deadlines import deadline_for, ensure_default_rules
from .delivery import Backoff, check_targets, deliver, redact_url
from .lock import AlreadyRunning, InstanceLock
from .models import DeadlineRule

Sweep = Callable[[Engine, datetime], None]  # one crawl-and-parse over the registry, given the engine and now

logger = logging.getLogger(__name__)
TZ = ZoneInfo("Asia/Shanghai")
JOBS_TABLE = "apscheduler_jobs"
RESUME = "sweep-resume"
# Sweep schedules as data: (job id, trigger spec). Crontab fields in China time.
DEFAULT_SWEEPS: tuple[tuple[str, str], ...] = (
    ("sweep-season", "cron:0 7,13,19 * 1-4 *"),     # three times a day, January to April
    ("sweep-offseason", "cron:30 3 * 5-12 mon"),    # weekly the rest of the year
)

__all__ = ["AlreadyRunning", "SchedulerError", "Service", "ServiceConfig", "pipeline_sweep", "trigger"]


class SchedulerError(Exception):
    """The service cannot start as configured; the message says which setting to fix."""


@dataclass(frozen=True)
class ServiceConfig:
    """What the service runs when (settings; names proposed in the report to the lead)."""

    alert_urls: tuple[str, ...] = ()
    sweeps: tuple[tuple[str, str], ...] = DEFAULT_SWEEPS
    delivery_seconds: float = 60
    misfire_grace_seconds: int = 6 * 3600
    deadline_eval_time: time = time(0, 5)
    rules: AlertRules = field(default_factory=AlertRules)
    backoff: Backoff = field(default_factory=Backoff)


def trigger(spec: str):
    """A trigger from ``cron:<crontab>`` (China time) or ``interval:<seconds>``."""
    kind, _, value = spec.partition(":")
    try:
        if kind == "cron":
            return CronTrigger.from_crontab(value, timezone=TZ)
        if kind == "interval":
            return IntervalTrigger(seconds=float(value), timezone=TZ)
    except ValueError as exc:
        raise SchedulerError(f"Sweep schedule {spec!r} is invalid ({exc}); use cron:<5 crontab fields>.") from exc
    raise SchedulerError(f"Sweep schedule {spec!r} is neither cron:<crontab> nor interval:<seconds>.")


def pipeline_sweep(settings) -> Sweep:
    """The default sweep: crawl every registry portal, then parse what was archived."""
    from nianbao import pipeline

    def sweep(engine: Engine, now: datetime) -> None:
        seeds = pipeline.select_seeds(engine, [], [])
        if not seeds:
            logger.warning("No portal in the registry: nothing to sweep (import a registry).")
            return
        pipeline.crawl(settings, engine, seeds)
        pipeline.parse_archived(settings, engine)

    return sweep


_current: list["Service"] = []  # the running service, for the job functions the job store refers to


def _service() -> "Service":
    if not _current:
        raise SchedulerError("A stored job ran with no scheduler service running in this process.")
    return _current[0]


def job_sweep() -> None:
    _service().run_sweep()


def job_evaluate() -> None:
    _service().run_evaluation()


def job_deliver() -> None:
    _service().run_delivery()


def job_plan() -> None:
    _service().plan_deadlines()


class Service:
    """The scheduler service on ``engine``; ``sweep(engine, now)`` does one crawl-and-parse."""

    def __init__(self, engine: Engine, sweep: Sweep, config: ServiceConfig = ServiceConfig(),
                 *, clock: Callable[[], datetime] = utcnow):
        check_targets(config.alert_urls)
        self.sweep_triggers = [(job_id, trigger(spec)) for job_id, spec in config.sweeps]  # bad specs fail here
        self.engine, self.sweep, self.config, self.clock = engine, sweep, config, clock
        self.lock = InstanceLock(engine)
        self._work = threading.Lock()      # one sweep/evaluation at a time
        self._sending = threading.Lock()   # one delivery at a time
        self._stopped = threading.Event()
        self.scheduler: BackgroundScheduler | None = None

    # -- life cycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Take the instance lock, store the jobs, resume an interrupted sweep, start running jobs."""
        self.lock.acquire()
        _current[:] = [self]
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename=JOBS_TABLE)},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": self.config.misfire_grace_seconds},
            executors={"default": {"type": "threadpool", "max_workers": 3}}, timezone=TZ)
        self.scheduler.start(paused=True)
        try:
            self._add_jobs()
            self._resume_interrupted()
        except BaseException:
            self.stop()
            raise
        self.scheduler.resume()
        logger.info("Scheduler running: jobs %s; alert targets %s", sorted(j.id for j in self.scheduler.get_jobs()),
                    [redact_url(u) for u in self.config.alert_urls] or "none")

    def wait(self) -> None:
        """Block until :meth:`stop` (from a signal handler or another thread)."""
        while not self._stopped.wait(1.0):
            pass

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.lock.release()
        if _current and _current[0] is self:
            _current.clear()
        self._stopped.set()

    def _add(self, func, trigger_, job_id: str, **kw) -> None:
        self.scheduler.add_job(func, trigger_, id=job_id, name=job_id, replace_existing=True, **kw)

    def _add_jobs(self) -> None:
        for job_id, trigger_ in self.sweep_triggers:
            self._add(job_sweep, trigger_, job_id)
        self._add(job_deliver, IntervalTrigger(seconds=self.config.delivery_seconds, timezone=TZ), "deliver")
        self._add(job_plan, CronTrigger(hour=0, minute=1, timezone=TZ), "plan-deadlines")
        self.plan_deadlines()

    def _resume_interrupted(self) -> None:
        job = self.scheduler.get_job(RESUME)
        if job is not None and job.next_run_time is None:
            logger.warning("The previous scheduler stopped during a sweep; sweeping again now.")
            job.modify(next_run_time=datetime.now(TZ))  # scheduler time is wall time; ``clock`` only dates verdicts

    # -- job bodies -------------------------------------------------------------------------------
    def plan_deadlines(self) -> list[str]:
        """Add a ``deadline-eval:DAY`` job for each future deadline end of the report years now due."""
        now = self.clock()
        planned = []
        for day in self._deadline_days(now.astimezone(CHINA).date()):
            run_at = datetime.combine(day + timedelta(days=1), self.config.deadline_eval_time, TZ)
            if run_at <= now:
                continue
            job_id = f"deadline-eval:{day.isoformat()}"
            # one-shot and the point of the service: run however late a restart comes (no grace limit)
            self._add(job_evaluate, DateTrigger(run_date=run_at, timezone=TZ), job_id, misfire_grace_time=None)
            planned.append(job_id)
        return planned

    def _deadline_days(self, today: date) -> set[date]:
        with session(self.engine) as s:
            ensure_default_rules(s)
            s.flush()
            rules = list(s.exec(select(DeadlineRule)))
        days = set()
        for year in (today.year - 1, today.year):
            for rule in rules:
                if (rule.year_from or year) <= year <= (rule.year_to or year):
                    deadline = deadline_for(rule, year)
                    days |= {deadline.strict, deadline.adjusted}
        return days

    def run_sweep(self) -> None:
        """Sweep, then evaluate and deliver; a marker job in the store says a sweep is under way."""
        with self._work:
            self._add(job_sweep, DateTrigger(run_date=datetime.now(TZ), timezone=TZ), RESUME, next_run_time=None)
            logger.info("Sweep starting")
            try:
                self.sweep(self.engine, self.clock())
            except Exception:  # a broken sweep is logged with its traceback; what is archived still gets judged
                logger.exception("Sweep failed; evaluating what the catalog holds")
            self._evaluate()
            try:
                self.scheduler.remove_job(RESUME)
            except JobLookupError:
                pass
        self.run_delivery()

    def run_evaluation(self) -> None:
        with self._work:
            self._evaluate()
        self.run_delivery()

    def _evaluate(self) -> None:
        now = self.clock()
        added = evaluate_and_alert(self.engine, as_of=now.astimezone(CHINA).date(), now=now, rules=self.config.rules)
        logger.info("Evaluated as of %s: %d new alert(s)", now.astimezone(CHINA).date(), len(added))

    def run_delivery(self) -> None:
        with self._sending, session(self.engine) as s:
            done = deliver(s, self.config.alert_urls, self.clock(), backoff=self.config.backoff)
        if done:
            logger.info("Delivered %d alert(s)", len(done))


def run_service(engine: Engine, sweep: Sweep, config: ServiceConfig = ServiceConfig()) -> None:
    """Run the service until SIGINT/SIGTERM (the ``nianbao scheduler run`` body)."""
    import signal

    service = Service(engine, sweep, config)
    service.start()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: service._stopped.set())
    try:
        service.wait()
    finally:
        service.stop()
