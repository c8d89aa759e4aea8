"""A season on the demo portal: a real crawl, then the scheduler's evaluations replayed over the weeks
around the 2024 deadline, alerts delivered to a loopback webhook; then one report is taken off the portal
and a second sweep finds it gone. The webhook must get exactly the alerts the demo portal's ground truth
implies, each once."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from nianbao import pipeline
from nianbao.db import session
from nianbao.demo_portal import DEMO_AS_OF, DemoPortal
from nianbao.timeutil import utcnow
from scheduler.delivery import deliver
from tests.scheduler.receiver import Receiver

pytestmark = pytest.mark.slow
YEAR, DEADLINE = 2023, date(2024, 1, 31)


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """Crawl the demo once, replay the season with delivery after each day, twice (the second must add nothing)."""
    home = tmp_path_factory.mktemp("season")
    settings = pipeline.loopback_settings(home, environ={})
    with DemoPortal() as portal, Receiver() as receiver:
        engine, _ = pipeline.crawl_demo(settings, portal.registry_csv())
        years = pipeline.report_years(engine)
        for _ in range(2):
            for day in pipeline.season_dates(DEMO_AS_OF):
                pipeline.replay_season(engine, [day], years)
                with session(engine) as s:
                    deliver(s, [receiver.url()], utcnow())
        truth = [t for t in portal.truth() if t["year"] == YEAR]  # before the withdrawal changes it
        gone = next(t for t in truth if t["status"] == "on_time")
        portal.withdraw(gone["url"])
        pipeline.crawl(settings, engine, pipeline.select_seeds(engine, [], []))
        pipeline.replay_season(engine, [DEMO_AS_OF], years)
        with session(engine) as s:
            deliver(s, [receiver.url()], utcnow())
        statuses = {(r["code"], r["year"]): r for r in pipeline.statuses(engine, year=YEAR, county=None)}
        return dict(truth=truth, keys=receiver.keys, gone=gone,
                    statuses=statuses)


def _kinds(keys: list[str]) -> Counter:
    return Counter(k.split(":", 1)[0] for k in keys)


def test_every_alert_arrives_once(season):
    assert len(season["keys"]) == len(set(season["keys"]))


def test_missing_at_the_deadline_alerts_once_each(season):
    expected = sum(1 for t in season["truth"] if t["published"] is None or t["published"] > DEADLINE)
    assert _kinds(season["keys"])["became_missing"] == expected


def test_late_publishers_alert_when_they_publish(season):
    last_day = max(pipeline.season_dates(DEMO_AS_OF))
    expected = sum(1 for t in season["truth"] if t["published"] and DEADLINE < t["published"] <= last_day)
    assert _kinds(season["keys"])["published_after_all"] == expected


def test_digests_before_the_deadline(season):
    assert _kinds(season["keys"])["deadline_digest"] == 3   # 7, 3 and 1 days before


def test_no_false_source_alarm(season):
    assert _kinds(season["keys"])["source_health"] == 0


def test_earlier_years_raise_no_stale_alerts(season):
    assert not [k for k in season["keys"] if k.endswith(":2021") or k.endswith(":2022")]


def test_withdrawn_report_alerts_once(season):
    assert _kinds(season["keys"])["withdrawn"] == 1


def test_withdrawn_report_keeps_its_verdict_and_evidence(season):
    row = season["statuses"][(season["gone"]["code"], YEAR)]
    assert (row["status"], row["withdrawn"], row["report_url"]) == ("on_time", True, season["gone"]["url"])
