"""Organisation input and output."""

from marshmallow import Schema, fields, validate

from repo_server.common import Text
from repo_server.orgs.models import ORG_KINDS

LEVELS = ("MN", "TH", "THCS", "THPT")


class OrganisationIn(Schema):
    """What an admin sends to create or change an organisation."""

    code = Text(
        required=True, max_length=64, validate=validate.Regexp(r"^[A-Za-z0-9_.-]+$")
    )
    name = Text(required=True, validate=validate.Length(min=1))
    kind = fields.String(required=True, validate=validate.OneOf(ORG_KINDS))
    parent_id = fields.Integer(allow_none=True, load_default=None)
    levels = fields.List(
        fields.String(validate=validate.OneOf(LEVELS)), load_default=list
    )


def dump_organisation(org) -> dict:
    """Return the JSON of an organisation."""
    return {
        "id": org.id,
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "parent_id": org.parent_id,
        "levels": org.levels,
    }
