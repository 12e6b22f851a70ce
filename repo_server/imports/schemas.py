"""Input and JSON shape of imports."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from repo_server.common import Text


class Flag(fields.Field):
    """A form flag: "1", "true", "on", "yes" (any case) mean true."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "on", "yes")


class ImportForm(Schema):
    """The multipart form of an upload (besides its files)."""

    class Meta:
        unknown = EXCLUDE

    subject = Text(max_length=64, load_default=None)
    grade = Text(max_length=64, load_default=None)
    preview = Flag(load_default=False)
    dry_run = Flag(load_default=False)


class EntryChange(Schema):
    """A fix of one previewed question: a new item, taxonomy, or (de)selection."""

    class Meta:
        unknown = EXCLUDE

    index = fields.Integer(required=True, validate=validate.Range(min=0))
    selected = fields.Boolean()
    item = fields.Dict()
    subject = Text(max_length=64, allow_none=True)
    grade = Text(max_length=64, allow_none=True)
    topic = Text(max_length=64, allow_none=True)
    cognitive_level = Text(max_length=64, allow_none=True)


def _not_empty(value):
    if not value:
        raise ValidationError(str(_l("Cần ít nhất một thay đổi.")))


class ImportPatchIn(Schema):
    """Changes to a preview."""

    class Meta:
        unknown = EXCLUDE

    entries = fields.List(
        fields.Nested(EntryChange), required=True, validate=_not_empty
    )


def _iso(value):
    return value.isoformat() + "Z" if value else None


def dump_import(record, entries: bool = True) -> dict:
    """An import: files, every entry (when asked), what was skipped and imported."""
    data = {
        "id": record.id,
        "status": record.status,
        "subject": record.subject_code,
        "grade": record.grade_code,
        "created_at": _iso(record.created_at),
        "committed_at": _iso(record.committed_at),
        "files": [_file(record, n, f) for n, f in enumerate(record.files, 1)],
        "counts": _counts(record.entries),
        "imported": list(record.question_ids or []),
        "skipped": list(record.skipped) + _left_out(record.entries),
        "problems": [
            {"file": e["file"], "item": e["label"], "message": message}
            for e in record.entries
            if e["selected"]
            for message in e["problems"]
        ],
    }
    if entries:
        data["entries"] = [_entry(e) for e in record.entries]
    return data


def _file(record, number: int, file: dict) -> dict:
    url = url_for("api.download_import_file", import_id=record.id, number=number)
    return {
        "name": file["name"],
        "size": file["size"],
        "format": file["format"],
        "url": url,
    }


def _counts(entries: list[dict]) -> dict:
    return {
        "entries": len(entries),
        "selected": sum(e["selected"] for e in entries),
        "blocking": sum(e["blocking"] for e in entries),
        "duplicates": sum(bool(e["duplicates"]) for e in entries),
    }


def _left_out(entries: list[dict]) -> list[dict]:
    reason = str(_l("Bỏ chọn."))
    return [
        {
            "file": e["file"],
            "item": e["label"],
            "reason": "; ".join(e["problems"]) or reason,
        }
        for e in entries
        if not e["selected"]
    ]


def _entry(entry: dict) -> dict:
    links = []
    for found in entry["duplicates"]:
        link = dict(found)
        if "question" in found:
            link["url"] = url_for("web.question_detail", question_id=found["question"])
        links.append(link)
    return {**entry, "duplicates": links}
