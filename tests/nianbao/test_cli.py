"""The CLI as a user runs it: a subprocess, exit statuses, one-sentence errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.nianbao.registry.test_importer import CSV


def nianbao(*args: str, home, db_url: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_") and k != "DATABASE_URL"}
    env["NIANBAO_HOME"] = str(home)
    if db_url:
        env["DATABASE_URL"] = db_url
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True, env=env)


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_registry_import_reports_counts(tmp_path, registry, db_url):
    result = nianbao("registry", "import", str(registry), home=tmp_path, db_url=db_url)
    assert (result.returncode, "6 created" in result.stdout) == (0, True)


def test_registry_reimport_creates_nothing(tmp_path, registry, db_url):
    nianbao("registry", "import", str(registry), home=tmp_path, db_url=db_url)
    result = nianbao("registry", "import", str(registry), home=tmp_path, db_url=db_url)
    assert "0 created" in result.stdout


def test_bad_registry_is_exit_2_with_one_sentence(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n", encoding="utf-8")
    result = nianbao("registry", "import", str(bad), home=tmp_path)
    assert (result.returncode, "Traceback" in result.stderr, "header lacks" in result.stderr) == (2, False, True)


def test_unknown_setting_is_exit_2(tmp_path):
    env_home = tmp_path
    result = subprocess.run([sys.executable, "-m", "nianbao", "status"], capture_output=True, text=True,
                            env={**os.environ, "NIANBAO_HOME": str(env_home), "NIANBAO_SPEED": "3"})
    assert (result.returncode, "NIANBAO_SPEED" in result.stderr) == (2, True)


def test_status_json_judges_the_year_now_due(tmp_path, registry, db_url):
    nianbao("registry", "import", str(registry), home=tmp_path, db_url=db_url)
    nianbao("evaluate", "--as-of", "2024-02-15", home=tmp_path, db_url=db_url)
    rows = json.loads(nianbao("status", "--format", "json", home=tmp_path, db_url=db_url).stdout)
    # nothing crawled yet: the year now due (2023) is judged for every township, and none has published
    assert sorted((r["unit"], r["year"], r["status"]) for r in rows) == [
        ("东城街道", 2023, "missing"), ("兴隆镇", 2023, "missing"), ("红星农场", 2023, "missing")]


def test_status_csv_has_the_interface_header(tmp_path, registry):
    nianbao("registry", "import", str(registry), home=tmp_path)
    out = nianbao("status", "--format", "csv", home=tmp_path).stdout
    assert next(csv.reader(io.StringIO(out)))[:5] == ["unit", "code", "county", "year", "status"]


def test_crawl_without_seeds_is_exit_2(tmp_path):
    result = nianbao("crawl", home=tmp_path)
    assert (result.returncode, "Nothing to crawl" in result.stderr) == (2, True)


def test_bad_as_of_is_exit_2(tmp_path):
    assert nianbao("evaluate", "--as-of", "yesterday", home=tmp_path).returncode == 2
