"""Files of materials: store (deduplicated), list, read, delete, copy to a new version."""

import logging
from contextlib import contextmanager
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import func, insert, literal, select
from sqlalchemy.exc import IntegrityError

from repo_server.backends import get_storage
from repo_server.catalog import outbox
from repo_server.errors import Conflict, NotFound
from repo_server.extensions import db
from repo_server.files import checks
from repo_server.files.blobs import (  # noqa: F401  (the feature's service API)
    add_blobs,
    discard_blob,
    drop_unused_blobs,
    purge_after_commit,
)
from repo_server.files.models import MaterialFile
from repo_server.files.streams import FileProbe, Prefetch, Probe
from repo_server.lifecycle import service as lifecycle
from repo_server.materials.models import Material
from repo_server.timeutil import utcnow
from storage import StoredFile

logger = logging.getLogger(__name__)
#: Called with a material about to be deleted / (source, copy) of a new version,
#: by features that attach more files to materials (SCORM packages).
RELEASE_HOOKS: list = []
COPY_HOOKS: list = []
COPIED = (
    "blob_sha256",
    "filename",
    "content_type",
    "size",
    "extracted_text",
    "extract_error",
    "position",
)


def editable_material(user, material_id: int) -> Material:
    """Return a material version ``user`` may attach files to, or raise why not."""
    material = lifecycle.get_visible(Material, user, material_id)
    lifecycle.require_editable(user, material)
    return material


def can_edit(user, material: Material) -> bool:
    """Tell whether ``user`` may add or remove files of ``material`` now."""
    return user.id == material.created_by_id and material.status in lifecycle.EDITABLE


def list_files(user, material_id: int) -> tuple[Material, list[MaterialFile]]:
    """Return a material ``user`` may see and its files, in order."""
    material = lifecycle.get_visible(Material, user, material_id)
    return material, list(material.files)


def upload_file(user, material_id: int, source, declared_size: int | None):
    """Store the file of a multipart upload (``source.open()`` → name) on a material."""
    material = editable_material(user, material_id)
    checks.check_declared_size(declared_size)
    name = source.open()
    with Prefetch(source) as stream:
        return store_file(user, material, stream, name)


def store_file(user, material: Material, stream: BinaryIO, filename: str):
    """Stream ``stream`` to storage once, detect its type, extract text, attach it."""
    probe = Probe(stream)
    return _store(user, material, probe, filename, lambda: probe)


def store_local_file(
    user, material: Material, path: str, filename: str, sha256: str | None = None
):
    """Store a complete local file (a finished resumable upload) and attach it.

    ``sha256`` is the file's digest when it was hashed as it arrived.
    """
    return _store(user, material, FileProbe(path), filename, lambda: path, sha256)


def _store(user, material: Material, probe, filename: str, source, sha256=None):
    """Check the name and type from ``probe``, save ``source()``, attach the file."""
    name = checks.check_filename(filename)
    detected = checks.sniff(probe.head, name)
    stored = checks.save(get_storage(), source(), detected, sha256)
    with _discard_on_error(stored):
        detected = checks.full_type(get_storage(), stored, probe, detected, name)
        row = _attach(user, material, stored, detected, name)
        _commit_new_file()
    _check_still_stored(row)
    outbox.flush_outbox()  # the file's text is searchable once committed
    logger.info("file %s (%s) attached to material %s", row.id, name, material.id)
    return row


def _attach(user, material, stored: StoredFile, detected, name) -> MaterialFile:
    """Add the Blob (if new) and the MaterialFile rows for ``stored``."""
    # Extract before the first write: the transaction stays short and lock-free.
    extracted = _known_text(stored.sha256, detected.mime) or checks.extract(
        get_storage(), stored, detected.mime
    )
    position = _next_position(material.id)
    add_blobs([(stored, detected.mime)])
    row = MaterialFile(
        material_id=material.id,
        blob_sha256=stored.sha256,
        filename=checks.named_for(name, detected),
        content_type=detected.mime,
        size=stored.size,
        extracted_text=extracted.text,
        extract_error=extracted.error,
        position=position,
    )
    db.session.add(row)
    _touch(user, material, "files")
    return row


def _known_text(sha256: str, mime: str):
    """Reuse the text extracted from the same bytes before (None if never)."""
    found = db.session.execute(
        select(MaterialFile.extracted_text, MaterialFile.extract_error)
        .where(MaterialFile.blob_sha256 == sha256, MaterialFile.content_type == mime)
        .limit(1)
    ).first()
    return checks.Extracted(found[0], found[1]) if found else None


def _next_position(material_id: int) -> int:
    """Return the position after the material's last file."""
    last = db.session.scalar(
        select(func.max(MaterialFile.position)).where(
            MaterialFile.material_id == material_id
        )
    )
    return 0 if last is None else last + 1


def _touch(user, material: Material, what: str) -> None:
    """Record that the files of a draft changed, in its history and for search."""
    material.updated_at = utcnow()
    outbox.mark_for_index("material", material.id)
    lifecycle.record_event(
        "material", material, user, "update", material.status, changes=[what]
    )


def _commit_new_file() -> None:
    """Commit; the same new bytes uploaded twice at once make one of them retry."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        raise Conflict(_("Tệp giống hệt đang được tải lên; vui lòng thử lại.")) from exc


@contextmanager
def _discard_on_error(stored: StoredFile):
    """On any failure before commit, roll back and drop the bytes nobody references."""
    finished = False
    try:
        yield
        finished = True
    finally:
        if not finished:
            discard_blob(stored.sha256, stored.key)


def _check_still_stored(row: MaterialFile) -> None:
    """Undo the new row if a concurrent delete removed the shared bytes meanwhile."""
    if get_storage().exists(row.blob.storage_key):
        return
    delete_rows([row])
    db.session.commit()
    raise Conflict(_("Tệp vừa bị xoá ở nơi khác trong lúc tải lên; vui lòng tải lại."))


def get_file(user, file_id: int) -> MaterialFile:
    """Return a file of a material ``user`` may see, or NotFound."""
    row = db.session.get(MaterialFile, file_id)
    if row is None or not lifecycle.can_view(user, row.material):
        raise NotFound(_("Không tìm thấy tệp #%(id)s.", id=file_id))
    return row


def delete_file(user, file_id: int) -> None:
    """Remove a file from a draft; its bytes go when no other file uses them."""
    row = get_file(user, file_id)
    lifecycle.require_editable(user, row.material)
    _touch(user, row.material, "files")
    delete_rows([row])
    db.session.commit()
    outbox.flush_outbox()
    logger.info("file %s deleted by %s", file_id, user.email)


def delete_rows(rows: list[MaterialFile]) -> None:
    """Delete file rows, then the Blob rows no file references any more."""
    shas = {row.blob_sha256 for row in rows}
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    drop_unused_blobs(shas)


def release_files(material: Material) -> None:
    """Drop a material's files before the material itself is deleted."""
    rows = list(material.files)
    material.files.clear()
    delete_rows(rows)
    for hook in RELEASE_HOOKS:
        hook(material)


def copy_files(source: Material, copy: Material) -> None:
    """Give a new version the files of ``source`` (new rows, the same blobs)."""
    for hook in COPY_HOOKS:
        hook(source, copy)
    columns = [getattr(MaterialFile, name) for name in COPIED]
    rows = select(literal(copy.id), literal(utcnow()), *columns).where(
        MaterialFile.material_id == source.id
    )
    db.session.execute(
        insert(MaterialFile).from_select(["material_id", "created_at", *COPIED], rows)
    )
