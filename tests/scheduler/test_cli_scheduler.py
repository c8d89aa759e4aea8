"""The scheduler CLI sub-app as the lead mounts it: rules import, export, run's argument checks."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from nianbao.cli_scheduler import export, scheduler_app
from nianbao.config import get_settings
from nianbao.db import session
from nianbao.pipeline import open_db
from scheduler import compliance
from tests.scheduler import world
from tests.scheduler.test_rules_file import CSV

app = typer.Typer()
app.add_typer(scheduler_app, name="scheduler")
app.command("export")(export)


@pytest.fixture
def home(tmp_path, monkeypatch, db_url):
    monkeypatch.setenv("NIANBAO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_rules_import_prints_counts(home):
    path = home / "rules.csv"
    path.write_text(CSV, encoding="utf-8")
    assert "2 created" in _run("scheduler", "rules", "import", str(path)).output


def test_rules_import_twice_creates_nothing(home):
    path = home / "rules.csv"
    path.write_text(CSV, encoding="utf-8")
    _run("scheduler", "rules", "import", str(path))
    assert "0 created, 0 updated, 2 unchanged" in _run("scheduler", "rules", "import", str(path)).output


def test_bad_rules_file_raises_the_named_error(home):
    path = home / "rules.csv"
    path.write_text(CSV + "230522000000,township,2022,99-99,src,\n", encoding="utf-8")
    result = _run("scheduler", "rules", "import", str(path))
    assert (type(result.exception).__name__, "line 4" in str(result.exception)) == ("RulesFileError", True)


def test_export_json_writes_missing_units(home):
    engine = open_db(get_settings())
    world.setup(engine)
    world.publish(engine, "兴隆镇", 2024, "2025-01-20", world.china("2025-01-21"))
    with session(engine) as s:
        compliance.evaluate(s, as_of=date(2025, 3, 1), years=[2024], now=world.china("2025-03-01"))
    out = home / "notice.json"
    result = _run("export", "--format", "json", "--county", "友谊县", "--year", "2024", "--out", str(out))
    rows = json.loads(out.read_text("utf-8"))
    assert ("3 units written" in result.output, {r["status"] for r in rows}) == (True, {"missing"})


def test_run_with_a_bad_schedule_raises_the_named_error(home):
    result = _run("scheduler", "run", "--season", "every day")
    assert type(result.exception).__name__ == "SchedulerError"


def test_run_with_a_bad_alert_url_raises_the_named_error(home):
    result = _run("scheduler", "run", "--alert-url", "nosuch://secret-token-123")
    assert (type(result.exception).__name__, "secret-token-123" in str(result.exception)) == ("DeliveryError", False)
