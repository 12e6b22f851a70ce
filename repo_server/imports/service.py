"""Imports: read files into a preview, let the teacher fix or deselect, commit atomically.

Every file of an upload is read before anything is kept: a file that cannot be read
as a whole fails the upload. The preview lists every question as it will be stored,
with its problems and duplicates; the commit creates the selected questions as the
owner's drafts in one transaction (all or none). The originals stay in storage under
``imports/<uuid>/`` with the record.
"""

import logging
import uuid
from typing import BinaryIO

from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from importers.result import sanitized
from qti import Item, QtiError
from repo_server.backends import get_storage
from repo_server.errors import Conflict, Forbidden, Invalid, NotFound
from repo_server.extensions import db
from repo_server.imports import duplicates
from repo_server.imports.metadata import question_data, too_long
from repo_server.imports.models import QuestionImport
from repo_server.imports.reading import read_upload
from repo_server.lifecycle.service import require_author_role
from repo_server.questions.service import create_questions
from repo_server.taxonomy.service import resolve
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)


def start_import(user, uploads: list[tuple[str, BinaryIO]], form: dict, dry_run=False):
    """Read ``uploads`` ((name, stream) pairs) into a preview; keep it unless a dry run."""
    require_author_role(user)
    if not uploads:
        raise Invalid(_("Chưa chọn tệp nào."), {"files": [_("Bắt buộc.")]})
    defaults = {key: resolve(key, form.get(key)) for key in ("subject", "grade")}
    record = QuestionImport(
        owner_id=user.id, subject_code=defaults["subject"], grade_code=defaults["grade"]
    )
    entries, skipped, formats = [], [], []
    try:
        for name, stream in uploads:
            fmt, found, lost = read_upload(
                user, name, stream, defaults, len(entries), keep_media=not dry_run
            )
            entries, skipped, formats = entries + found, skipped + lost, formats + [fmt]
        duplicates.flag(entries, user, defaults["subject"])
    except Exception:
        db.session.rollback()  # pictures stay stored as question media (shared blobs)
        raise
    record.entries, record.skipped = entries, skipped
    if dry_run:
        db.session.rollback()
        return record
    record.files = _keep_originals(uploads, formats)
    db.session.add(record)
    db.session.commit()
    logger.info("import %s by %s: %s entries", record.id, user.email, len(entries))
    return record


def _keep_originals(uploads, formats) -> list[dict]:
    """Store the uploaded files under a fresh ``imports/<uuid>/``."""
    prefix, storage, kept = f"imports/{uuid.uuid4().hex}/", get_storage(), []
    for number, ((name, stream), fmt) in enumerate(
        zip(uploads, formats, strict=True), 1
    ):
        stream.seek(0)
        key = f"{prefix}{number}-{secure_filename(name) or 'file'}"
        stored = storage.save(key, stream)
        kept.append({"name": name, "key": key, "size": stored.size, "format": fmt})
    return kept


def get_import(user, import_id: int) -> QuestionImport:
    """An import of the user (admins see every import)."""
    record = db.session.get(QuestionImport, import_id)
    if record is None or (record.owner_id != user.id and user.role != "admin"):
        raise NotFound(_("Không tìm thấy lượt nhập #%(id)s.", id=import_id))
    return record


def list_imports(user, limit: int = 20) -> list[QuestionImport]:
    """The user's latest imports."""
    return (
        db.session.query(QuestionImport)
        .filter_by(owner_id=user.id)
        .order_by(QuestionImport.id.desc())
        .limit(limit)
        .all()
    )


def _editable(user, import_id: int) -> QuestionImport:
    record = get_import(user, import_id)
    if record.owner_id != user.id:
        raise Forbidden(_("Chỉ người tải lên mới sửa được lượt nhập này."))
    if record.status != "preview":
        raise Conflict(_("Lượt nhập này đã được ghi hoặc đã huỷ."))
    return record


def update_entries(user, import_id: int, changes: list[dict]) -> QuestionImport:
    """Apply the teacher's fixes and (de)selections to a preview."""
    record = _editable(user, import_id)
    entries = [dict(entry) for entry in record.entries]
    defaults = {"subject": record.subject_code, "grade": record.grade_code}
    for change in changes:
        index = change["index"]
        if not 0 <= index < len(entries):
            raise Invalid(_("Không có câu số %(n)s trong lượt nhập.", n=index))
        entries[index] = _changed(entries[index], change, defaults)
    record.entries = entries
    db.session.commit()
    return record


def _changed(entry: dict, change: dict, defaults: dict) -> dict:
    """One entry after a change: a fixed item is checked again from scratch."""
    entry = {**entry, "data": dict(entry["data"])}
    if "item" in change:
        entry["problems"], entry["blocking"] = [], False
        try:
            item = Item.from_dict(change["item"]).to_dict()
        except QtiError as exc:
            entry["data"]["item"] = sanitized(change["item"])
            entry["problems"], entry["blocking"] = [exc.message], True
        else:
            entry["data"]["item"], entry["selected"] = item, True
            if reason := too_long(item):
                entry["problems"], entry["blocking"] = [reason], True
    for key in ("subject", "grade", "topic", "cognitive_level"):
        if key in change:
            meta = {key if key != "cognitive_level" else "level": _term(change[key])}
            data = question_data(entry["data"]["item"], meta, defaults, [])
            entry["data"][key] = data[key]
    if "selected" in change:
        entry["selected"] = bool(change["selected"])
    if entry["blocking"]:
        entry["selected"] = False
    return entry


def _term(value) -> dict | None:
    return {"code": value, "name": value} if value else None


def commit_import(user, import_id: int) -> QuestionImport:
    """Create the selected questions as drafts, all of them or none."""
    record = _editable(user, import_id)
    chosen = [e for e in record.entries if e["selected"]]
    if not chosen:
        raise Invalid(_("Chưa chọn câu hỏi nào để ghi."))
    broken = [e["label"] for e in chosen if e["blocking"]]
    if broken:
        raise Invalid(_("Còn câu cần sửa: %(l)s.", l=", ".join(broken[:10])))
    record.status, record.committed_at = "committed", utcnow()
    # create_questions commits the questions and the status change together.
    questions = create_questions(user, [e["data"] for e in chosen])
    record.question_ids = [q.id for q in questions]  # loaded: no row is read back
    db.session.commit()
    logger.info("import %s committed: %s questions", record.id, len(questions))
    return record


def discard_import(user, import_id: int) -> QuestionImport:
    """Drop a preview; its original files are deleted."""
    record = _editable(user, import_id)
    storage = get_storage()
    for file in record.files:
        storage.delete(file["key"])
    record.status, record.files = "discarded", []
    db.session.commit()
    return record


def commit_all(user, uploads, form: dict) -> QuestionImport:
    """Preview and commit in one step every question without a blocking problem."""
    record = start_import(user, uploads, form)
    if any(e["selected"] for e in record.entries):
        record = commit_import(user, record.id)
    return record
