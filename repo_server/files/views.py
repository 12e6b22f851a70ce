"""JSON endpoints for the files of materials and resumable uploads."""

from flask import current_app, request
from werkzeug.datastructures import ImmutableMultiDict

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.files import service, uploads
from repo_server.files.checks import MULTIPART_SLACK
from repo_server.files.multipart import file_field
from repo_server.files.responses import send_material_file
from repo_server.files.schemas import UploadIn, dump_file, dump_upload
from repo_server.files.socket_body import request_body

#: Endpoints that read their request body themselves, as a stream.
STREAMED = {"api.upload_material_file", "api.put_upload_chunk"}


@bp.url_value_preprocessor
def stream_upload_bodies(endpoint, _values):
    """Let upload routes take big bodies and keep werkzeug from spooling them.

    This runs before the CSRF check, which would otherwise parse the whole form
    (the token must come in the X-CSRFToken header on these routes).
    """
    if endpoint in STREAMED:
        limit = current_app.config["UPLOAD_MAX_BYTES"] + MULTIPART_SLACK
        request.max_content_length = limit
        request.form = request.files = ImmutableMultiDict()


@bp.get("/materials/<int:material_id>/files")
def list_material_files(material_id):
    """List a material's files."""
    _material, rows = service.list_files(current_user(), material_id)
    return {"items": [dump_file(row) for row in rows]}


@bp.post("/materials/<int:material_id>/files")
def upload_material_file(material_id):
    """Upload one file (multipart/form-data, field ``file``), streamed to storage."""
    user, source = current_user(), file_field(request, "file")
    row = service.upload_file(user, material_id, source, request.content_length)
    return dump_file(row), 201


@bp.get("/files/<int:file_id>")
def download_file(file_id):
    """Download a file (``?inline=1`` to show it in the page); Range requests work."""
    row = service.get_file(current_user(), file_id)
    return send_material_file(row, inline=request.args.get("inline") == "1")


@bp.delete("/files/<int:file_id>")
def delete_file(file_id):
    """Remove a file from a draft material."""
    service.delete_file(current_user(), file_id)
    return "", 204


@bp.post("/uploads")
def start_upload():
    """Start a resumable upload: {material_id, filename, size} → its id and URL."""
    upload = uploads.start_upload(current_user(), UploadIn().load(json_body()))
    return dump_upload(upload, 0, current_app.config["UPLOAD_CHUNK_BYTES"]), 201


@bp.get("/uploads/<string(length=32):upload_id>")
def get_upload(upload_id):
    """Tell how many bytes of an upload arrived, to resume after a dropped connection."""
    upload, offset = uploads.get_upload(current_user(), upload_id)
    return dump_upload(upload, offset, current_app.config["UPLOAD_CHUNK_BYTES"])


@bp.put("/uploads/<string(length=32):upload_id>")
def put_upload_chunk(upload_id):
    """Append a chunk (``Content-Range: bytes a-b/total``); the last one adds the file."""
    user, span = current_user(), request.headers.get("Content-Range")
    upload, offset, row = uploads.put_chunk(
        user, upload_id, span, request_body(request)
    )
    if row is None:
        return dump_upload(upload, offset, current_app.config["UPLOAD_CHUNK_BYTES"])
    return {"id": upload_id, "offset": offset, "file": dump_file(row)}, 201


@bp.delete("/uploads/<string(length=32):upload_id>")
def cancel_upload(upload_id):
    """Abandon an upload and its bytes."""
    uploads.cancel_upload(current_user(), upload_id)
    return "", 204
