"""Question input validation and the two output shapes (author view, student view)."""

from flask import current_app
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from qti import QUESTION_TYPES
from repo_server.common import ListArgs, Tags, Text
from repo_server.lifecycle.models import STATUSES


class QuestionIn(Schema):
    """What an author sends to create or change a question."""

    subject = Text(max_length=64, allow_none=True)
    grade = Text(max_length=64, allow_none=True)
    topic = Text(max_length=64, allow_none=True)
    cognitive_level = Text(max_length=64, allow_none=True)
    difficulty = fields.Integer(validate=validate.Range(min=1, max=5), allow_none=True)
    tags = Tags()
    licence = Text(max_length=64)
    item = fields.Dict(required=True)

    @validates("item")
    def check_item_size(self, item: dict, **_kwargs) -> None:
        """Every text of an item obeys the same limit as other free text."""
        limit = current_app.config["MAX_TEXT_LENGTH"]
        if any(len(text) > limit for text in _strings(item)):
            raise ValidationError(_("Nội dung vượt quá %(n)s ký tự.", n=limit))


def _strings(value):
    """Yield every string inside nested dicts and lists."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for child in value.values() if isinstance(value, dict) else value:
            yield from _strings(child)


class QuestionListArgs(ListArgs):
    """Filters of the question listing."""

    class Meta:
        unknown = EXCLUDE

    subject = fields.String()
    grade = fields.String()
    topic = fields.String()
    type = fields.String(validate=validate.OneOf(QUESTION_TYPES))
    status = fields.String(validate=validate.OneOf(STATUSES))
    cognitive_level = fields.String()
    author = fields.Integer()
    org = fields.Integer()


class TransitionIn(Schema):
    """A lifecycle move with an optional comment."""

    comment = Text(max_length=2000, load_default=None, allow_none=True)


#: Parts of an item that reveal the answer; students never receive them.
ANSWER_KEYS = ("correct", "explanation", "numeric")


def student_item(item: dict) -> dict:
    """Return the item without its answer key, explanation or statements' truth."""
    out = {k: v for k, v in item.items() if k not in ANSWER_KEYS}
    if "statements" in out:
        out["statements"] = [
            {"id": s["id"], "text": s["text"]} for s in out["statements"]
        ]
    return out


def dump_question(question, reveal: bool) -> dict:
    """Return the JSON of a question; ``reveal`` adds the key and the explanation."""
    topic = question.topic
    return {
        "id": question.id,
        "lineage_id": question.lineage_id,
        "version": question.version,
        "status": question.status,
        "type": question.qtype,
        "subject": question.subject_code,
        "grade": question.grade_code,
        "topic": topic.code if topic else None,
        "topic_name": topic.name_vi if topic else None,
        "cognitive_level": question.cognitive_level,
        "difficulty": question.difficulty,
        "tags": question.tags,
        "licence": question.licence,
        "author": {"id": question.author.id, "name": question.author.name},
        "org_id": question.org_id,
        "review_comment": question.review_comment if reveal else None,
        "created_at": question.created_at.isoformat() + "Z",
        "updated_at": question.updated_at.isoformat() + "Z",
        "published_at": _iso(question.published_at),
        "stem_text": question.stem_text,
        "item": question.item if reveal else student_item(question.item),
    }


def _iso(value):
    return value.isoformat() + "Z" if value else None
