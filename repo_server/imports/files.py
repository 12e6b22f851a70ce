"""Downloads of an import's originals and of the pictures of imported questions."""

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.wsgi import wrap_file

from repo_server.backends import get_storage
from repo_server.errors import NotFound
from repo_server.extensions import db
from repo_server.files.models import Blob
from repo_server.imports.service import get_import
from storage.http import content_disposition

#: Types shown inline; anything else is downloaded.
INLINE = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/bmp",
    "audio/mpeg",
)


def send_original(user, import_id: int, number: int):
    """Stream original file ``number`` (from 1) of an import of ``user``."""
    record = get_import(user, import_id)
    if not 1 <= number <= len(record.files):
        raise NotFound(_("Không tìm thấy tệp gốc số %(n)s.", n=number))
    file = record.files[number - 1]
    response = _stream(file["key"], "application/octet-stream")
    response.headers["Content-Disposition"] = content_disposition(file["name"])
    return response


def send_media(sha256: str):
    """Stream a stored picture; only known picture types are shown inline."""
    blob = db.session.get(Blob, sha256.lower())
    if blob is None:
        raise NotFound(_("Không tìm thấy ảnh."))
    inline = blob.content_type in INLINE
    response = _stream(
        blob.storage_key, blob.content_type if inline else "application/octet-stream"
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    if not inline:
        response.headers["Content-Disposition"] = "attachment"
    return response


def _stream(key: str, mime: str):
    stream = get_storage().open(key)
    return current_app.response_class(
        wrap_file(request.environ, stream), mimetype=mime, direct_passthrough=True
    )
