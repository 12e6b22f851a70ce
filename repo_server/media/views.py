"""JSON endpoints: upload a picture for question text, and fetch it by its hash."""

from flask import current_app, redirect, request
from werkzeug.wsgi import wrap_file

from repo_server.accounts.service import current_user
from repo_server.api import bp
from repo_server.backends import get_storage
from repo_server.media import service


@bp.post("/media")
def upload_media():
    """Upload a picture (multipart ``file``: PNG, JPEG, GIF, WebP) for question text."""
    row = service.upload_media(current_user(), request.files.get("file"))
    return service.dump_media(row), 201


@bp.get("/media/<string(length=64):sha256>")
def get_media(sha256):
    """The bytes of a picture shown in question text."""
    current_user()
    blob = service.get_media(sha256).blob
    storage, seconds = get_storage(), current_app.config["DOWNLOAD_URL_SECONDS"]
    url = storage.download_url(
        blob.storage_key, f"{sha256}", blob.content_type, seconds, True
    )
    if url:
        return redirect(url, 302)
    response = current_app.response_class(mimetype=blob.content_type)
    if request.if_none_match.contains(blob.sha256):
        response.status_code = 304
    else:
        response.response = wrap_file(request.environ, storage.open(blob.storage_key))
        response.direct_passthrough = True
        response.content_length = blob.size
    response.set_etag(blob.sha256)
    response.cache_control.private = True
    response.cache_control.max_age = 86400  # the bytes of a hash never change
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
