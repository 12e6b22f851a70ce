"""Input of exports."""

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from repo_server.common import Text
from repo_server.exchange.formats import FORMATS
from repo_server.lifecycle.models import STATUSES


class Ids(fields.Field):
    """Question ids as a JSON list or a comma-separated string ("1,2,3")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [part for part in value.replace(" ", "").split(",") if part]
        if not isinstance(value, list):
            raise ValidationError(str(_l("Danh sách mã câu hỏi không hợp lệ.")))
        try:
            ids = [int(v) for v in value if not isinstance(v, bool)]
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(_l("Mã câu hỏi phải là số."))) from exc
        if len(ids) != len(value) or len(ids) > 100_000:
            raise ValidationError(str(_l("Danh sách mã câu hỏi không hợp lệ.")))
        return ids


class ExportIn(Schema):
    """What to export: a format and a selection (the same filters as listings)."""

    class Meta:
        unknown = EXCLUDE

    format = fields.String(required=True, validate=validate.OneOf(sorted(FORMATS)))
    subject = Text(max_length=64, load_default=None, allow_none=True)
    grade = Text(max_length=64, load_default=None, allow_none=True)
    topic = Text(max_length=64, load_default=None, allow_none=True)
    status = fields.String(
        load_default="published", validate=validate.OneOf((*STATUSES, "all"))
    )
    ids = Ids(load_default=list)
    #: SCORM formats: export this lecture instead of a selection of questions.
    material = fields.Integer(load_default=None, allow_none=True)
    #: QTI and SCORM formats: export this published quiz (its pinned versions, its parts).
    quiz = fields.Integer(load_default=None, allow_none=True)
