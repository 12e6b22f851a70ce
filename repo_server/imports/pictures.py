"""Pictures embedded in imported files, stored as question media in one go.

``media.service.store_media`` stores one uploaded picture per transaction; a Word paper
holds hundreds, so here the bytes are stored first, by a few threads at once
(content-addressed, so a retry or a twin upload writes nothing new), and the
``Blob``/``QuestionMedia`` rows of all of them are added with one query and one commit.
"""

import io
from concurrent.futures import ThreadPoolExecutor

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.backends import get_storage
from repo_server.errors import RepoError
from repo_server.extensions import db
from repo_server.files import checks
from repo_server.files.blobs import add_blobs
from repo_server.media.models import QuestionMedia
from repo_server.media.service import IMAGE_FAMILIES, media_url

#: Pictures written at once (each write ends with an fsync).
WRITERS = 8


def store_pictures(user, files: dict, notes: list) -> dict[str, str]:
    """Store ``files`` (name → (mime, bytes)); return name → URL, noting the refused."""
    accepted = {}
    for name, (_mime, data) in files.items():
        if mime := _picture_type(name, data, notes):
            accepted[name] = (mime, data)
    storage, stored, urls = get_storage(), {}, {}
    # Each stored copy waits for its fsync (or upload): a few threads keep the disk busy.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        blobs = list(
            pool.map(
                lambda pair: storage.save_by_hash(io.BytesIO(pair[1]), pair[0]),
                accepted.values(),
            )
        )
    for (name, (mime, _data)), blob in zip(accepted.items(), blobs, strict=True):
        stored.setdefault(blob.sha256, (blob, mime))
        urls[name] = media_url(blob.sha256)
    _add_rows(user, stored)
    return urls


def _picture_type(name: str, data: bytes, notes: list) -> str | None:
    """The MIME type of a picture we keep, or None (and a note) for anything else."""
    try:
        found = checks.sniff(data[:65536], checks.check_filename(name))
    except RepoError as exc:
        notes.append(_("Không lưu được ảnh %(f)s: %(e)s", f=name, e=exc.message))
        return None
    if found.family not in IMAGE_FAMILIES:
        notes.append(
            _(
                "Không lưu được ảnh %(f)s: không phải ảnh PNG, JPEG, GIF hoặc WebP.",
                f=name,
            )
        )
        return None
    return found.mime


def _add_rows(user, stored: dict) -> None:
    if not stored:
        return
    shas = list(stored)
    add_blobs(stored.values())
    marked = set(
        db.session.scalars(
            select(QuestionMedia.blob_sha256).where(QuestionMedia.blob_sha256.in_(shas))
        )
    )
    for sha256 in stored:
        if sha256 not in marked:
            db.session.add(QuestionMedia(blob_sha256=sha256, uploaded_by_id=user.id))
    db.session.commit()
