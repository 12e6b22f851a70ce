"""Load the curriculum taxonomy and resolve codes or names given by users."""

import json
import logging
import time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from qti.text import normalize
from repo_server.errors import Invalid, NotFound
from repo_server.extensions import db
from repo_server.taxonomy.models import (
    CognitiveLevel,
    Grade,
    Level,
    Subject,
    TextbookSeries,
    Topic,
)
from search.vietnamese import fold

logger = logging.getLogger(__name__)

DEFAULT_FILE = Path(__file__).parent / "data" / "gdpt2018.json"
NAMED_SECTIONS = (
    ("levels", Level),
    ("cognitive_levels", CognitiveLevel),
    ("textbook_series", TextbookSeries),
)


def load_taxonomy(path: Path | str = DEFAULT_FILE) -> dict[str, int]:
    """Insert or update every entry of a taxonomy file; return counts per section."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Invalid(_("Không đọc được tệp danh mục: %(e)s", e=exc)) from exc
    counts = {
        name: _upsert_named(model, data.get(name, [])) for name, model in NAMED_SECTIONS
    }
    counts["grades"] = _upsert_named(Grade, data.get("grades", []), level="level_code")
    counts["subjects"] = _upsert_subjects(data.get("subjects", []))
    counts["topics"] = _upsert_topics(data.get("topics", []))
    db.session.commit()
    current_app.extensions.pop("taxonomy_lookup", None)
    logger.info("taxonomy loaded from %s: %s", path, counts)
    return counts


def _upsert_named(model, entries, level: str | None = None) -> int:
    for order, entry in enumerate(entries):
        row = db.session.get(model, entry["code"]) or model(code=entry["code"])
        row.name_vi = normalize(entry["name_vi"])
        row.name_en = entry.get("name_en", "")
        row.order = entry.get("order", order)
        if level:
            setattr(row, level, entry["level"])
        db.session.add(row)
    db.session.flush()
    return len(entries)


def _upsert_subjects(entries) -> int:
    _upsert_named(Subject, entries)
    for entry in entries:
        subject = db.session.get(Subject, entry["code"])
        subject.grades = [
            db.session.get(Grade, str(g)) for g in entry.get("grades", [])
        ]
    db.session.flush()
    return len(entries)


def _upsert_topics(entries, parent: Topic | None = None) -> int:
    count = 0
    for order, entry in enumerate(entries):
        topic = db.session.scalar(select(Topic).where(Topic.code == entry["code"]))
        topic = topic or Topic(code=entry["code"])
        topic.subject_code = entry.get("subject", parent and parent.subject_code)
        topic.grade_code = str(entry.get("grade", parent and parent.grade_code))
        topic.series_code = entry.get("series", parent and parent.series_code)
        topic.parent_id = parent.id if parent else None
        topic.name_vi = normalize(entry["name_vi"])
        topic.name_en = entry.get("name_en", "")
        topic.order = entry.get("order", order)
        db.session.add(topic)
        db.session.flush()
        count += 1 + _upsert_topics(entry.get("children", []), topic)
    return count


#: Seconds a worker keeps its lookup tables (a CLI load in another process shows up).
LOOKUP_TTL = 60


def lookup_tables() -> dict:
    """Map folded codes and names to codes, per kind (cached briefly per app)."""
    cached = current_app.extensions.get("taxonomy_lookup")
    if cached and time.monotonic() - cached[0] < LOOKUP_TTL:
        return cached[1]
    tables = _build_lookup_tables()
    current_app.extensions["taxonomy_lookup"] = (time.monotonic(), tables)
    return tables


def _build_lookup_tables() -> dict:
    tables = {}
    for kind, model in (
        ("subject", Subject),
        ("grade", Grade),
        ("cognitive_level", CognitiveLevel),
        ("series", TextbookSeries),
    ):
        table = {}
        for row in db.session.scalars(select(model)):
            for key in (row.code, row.name_vi, row.name_en):
                if key:
                    table.setdefault(fold(key), row.code)
        tables[kind] = table
    return tables


def resolve(kind: str, value, field: str | None = None) -> str | None:
    """Return the code for a code or a Vietnamese/English name of ``kind``."""
    if value in (None, ""):
        return None
    code = lookup_tables()[kind].get(fold(str(value)))
    if code is None:
        field = field or kind
        message = _("Mã danh mục không tồn tại: %(v)s.", v=value)
        raise Invalid(message, {field: [message]})
    return code


def resolve_topic(value, subject: str | None, grade: str | None) -> Topic | None:
    """Return the topic with this code (or id), checked against subject and grade."""
    if value in (None, ""):
        return None
    topic = db.session.scalar(select(Topic).where(Topic.code == str(value)))
    if topic is None:
        message = _("Chủ đề/bài học không tồn tại: %(v)s.", v=value)
        raise Invalid(message, {"topic": [message]})
    if (subject and topic.subject_code != subject) or (
        grade and topic.grade_code != grade
    ):
        message = _("Chủ đề %(v)s không thuộc môn và lớp đã chọn.", v=value)
        raise Invalid(message, {"topic": [message]})
    return topic


def list_entries(model) -> list:
    """Return every row of a named taxonomy table in display order."""
    return list(db.session.scalars(select(model).order_by(model.order, model.code)))


def list_topics(subject: str | None, grade: str | None, series: str | None) -> list:
    """Return the topics of a subject × grade (and series), in curriculum order."""
    query = select(Topic).order_by(Topic.parent_id.is_not(None), Topic.order, Topic.id)
    if subject:
        query = query.where(Topic.subject_code == resolve("subject", subject))
    if grade:
        query = query.where(Topic.grade_code == resolve("grade", grade))
    if series:
        query = query.where(Topic.series_code == resolve("series", series))
    return list(db.session.scalars(query))


def get_subject(code: str) -> Subject:
    """Return a subject by code or raise NotFound."""
    subject = db.session.get(Subject, code)
    if subject is None:
        raise NotFound(_("Không có môn học %(c)s.", c=code))
    return subject
