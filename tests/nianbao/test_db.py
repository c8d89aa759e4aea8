from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from nianbao.db import connect, metadata

TABLES = {"unit", "unitcode", "unitalias", "portal", "crawlrun", "crawlproblem", "document", "capture",
          "report", "deadlinerule", "compliancestatus", "alert"}


def test_migrations_create_every_table(engine):
    assert TABLES <= set(inspect(engine).get_table_names())


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata())
    assert diff == []


def test_migrating_twice_changes_nothing(db_url, engine):
    connect(db_url).dispose()
    assert TABLES <= set(inspect(engine).get_table_names())
