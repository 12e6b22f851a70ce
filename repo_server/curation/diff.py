"""Side-by-side differences between a version and the published one (text, metadata, files)."""

import difflib
import json
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from qti.text import plain_text
from repo_server.extensions import db

WORDS = re.compile(r"\s+|[^\s]+")
#: What the review page calls each compared field.
LABELS = {
    "stem": _l("Đề bài"),
    "explanation": _l("Lời giải"),
    "type": _l("Loại câu hỏi"),
    "correct": _l("Đáp án đúng"),
    "numeric": _l("Đáp số"),
    "subject_code": _l("Môn học"),
    "grade_code": _l("Lớp"),
    "topic": _l("Chủ đề / bài học"),
    "cognitive_level": _l("Mức độ nhận thức"),
    "difficulty": _l("Độ khó"),
    "licence": _l("Giấy phép"),
    "tags": _l("Từ khoá"),
    "title": _l("Tiêu đề"),
    "description": _l("Mô tả"),
    "kind": _l("Loại học liệu"),
    "series_code": _l("Bộ sách"),
    "language": _l("Ngôn ngữ"),
}


def base_version(model, item):
    """The version to compare with: the published one, else the latest earlier one."""
    published = select(model).where(
        model.lineage_id == item.lineage_id,
        model.id != item.id,
        model.status == "published",
    )
    found = db.session.scalar(published.order_by(model.version.desc()))
    if found is not None:
        return found
    earlier = select(model).where(
        model.lineage_id == item.lineage_id, model.version < item.version
    )
    return db.session.scalar(earlier.order_by(model.version.desc()))


def text_segments(old: str, new: str) -> dict:
    """Word-level diff: segments of each side as (op, text); op equal/delete/insert."""
    a, b = WORDS.findall(old or ""), WORDS.findall(new or "")
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            left.append(("equal", "".join(a[i1:i2])))
            right.append(("equal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(("insert", "".join(b[j1:j2])))
    return {"old": left, "new": right}


def field_row(name: str, old, new) -> dict:
    """One compared field: both values as text, whether it changed, and the segments."""
    old_text, new_text = _as_text(old), _as_text(new)
    return {
        "field": name,
        "label": field_label(name),
        "old": old_text,
        "new": new_text,
        "changed": old_text != new_text,
        "segments": text_segments(old_text, new_text),
    }


def field_label(name: str) -> str:
    """The field's name for people: "Phương án A", "Ý b", "Đề bài"…"""
    kind, _sep, key = name.partition(" ")
    if kind == "choice":
        return str(_l("Phương án %(k)s", k=key))
    if kind == "statement":
        return str(_l("Ý %(k)s", k=key))
    return str(LABELS.get(name, name))


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return plain_text(str(value)) if "<" in str(value) else str(value)


def question_fields(q) -> dict:
    """What a reviewer compares in a question: text parts and metadata."""
    item = (q.item or {}) if q is not None else {}
    fields = {
        "stem": item.get("stem"),
        "explanation": item.get("explanation"),
        "type": item.get("type"),
    }
    for choice in item.get("choices") or []:
        fields[f"choice {choice['id']}"] = choice.get("text")
    fields["correct"] = ", ".join(item.get("correct") or [])
    for st in item.get("statements") or []:
        truth = "Đ" if st.get("correct") else "S"
        fields[f"statement {st['id']}"] = f"{st.get('text')} [{truth}]"
    if item.get("numeric"):
        fields["numeric"] = item["numeric"]
    return {**fields, **_metadata(q, ("cognitive_level", "difficulty"))}


def material_fields(m) -> dict:
    """What a reviewer compares in a material: text and metadata."""
    fields = {
        name: getattr(m, name, None) if m is not None else None
        for name in ("title", "description", "kind", "series_code", "language")
    }
    return {**fields, **_metadata(m, ())}


def _metadata(row, extra: tuple) -> dict:
    names = ("subject_code", "grade_code", *extra, "licence", "tags")
    values = {n: getattr(row, n, None) if row is not None else None for n in names}
    topic = getattr(row, "topic", None) if row is not None else None
    values["topic"] = topic.code if topic is not None else None
    return values


def compare(fields_of, old, new) -> list[dict]:
    """Every field of either version, in a stable order, compared."""
    a, b = fields_of(old), fields_of(new)
    names = list(dict.fromkeys([*b, *a]))
    return [field_row(n, a.get(n), b.get(n)) for n in names]


def file_changes(old, new) -> list[dict]:
    """Files added, removed, replaced (same name, new bytes) or kept."""
    before = {f.filename: f for f in (getattr(old, "files", None) or [])}
    after = {f.filename: f for f in (getattr(new, "files", None) or [])}
    rows = []
    for name in dict.fromkeys([*after, *before]):
        a, b = before.get(name), after.get(name)
        if a is None:
            change = "added"
        elif b is None:
            change = "removed"
        else:
            change = "kept" if a.blob_sha256 == b.blob_sha256 else "replaced"
        size = (b or a).size
        rows.append({"filename": name, "change": change, "size": size})
    return rows
