"""User, login and token input and output."""

from marshmallow import EXCLUDE, Schema, fields, validate

from repo_server.accounts.models import ROLES
from repo_server.common import ListArgs, Text


class LoginIn(Schema):
    """Credentials for a browser session."""

    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(max=1024))


class UserIn(Schema):
    """What an admin sends to create or change a user."""

    email = fields.Email(required=True)
    name = Text(required=True, validate=validate.Length(min=1))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    org_id = fields.Integer(required=True)
    password = fields.String(validate=validate.Length(max=1024))
    class_name = Text(max_length=32, allow_none=True)
    grade = Text(max_length=64, allow_none=True)
    subjects = fields.List(Text(max_length=64), load_default=list)
    active = fields.Boolean(load_default=True)
    locale = fields.String(validate=validate.OneOf(("vi", "en")))


class UserListArgs(ListArgs):
    """Filters of the user listing."""

    class Meta:
        unknown = EXCLUDE

    role = fields.String(validate=validate.OneOf(ROLES))
    org = fields.Integer()


class TokenIn(Schema):
    """A name for a new API token."""

    name = Text(required=True, max_length=100, validate=validate.Length(min=1))


def dump_user(user) -> dict:
    """Return the JSON of a user (never the password hash)."""
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "org_id": user.org_id,
        "class_name": user.class_name,
        "grade": user.grade_code,
        "subjects": user.subject_codes,
        "active": user.active,
        "locale": user.locale,
    }


def dump_token(token) -> dict:
    """Return the JSON of a token (its prefix only)."""
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at.isoformat() + "Z",
        "last_used_at": token.last_used_at.isoformat() + "Z"
        if token.last_used_at
        else None,
    }
