"""Resumable uploads: chunks appended to a part file, then stored like any upload.

The part file lives in UPLOAD_DIR (local disk of the app) whatever the storage backend:
its length is the offset received so far, so any worker can answer "where was I?",
and a dropped connection resumes from the last byte written. Each chunk is hashed as
it is written and the hash state kept beside the part (``part_digest``); when the last
byte arrives the part is handed to storage with its digest — hard-linked into local
storage on the same file system (no copy), streamed to S3 — and its name is removed.
"""

import fcntl
import logging
import os
import shutil
import uuid
from contextlib import contextmanager, nullcontext, suppress
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import ContentRange
from werkzeug.http import parse_content_range_header

from repo_server.errors import Conflict, Invalid, NotFound, Unavailable
from repo_server.extensions import db
from repo_server.files import checks, part_digest
from repo_server.files.errors import Unsupported
from repo_server.files.models import Upload
from repo_server.files.service import editable_material, store_local_file
from repo_server.timeutil import utcnow
from storage.streams import Digest, Writeback

logger = logging.getLogger(__name__)
#: Bytes copied from the request to the part file at a time.
COPY_SIZE = 1024 * 1024
#: The least change of an upload's expiry worth a database write.
EXPIRY_STEP = timedelta(minutes=1)


def part_path(upload_id: str) -> str:
    """Return the part file of an upload (ids are hex, so no path tricks)."""
    return os.path.join(current_app.config["UPLOAD_DIR"], f"{upload_id}.part")


def start_upload(user, data: dict) -> Upload:
    """Open a resumable upload of ``data["size"]`` bytes to a draft material."""
    material = editable_material(user, data["material_id"])
    checks.check_declared_size(data["size"], exact=True)
    name = checks.check_filename(data["filename"])
    _check_free_space(data["size"])
    upload = Upload(
        id=uuid.uuid4().hex,
        user_id=user.id,
        material_id=material.id,
        filename=name,
        size=data["size"],
        expires_at=_expiry(),
    )
    with open(part_path(upload.id), "xb"):
        pass
    db.session.add(upload)
    db.session.commit()
    logger.info("upload %s of %s started by %s", upload.id, name, user.email)
    return upload


def _check_free_space(size: int) -> None:
    """Refuse an upload the app's disk cannot hold."""
    folder = current_app.config["UPLOAD_DIR"]
    os.makedirs(folder, exist_ok=True)
    if shutil.disk_usage(folder).free < size * 2:
        raise Unavailable(
            _("Máy chủ tạm hết chỗ chứa tệp tải lên; vui lòng thử lại sau.")
        )


def _expiry():
    """Return when an upload untouched from now on is discarded."""
    return utcnow() + timedelta(hours=current_app.config["UPLOAD_EXPIRY_HOURS"])


def get_upload(user, upload_id: str) -> tuple[Upload, int]:
    """Return one of the user's uploads in progress and the bytes received so far."""
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.user_id != user.id or upload.expires_at < utcnow():
        raise NotFound(_("Không tìm thấy lượt tải lên này (có thể đã hết hạn)."))
    try:
        return upload, os.path.getsize(part_path(upload.id))
    except FileNotFoundError as exc:
        raise NotFound(_("Phần đã tải lên không còn; hãy tải lại từ đầu.")) from exc


def put_chunk(user, upload_id: str, content_range: str | None, body: BinaryIO):
    """Append the chunk at ``content_range``; finish when complete.

    Return (upload, offset, file); file is None until the last byte arrived.
    """
    upload, _offset = get_upload(user, upload_id)
    start, stop = _check_span(upload, parse_content_range_header(content_range))
    with _locked_part(upload.id) as part:
        offset = part.seek(0, os.SEEK_END)
        if start is not None:
            offset = _append(part, offset, start, stop, body)
    _extend_expiry(upload)
    if offset < upload.size:
        return upload, offset, None
    return upload, offset, _finish(user, upload)


def _check_span(upload: Upload, span: ContentRange | None):
    """Return (start, stop) of a ``bytes a-b/total`` chunk; ``*/total`` asks to finish."""
    bad = span is None or span.units != "bytes" or span.length != upload.size
    if bad or (span.stop or 0) > upload.size:
        raise Invalid(
            _(
                "Cần tiêu đề Content-Range dạng 'bytes đầu-cuối/%(n)s'.",
                n=upload.size,
            )
        )
    return span.start, span.stop


def _extend_expiry(upload: Upload) -> None:
    """Push the upload's expiry back, committing only when it moved a minute or more.

    A large upload sends hundreds of chunks; a database write for each would cost
    more than it tells.
    """
    expires_at = _expiry()
    if expires_at - upload.expires_at >= EXPIRY_STEP:
        upload.expires_at = expires_at
        db.session.commit()


def _append(part: BinaryIO, offset: int, start: int, stop: int, body) -> int:
    """Write the bytes of [start, stop) not yet received; return the new offset."""
    if start > offset:
        raise Conflict(
            _("Phần tệp phải bắt đầu ở byte %(n)s (đã nhận đến đó).", n=offset),
            {"offset": [str(offset)]},
        )
    _skip(body, offset - start)  # a chunk sent again after a lost answer
    sha = part_digest.resume(part.name, offset)
    try:
        return _copy(part, offset, stop - max(start, offset), body, sha)
    finally:
        part_digest.save(part.name, sha)  # what was received counts, even if cut off


def _copy(part: BinaryIO, offset: int, left: int, body, sha) -> int:
    """Append ``left`` bytes of ``body``, hashing them on a helper thread."""
    writeback = Writeback(part.fileno(), offset)  # the finished part is fsynced
    hashing = (
        nullcontext(_Ignored()) if sha is None else Digest(sha=sha, inline_bytes=0)
    )
    with hashing as digest:
        while left > 0 and (chunk := body.read(min(COPY_SIZE, left))):
            part.write(chunk)
            digest.update(chunk)  # after the write: the hash never runs ahead of it
            writeback.wrote(len(chunk))
            left -= len(chunk)
            offset += len(chunk)
        part.flush()
    writeback.start_now()  # a chunk is often smaller than the writeback window
    return offset


class _Ignored:
    """A hash object that drops what it is fed (resumable hashing is unavailable)."""

    def update(self, chunk) -> None:
        """Drop ``chunk``."""


def _skip(body: BinaryIO, count: int) -> None:
    """Read and drop ``count`` bytes already received."""
    while count > 0 and (chunk := body.read(min(COPY_SIZE, count))):
        count -= len(chunk)


@contextmanager
def _locked_part(upload_id: str):
    """Open the part file for appending, one request at a time."""
    with open(part_path(upload_id), "r+b") as part:
        try:
            fcntl.flock(part, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Conflict(_("Một phần khác của tệp này đang được nhận.")) from exc
        yield part


def _finish(user, upload: Upload):
    """Store the complete part like any upload; drop the upload with the new file."""
    material = editable_material(user, upload.material_id)
    db.session.delete(upload)  # committed with the file row, or rolled back with it
    path = part_path(upload.id)
    sha256 = part_digest.finished(path, upload.size)
    try:
        row = store_local_file(user, material, path, upload.filename, sha256)
    except (Unsupported, Invalid):  # these bytes will never be accepted
        discard_upload(upload.id)
        raise
    _unlink(path)
    part_digest.discard(path)
    return row


def cancel_upload(user, upload_id: str) -> None:
    """Abandon one of the user's uploads."""
    upload, _offset = get_upload(user, upload_id)
    discard_upload(upload.id)
    logger.info("upload %s cancelled by %s", upload_id, user.email)


def discard_upload(upload_id: str) -> None:
    """Delete an upload's row and part file."""
    db.session.rollback()
    upload = db.session.get(Upload, upload_id)
    if upload is not None:
        db.session.delete(upload)
        db.session.commit()
    _unlink(part_path(upload_id))
    part_digest.discard(part_path(upload_id))


def _unlink(path: str) -> None:
    """Remove a file if it is there."""
    with suppress(FileNotFoundError):
        os.unlink(path)
