"""Flask extensions, created unbound and initialised by the app factory."""

from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from repo_server import database  # noqa: F401  (SQLite connection settings)

#: Constraint names are fixed so Alembic migrations are the same on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()


def commit_keeping_loaded() -> None:
    """Commit without expiring the loaded objects (no reload to answer with them).

    Only for a request whose objects were read or refreshed in this transaction, so
    their values are the committed ones: a quiz start or submit answering at once.
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
