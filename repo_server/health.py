"""The health endpoint load balancers and operators poll."""

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from repo_server.api import bp
from repo_server.extensions import db


@bp.get("/health")
def health():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
