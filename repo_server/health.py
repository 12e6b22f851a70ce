"""The health endpoint load balancers and operators poll."""

import logging

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from repo_server.api import bp
from repo_server.backends import get_search, get_storage
from repo_server.catalog.models import SearchOutbox
from repo_server.extensions import db
from search import SearchError
from storage import StorageError

logger = logging.getLogger(__name__)
#: A key that is never stored: asking for it proves the storage answers.
PROBE_KEY = "health/probe"


@bp.get("/health")
def health():
    """200 while the database answers ("degraded" if search or storage does not), else 503.

    Search and storage outages do not take the app out of a load balancer: writes
    still succeed (the search outbox catches up) and most pages still work.
    """
    try:
        db.session.execute(text("SELECT 1"))
        waiting = db.session.scalar(select(func.count()).select_from(SearchOutbox))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    backends = {"search": _search_state(), "storage": _storage_state()}
    status = "ok" if set(backends.values()) == {"ok"} else "degraded"
    return {"status": status, "database": "ok", **backends, "search_outbox": waiting}


def _search_state() -> str:
    """Return "ok" when the search engine answers."""
    try:
        return "ok" if get_search().ping() else "unreachable"
    except (SearchError, OSError) as exc:
        logger.warning("health: search unreachable: %s", exc)
        return "unreachable"


def _storage_state() -> str:
    """Return "ok" when the storage answers a lookup."""
    try:
        get_storage().exists(PROBE_KEY)
    except (StorageError, OSError) as exc:
        logger.warning("health: storage unreachable: %s", exc)
        return "unreachable"
    return "ok"
