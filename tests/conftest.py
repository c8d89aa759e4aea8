"""Shared fixtures: databases (SQLite and PostgreSQL), settings on a temporary home.

PostgreSQL tests run against 127.0.0.1:5432 (user postgres, database test),
each test session in a schema of its own. Where no server answers they skip
with a visible notice — unless REQUIRE_POSTGRES=1 (set by .ci/run), where
they fail.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from nianbao.config import load_settings
from nianbao.db import connect

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_problem: list[str] = []


def _postgres_schema_url() -> str | None:
    """A URL on a fresh schema of the test server, or None (with the reason kept) when none answers."""
    schema = f"nianbao_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as exc:  # any failure to reach the server means "no PostgreSQL here"
        _pg_problem.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        return None
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def _drop_schema(url: str) -> None:
    schema = url.rsplit("%3D", 1)[1]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def pytest_report_header(config):
    return f"PostgreSQL tests: {PG_URL} (REQUIRE_POSTGRES={os.environ.get('REQUIRE_POSTGRES', '0')})"


def pytest_terminal_summary(terminalreporter):
    if _pg_problem:
        terminalreporter.write_line(
            f"NOTICE: PostgreSQL tests were skipped — no server at {PG_URL} ({_pg_problem[0]}).", yellow=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A database URL for each backend: a temporary SQLite file, a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nianbao.db'}"
        return
    url = _postgres_schema_url()
    if url is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but does not answer at {PG_URL}: {_pg_problem[-1]}")
        pytest.skip(f"no PostgreSQL at {PG_URL}")
    yield url
    _drop_schema(url)


@pytest.fixture
def engine(db_url):
    engine = connect(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(tmp_path, db_url):
    return load_settings(environ={}, home=tmp_path / "home", database_url=db_url)
