"""HTTP responses for stored files: redirect to S3, or stream with Range support."""

import json

from flask import current_app, redirect, request
from flask_babel import gettext as _
from werkzeug.http import parse_if_range_header
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from repo_server.backends import get_storage
from repo_server.files.models import MaterialFile
from storage.http import content_disposition

#: Bytes handed to the WSGI server at a time when it cannot sendfile().
BLOCK_SIZE = 256 * 1024
#: Types a browser could run script from, and the sandbox they are shown in: pages
#: (simulations) may run their scripts, but in an opaque origin, away from our cookies.
SANDBOXES = {
    "text/html": "sandbox allow-scripts",
    "application/xhtml+xml": "sandbox allow-scripts",
    "image/svg+xml": "sandbox",
    "text/xml": "sandbox",
}


def send_material_file(row: MaterialFile, inline: bool) -> Response:
    """Answer a download: 302 to a presigned URL, or the bytes (200/206/304/416)."""
    storage, key = get_storage(), row.blob.storage_key
    inline = inline and not row.content_type.startswith("image/svg")
    url = storage.download_url(
        key,
        row.filename,
        row.content_type,
        current_app.config["DOWNLOAD_URL_SECONDS"],
        inline,
    )
    if url:
        return redirect(url, 302)
    response = _stream_response(row)
    response.headers["Content-Disposition"] = content_disposition(row.filename, inline)
    return response


def _stream_response(row: MaterialFile) -> Response:
    """Return the whole file, the one byte range asked for, 304 or 416."""
    response = Response(mimetype=row.content_type, direct_passthrough=True)
    response.set_etag(row.blob_sha256)
    response.last_modified = row.created_at
    response.accept_ranges = "bytes"
    response.cache_control.private = True
    response.cache_control.no_cache = True
    _secure(response, row.content_type)
    if request.if_none_match.contains(row.blob_sha256):
        response.status_code = 304
        return response
    span = _requested_span(row)
    if span == "unsatisfiable":
        return _unsatisfiable(response, row.size)
    start, stop = span or (0, row.size)
    response.response = wrap_file(request.environ, _open(row, span), BLOCK_SIZE)
    response.content_length = stop - start
    if span:
        response.status_code = 206
        response.content_range = f"bytes {start}-{stop - 1}/{row.size}"
    return response


def _requested_span(row: MaterialFile):
    """Return (start, stop) of a valid single Range, None for all, or "unsatisfiable"."""
    header = request.headers.get("Range")
    if not header or not _if_range_holds(row):
        return None
    ranges = request.range  # None when the header is malformed: it is then ignored
    if ranges is None or ranges.units != "bytes" or len(ranges.ranges) != 1:
        return None
    return ranges.range_for_length(row.size) or "unsatisfiable"


def _if_range_holds(row: MaterialFile) -> bool:
    """An If-Range naming another version asks for the whole file instead."""
    if_range = parse_if_range_header(request.headers.get("If-Range"))
    if if_range.etag is not None:
        return if_range.etag == row.blob_sha256
    if if_range.date is not None:
        return if_range.date.replace(tzinfo=None) >= row.created_at.replace(
            microsecond=0
        )
    return True


def _open(row: MaterialFile, span):
    """Open the bytes to send: the whole blob, or just the range."""
    storage, key = get_storage(), row.blob.storage_key
    if span is None:
        return storage.open(key)
    return storage.open_range(key, span[0], span[1] - 1)


def _unsatisfiable(response: Response, size: int) -> Response:
    """Return 416 with the size, in the JSON error envelope."""
    message = _("Khoảng byte yêu cầu nằm ngoài tệp.")
    body = {"error": {"code": "range_not_satisfiable", "message": message}}
    response.set_data(json.dumps(body, ensure_ascii=False))
    response.mimetype = "application/json"
    response.status_code = 416
    response.content_range = f"bytes */{size}"
    return response


def _secure(response: Response, content_type: str) -> None:
    """Never let the browser guess a type; run HTML and SVG without script or origin."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    sandbox = SANDBOXES.get(content_type.partition(";")[0])
    if sandbox:
        response.headers["Content-Security-Policy"] = sandbox
