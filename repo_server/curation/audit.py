"""The append-only audit log: state changes and permission-relevant requests."""

import logging
from datetime import timedelta

from flask import g, has_request_context, request
from sqlalchemy import insert, select

from repo_server.accounts.service import require_role
from repo_server.curation.models import AuditEntry
from repo_server.extensions import db
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: Successful writes of these endpoints are audited by the lifecycle events they
#: cause (with the item, version and statuses), so the request itself is not.
COVERED_BY_EVENTS = {
    "api.create_question",
    "api.update_question",
    "api.transition_question",
    "api.new_question_version",
    "api.create_material",
    "api.update_material",
    "api.transition_material",
    "api.new_material_version",
    "web.transition",
    "web.start_version",
    "web.question_new",
    "web.question_edit",
    "web.material_new",
    "web.material_edit",
    # Curation's own writes add their entries in their services.
    "api.review_approve",
    "api.review_return",
    "api.review_bulk_approve",
    "api.add_review_comment",
    "api.review_restore",
    "api.set_review_levels",
    "api.set_review_scope",
    "api.set_coverage_target",
    "api.import_topics",
    "curation.review_action",
    "curation.bulk_approve",
    "curation.restore",
    "curation.topics_page",
}
#: Successful quiz-taking writes are recorded by the rows they write (an answer's seq and
#: saved_at, an attempt's started_at, submitted_at and submitted_by): a line per answer
#: save would double each student's writes. Their refusals are still audited.
RECORDED_BY_ROWS = {"api.save_answer", "api.start_attempt", "api.submit_attempt"}
#: Writes that change nothing others depend on; not worth a line each.
QUIET = {"web.set_language", "api.read_notification", "api.read_all_notifications"}
LOGINS = {"api.login", "web.login"}


def client_address() -> str:
    """The client's address for the log ("cli" outside a request)."""
    if not has_request_context() or request.endpoint is None:
        return "cli"
    return request.remote_addr or ""


def record(action: str, user=None, kind: str = "", object_id="", **detail) -> None:
    """Add one entry to the current transaction (the caller commits)."""
    db.session.add(
        AuditEntry(
            user_id=user.id if user is not None else None,
            user_email=user.email if user is not None else "",
            action=action,
            object_kind=kind,
            object_id=str(object_id or ""),
            ip=client_address(),
            detail=detail,
        )
    )


def record_many(action: str, user, kind: str, entries: list[tuple]) -> None:
    """Add one entry per (object id, detail) pair with one INSERT (bulk creations)."""
    at, ip = utcnow(), client_address()
    rows = [
        {
            "at": at,
            "user_id": user.id if user is not None else None,
            "user_email": user.email if user is not None else "",
            "action": action,
            "object_kind": kind,
            "object_id": str(object_id or ""),
            "ip": ip,
            "detail": detail,
        }
        for object_id, detail in entries
    ]
    if rows:
        db.session.execute(insert(AuditEntry.__table__), rows)


def audit_request(response):
    """After a write request: log logins, refusals and writes no event describes."""
    if request.method in SAFE_METHODS or request.endpoint in QUIET:
        return response
    status = response.status_code
    endpoint = request.endpoint or ""
    if endpoint in COVERED_BY_EVENTS and status < 400 and endpoint not in LOGINS:
        return response
    if endpoint in RECORDED_BY_ROWS and status < 400:
        return response
    if endpoint not in LOGINS and status not in (401, 403) and status >= 400:
        return response  # bad input changed nothing and refused no permission
    db.session.rollback()  # a failed request may leave half-made changes: never keep them
    record(
        _request_action(endpoint, status),
        g.get("user"),
        "request",
        endpoint,
        method=request.method,
        path=request.path,
        status=status,
        email=_login_email() if endpoint in LOGINS else None,
    )
    db.session.commit()
    return response


def _request_action(endpoint: str, status: int) -> str:
    """Name the request's entry: login, login.failed, denied or the endpoint's verb."""
    if endpoint in LOGINS:
        return "login" if status < 400 else "login.failed"
    if status in (401, 403):
        return "denied"
    return "request"


def _login_email() -> str:
    """The e-mail a login attempt named (never the password)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    return str((data or {}).get("email", ""))[:254]


def list_entries(user, args: dict) -> tuple[list[AuditEntry], bool]:
    """Return a page of entries, newest first, for admins; and whether more follow."""
    require_role(user, "admin")
    query = select(AuditEntry)
    for key, column in (
        ("action", AuditEntry.action),
        ("kind", AuditEntry.object_kind),
        ("object_id", AuditEntry.object_id),
        ("user", AuditEntry.user_id),
        ("ip", AuditEntry.ip),
    ):
        if args.get(key) not in (None, ""):
            query = query.where(column == args[key])
    if args.get("since"):
        query = query.where(AuditEntry.at >= args["since"])
    if args.get("until"):
        query = query.where(AuditEntry.at < args["until"] + timedelta(days=1))
    per_page = args.get("per_page") or 50
    offset = (args.get("page", 1) - 1) * per_page
    query = query.order_by(AuditEntry.id.desc()).limit(per_page + 1).offset(offset)
    rows = list(db.session.scalars(query))
    return rows[:per_page], len(rows) > per_page


def dump_entry(entry: AuditEntry) -> dict:
    """The JSON of one audit entry."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat() + "Z",
        "user": {"id": entry.user_id, "email": entry.user_email},
        "action": entry.action,
        "object": {"kind": entry.object_kind, "id": entry.object_id},
        "ip": entry.ip,
        "detail": entry.detail,
    }
