"""Quiz input validation: classes, quizzes and their parts, saves, overrides, regrades."""

from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from qti import QUESTION_TYPES
from repo_server.common import Text
from repo_server.quizzes.models import REVIEW_POLICIES

LEVELS = ("NB", "TH", "VD", "VDC")
#: The 2025 format's default points per part (Phần I, II, III of a 10-point paper).
MAX_QUESTIONS = 200


class ClassIn(Schema):
    """A class: its name, school and (optionally) its students."""

    name = Text(max_length=64, required=True, validate=validate.Length(min=1))
    school_id = fields.Integer(load_default=None, allow_none=True)
    student_ids = fields.List(
        fields.Integer(), load_default=None, validate=validate.Length(max=2000)
    )


class CellIn(Schema):
    """One blueprint cell: how many questions of a topic × level × type."""

    topic = Text(max_length=64, load_default=None, allow_none=True)
    level = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(LEVELS)
    )
    type = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(QUESTION_TYPES)
    )
    count = fields.Integer(required=True, validate=validate.Range(min=1, max=100))


class PartIn(Schema):
    """A part ("Phần I"): fixed question versions and/or blueprint cells, and points."""

    title = Text(max_length=100, load_default="")
    points = fields.Float(load_default=1.0, validate=validate.Range(min=0, max=100))
    #: Points of the whole part, shared equally by its questions (overrides ``points``).
    total_points = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100)
    )
    question_ids = fields.List(
        fields.Integer(), load_default=list, validate=validate.Length(max=MAX_QUESTIONS)
    )
    blueprint = fields.List(
        fields.Nested(CellIn), load_default=list, validate=validate.Length(max=100)
    )

    @validates_schema
    def not_empty(self, data, **_kwargs):
        """A part holds at least one question."""
        if not data["question_ids"] and not data["blueprint"]:
            raise ValidationError(str(_l("Phần thi cần câu hỏi hoặc ma trận đề.")))


class QuizIn(Schema):
    """What a teacher sends to create or change a draft quiz."""

    class Meta:
        unknown = EXCLUDE

    title = Text(max_length=255, required=True, validate=validate.Length(min=1))
    subject = Text(max_length=64, load_default=None, allow_none=True)
    grade = Text(max_length=64, load_default=None, allow_none=True)
    parts = fields.List(
        fields.Nested(PartIn), required=True, validate=validate.Length(min=1, max=10)
    )
    time_limit_minutes = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=600)
    )
    opens_at = fields.NaiveDateTime(load_default=None, allow_none=True)
    closes_at = fields.NaiveDateTime(load_default=None, allow_none=True)
    max_attempts = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=20)
    )
    shuffle_questions = fields.Boolean(load_default=False)
    shuffle_options = fields.Boolean(load_default=False)
    draw_per_student = fields.Boolean(load_default=False)
    review = fields.String(
        load_default="after_close", validate=validate.OneOf(REVIEW_POLICIES)
    )
    show_explanations = fields.Boolean(load_default=True)
    class_ids = fields.List(fields.Integer(), load_default=list)
    school_ids = fields.List(fields.Integer(), load_default=list)

    @validates_schema
    def window(self, data, **_kwargs):
        """The quiz closes after it opens."""
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            raise ValidationError(
                {"closes_at": [str(_l("Thời điểm đóng phải sau thời điểm mở."))]}
            )


class AvailabilityArgs(Schema):
    """Which bank slice the builder's grid counts."""

    class Meta:
        unknown = EXCLUDE

    subject = fields.String(load_default=None)
    grade = fields.String(load_default=None)


class CheckIn(Schema):
    """Blueprint cells to check against the bank."""

    subject = Text(max_length=64, load_default=None, allow_none=True)
    grade = Text(max_length=64, load_default=None, allow_none=True)
    cells = fields.List(
        fields.Nested(CellIn), required=True, validate=validate.Length(max=100)
    )


class SaveIn(Schema):
    """One answer save: the response and the client's sequence number."""

    response = fields.Raw(required=True, allow_none=True)
    seq = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))

    @validates("response")
    def shape(self, value, **_kwargs):
        """A choice id, a list of ids, statement → true/false, or a short number."""
        if not valid_response(value):
            raise ValidationError(str(_l("Câu trả lời không đúng định dạng.")))


def valid_response(value) -> bool:
    """True for the response shapes of the question types, kept small."""
    if value is None:
        return True
    if isinstance(value, str):
        return len(value) <= 64
    if isinstance(value, list):
        return len(value) <= 26 and all(
            isinstance(v, str) and len(v) <= 64 for v in value
        )
    if isinstance(value, dict):
        return len(value) <= 26 and all(
            isinstance(k, str) and len(k) <= 64 and isinstance(v, bool)
            for k, v in value.items()
        )
    return isinstance(value, int | float) and not isinstance(value, bool)


class OverrideIn(Schema):
    """A teacher's manual score for one answer (null clears it), with the reason."""

    points = fields.Float(
        required=True, allow_none=True, validate=validate.Range(min=0, max=100)
    )
    reason = Text(max_length=1000, required=True, validate=validate.Length(min=3))


class RegradeIn(Schema):
    """Replace a pinned version by its corrected version (or just rescore)."""

    question_id = fields.Integer(load_default=None, allow_none=True)
    new_question_id = fields.Integer(load_default=None, allow_none=True)
