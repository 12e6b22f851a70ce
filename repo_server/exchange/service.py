"""Exports: a selection of questions → a QTI 2.1 or 3.0 package, built by a job.

Who may export what is what they may see (``lifecycle.service.visible_filter``);
students may not export (packages carry answer keys). The package is written to a
temporary file that spills to disk, then kept in storage under ``exports/``.
"""

import logging
import tempfile
import uuid

from flask import current_app, redirect, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wsgi import wrap_file

from qti import Item
from repo_server.accounts.models import User
from repo_server.backends import get_storage
from repo_server.errors import Forbidden, NotFound
from repo_server.exchange.formats import FORMATS
from repo_server.exchange.media import ExportMedia
from repo_server.extensions import db
from repo_server.jobs import service as jobs
from repo_server.lifecycle.service import visible_filter
from repo_server.questions.models import Question
from repo_server.taxonomy.models import CognitiveLevel, Grade, Subject
from repo_server.taxonomy.service import resolve, resolve_topic
from storage.http import content_disposition

logger = logging.getLogger(__name__)
#: Formats written by another feature: name → writer(user, params, fileobj, progress)
#: returning the count (SCORM registers its formats here; see exchange/formats.py).
WRITERS: dict = {}
#: Questions loaded per database round trip while writing a package.
BATCH = 500


def start_export(user, data: dict):
    """Queue (and start) the export of the questions ``user`` selected; return the job."""
    if user.role == "student":
        raise Forbidden(_("Học sinh không được xuất câu hỏi (gói có đáp án)."))
    if data.get("quiz"):
        return _start_quiz_export(user, data["format"], data["quiz"])
    params = {"format": data["format"], **selection(data)}
    if data.get("material"):
        params["material"] = data["material"]
    total = 1 if params.get("material") else len(_question_ids(user, params))
    job = jobs.create_job(user, "export", params, total)
    jobs.start_job(job, export_work)
    return job


def _start_quiz_export(user, fmt: str, quiz_id: int):
    """Queue the export of a published quiz the user manages (checked before queuing)."""
    from repo_server.quizzes.export import exportable_quiz

    quiz = exportable_quiz(user, quiz_id, fmt)
    params = {"format": fmt, "quiz": quiz.id}
    job = jobs.create_job(user, "export", params, len(quiz.questions))
    jobs.start_job(job, export_work)
    return job


def selection(data: dict) -> dict:
    """Return the filters as codes (names resolved), checked against the taxonomy."""
    subject = resolve("subject", data.get("subject"))
    grade = resolve("grade", data.get("grade"))
    topic = resolve_topic(data.get("topic"), subject, grade)
    return {
        "subject": subject,
        "grade": grade,
        "topic": topic.code if topic else None,
        "status": data.get("status") or "published",
        "ids": sorted(set(data.get("ids") or [])),
    }


def _question_ids(user, params: dict) -> list[int]:
    """Return the ids of the visible questions the selection picks, in id order."""
    conditions = [visible_filter(Question, user)]
    if params["status"] != "all":
        conditions.append(Question.status == params["status"])
    if params["subject"]:
        conditions.append(Question.subject_code == params["subject"])
    if params["grade"]:
        conditions.append(Question.grade_code == params["grade"])
    if params["topic"]:
        topic = resolve_topic(params["topic"], None, None)
        conditions.append(Question.topic_id == topic.id)
    if params["ids"]:
        conditions.append(Question.id.in_(params["ids"]))
    query = select(Question.id).where(*conditions).order_by(Question.id)
    return list(db.session.scalars(query))


def write_selection(user, params: dict, fileobj, progress) -> int:
    """Write the questions a selection picks for ``user`` as a package into ``fileobj``.

    ``progress(done, total)`` is called as batches are read (the CLI draws a bar).
    """
    if params.get("quiz"):
        return _write_quiz(user, params, fileobj, progress)
    if params["format"] in WRITERS:
        return WRITERS[params["format"]](user, params, fileobj, progress)
    ids = _question_ids(user, params)
    progress(0, len(ids))
    media = ExportMedia()
    items = ((media.shown(item), meta) for item, meta in _items(ids, progress))
    return FORMATS[params["format"]].write(items, fileobj, media.open)


def _write_quiz(user, params: dict, fileobj, progress) -> int:
    from repo_server.quizzes.export import write_quiz_package

    count = write_quiz_package(user, params["quiz"], params["format"], fileobj)
    progress(count, count)
    return count


def export_work(job, progress) -> dict:
    """Write the package of a job's selection and keep it in storage."""
    user = db.session.get(User, job.owner_id)
    limit = current_app.config["EXPORT_SPOOL_BYTES"]
    with tempfile.SpooledTemporaryFile(max_size=limit) as spool:
        count = write_selection(user, job.params, spool, progress)
        size = spool.tell()
        spool.seek(0)
        kind = FORMATS[job.params["format"]]
        key = f"exports/{uuid.uuid4().hex}{kind.extension}"
        get_storage().save(key, spool, kind.mime)
    job.file_key = key
    stem = f"de-{job.params['quiz']}" if job.params.get("quiz") else "cau-hoi"
    job.filename = f"{stem}-{job.params['format']}-{job.id}{kind.extension}"
    logger.info("export %s: %s questions, %s bytes in %s", job.id, count, size, key)
    return {"count": count, "bytes": size, "format": job.params["format"]}


def _items(ids: list[int], progress):
    """Yield (Item, LOM metadata) of the questions, loading them in batches."""
    names = vietnamese_taxonomy_names()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = db.session.scalars(
            select(Question).where(Question.id.in_(chunk)).order_by(Question.id)
        )
        batch = [question_entry(row, names) for row in rows]
        # Commit (progress) only after the batch is read: no cursor stays open.
        progress(start + len(chunk))
        yield from batch


def vietnamese_taxonomy_names() -> dict:
    """Map (kind, code) → Vietnamese name for subjects, grades and levels."""
    names = {}
    for kind, model in (
        ("subject", Subject),
        ("grade", Grade),
        ("level", CognitiveLevel),
    ):
        for code, name in db.session.execute(select(model.code, model.name_vi)):
            names[kind, code] = name
    return names


def question_entry(question: Question, names: dict) -> tuple[Item, dict]:
    """Return a question as a ``qti.Item`` and its LOM metadata (codes and names)."""
    data = dict(question.item)
    data.setdefault("identifier", f"KHLS-{question.lineage_id or question.id}")
    meta = {"licence": question.licence}
    for key, code in (
        ("subject", question.subject_code),
        ("grade", question.grade_code),
        ("level", question.cognitive_level),
    ):
        if code:
            meta[key] = {"code": code, "name": names.get((key, code), "")}
    if question.topic is not None:
        meta["topic"] = {"code": question.topic.code, "name": question.topic.name_vi}
    return Item.from_dict(data), meta


def send_export(user, job_id: int):
    """Answer the download of a finished export: a redirect to storage, or the bytes."""
    job = jobs.get_job(user, job_id)
    if job.kind != "export" or job.status != "done" or not job.file_key:
        raise NotFound(_("Tác vụ #%(id)s chưa có tệp để tải.", id=job_id))
    storage = get_storage()
    seconds = current_app.config["DOWNLOAD_URL_SECONDS"]
    mime = FORMATS[job.params["format"]].mime
    url = storage.download_url(job.file_key, job.filename, mime, seconds)
    if url:
        return redirect(url, 302)
    stream = storage.open(job.file_key)
    response = current_app.response_class(
        wrap_file(request.environ, stream), mimetype=mime, direct_passthrough=True
    )
    response.headers["Content-Disposition"] = content_disposition(job.filename)
    return response


#: For the other package writers (SCORM): the same selection, the same items.
question_ids = _question_ids
items_of = _items
