"""Blob rows: one per SHA-256, pointing at wherever storage put those bytes.

Storage keys bytes by their hash, except S3 streams of more than one part, which
stay where they were streamed (``storage.s3``): the same bytes may then arrive under
a second key, which is deleted once the transaction that found the first commits.
"""

import logging
from collections.abc import Iterable

from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from repo_server.backends import get_storage
from repo_server.extensions import db
from repo_server.files.models import BLOB_USERS, Blob
from storage import StorageError, StoredFile

logger = logging.getLogger(__name__)
#: Session.info key of the storage keys to delete once the transaction commits.
PURGE = "files.purge"
BLOB_BATCH = 500


def add_blobs(saved: Iterable[tuple[StoredFile, str]]) -> None:
    """Add a Blob row (of type ``mime``) for each stored file whose bytes are new.

    A copy stored under another key than its blob's is deleted after commit.
    """
    wanted: dict[str, list[tuple[StoredFile, str]]] = {}
    for stored, mime in saved:
        wanted.setdefault(stored.sha256, []).append((stored, mime))
    rows = db.session.scalars(select(Blob).where(Blob.sha256.in_(wanted)))
    kept = {blob.sha256: blob.storage_key for blob in rows}
    for sha256, copies in wanted.items():
        if sha256 not in kept:
            first, mime = copies[0]
            kept[sha256] = first.key
            db.session.add(
                Blob(
                    sha256=sha256,
                    size=first.size,
                    content_type=mime,
                    storage_key=first.key,
                )
            )
        for key in {stored.key for stored, _mime in copies} - {kept[sha256]}:
            purge_after_commit(key)


def discard_blob(sha256: str, key: str) -> None:
    """Roll back, then delete ``key`` unless a committed Blob row keeps it."""
    db.session.rollback()
    try:
        blob = db.session.get(Blob, sha256)
    except SQLAlchemyError:
        logger.warning("database unreachable; blob %s left for storage gc", key)
        db.session.rollback()
        return
    if blob is None or blob.storage_key != key:
        _delete_quietly(key)


def drop_unused_blobs(shas: set[str]) -> None:
    """Delete the Blob rows (and, after commit, bytes) of ``shas`` nothing uses."""
    ordered = sorted(shas)
    for start in range(0, len(ordered), BLOB_BATCH):
        chunk = ordered[start : start + BLOB_BATCH]
        used = set()
        for column in BLOB_USERS:
            used.update(db.session.scalars(select(column).where(column.in_(chunk))))
        for sha in set(chunk) - used:
            blob = db.session.get(Blob, sha)
            purge_after_commit(blob.storage_key)
            db.session.delete(blob)


def purge_after_commit(key: str) -> None:
    """Delete ``key`` from storage once the current transaction has committed."""
    db.session.info.setdefault(PURGE, set()).add(key)


@event.listens_for(Session, "after_commit")
def _purge(session: Session) -> None:
    """Delete the bytes of the blobs the committed transaction dropped."""
    for key in sorted(session.info.pop(PURGE, ())):
        _delete_quietly(key)


@event.listens_for(Session, "after_rollback")
def _forget_purge(session: Session) -> None:
    """A rolled-back delete keeps its bytes."""
    session.info.pop(PURGE, None)


def _delete_quietly(key: str) -> None:
    """Delete a blob; if storage is down, leave it to ``storage gc``."""
    try:
        get_storage().delete(key)
    except StorageError:
        logger.warning("could not delete %s; storage gc will", key, exc_info=True)
