"""Taxonomy of imported questions: codes or names from the file, else the form's choice."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from qti.text import normalize, plain_text
from repo_server.errors import Invalid
from repo_server.extensions import db
from repo_server.taxonomy.models import Topic
from repo_server.taxonomy.service import resolve, resolve_topic
from search.vietnamese import fold


def question_data(item: dict, meta: dict, defaults: dict, notes: list) -> dict:
    """The create-question data of one item, its taxonomy resolved (or reported)."""
    subject = _code("subject", meta.get("subject"), defaults.get("subject"), notes)
    grade = _code("grade", meta.get("grade"), defaults.get("grade"), notes)
    level = _code("cognitive_level", meta.get("level"), None, notes)
    if level is None and meta.get("tag"):
        level = _code("cognitive_level", {"code": meta["tag"]}, None, [])
    topic = _topic(meta.get("topic"), subject, grade, notes)
    if not (subject and grade):
        notes.append(_("Thiếu môn học hoặc lớp; cần bổ sung trước khi gửi duyệt."))
    return {
        "item": item,
        "subject": subject,
        "grade": grade,
        "topic": topic,
        "cognitive_level": level,
        "licence": (meta.get("licence") or "CC-BY-4.0")[:64],
    }


def _code(kind: str, term: dict | None, fallback, notes: list):
    """Resolve a term by its code, then its name; report it when unknown."""
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
    """A topic by code, else by its Vietnamese name within the subject and grade."""
    if not term:
        return None
    try:
        topic = resolve_topic(term.get("code"), subject, grade)
    except Invalid:
        topic = _topic_by_name(
            term.get("name") or term.get("code") or "", subject, grade
        )
    if topic is None:
        shown = term.get("name") or term.get("code")
        notes.append(_("Chủ đề không khớp danh mục: %(v)s (bỏ trống).", v=shown))
        return None
    return topic.code


def _topic_by_name(name: str, subject, grade) -> Topic | None:
    query = select(Topic)
    if subject:
        query = query.where(Topic.subject_code == subject)
    if grade:
        query = query.where(Topic.grade_code == grade)
    wanted = fold(normalize(name))
    found = [t for t in db.session.scalars(query) if fold(t.name_vi) == wanted]
    return found[0] if len(found) == 1 else None


def too_long(item: dict) -> str | None:
    """Why the item breaks the text limit of questions, or None."""
    limit = current_app.config["MAX_TEXT_LENGTH"]
    texts = [item.get("stem", ""), item.get("explanation", "")]
    texts += [c.get("text", "") for c in item.get("choices", [])]
    texts += [s.get("text", "") for s in item.get("statements", [])]
    if any(len(text or "") > limit for text in texts):
        return _("Nội dung vượt quá %(n)s ký tự.", n=limit)
    return None


def search_text(item: dict) -> str:
    """The visible text of an item (stem, options, statements) for comparisons."""
    parts = [item.get("stem", "")]
    parts += [c.get("text", "") for c in item.get("choices", [])]
    parts += [s.get("text", "") for s in item.get("statements", [])]
    return " ".join(plain_text(p) for p in parts)
