"""Curators maintain the lessons of subject × grade (× series): import from .xlsx or CSV."""

import csv
import io
import logging
import zipfile

from flask_babel import gettext as _
from sqlalchemy import select

from qti.text import normalize
from repo_server.curation import audit, sums
from repo_server.errors import Forbidden, Invalid
from repo_server.extensions import db
from repo_server.taxonomy.models import Topic
from repo_server.taxonomy.service import resolve
from search.vietnamese import fold

logger = logging.getLogger(__name__)
#: Header names (folded) → our column.
HEADERS = {
    "code": "code",
    "ma": "code",
    "ma bai": "code",
    "name_vi": "name_vi",
    "name": "name_vi",
    "ten": "name_vi",
    "ten bai": "name_vi",
    "name_en": "name_en",
    "ten tieng anh": "name_en",
    "parent": "parent",
    "parent_code": "parent",
    "ma cha": "parent",
    "chuong": "parent",
    "order": "order",
    "thu tu": "order",
    "stt": "order",
}
MAX_ROWS = 5000


def read_rows(filename: str, data: bytes) -> list[dict]:
    """Rows of a CSV (UTF-8) or .xlsx file as dicts of our columns."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        table = _xlsx_table(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Invalid(_("Tệp CSV phải mã hoá UTF-8.")) from exc
        table = list(csv.reader(io.StringIO(text)))
    if not table:
        raise Invalid(_("Tệp không có dòng nào."))
    columns = [HEADERS.get(fold(str(h or "")).strip()) for h in table[0]]
    if "code" not in columns or "name_vi" not in columns:
        raise Invalid(_("Tệp cần các cột 'code' (mã) và 'name_vi' (tên)."))
    rows = [
        {
            c: normalize(str(v)).strip()
            for c, v in zip(columns, r, strict=False)
            if c and v not in (None, "")
        }
        for r in table[1:]
    ]
    return [r for r in rows if r][: MAX_ROWS + 1]


def _xlsx_table(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Invalid(_("Không đọc được tệp Excel.")) from exc
    sheet = book.worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return table


def import_upload(user, form, upload) -> dict:
    """Import an uploaded file with the subject, grade and series of the form."""
    require_topic_editor(user, resolve("subject", form.get("subject")))
    if upload is None:
        raise Invalid(_("Cần gửi tệp (trường 'file')."), {"file": [_("Bắt buộc.")]})
    return import_topics(
        user,
        form.get("subject"),
        form.get("grade"),
        form.get("series"),
        upload.filename or "",
        upload.read(),
    )


def import_topics(user, subject, grade, series, filename: str, data: bytes) -> dict:
    """Insert or update the topics of a file under subject × grade; all or nothing."""
    subject = resolve("subject", subject)
    grade = resolve("grade", grade)
    series = resolve("series", series) if series else None
    if not (subject and grade):
        raise Invalid(_("Cần chọn môn học và lớp."), {"subject": [_("Bắt buộc.")]})
    require_topic_editor(user, subject)
    rows = read_rows(filename, data)
    if len(rows) > MAX_ROWS:
        raise Invalid(_("Tối đa %(n)s dòng mỗi tệp.", n=MAX_ROWS))
    problems = _check(rows, subject, grade)
    if problems:
        raise Invalid(_("Tệp có dòng không hợp lệ; chưa nhập gì."), problems)
    created = _upsert(rows, subject, grade, series)
    audit.record(
        "topics.import",
        user,
        "topics",
        f"{subject}/{grade}",
        series=series,
        rows=len(rows),
        created=created,
        file=filename,
    )
    db.session.commit()
    sums.forget_lessons()
    logger.info(
        "%s topics imported into %s %s by %s", len(rows), subject, grade, user.email
    )
    return {"rows": len(rows), "created": created, "updated": len(rows) - created}


def require_topic_editor(user, subject: str | None) -> None:
    """Admins, and curators of the subject (of any subject before one is chosen)."""
    if user.role == "admin":
        return
    if user.role != "curator" or (subject and subject not in user.subject_codes):
        raise Forbidden(_("Chỉ chuyên viên phụ trách môn mới sửa danh mục bài học."))


def _existing(codes) -> dict[str, Topic]:
    query = select(Topic).where(Topic.code.in_(list(codes)))
    return {t.code: t for t in db.session.scalars(query)}


def _check(rows: list[dict], subject: str, grade: str) -> dict:
    """Problems per row (numbered as in the file, header = 1)."""
    problems, seen = {}, set()
    parents = {r["parent"] for r in rows if r.get("parent")}
    existing = _existing({r.get("code", "") for r in rows} | parents)
    for number, row in enumerate(rows, start=2):
        code, errors = row.get("code", ""), []
        if not code or len(code) > 64 or not row.get("name_vi"):
            errors.append(_("Thiếu mã hoặc tên (mã tối đa 64 ký tự)."))
        if code in seen:
            errors.append(_("Mã bị lặp trong tệp."))
        seen.add(code)
        other = existing.get(code)
        if other is not None and (other.subject_code, other.grade_code) != (
            subject,
            grade,
        ):
            errors.append(_("Mã đã dùng cho môn/lớp khác."))
        parent = row.get("parent")
        if parent and parent not in seen and parent not in existing:
            errors.append(_("Không tìm thấy mã cha %(p)s (cần đứng trước).", p=parent))
        if row.get("order") and not row["order"].lstrip("-").isdigit():
            errors.append(_("Thứ tự phải là số nguyên."))
        if errors:
            problems[f"row {number}"] = errors
    return problems


def _upsert(rows: list[dict], subject: str, grade: str, series) -> int:
    known = _existing(
        {r["code"] for r in rows} | {r["parent"] for r in rows if r.get("parent")}
    )
    created = 0
    for position, row in enumerate(rows):
        topic = known.get(row["code"])
        if topic is None:
            topic = Topic(code=row["code"], subject_code=subject, grade_code=grade)
            created += 1
        parent = known.get(row.get("parent") or "")
        topic.parent_id = parent.id if parent is not None else None
        topic.series_code = series or (parent.series_code if parent else None)
        topic.name_vi, topic.name_en = row["name_vi"], row.get("name_en", "")
        topic.order = int(row["order"]) if row.get("order") else position + 1
        db.session.add(topic)
        db.session.flush()
        known[topic.code] = topic
    return created
