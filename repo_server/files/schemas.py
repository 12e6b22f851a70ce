"""Upload input validation and the JSON of files and uploads."""

from flask import url_for
from marshmallow import Schema, fields, validate

from repo_server.common import Text

#: Type prefixes a browser can show inline, and how the page shows them.
PREVIEWS = (
    ("application/pdf", "pdf"),
    ("image/svg", "none"),
    ("image/", "image"),
    ("video/", "video"),
    ("audio/", "audio"),
    ("text/html", "html"),
    ("text/", "text"),
)


class UploadIn(Schema):
    """What a client announces to start a resumable upload."""

    material_id = fields.Integer(required=True, strict=True)
    filename = Text(required=True, validate=validate.Length(min=1))
    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


def preview_kind(content_type: str) -> str:
    """Return how a page previews a type: pdf, image, video, audio, html, text, none."""
    for prefix, kind in PREVIEWS:
        if content_type.startswith(prefix):
            return kind
    return "none"


def dump_file(row) -> dict:
    """Return the JSON of a material file (download URLs included)."""
    url = url_for("api.download_file", file_id=row.id)
    return {
        "id": row.id,
        "material_id": row.material_id,
        "filename": row.filename,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.blob_sha256,
        "position": row.position,
        "preview": preview_kind(row.content_type),
        "extract_error": row.extract_error,
        "url": url,
        "inline_url": url + "?inline=1",
        "created_at": row.created_at.isoformat() + "Z",
    }


def dump_upload(upload, offset: int, chunk_size: int) -> dict:
    """Return the JSON of a resumable upload and how far it has come."""
    return {
        "id": upload.id,
        "material_id": upload.material_id,
        "filename": upload.filename,
        "size": upload.size,
        "offset": offset,
        "chunk_size": chunk_size,
        "url": url_for("api.put_upload_chunk", upload_id=upload.id),
        "expires_at": upload.expires_at.isoformat() + "Z",
    }
