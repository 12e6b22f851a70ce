"""Storage upkeep: check every blob against the database, and collect garbage.

Orphan objects (bytes with no Blob row) may belong to an upload between its storage
write and its commit, so ``collect_garbage`` first *adopts* them as Blob rows dated now;
unreferenced Blob rows are deleted only once older than ``min_age``. An upload in
flight thus never loses its bytes, and a second run (or ``min_age`` 0) sweeps them.
"""

import hashlib
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from repo_server.backends import get_storage
from repo_server.extensions import db
from repo_server.files import part_digest
from repo_server.files.models import BLOB_USERS, Blob, Upload
from repo_server.files.uploads import discard_upload
from repo_server.timeutil import utcnow
from storage.keys import blob_key

logger = logging.getLogger(__name__)
PREFIX = "blobs/"
READ_SIZE = 1024 * 1024


@dataclass
class StorageReport:
    """What a check or a collection found (and, for gc, removed)."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    orphan_objects: list[str] = field(default_factory=list)
    unreferenced_blobs: list[str] = field(default_factory=list)
    expired_uploads: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Tell whether nothing is wrong."""
        return not any(
            value for value in asdict(self).values() if isinstance(value, list)
        )

    def as_dict(self) -> dict:
        """Return the report as JSON-ready data."""
        return {**asdict(self), "clean": self.clean}


def check_storage(verify_hash: bool = True) -> StorageReport:
    """Compare every Blob row with its object (size, and SHA-256 unless told not to)."""
    report = StorageReport()
    storage, known = get_storage(), set()
    for blob in db.session.scalars(select(Blob).order_by(Blob.sha256)):
        report.checked += 1
        known.add(blob.storage_key)
        problem = _blob_problem(storage, blob, verify_hash)
        if problem:
            getattr(report, problem).append(blob.storage_key)
    report.orphan_objects = sorted(set(storage.iter_keys(PREFIX)) - known)
    # Uploads commit a Blob row with its first file, so any unreferenced row is news.
    report.unreferenced_blobs = [b.storage_key for b in _unreferenced(utcnow())]
    report.expired_uploads = [u.id for u in _expired_uploads()]
    return report


def _blob_problem(storage, blob: Blob, verify_hash: bool) -> str | None:
    """Return "missing" or "corrupt" for a blob whose object is wrong, else None."""
    try:
        size = storage.stat(blob.storage_key).size
        if size != blob.size:
            return "corrupt"
        if verify_hash and _sha256(storage, blob.storage_key) != blob.sha256:
            return "corrupt"
    except FileNotFoundError:
        return "missing"
    return None


def _sha256(storage, key: str) -> str:
    """Read an object through and return its SHA-256."""
    digest = hashlib.sha256()
    with storage.open(key) as stream:
        while chunk := stream.read(READ_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _cutoff(min_age_hours: float | None) -> datetime:
    """Return the creation time before which unreferenced things may go."""
    hours = (
        current_app.config["UPLOAD_EXPIRY_HOURS"]
        if min_age_hours is None
        else min_age_hours
    )
    return utcnow() - timedelta(hours=hours)


def _unreferenced(cutoff: datetime) -> list[Blob]:
    """Blob rows older than ``cutoff`` that no material file uses."""
    unused = [
        ~select(column).where(column == Blob.sha256).exists() for column in BLOB_USERS
    ]
    query = select(Blob).where(*unused, Blob.created_at <= cutoff)
    return list(db.session.scalars(query.order_by(Blob.sha256)))


def _expired_uploads() -> list[Upload]:
    """Resumable uploads past their expiry."""
    query = select(Upload).where(Upload.expires_at < utcnow()).order_by(Upload.id)
    return list(db.session.scalars(query))


def collect_garbage(dry_run: bool = False, min_age_hours=None) -> StorageReport:
    """Remove orphan objects, unreferenced blobs and expired uploads."""
    report, storage = StorageReport(), get_storage()
    report.orphan_objects = _adopt_orphans(storage, dry_run, _cutoff(min_age_hours))
    for blob in _unreferenced(_cutoff(min_age_hours)):
        report.unreferenced_blobs.append(blob.storage_key)
        if not dry_run:
            db.session.delete(blob)
            db.session.commit()
            storage.delete(blob.storage_key)
    for upload in _expired_uploads():
        report.expired_uploads.append(upload.id)
        if not dry_run:
            discard_upload(upload.id)
    if not dry_run:
        _remove_stray_parts(_cutoff(min_age_hours))
    logger.info("storage gc%s: %s", " (dry run)" if dry_run else "", report.as_dict())
    return report


def _adopt_orphans(storage, dry_run: bool, cutoff: datetime) -> list[str]:
    """Give each orphan blob a Blob row dated now; delete old objects that are no blob.

    An object not named by its hash (S3 keeps long streams where they were streamed)
    may be an upload that has not committed yet: it goes once older than ``cutoff``.
    """
    known = set(db.session.scalars(select(Blob.storage_key)))
    orphans = sorted(set(storage.iter_keys(PREFIX)) - known)
    for key in orphans if not dry_run else ():
        sha256 = key.rsplit("/", 1)[-1]
        if not _is_blob_key(key, sha256):
            _delete_if_older(storage, key, cutoff)
        else:
            size = storage.stat(key).size
            db.session.add(
                Blob(
                    sha256=sha256,
                    size=size,
                    content_type="application/octet-stream",
                    storage_key=key,
                )
            )
    db.session.commit()
    return orphans


def _delete_if_older(storage, key: str, cutoff: datetime) -> None:
    """Delete the object ``key`` if it was last written before ``cutoff``."""
    try:
        modified = storage.stat(key).modified
    except FileNotFoundError:
        return
    if modified is None or _naive_utc(modified) < cutoff:
        storage.delete(key)


def _naive_utc(timestamp: float) -> datetime:
    """Return ``timestamp`` as the naive UTC datetime the database keeps."""
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


def _is_blob_key(key: str, sha256: str) -> bool:
    """Tell whether ``key`` is where the blob named ``sha256`` lives."""
    try:
        return blob_key(sha256, PREFIX.rstrip("/")) == key
    except ValueError:
        return False


def _remove_stray_parts(cutoff: datetime) -> None:
    """Delete part files older than ``cutoff`` that no upload row owns."""
    folder = current_app.config["UPLOAD_DIR"]
    if not os.path.isdir(folder):
        return
    owned = {
        f"{upload_id}{ending}"
        for upload_id in db.session.scalars(select(Upload.id))
        for ending in (".part", part_digest.SUFFIX)
    }
    for entry in os.scandir(folder):
        old = _naive_utc(entry.stat().st_mtime) < cutoff
        if entry.is_file() and entry.name not in owned and old:
            os.unlink(entry.path)
            logger.info("removed stray upload part %s", entry.name)
