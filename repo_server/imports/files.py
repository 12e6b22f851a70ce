"""Downloads of an import's original files."""

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.wsgi import wrap_file

from repo_server.backends import get_storage
from repo_server.errors import NotFound
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


def _stream(key: str, mime: str):
    stream = get_storage().open(key)
    return current_app.response_class(
        wrap_file(request.environ, stream), mimetype=mime, direct_passthrough=True
    )
