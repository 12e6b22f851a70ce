"""Alembic migrations build, from an empty database, exactly the schema the models declare."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from repo_server import create_app
from repo_server.extensions import db
from repo_server.migrate import upgrade_database
from tests.conftest import database_url


@pytest.fixture
def empty_app(tmp_path):
    """An app on an empty database (a fresh schema on PostgreSQL, a new file on SQLite)."""
    url = database_url()
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_test"))
        engine.dispose()
        options = {
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "connect_args": {"options": "-csearch_path=migration_test"}
            }
        }
    else:
        url, options = f"sqlite:///{tmp_path}/empty.sqlite3", {}
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": url,
            **options,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_from_empty_matches_the_models(empty_app):
    with empty_app.app_context():
        upgrade_database()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert {"questions", "materials", "users", "organisations", "topics"} <= tables


def test_upgrade_is_idempotent(empty_app):
    with empty_app.app_context():
        upgrade_database()
        upgrade_database()
        with db.engine.connect() as conn:
            version = conn.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar()
    assert version
