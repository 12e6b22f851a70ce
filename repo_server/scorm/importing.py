"""Import a SCORM zip as an e-learning lecture: a draft material and its package.

Everything is checked before anything is written (``scorm.open_package``: zip limits,
paths, manifest). Then every file is streamed to content-addressed storage, and one
transaction adds the material, the original zip (a ``MaterialFile`` whose text is the
lecture's HTML text, so search finds it), the package and its files by path. If that
fails, bytes nobody owns are deleted: no half-written lecture is left.
"""

import io
import logging
import tempfile
from contextlib import contextmanager
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

import scorm
from qti import PackageLimits
from qti.conventions import guess_mime
from repo_server.backends import get_storage
from repo_server.catalog import outbox
from repo_server.errors import Invalid
from repo_server.extensions import db
from repo_server.files import service as files
from repo_server.files.checks import check_filename
from repo_server.files.extract import extract_text
from repo_server.files.models import MaterialFile
from repo_server.lifecycle import service as lifecycle
from repo_server.materials.models import Material
from repo_server.materials.service import apply_material
from repo_server.scorm.models import ScormFile, ScormPackage
from storage import StoredFile

logger = logging.getLogger(__name__)
ZIP_TYPE = "application/zip"
HTML = (".html", ".htm", ".xhtml")
#: Largest HTML page read for search text (bigger ones are generated, not prose).
MAX_HTML_BYTES = 4 * 1024 * 1024
#: Files streamed to storage before their rows are flushed (bounds memory).
FLUSH_EVERY = 500


def import_upload(user, upload, form: dict) -> Material:
    """Import the uploaded file (a werkzeug ``FileStorage``) of a form or request."""
    lifecycle.require_author_role(user)
    if upload is None or not upload.filename:
        message = _("Chưa chọn tệp gói SCORM (.zip).")
        raise Invalid(message, {"file": [message]})
    return import_lecture(user, upload.filename, upload.stream, form)


def import_lecture(user, name: str, stream: BinaryIO, form: dict) -> Material:
    """Import the SCORM package ``stream`` as a draft lecture of ``user``."""
    lifecycle.require_author_role(user)
    filename = check_filename(name or "bai-giang.zip")
    with _seekable(stream) as source:
        opened = open_lecture(source, filename)
        stored: list[tuple[StoredFile, str]] = []
        try:
            material = _write(user, opened, source, filename, form, stored)
        except BaseException:
            _discard(stored)
            raise
        finally:
            opened.close()
    outbox.flush_outbox()
    logger.info("SCORM lecture %s imported by %s", material.id, user.email)
    return material


def open_lecture(source: BinaryIO, filename: str) -> scorm.OpenedPackage:
    """Open and check a package; its problem becomes a clear 422."""
    try:
        return scorm.open_package(source, limits())
    except scorm.ScormError as exc:
        message = _("Không nhập được gói %(f)s: %(e)s", f=filename, e=exc.message)
        raise Invalid(message, {"file": [message]}) from exc


def limits() -> PackageLimits:
    """Return the configured zip limits (the same as for question packages)."""
    config = current_app.config
    return PackageLimits(
        max_total_bytes=config["IMPORT_MAX_ZIP_BYTES"],
        max_entries=config["IMPORT_MAX_ZIP_ENTRIES"],
        max_ratio=config["IMPORT_MAX_ZIP_RATIO"],
    )


@contextmanager
def _seekable(stream: BinaryIO):
    """Yield ``stream`` if it seeks, else a temporary copy that spills to disk."""
    if stream.seekable():
        stream.seek(0)
        yield stream
        return
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
        while chunk := stream.read(1024 * 1024):
            copy.write(chunk)
        copy.seek(0)
        yield copy


def _write(user, opened, source, filename, form, stored) -> Material:
    """Store the files, then add every row in one transaction."""
    package = opened.package
    material = _new_material(user, package, form)
    row = ScormPackage(
        material=material,
        version=package.version,
        identifier=package.identifier[:255],
        toc=[item.to_dict() for item in package.toc],
        warnings=list(package.warnings),
    )
    db.session.add(row)
    db.session.flush()
    text = _store_entries(opened, row, stored)
    source.seek(0)
    original = get_storage().save_by_hash(source, ZIP_TYPE)
    stored.append((original, ZIP_TYPE))
    _add_blobs([(original, ZIP_TYPE)])
    db.session.add(_zip_file(material, original, filename, text))
    db.session.commit()
    return material


def _new_material(user, package: scorm.Package, form: dict) -> Material:
    """Add the draft material the lecture becomes (metadata: form, else manifest)."""
    material = Material(author_id=user.id, created_by_id=user.id, org_id=user.org_id)
    data = {
        "title": (form.get("title") or package.title)[:255],
        "description": form.get("description") or package.description,
        "kind": "lecture",
        "language": form.get("language") or _language(package.language),
        "licence": form.get("licence") or package.meta.get("licence") or "CC-BY-4.0",
        "tags": [],
    }
    for key in ("subject", "grade", "topic"):
        if form.get(key):
            data[key] = form[key]
    apply_material(material, data)
    db.session.add(material)
    db.session.flush()
    material.lineage_id = material.id
    lifecycle.record_event("material", material, user, "create", None)
    outbox.enqueue("material", material)
    return material


def _language(value: str) -> str:
    """Return the ISO 639-1 code of a LOM language ("vi-VN" → "vi"), default vi."""
    code = value.split("-")[0].lower()
    return code if len(code) == 2 and code.isalpha() else "vi"


def _store_entries(opened, package: ScormPackage, stored: list) -> str:
    """Stream every file to storage, add its rows; return the HTML text."""
    storage, pieces, budget = get_storage(), [], _text_budget()
    pending: list[tuple[str, StoredFile, str]] = []
    for path, info in opened.files():
        mime = guess_mime(path) or "application/octet-stream"
        with opened.archive.open(info) as entry:
            saved = storage.save_by_hash(entry, mime, max_size=info.file_size)
        stored.append((saved, mime))
        pending.append((path, saved, mime))
        if path.lower().endswith(HTML) and budget > 0 and saved.size <= MAX_HTML_BYTES:
            text = _html_text(storage, saved, budget)
            pieces.append(text)
            budget -= len(text) + 1
        if len(pending) >= FLUSH_EVERY:
            _add_rows(package, pending)
    _add_rows(package, pending)
    return " ".join(p for p in pieces if p)


def _text_budget() -> int:
    return current_app.config["EXTRACT_MAX_CHARS"]


def _html_text(storage, saved: StoredFile, budget: int) -> str:
    """Return the visible text of one stored HTML page (scripts left out)."""
    with storage.open(saved.key) as stream:
        data = stream.read(MAX_HTML_BYTES + 1)
    seconds = current_app.config["EXTRACT_SECONDS"]
    found = extract_text(io.BytesIO(data), "text/html", budget, seconds)
    return found.text or ""


def _add_rows(package: ScormPackage, pending: list) -> None:
    """Add the Blob rows not yet known and the package's file rows, then flush."""
    _add_blobs([(saved, mime) for _, saved, mime in pending])
    for path, saved, mime in pending:
        package.file_count += 1
        package.total_size += saved.size
        db.session.add(
            ScormFile(
                package_id=package.id,
                path=path,
                blob_sha256=saved.sha256,
                size=saved.size,
                content_type=mime,
            )
        )
    db.session.flush()
    pending.clear()


def _add_blobs(saved: list[tuple[StoredFile, str]]) -> None:
    """Add a Blob row for each stored file whose bytes are new."""
    files.add_blobs(saved)
    db.session.flush()


def _zip_file(material, original: StoredFile, filename: str, text: str):
    """Return the material file of the original zip, carrying the lecture's text."""
    return MaterialFile(
        material=material,
        blob_sha256=original.sha256,
        filename=filename,
        content_type=ZIP_TYPE,
        size=original.size,
        extracted_text=text or None,
        position=0,
    )


def _discard(stored: list[tuple[StoredFile, str]]) -> None:
    """Roll back; delete the bytes this import stored that no committed row owns."""
    db.session.rollback()
    for saved in {s.key: s for s, _mime in stored}.values():  # a hash may have 2 keys
        files.discard_blob(saved.sha256, saved.key)
