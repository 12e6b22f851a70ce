"""Typed errors of the service and the one table that turns them into JSON."""

import logging

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from qti import QtiError
from storage import StorageError

logger = logging.getLogger(__name__)


class RepoError(Exception):
    """Base of the errors a service raises for the client to see."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Unauthorized(RepoError):
    """The request carries no valid login or token."""

    status, code = 401, "unauthorized"


class Forbidden(RepoError):
    """The user is known but may not do this."""

    status, code = 403, "forbidden"


class NotFound(RepoError):
    """The object does not exist or is not visible to the user."""

    status, code = 404, "not_found"


class Conflict(RepoError):
    """The request clashes with the object's current state."""

    status, code = 409, "conflict"


class Invalid(RepoError):
    """The input is well-formed but its values are wrong."""

    status, code = 422, "invalid"


class TooManyRequests(RepoError):
    """The caller tried too often (e.g. wrong passwords) and must wait."""

    status, code = 429, "too_many_requests"


class Unavailable(RepoError):
    """A backend (database, storage, search) cannot be reached right now."""

    status, code = 503, "unavailable"


def _envelope(status: int, code: str, message: str, **extra):
    body = {"error": {"code": code, "message": message, **extra}}
    if _wants_html():
        page = render_template("error.html", status=status, message=message, **extra)
        return page, status
    return jsonify(body), status


def _wants_html() -> bool:
    """Browser pages get an HTML error page; the API and scripts get JSON."""
    if request.path.startswith("/api/"):
        return False
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "text/html"


def handle_repo_error(exc: RepoError):
    """Render a service error in the envelope."""
    extra = {"fields": exc.fields} if exc.fields else {}
    return _envelope(exc.status, exc.code, exc.message, **extra)


def handle_validation_error(exc: ValidationError):
    """Render marshmallow field errors as 422."""
    fields = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
    return _envelope(422, "invalid", _("Dữ liệu không hợp lệ."), fields=fields)


def handle_qti_error(exc: QtiError):
    """Render an invalid question as 422 with the field at fault."""
    fields = {exc.field or "item": [exc.message]}
    return _envelope(422, "invalid", exc.message, fields=fields)


def handle_http_error(exc: HTTPException):
    """Render werkzeug's errors (404 routes, 405, 413, CSRF 400) in the envelope."""
    code = (exc.name or "error").lower().replace(" ", "_")
    return _envelope(exc.code or 500, code, _http_message(exc))


def _http_message(exc: HTTPException) -> str:
    messages = {
        400: _("Yêu cầu không hợp lệ."),
        404: _("Không tìm thấy trang hoặc đối tượng."),
        405: _("Phương thức không được hỗ trợ."),
        413: _("Tệp hoặc dữ liệu gửi lên quá lớn."),
        415: _("Kiểu dữ liệu không được hỗ trợ."),
    }
    if "CSRF" in (exc.description or ""):
        return _("Phiên làm việc đã hết hạn hoặc thiếu mã CSRF; hãy tải lại trang.")
    return messages.get(exc.code, exc.description or "")


def handle_storage_error(exc: StorageError):
    """Storage is down: 503, and the details go to the log, not to the client."""
    logger.warning(
        "storage unavailable on %s %s: %s", request.method, request.path, exc
    )
    message = _("Kho lưu trữ tạm thời không truy cập được; vui lòng thử lại.")
    return _envelope(503, "unavailable", message)


def handle_database_error(exc: DBAPIError):
    """A dead database connection (server restarted): 503, the client sends again.

    The pool does not ping before each request; SQLAlchemy has already discarded
    the connections opened before the failure, so the next request reconnects.
    """
    if not exc.connection_invalidated:
        return handle_unexpected(exc)
    from repo_server.extensions import db

    db.session.rollback()
    logger.warning("database connection lost on %s %s", request.method, request.path)
    message = _("Mất kết nối tới cơ sở dữ liệu; vui lòng thử lại.")
    return _envelope(503, "unavailable", message)


def handle_unexpected(exc: Exception):
    """Log an unexpected failure; tests see it raised, users see a 500 envelope."""
    if current_app.testing:
        raise exc
    logger.exception("unexpected error on %s %s", request.method, request.path)
    return _envelope(500, "internal", _("Lỗi máy chủ; vui lòng thử lại sau."))


def register_error_handlers(app) -> None:
    """Install the one error table on ``app``."""
    app.register_error_handler(RepoError, handle_repo_error)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(QtiError, handle_qti_error)
    app.register_error_handler(StorageError, handle_storage_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
