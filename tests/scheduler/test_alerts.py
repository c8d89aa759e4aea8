"""Alerts: pure derivation tables, recorded once, delivered to a loopback webhook, retried with back-off."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from nianbao.db import session
from scheduler import alerts
from scheduler.alerts import SourceOutcome, column_shortfalls, derive, digest, silent_sources
from scheduler.cycle import evaluate_and_alert
from scheduler.delivery import Backoff, DeliveryFailed, Redactor, deliver, redact_url, secrets_in
from scheduler.models import Alert
from tests.scheduler import world
from tests.scheduler.receiver import Receiver

AS_OF = date(2025, 2, 6)
NOW = datetime(2025, 2, 6, 2, tzinfo=timezone.utc)


def _row(status: str, withdrawn: bool = False, deadline: str = "2025-01-31", adjusted: str = "2025-02-05") -> dict:
    return dict(unit="兴隆镇", unit_id=1, code="230522100000", county="友谊县", year=2024, status=status,
                deadline=deadline, deadline_adjusted=adjusted, deadline_source="rule", published="2025-02-10",
                published_source="meta", first_seen=None, days_late=10 if status == "late" else None,
                observed=True, withdrawn=withdrawn, report_url="http://127.0.0.1/r.html", warc_record_id=None)


KEY = (1, 2024)


@pytest.mark.parametrize("old, new, kinds", [
    ("pending", "pending", []),
    ("pending", "missing", ["became_missing"]),
    ("pending", "late", ["became_late"]),
    ("pending", "on_time", []),
    ("on_time", "late", ["became_late"]),
    ("undated", "late", ["became_late"]),
    ("late", "late", []),
    ("missing", "missing", []),
    ("missing", "late", ["published_after_all"]),
    ("missing", "on_time", ["published_after_all"]),
    ("missing", "undated", ["published_after_all"]),
    (None, "missing", ["became_missing"]),       # first seen one day after the deadline: still fresh
    (None, "on_time", []),
])
def test_status_transition(old, new, kinds):
    before = {KEY: _row(old)} if old else {}
    assert [d.kind for d in derive(before, {KEY: _row(new)}, AS_OF)] == kinds


@pytest.mark.parametrize("was, now, kinds", [(False, True, ["withdrawn"]), (True, True, []), (True, False, [])])
def test_withdrawn_transition(was, now, kinds):
    assert [d.kind for d in derive({KEY: _row("on_time", was)}, {KEY: _row("on_time", now)}, AS_OF)] == kinds


def test_first_sight_long_after_the_deadline_is_a_baseline_not_an_alert():
    assert derive({}, {KEY: _row("missing")}, date(2025, 6, 1)) == []


def test_transition_key_is_kind_unit_and_year():
    assert derive({KEY: _row("pending")}, {KEY: _row("missing")}, AS_OF)[0].key == "became_missing:1:2024"


def test_message_names_county_unit_and_evidence():
    message = derive({KEY: _row("pending")}, {KEY: _row("late")}, AS_OF)[0].message
    assert ("友谊县 兴隆镇" in message, "http://127.0.0.1/r.html" in message) == (True, True)


@pytest.mark.parametrize("as_of, key", [
    (date(2025, 1, 20), None),                                   # 11 days left: too early
    (date(2025, 1, 24), "deadline_digest:2024:2025-01-31:7"),
    (date(2025, 1, 26), "deadline_digest:2024:2025-01-31:7"),   # 5 days left: the 7-day digest if not yet sent
    (date(2025, 1, 29), "deadline_digest:2024:2025-01-31:3"),
    (date(2025, 1, 31), "deadline_digest:2024:2025-01-31:1"),
    (date(2025, 2, 1), None),                                    # past the strict deadline
])
def test_digest_threshold(as_of, key):
    drafts = digest({KEY: _row("pending"), (2, 2024): {**_row("on_time"), "unit_id": 2}}, as_of)
    assert [d.key for d in drafts] == ([key] if key else [])


def test_digest_counts_pending_of_due():
    draft = digest({KEY: _row("pending"), (2, 2024): {**_row("on_time"), "unit_id": 2}}, date(2025, 1, 29))[0]
    assert (draft.payload["pending"], draft.payload["due"], draft.payload["days_left"]) == (1, 2, 2)


def _outcomes(*flags: str) -> list[SourceOutcome]:
    return [SourceOutcome("http://p/", i, ok=f != "error", documents=0 if f in ("error", "empty") else 5)
            for i, f in enumerate(flags, 1)]


@pytest.mark.parametrize("flags, key", [
    (("ok", "ok", "ok"), None),
    (("ok", "error", "empty"), None),                                  # two bad sweeps: below N=3
    (("ok", "error", "empty", "error"), "source_health:silent:http://p/:2"),
    (("error", "error", "error", "error"), "source_health:silent:http://p/:1"),  # the streak keeps its first run
    (("error", "error", "error", "ok"), None),                         # recovered
])
def test_silent_source(flags, key):
    drafts = silent_sources({"http://p/": _outcomes(*flags)}, sweeps=3)
    assert [d.key for d in drafts] == ([key] if key else [])


@pytest.mark.parametrize("last_year, this_year, alerted", [(10, 9, False), (10, 4, True), (2, 0, False), (10, 5, False)])
def test_column_shortfall(last_year, this_year, alerted):
    counts = {("http://c/", 2023): last_year, ("http://c/", 2024): this_year}
    assert bool(column_shortfalls(counts, 2024, ratio=0.5, min_expected=3)) == alerted


def test_source_alerts_share_the_kind_source_health():
    drafts = silent_sources({"http://p/": _outcomes("error", "error", "error")}, sweeps=3)
    assert drafts[0].kind == "source_health"


# -- recorded once ---------------------------------------------------------------------------------

@pytest.fixture
def world_engine(engine):
    world.setup(engine)
    return engine


def _keys(engine) -> list[str]:
    with session(engine) as s:
        return sorted(a.key for a in s.exec(select(Alert)))


def test_second_evaluation_records_no_new_alert(world_engine):
    evaluate_and_alert(world_engine, as_of=date(2025, 1, 20), now=NOW)
    evaluate_and_alert(world_engine, as_of=AS_OF, now=NOW)
    assert evaluate_and_alert(world_engine, as_of=AS_OF, now=NOW + timedelta(hours=1)) == []


def test_alert_recorded_once_per_key(world_engine):
    draft = alerts.Draft("k:1", "became_missing", "t", "m")
    with session(world_engine) as s:
        alerts.record(s, [draft], NOW)
    with session(world_engine) as s:
        alerts.record(s, [draft, draft], NOW)
    assert _keys(world_engine) == ["k:1"]


# -- delivery ----------------------------------------------------------------------------------------

def _record(engine, *keys: str) -> None:
    with session(engine) as s:
        alerts.record(s, [alerts.Draft(k, "became_missing", f"title {k}", f"message {k}") for k in keys], NOW)


def _deliver(engine, urls, now=NOW, **kw):
    with session(engine) as s:
        return deliver(s, urls, now, **kw)


def test_webhook_receives_each_alert_once(engine):
    _record(engine, "a:1", "b:2")
    with Receiver() as hook:
        _deliver(engine, [hook.url()])
        _deliver(engine, [hook.url()], NOW + timedelta(hours=1))
    assert hook.keys == ["a:1", "b:2"]


def test_webhook_body_has_title_and_message(engine):
    _record(engine, "a:1")
    with Receiver() as hook:
        _deliver(engine, [hook.url()])
    assert (hook.bodies[0]["title"], hook.bodies[0]["message"].splitlines()[0]) == ("title a:1", "message a:1")


def _alert(engine, key="a:1") -> Alert:
    with session(engine) as s:
        return s.exec(select(Alert).where(Alert.key == key)).one()


def test_failed_send_records_attempt_and_back_off(engine):
    _record(engine, "a:1")
    with Receiver(fail_first=1) as hook:
        _deliver(engine, [hook.url()], backoff=Backoff(base=60))
    alert = _alert(engine)
    assert (alert.sent_at, alert.attempts, alert.next_attempt_at - NOW) == (None, 1, timedelta(seconds=60))


def test_retry_waits_for_the_back_off(engine):
    _record(engine, "a:1")
    with Receiver(fail_first=1) as hook:
        _deliver(engine, [hook.url()], backoff=Backoff(base=60))
        _deliver(engine, [hook.url()], NOW + timedelta(seconds=30), backoff=Backoff(base=60))
    assert hook.keys == []


@pytest.mark.parametrize("attempts, seconds", [(1, 60), (2, 120), (3, 240), (10, 3600)])
def test_back_off_doubles_up_to_the_cap(attempts, seconds):
    assert Backoff(base=60, cap=3600).delay(attempts) == timedelta(seconds=seconds)


def test_failing_receiver_later_gets_the_alert_once(engine):
    _record(engine, "a:1")
    with Receiver(fail_first=2) as hook:
        for minutes in (0, 2, 5, 10, 20):
            _deliver(engine, [hook.url()], NOW + timedelta(minutes=minutes), backoff=Backoff(base=60))
    assert (hook.keys, hook.failures, _alert(engine).attempts) == (["a:1"], 2, 3)


def test_a_target_that_accepted_is_not_sent_again_while_another_fails(engine):
    _record(engine, "a:1")
    with Receiver() as good, Receiver(fail_first=1) as bad:
        for minutes in (0, 5):
            _deliver(engine, [good.url(), bad.url()], NOW + timedelta(minutes=minutes), backoff=Backoff(base=60))
    assert (good.keys, bad.keys) == (["a:1"], ["a:1"])


def test_no_targets_leaves_alerts_waiting(engine):
    _record(engine, "a:1")
    _deliver(engine, [])
    assert _alert(engine).sent_at is None


# -- secrets ------------------------------------------------------------------------------------------

SECRET_URLS = [
    ("mailtos://alerts:hunter2pass@smtp.example.org?to=office@example.org", "hunter2pass"),
    ("dingtalk://0123456789abcdef0123456789abcdef/", "0123456789abcdef0123456789abcdef"),
    ("wecombot://a1b2c3d4-e5f6-7890-abcd-ef1234567890", "a1b2c3d4-e5f6-7890-abcd-ef1234567890"),
    ("feishu://T0k3nT0k3nT0k3n/", "T0k3nT0k3nT0k3n"),
    ("jsons://user:s3cr3tpw@hooks.example.org/api/AbCdEf123456", "AbCdEf123456"),
]


@pytest.mark.parametrize("url, secret", SECRET_URLS)
def test_redacted_url_hides_the_secret(url, secret):
    assert secret not in redact_url(url)


@pytest.mark.parametrize("url, secret", SECRET_URLS)
def test_secret_is_found(url, secret):
    assert secret in secrets_in(url)


def test_redactor_masks_secrets_inside_error_text():
    redact = Redactor(["json://u:pw-42-secret@127.0.0.1:1/x"])
    assert "pw-42-secret" not in redact("HTTP error posting with pw-42-secret")


def test_failed_send_error_and_logs_carry_no_secret(engine, caplog):
    secret_url = "json://user:TopSecret99@127.0.0.1:9/TokenPath1234"

    def failing(url, title, body):
        raise DeliveryFailed(f"Connection refused sending to {url} as TopSecret99")

    _record(engine, "a:1")
    with caplog.at_level(logging.DEBUG):
        _deliver(engine, [secret_url], send=failing)
    text = _alert(engine).last_error + caplog.text
    assert ("TopSecret99" in text, "TokenPath1234" in text) == (False, False)


def test_apprise_failure_logs_carry_no_secret(engine, caplog):
    _record(engine, "a:1")
    with Receiver() as hook:
        port = hook.port
    secret_url = f"json://user:TopSecret99@127.0.0.1:{port}/TokenPath1234"  # receiver closed: connection refused
    with caplog.at_level(logging.DEBUG):
        _deliver(engine, [secret_url])
    alert = _alert(engine)
    text = (alert.last_error or "") + caplog.text
    assert (alert.sent_at is None, "TopSecret99" in text, "TokenPath1234" in text) == (True, False, False)


# -- what the cycle reads from the catalog --------------------------------------------------------------

def test_source_history_reads_per_seed_counts(world_engine):
    from scheduler.cycle import source_history

    url = world.publish(world_engine, "兴隆镇", 2024, "2025-01-12", world.china("2025-01-13"))
    world.crawl_run(world_engine, world.china("2025-01-13"), seen_urls=(url,))
    world.crawl_run(world_engine, world.china("2025-01-20"), ok=False, error="HTTP 503")
    with session(world_engine) as s:
        outcomes = source_history(s, 10)[world.PORTAL]
    assert [(o.ok, o.documents, o.error) for o in outcomes] == [(True, 1, None), (False, 0, "HTTP 503")]


@pytest.mark.parametrize("year, count", [(2023, 4), (2024, 1)])
def test_report_counts_per_portal_and_year(world_engine, year, count):
    from scheduler.cycle import column_counts

    for name in world.TOWNSHIPS:
        world.publish(world_engine, name, 2023, "2024-01-15", world.china("2024-01-16"))
    world.publish(world_engine, "兴隆镇", 2024, "2025-01-12", world.china("2025-01-13"))
    with session(world_engine) as s:
        assert column_counts(s)[(world.PORTAL, year)] == count


def test_shortfall_alert_once_the_year_is_closed(world_engine):
    for name in world.TOWNSHIPS:
        world.publish(world_engine, name, 2023, "2024-01-15", world.china("2024-01-16"))
    world.publish(world_engine, "兴隆镇", 2024, "2025-01-12", world.china("2025-01-13"))
    evaluate_and_alert(world_engine, as_of=date(2025, 1, 20), now=NOW)
    keys = [a.key for a in evaluate_and_alert(world_engine, as_of=AS_OF, now=NOW)]
    assert f"source_health:shortfall:{world.PORTAL}:2024" in keys


def test_checking_targets_logs_no_token(caplog):
    from scheduler.delivery import check_targets

    with caplog.at_level(logging.DEBUG):
        check_targets(["json://u:pw@127.0.0.1:9/tok123456secret"])
    assert "tok123456secret" not in caplog.text


@pytest.mark.parametrize("url, secret", SECRET_URLS)
def test_configured_channel_is_accepted(url, secret):
    from scheduler.delivery import check_targets

    check_targets([url])  # parsing only: nothing is sent
