"""Bulk creation: many content rows and their history in a few statements.

The unit of work flushes object by object, and for a 2,000-question import that
bookkeeping cost more than the database work. Here the validated, still transient
objects become the parameters of one executemany INSERT per table (``insertmanyvalues``:
a few hundred rows per statement, ids returned in order) inside the caller's
transaction, so all rows are written or, on any error, none.
"""

from sqlalchemy import insert, update
from sqlalchemy.orm import make_transient_to_detached

from repo_server.extensions import db
from repo_server.lifecycle.models import ContentEvent
from repo_server.timeutil import utcnow

#: Ids per ``IN (…)`` list: well under SQLite's limit of bound parameters.
CHUNK = 1000


def insert_items(model, items: list) -> list[int]:
    """Insert transient items in order and give each its id; return the ids."""
    if not items:  # an empty executemany would insert one row of defaults
        return []
    columns = [c for c in model.__table__.columns if c.key != "id"]
    rows = [_row(item, columns) for item in items]
    statement = insert(model.__table__).returning(
        model.__table__.c.id, sort_by_parameter_order=True
    )
    ids = list(db.session.execute(statement, rows).scalars())
    for item, item_id in zip(items, ids, strict=True):
        item.id = item_id
    return ids


def _row(item, columns) -> dict:
    """The column values of a transient item; unset columns take their defaults."""
    values = vars(item)
    return {c.key: values[c.key] if c.key in values else _default(c) for c in columns}


def _default(column):
    """The Python-side default of a column (None when it has none)."""
    default = column.default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg


def set_lineage(model, ids: list[int]) -> None:
    """First versions are their own lineage: ``lineage_id = id``."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        db.session.execute(
            update(model.__table__)
            .where(model.__table__.c.id.in_(chunk))
            .values(lineage_id=model.__table__.c.id)
        )


def record_creations(kind: str, items: list, user) -> None:
    """The "create" history event of every item, in one executemany INSERT."""
    now = utcnow()
    rows = [
        {
            "content_kind": kind,
            "content_id": item.id,
            "lineage_id": item.lineage_id,
            "version": item.version,
            "action": "create",
            "from_status": None,
            "to_status": item.status,
            "user_id": user.id,
            "comment": None,
            "changes": [],
            "at": now,
        }
        for item in items
    ]
    if rows:
        db.session.execute(insert(ContentEvent.__table__), rows)


def attach(items: list) -> None:
    """Make the inserted objects persistent in the session without reading them back."""
    for item in items:
        make_transient_to_detached(item)
        db.session.add(item)
