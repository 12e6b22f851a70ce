"""Material input validation and output."""

from marshmallow import EXCLUDE, Schema, fields, validate

from repo_server.common import ListArgs, LongText, Tags, Text
from repo_server.files.schemas import dump_file
from repo_server.lifecycle.models import STATUSES
from repo_server.materials.models import MATERIAL_KINDS


class MaterialIn(Schema):
    """What an author sends to create or change a material."""

    title = Text(required=True, validate=validate.Length(min=1))
    description = LongText()
    kind = fields.String(required=True, validate=validate.OneOf(MATERIAL_KINDS))
    subject = Text(max_length=64, allow_none=True)
    grade = Text(max_length=64, allow_none=True)
    topic = Text(max_length=64, allow_none=True)
    series = Text(max_length=64, allow_none=True)
    language = fields.String(validate=validate.Regexp(r"^[a-z]{2}$"))
    licence = Text(max_length=64)
    tags = Tags()


class MaterialListArgs(ListArgs):
    """Filters of the material listing."""

    class Meta:
        unknown = EXCLUDE

    subject = fields.String()
    grade = fields.String()
    topic = fields.String()
    series = fields.String()
    kind = fields.String(validate=validate.OneOf(MATERIAL_KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    author = fields.Integer()
    org = fields.Integer()


def dump_material(material, with_review: bool = True) -> dict:
    """Return the JSON of a material."""
    topic = material.topic
    return {
        "id": material.id,
        "lineage_id": material.lineage_id,
        "version": material.version,
        "status": material.status,
        "title": material.title,
        "description": material.description,
        "kind": material.kind,
        "subject": material.subject_code,
        "grade": material.grade_code,
        "topic": topic.code if topic else None,
        "topic_name": topic.name_vi if topic else None,
        "series": material.series_code,
        "language": material.language,
        "licence": material.licence,
        "tags": material.tags,
        "author": {"id": material.author.id, "name": material.author.name},
        "org_id": material.org_id,
        "review_comment": material.review_comment if with_review else None,
        "files": [dump_file(f) for f in material.files],
        "created_at": material.created_at.isoformat() + "Z",
        "updated_at": material.updated_at.isoformat() + "Z",
        "published_at": material.published_at.isoformat() + "Z"
        if material.published_at
        else None,
    }
