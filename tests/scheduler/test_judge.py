from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from scheduler.compliance import Evidence, judge
from scheduler.deadlines import Deadline

DEADLINE = Deadline(date(2025, 1, 31), date(2025, 2, 5), "test rule", "practice", True)


def _seen(day: str, hour_utc: int = 2) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour_utc, tzinfo=timezone.utc)


def _evidence(published, first_seen):
    report = SimpleNamespace(published=published and date.fromisoformat(published),
                             published_source=published and "meta")
    return Evidence(report, "http://127.0.0.1/r.html", first_seen, "<urn:uuid:1>", withdrawn=False)


@pytest.mark.parametrize("as_of, expected", [
    (date(2025, 1, 15), "pending"),
    (date(2025, 1, 31), "pending"),     # the deadline day itself is not over
    (date(2025, 2, 5), "pending"),      # nor the holiday-adjusted one
    (date(2025, 2, 6), "missing"),
])
def test_nothing_found(as_of, expected):
    assert judge(DEADLINE, None, as_of)["status"] == expected


@pytest.mark.parametrize("published, first_seen, status, days_late, observed", [
    ("2025-01-20", _seen("2025-01-21"), "on_time", None, True),
    ("2025-01-31", _seen("2025-01-31", 15), "on_time", None, True),   # 23:00 China time on the deadline day
    ("2025-01-20", _seen("2025-03-01"), "on_time", None, False),      # claimed on time, first seen later
    ("2025-02-04", _seen("2025-02-04"), "on_time", None, True),       # on time only with the holiday roll-over
    ("2025-02-10", _seen("2025-02-10"), "late", 10, True),
    (None, _seen("2025-01-25"), "on_time", None, True),                # no date but seen in time
    (None, _seen("2025-03-01"), "undated", None, True),
])
def test_found(published, first_seen, status, days_late, observed):
    verdict = judge(DEADLINE, _evidence(published, first_seen), date(2025, 6, 1))
    assert (verdict["status"], verdict["days_late"], verdict["observed"]) == (status, days_late, observed)


def test_undated_report_seen_in_time_is_dated_by_first_capture():
    verdict = judge(DEADLINE, _evidence(None, _seen("2025-01-25")), date(2025, 6, 1))
    assert (verdict["published"], verdict["published_source"]) == (date(2025, 1, 25), "first_seen")


@pytest.mark.parametrize("published, adjusted_only", [("2025-01-31", False), ("2025-02-04", True)])
def test_on_time_only_if_adjusted_is_kept_apart(published, adjusted_only):
    verdict = judge(DEADLINE, _evidence(published, _seen(published)), date(2025, 6, 1))
    assert verdict.get("adjusted_only", False) == adjusted_only
