"""Per-connection settings SQLite needs to behave like a production database."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: WAL lets readers work while one worker writes; NORMAL sync is safe with WAL;
#: a 64 MB page cache keeps the indexes of a 100,000-question bank in memory;
#: foreign keys are off in SQLite unless asked for.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-64000",
    "PRAGMA busy_timeout=10000",
)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Apply SQLITE_PRAGMAS to every new SQLite connection (others are left alone)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
