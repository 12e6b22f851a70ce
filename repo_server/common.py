"""Schema pieces every feature uses: NFC text fields, listing arguments, pages."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy import func, select

from qti.text import normalize
from repo_server.extensions import db


class Text(fields.String):
    """A string stored in NFC with tone marks placed one way, trimmed, length-checked."""

    def __init__(self, *args, max_length: int = 255, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = normalize(super()._deserialize(value, attr, data, **kwargs)).strip()
        if len(text) > self.max_length:
            raise ValidationError(str(_l("Tối đa %(n)s ký tự.", n=self.max_length)))
        return text


class LongText(Text):
    """A free-text field limited by the MAX_TEXT_LENGTH setting."""

    def _deserialize(self, value, attr, data, **kwargs):
        self.max_length = current_app.config["MAX_TEXT_LENGTH"]
        return super()._deserialize(value, attr, data, **kwargs)


class Tags(fields.List):
    """Up to 20 short, de-duplicated tags."""

    def __init__(self, **kwargs):
        super().__init__(
            Text(max_length=50), validate=validate.Length(max=20), **kwargs
        )

    def _deserialize(self, value, attr, data, **kwargs):
        tags = super()._deserialize(value, attr, data, **kwargs)
        return list(dict.fromkeys(t for t in tags if t))


class ListArgs(Schema):
    """Paging and sorting arguments of every listing."""

    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1))
    sort = fields.String(load_default="-created_at")


def paginate(model, conditions: list, args: dict, sorts: dict):
    """Count and fetch one sorted page of ``model`` rows; return (rows, total, page, size)."""
    per_page = min(
        args.get("per_page") or current_app.config["PAGE_SIZE"],
        current_app.config["MAX_PAGE_SIZE"],
    )
    sort = args.get("sort") or "-created_at"
    if sort.lstrip("-") not in sorts:
        raise ValidationError(
            {"sort": [str(_l("Không sắp xếp được theo trường này."))]}
        )
    column = sorts[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    total = count_capped(model, conditions)
    page = args["page"]
    # Sort and page over ids alone, then load the page's rows: sorting whole rows
    # (with their JSON) made deep pages slow on SQLite.
    ids = db.session.scalars(
        select(model.id)
        .where(*conditions)
        .order_by(order, sorts["id"].desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    rows = db.session.scalars(select(model).where(model.id.in_(ids))).unique()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids], total, page, per_page


def count_capped(model, conditions: list) -> int:
    """Count matching rows, stopping at LIST_COUNT_LIMIT + 1 (shown as "10.000+")."""
    limit = current_app.config["LIST_COUNT_LIMIT"]
    matching = select(model.id).where(*conditions).limit(limit + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(matching))


def page_envelope(items: list, total: int, page: int, per_page: int) -> dict:
    """The JSON shape of every listing; ``total_exact`` is false past the count limit."""
    limit = current_app.config["LIST_COUNT_LIMIT"]
    exact = total <= limit
    total = min(total, limit)
    return {
        "items": items,
        "total": total,
        "total_exact": exact,
        "page": page,
        "per_page": per_page,
        "pages": (total + per_page - 1) // per_page,
    }
