"""A scripted season: simulated weeks of sweeps, evaluations and deliveries; the webhook gets exactly the alerts.

Report year 2024: deadline 2025-01-31, holiday-adjusted 2025-02-05 (Spring
Festival). Last year's reports are all there. 兴隆镇 publishes early (and is
withdrawn later), 凤岗镇 in the last days, 庆丰乡 inside the holiday
roll-over, 龙山镇 goes missing and publishes late; the portal then fails
three sweeps in a row.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nianbao.db import session
from scheduler.cycle import evaluate_and_alert
from scheduler.delivery import deliver
from tests.scheduler import world
from tests.scheduler.receiver import Receiver

# (China date, events): ("publish", unit, report date) | ("withdraw", unit) | ("sweep", ok?)
SEASON = [
    ("2025-01-06", [("sweep", True)]),
    ("2025-01-13", [("publish", "兴隆镇", "2025-01-12"), ("sweep", True)]),
    ("2025-01-20", [("sweep", True)]),
    ("2025-01-24", [("sweep", True)]),                                    # 7 days left: digest
    ("2025-01-29", [("publish", "凤岗镇", "2025-01-28"), ("sweep", True)]),  # 2 days left: digest
    ("2025-01-31", [("sweep", True)]),                                    # the deadline day: digest
    ("2025-02-04", [("publish", "庆丰乡", "2025-02-04"), ("sweep", True)]),  # on time only if adjusted
    ("2025-02-06", [("sweep", True)]),                                    # 龙山镇 missing
    ("2025-02-10", [("publish", "龙山镇", "2025-02-10"), ("sweep", True)]),  # published after all, late
    ("2025-02-17", [("withdraw", "兴隆镇"), ("sweep", True)]),
    ("2025-02-24", [("sweep", True)]),
    ("2025-03-03", [("sweep", False)]),
    ("2025-03-10", [("sweep", False)]),
    ("2025-03-17", [("sweep", False)]),                                   # third failed sweep: source health
    ("2025-03-24", [("sweep", False)]),                                   # same streak: nothing new
]


def _apply(engine, day: str, events, state: dict) -> None:
    at = world.china(day)
    for event in events:
        if event[0] == "publish":
            state["urls"][event[1]] = world.publish(engine, event[1], 2024, event[2], at)
        elif event[0] == "withdraw":
            world.withdraw(engine, state["urls"].pop(event[1]), at)
        elif event[0] == "sweep":
            run = world.crawl_run(engine, at, ok=event[1], seen_urls=tuple(state["urls"].values()) + state["old"],
                                  error=None if event[1] else "HTTP 503 on the column page")
            state["runs"][day] = run


@pytest.fixture
def season(engine):
    world.setup(engine)
    old = tuple(world.publish(engine, n, 2023, "2024-01-15", world.china("2024-01-16")) for n in world.TOWNSHIPS)
    state = {"urls": {}, "old": old, "runs": {}}
    with Receiver() as hook:
        for day, events in SEASON:
            _apply(engine, day, events, state)
            now = world.china(day, 12)
            evaluate_and_alert(engine, as_of=date.fromisoformat(day), now=now)
            with session(engine) as s:
                deliver(s, [hook.url()], now)
            with session(engine) as s:  # an hour later: nothing is sent twice
                deliver(s, [hook.url()], now + timedelta(hours=1))
    return engine, hook, state


def test_webhook_gets_exactly_the_seasons_alerts(season):
    engine, hook, state = season
    uid = {n: world.unit_id(engine, n) for n in world.TOWNSHIPS}
    assert hook.keys == [
        "deadline_digest:2024:2025-01-31:7",
        "deadline_digest:2024:2025-01-31:3",
        "deadline_digest:2024:2025-01-31:1",
        f"became_missing:{uid['龙山镇']}:2024",
        f"published_after_all:{uid['龙山镇']}:2024",
        f"withdrawn:{uid['兴隆镇']}:2024",
        f"source_health:silent:{world.PORTAL}:{state['runs']['2025-03-03']}",
    ]


@pytest.mark.parametrize("index, words", [
    (0, "3 of 4 units have not published their 2024 report"),
    (1, "2 of 4 units"),
    (2, "0 days left"),
    (4, "status late"),
])
def test_alert_text(season, index, words):
    _, hook, _ = season
    assert words in hook.bodies[index]["message"]
