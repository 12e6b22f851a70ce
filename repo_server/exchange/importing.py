"""Imports: QTI files and packages → draft questions of the caller, with a report.

Every file of a request is read before anything is written: a file that cannot be
read as a whole (not a supported format, an unsafe or broken package) fails the
request and nothing is imported. Items a file holds but the model cannot represent
are skipped and reported; the rest is created in one transaction
(``questions.service.create_questions``: all of them or none). Metadata comes from
the package's LOM (our taxonomy codes, or names), else from the form; what cannot
be resolved is left empty and reported. The originals are kept in storage under
``imports/<uuid>/`` and the report in a finished ``import`` job. Imports run inside
the request: reading goes at well over a thousand items a second, and the request
size limit (MAX_CONTENT_LENGTH) bounds the work.
"""

import logging
import uuid
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

import importers
from qti import Item, PackageLimits, QtiError
from repo_server.backends import get_storage
from repo_server.errors import Invalid, RepoError
from repo_server.exchange import media
from repo_server.extensions import db
from repo_server.jobs import service as jobs
from repo_server.lifecycle.service import require_author_role
from repo_server.questions.service import create_questions
from repo_server.taxonomy.service import resolve, resolve_topic
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)


class UnsupportedFormat(RepoError):
    """A file in no format we read."""

    status, code = 415, "unsupported_media_type"


def import_files(user, uploads: list[tuple[str, BinaryIO]], form: dict, dry_run=False):
    """Import every question of ``uploads`` ((name, stream) pairs); return the report."""
    require_author_role(user)
    if not uploads:
        raise Invalid(_("Chưa chọn tệp nào."), {"files": [_("Bắt buộc.")]})
    defaults = {key: resolve(key, form.get(key)) for key in ("subject", "grade")}
    report = {"imported": [], "skipped": [], "problems": []}
    datas, results = [], [(n, s, read_file(n, s)) for n, s in uploads]
    for name, stream, result in results:
        if not dry_run:  # pictures first: the questions' text points at them
            result = media.bring_home(user, stream, result, _limits())
        datas += _file_questions(name, result, defaults, report)
    if dry_run:
        report["readable"] = len(datas)
        return report
    prefix = _keep_originals(uploads)
    try:
        questions = create_questions(user, datas) if datas else []
    except Exception:
        _forget_originals(prefix)
        raise
    report["imported"] = [question.id for question in questions]
    report["job"] = _record(user, uploads, defaults, report, prefix).id
    logger.info("import by %s: %s questions", user.email, len(questions))
    return report


def read_file(name: str, stream: BinaryIO):
    """Read one uploaded file with the reader its content calls for."""
    head = stream.read(importers.HEAD_BYTES)
    stream.seek(0)
    try:
        reader = importers.reader_for(name, head)
    except importers.UnknownFormat as exc:
        message = _(
            "Tệp %(f)s không thuộc định dạng được hỗ trợ (câu hỏi QTI .xml, gói .zip).",
            f=name,
        )
        raise UnsupportedFormat(message, {"files": [message]}) from exc
    try:
        return reader.read(stream, name, _limits())
    except QtiError as exc:
        message = _("Không đọc được tệp %(f)s: %(e)s", f=name, e=exc.message)
        raise Invalid(message, {"files": [message]}) from exc


def _limits() -> PackageLimits:
    config = current_app.config
    return PackageLimits(
        max_total_bytes=config["IMPORT_MAX_ZIP_BYTES"],
        max_entries=config["IMPORT_MAX_ZIP_ENTRIES"],
        max_ratio=config["IMPORT_MAX_ZIP_RATIO"],
    )


def _file_questions(name: str, result, defaults: dict, report: dict) -> list[dict]:
    """Return the question data of one file's items; report what was left out."""
    datas, read = [], set()
    for item, meta in result.items:
        label = _label(item, meta)
        notes = []
        data = _question_data(item, meta, defaults, notes)
        too_long = _too_long(item)
        if too_long:
            report["skipped"].append({"file": name, "item": label, "reason": too_long})
            continue
        read.add(meta.get("href"))
        datas.append(data)
        report["problems"] += [
            {"file": name, "item": label, "message": note} for note in notes
        ]
    for path, reason in result.problems:
        if path in read:  # the item was read; something around it was not
            report["problems"].append({"file": name, "item": path, "message": reason})
        else:
            report["skipped"].append({"file": name, "item": path, "reason": reason})
    return datas


def _label(item: Item, meta: dict) -> str:
    return item.identifier or meta.get("href") or item.title


def _too_long(item: Item) -> str | None:
    """Return why the item breaks the text limit of questions, or None."""
    limit = current_app.config["MAX_TEXT_LENGTH"]
    texts = [item.stem, item.explanation]
    texts += [c.text for c in item.choices] + [s.text for s in item.statements]
    if any(len(text) > limit for text in texts):
        return _("Nội dung vượt quá %(n)s ký tự.", n=limit)
    return None


def _question_data(item: Item, meta: dict, defaults: dict, notes: list) -> dict:
    """Return the create-question data of an item, its taxonomy resolved."""
    subject = _code("subject", meta.get("subject"), defaults["subject"], notes)
    grade = _code("grade", meta.get("grade"), defaults["grade"], notes)
    level = _code("cognitive_level", meta.get("level"), None, notes)
    topic = _topic(meta.get("topic"), subject, grade, notes)
    if not (subject and grade):
        notes.append(_("Thiếu môn học hoặc lớp; cần bổ sung trước khi gửi duyệt."))
    return {
        "item": item.to_dict(),
        "subject": subject,
        "grade": grade,
        "topic": topic,
        "cognitive_level": level,
        "licence": (meta.get("licence") or "CC-BY-4.0")[:64],
    }


def _code(kind: str, term: dict | None, fallback, notes: list):
    """Resolve a LOM term by its code, then its name; report it when unknown."""
    if not term:
        return fallback
    for value in (term.get("code"), term.get("name")):
        try:
            code = resolve(kind, value)
        except Invalid:
            continue
        if code:
            return code
    shown = term.get("code") or term.get("name")
    notes.append(_("Mã danh mục không tồn tại: %(v)s (bỏ trống).", v=shown))
    return fallback


def _topic(term: dict | None, subject, grade, notes: list):
    if not term or not term.get("code"):
        return None
    try:
        topic = resolve_topic(term["code"], subject, grade)
    except Invalid as exc:
        notes.append(exc.message)
        return None
    return topic.code


def _keep_originals(uploads) -> str:
    """Store the uploaded files under a fresh ``imports/<uuid>/``; return the prefix."""
    prefix, storage = f"imports/{uuid.uuid4().hex}/", get_storage()
    for number, (name, stream) in enumerate(uploads, 1):
        stream.seek(0)
        safe = secure_filename(name) or "file"
        storage.save(f"{prefix}{number}-{safe}", stream)
    return prefix


def _forget_originals(prefix: str) -> None:
    storage = get_storage()
    for key in list(storage.iter_keys(prefix)):
        storage.delete(key)


def _record(user, uploads, defaults: dict, report: dict, prefix: str):
    """Keep the import as a finished job: its files, parameters and report."""
    names = [name for name, _stream in uploads]
    job = jobs.create_job(user, "import", {"files": names, **defaults})
    count = len(report["imported"])
    job.status, job.done, job.total = "done", count, count
    job.result, job.file_key, job.finished_at = report, prefix, utcnow()
    db.session.commit()
    return job
