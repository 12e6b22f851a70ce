"""The search outbox: index updates recorded with each change, applied after commit.

A use case adds outbox rows in its own transaction (``enqueue``), commits, then calls
``flush_outbox``: the rows' documents are rebuilt from the committed rows and sent to the
engine, and the rows deleted. If the engine fails, the rows stay with ``attempts`` and
``last_error`` and are tried again by the next flush after SEARCH_RETRY_SECONDS, by a
search request (``retry_due``), or by ``repo-server reindex --pending``. A write never
fails because the engine is down, and nothing committed is left out of the index.

A bulk creation (an import of thousands of questions) does not index inside the
request: ``enqueue_ids`` writes its rows already "tried" at the commit, so other
flushes leave them alone for SEARCH_RETRY_SECONDS, and ``flush_after_bulk`` applies
them in a background thread. Should that thread fail or its process stop, the rows
are due again after SEARCH_RETRY_SECONDS like any failed row.
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, insert, or_, select, update

from repo_server.backends import get_search
from repo_server.catalog.documents import load_documents
from repo_server.catalog.models import SearchOutbox
from repo_server.extensions import db
from repo_server.timeutil import utcnow
from search import SearchError

logger = logging.getLogger(__name__)
#: ``app.extensions`` key: when this process last looked for rows left by failures.
CHECKED = "search_outbox_checked"


@dataclass(frozen=True)
class Flushed:
    """What a flush did: rows applied, rows left after a failure, and the error."""

    applied: int = 0
    failed: int = 0
    error: str | None = None


def mark_for_index(kind: str, item_id: int, action: str = "index") -> None:
    """Record in the current transaction that an item's document must be rebuilt."""
    db.session.add(SearchOutbox(kind=kind, item_id=item_id, action=action))


def enqueue(kind: str, *items, action: str = "index") -> None:
    """Record in the current transaction that these items changed (ids must exist)."""
    for item in items:
        mark_for_index(kind, item.id, action)


def enqueue_ids(kind: str, ids: list[int]) -> None:
    """Record many new items in one INSERT; large batches are left to ``flush_after_bulk``."""
    now = utcnow()
    handed_off = (
        now if len(ids) >= current_app.config["SEARCH_BACKGROUND_ITEMS"] else None
    )
    rows = [
        {"kind": kind, "item_id": item_id, "action": "index", "attempts": 0}
        | {"created_at": now, "tried_at": handed_off}
        for item_id in ids
    ]
    if rows:
        db.session.execute(insert(SearchOutbox.__table__), rows)


def flush_after_bulk(count: int) -> None:
    """After the commit of ``enqueue_ids``: flush now, or in the background when large."""
    app = current_app._get_current_object()
    if count < app.config["SEARCH_BACKGROUND_ITEMS"]:
        flush_outbox()
    elif app.config["JOBS_INLINE"]:
        flush_outbox(force=True)
    else:
        threading.Thread(
            target=_flush_in_background, args=(app,), name="search-outbox"
        ).start()


#: One background flush at a time per process: a second one finds the rows gone.
_BACKGROUND = threading.Lock()


def _flush_in_background(app) -> None:
    """Apply every row in a thread of its own, with its own app context and session."""
    with _BACKGROUND, app.app_context():
        try:
            flushed = flush_outbox(force=True)
        except Exception:  # the rows stay and are retried; never kill the process
            db.session.rollback()
            logger.exception("background search indexing failed")
        else:
            logger.info("background search indexing: %s", flushed)
        finally:
            db.session.remove()


def enqueue_lineage(kind: str, model, item) -> None:
    """Record every version of an item (publishing archives the one published before)."""
    query = select(model.id).where(model.lineage_id == item.lineage_id)
    for item_id in db.session.scalars(query):
        mark_for_index(kind, item_id)


def flush_outbox(force: bool = False) -> Flushed:
    """Apply the outbox rows that are due (every row with ``force``), batch by batch."""
    applied, last = 0, 0
    while rows := _next_batch(last, force):
        last = rows[-1].id
        ids = [row.id for row in rows]
        try:
            _apply(rows)
        except SearchError as exc:
            _keep(ids, exc)
            return Flushed(applied, len(ids), str(exc))
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(ids)))
        db.session.commit()
        applied += len(ids)
    return Flushed(applied)


def _next_batch(after: int, force: bool) -> list[SearchOutbox]:
    """Return the next rows by id; unless forced, only new ones or those due a retry."""
    query = (
        select(SearchOutbox)
        .where(SearchOutbox.id > after)
        .order_by(SearchOutbox.id)
        .limit(current_app.config["SEARCH_BATCH"])
    )
    if not force:
        seconds = current_app.config["SEARCH_RETRY_SECONDS"]
        due = utcnow() - timedelta(seconds=seconds)
        query = query.where(
            or_(SearchOutbox.tried_at.is_(None), SearchOutbox.tried_at <= due)
        )
    return list(db.session.scalars(query))


def _apply(rows: list[SearchOutbox]) -> None:
    """Index the items that exist and delete the documents of those that do not."""
    by_kind: dict[str, set[int]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, set()).add(row.item_id)
    backend = get_search()
    for kind, ids in sorted(by_kind.items()):
        docs, missing = load_documents(kind, sorted(ids))
        if docs:
            backend.index(docs)
        if missing:
            backend.delete(kind, sorted(missing))


def _keep(ids: list[int], exc: SearchError) -> None:
    """Leave failed rows for a retry, noting the attempt and the error."""
    db.session.execute(
        update(SearchOutbox)
        .where(SearchOutbox.id.in_(ids))
        .values(
            attempts=SearchOutbox.attempts + 1,
            last_error=str(exc)[:2000],
            tried_at=utcnow(),
        )
    )
    db.session.commit()
    logger.warning(
        "search index not updated; %d changes kept for retry: %s", len(ids), exc
    )


def retry_due() -> None:
    """Apply rows left by failures, looking at most every SEARCH_RETRY_SECONDS."""
    now = time.monotonic()
    checked = current_app.extensions.get(CHECKED)
    if (
        checked is not None
        and now - checked < current_app.config["SEARCH_RETRY_SECONDS"]
    ):
        return
    current_app.extensions[CHECKED] = now
    if db.session.scalar(select(SearchOutbox.id).limit(1)) is not None:
        flush_outbox()


def forget_older(created_before) -> None:
    """Drop the rows recorded before ``created_before`` (a rebuild covered them)."""
    old = delete(SearchOutbox).where(SearchOutbox.created_at < created_before)
    db.session.execute(old)
    db.session.commit()
