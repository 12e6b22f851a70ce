"""Alembic migrations, run inside the app context (``repo-server init``)."""

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations folder (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_database(revision: str = "heads") -> None:
    """Bring the app's database to ``revision`` (every branch head by default)."""
    command.upgrade(alembic_config(), revision)


def analyze_database() -> None:
    """Refresh the planner's statistics (and on PostgreSQL reclaim dead rows)."""
    from sqlalchemy import text

    from repo_server.extensions import db

    if db.engine.dialect.name == "postgresql":
        # VACUUM cannot run inside a transaction block.
        with db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as conn:
            conn.execute(text("VACUUM ANALYZE"))
        return
    db.session.execute(text("ANALYZE"))
    db.session.commit()
