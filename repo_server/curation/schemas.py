"""Curation input validation and output shapes."""

from marshmallow import EXCLUDE, Schema, fields, validate

from repo_server.common import LongText, Text
from repo_server.curation.queues import QueueEntry

KIND_SEGMENTS = ("questions", "materials")
YEAR = validate.Regexp(r"^\d{4}-\d{4}$", error="Năm học dạng 2025-2026.")


class QueueArgs(Schema):
    """Filters and page of a review queue."""

    class Meta:
        unknown = EXCLUDE

    kind = fields.String(validate=validate.OneOf(("question", "material")))
    subject = fields.String()
    grade = fields.String()
    org = fields.Integer()
    author = fields.Integer()
    stage = fields.String(validate=validate.OneOf(("level1", "level2")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ApproveIn(Schema):
    """An approval with an optional remark."""

    comment = Text(max_length=2000, load_default=None, allow_none=True)


class ReturnIn(Schema):
    """A return needs a comment for the author."""

    comment = Text(max_length=2000, required=True)


class CommentIn(Schema):
    """A reviewer's remark on a version."""

    body = LongText(required=True, validate=validate.Length(min=1))


class BulkItem(Schema):
    """One item of a bulk approval."""

    kind = fields.String(required=True, validate=validate.OneOf(KIND_SEGMENTS))
    id = fields.Integer(required=True)


class BulkApproveIn(Schema):
    """Up to 200 items approved in one request."""

    items = fields.List(
        fields.Nested(BulkItem), required=True, validate=validate.Length(1, 200)
    )


class ReviewLevelsIn(Schema):
    """One or two review levels for an organisation."""

    levels = fields.Integer(required=True, validate=validate.OneOf((1, 2)))


class ScopeIn(Schema):
    """Grades and organisations a curator's queue covers (empty lists: all)."""

    grades = fields.List(Text(max_length=64), load_default=list)
    orgs = fields.List(fields.Integer(), load_default=list)


class TargetIn(Schema):
    """A year's target share for a subject ('' for every subject)."""

    school_year = fields.String(required=True, validate=YEAR)
    subject = Text(max_length=64, load_default="")
    percent = fields.Integer(required=True, validate=validate.Range(0, 100))


class CoverageArgs(Schema):
    """Which part of the curriculum the dashboard covers."""

    class Meta:
        unknown = EXCLUDE

    subject = fields.String()
    grade = fields.String()
    series = fields.String()
    org = fields.Integer()
    year = fields.String(validate=YEAR)


class AuditArgs(Schema):
    """Filters of the audit log."""

    class Meta:
        unknown = EXCLUDE

    action = fields.String()
    kind = fields.String()
    object_id = fields.String()
    user = fields.Integer()
    ip = fields.String()
    since = fields.Date()
    until = fields.Date()
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def dump_entry(entry: QueueEntry) -> dict:
    """The JSON of one queue line."""
    item, task = entry.item, entry.task
    title = item.stem_text if entry.kind == "question" else item.title
    return {
        "kind": entry.kind,
        "id": item.id,
        "lineage_id": item.lineage_id,
        "version": item.version,
        "title": title,
        "subject": item.subject_code,
        "grade": item.grade_code,
        "org_id": item.org_id,
        "author": {"id": item.author.id, "name": item.author.name},
        "submitted_at": task.submitted_at.isoformat() + "Z",
        "waiting_days": entry.waiting_days,
        "level1_approved": task.level1_at is not None,
    }


def dump_comment(row) -> dict:
    """The JSON of one review comment."""
    return {
        "id": row.id,
        "content_id": row.content_id,
        "version": row.version,
        "user": {"id": row.user.id, "name": row.user.name},
        "body": row.body,
        "action": row.action,
        "created_at": row.created_at.isoformat() + "Z",
    }


def dump_review(review) -> dict:
    """The JSON of the review of one version."""
    return {
        "kind": review.kind,
        "id": review.item.id,
        "version": review.item.version,
        "status": review.item.status,
        "base": (
            {
                "id": review.base.id,
                "version": review.base.version,
                "status": review.base.status,
            }
            if review.base is not None
            else None
        ),
        "fields": review.fields,
        "files": review.files,
        "comments": [dump_comment(c) for c in review.comments],
        "level1_approved": bool(review.task and review.task.level1_at),
        "actions": review.actions,
    }
