"""The /api/v1 blueprint every feature's JSON views register on."""

from flask import Blueprint, request
from flask_babel import gettext as _

from repo_server.errors import Invalid

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body() -> dict:
    """Return the request's JSON object, or raise a clear 422/415-style error."""
    if not request.is_json:
        raise Invalid(
            _("Nội dung gửi lên phải là JSON (Content-Type: application/json).")
        )
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid(_("JSON không hợp lệ hoặc không phải là một đối tượng."))
    return data
