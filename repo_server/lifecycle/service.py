"""Who may see, edit and move content items, and the moves themselves."""

import logging

from flask_babel import gettext as _
from sqlalchemy import and_, false, func, or_, select, true

from repo_server.errors import Conflict, Forbidden, Invalid, NotFound
from repo_server.extensions import db
from repo_server.lifecycle.models import ContentEvent
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)

#: action → (statuses it starts from, status it leads to, who may do it).
TRANSITIONS = {
    "submit": ({"draft", "returned"}, "submitted", "author"),
    "withdraw": ({"submitted"}, "draft", "author"),
    "publish": ({"submitted"}, "published", "reviewer"),
    "return": ({"submitted"}, "returned", "reviewer"),
    "archive": ({"published"}, "archived", "reviewer"),
}
EDITABLE = {"draft", "returned"}
#: Statuses a curator sees in the subjects they curate (besides published ones).
REVIEW_STATUSES = ("submitted", "returned", "archived")
#: Told of every history event inside its transaction, as
#: hook(kind, item, user, action, from_status, comment): other features (curation's
#: audit log, coverage counts, review queue, notifications) follow the lifecycle here.
#: A hook's optional ``many(kind, items, …)`` takes one event of many items at once.
EVENT_HOOKS: list = []
#: May refuse a move before it happens, as check(kind, item, user, action).
TRANSITION_CHECKS: list = []


def is_reviewer(user, item) -> bool:
    """Admins, and curators of the item's subject, review and publish it."""
    if user.role == "admin":
        return True
    return user.role == "curator" and item.subject_code in user.subject_codes


def can_view(user, item) -> bool:
    """Published items are for everyone; the rest for their authors and reviewers."""
    if item.status == "published" or user.role == "admin":
        return True
    if user.role == "student":
        return False
    if user.id in (item.created_by_id, item.author_id):
        return True
    return is_reviewer(user, item) and item.status in REVIEW_STATUSES


def visible_filter(model, user):
    """The SQL form of ``can_view`` for listings."""
    if user.role == "admin":
        return true()
    published = model.status == "published"
    if user.role == "student":
        return published
    own = or_(model.created_by_id == user.id, model.author_id == user.id)
    curated = false()
    if user.role == "curator" and user.subject_codes:
        curated = and_(
            model.subject_code.in_(user.subject_codes),
            model.status.in_(REVIEW_STATUSES),
        )
    return or_(published, own, curated)


def get_visible(model, user, item_id: int):
    """Return the item, or NotFound when it is missing or hidden from ``user``."""
    item = db.session.get(model, item_id)
    if item is None or not can_view(user, item):
        raise NotFound(_("Không tìm thấy nội dung #%(id)s.", id=item_id))
    return item


def require_editable(user, item) -> None:
    """Only the writer of a draft or returned version may change it."""
    if user.id != item.created_by_id:
        raise Forbidden(_("Bạn chỉ được sửa nội dung do mình soạn."))
    if item.status not in EDITABLE:
        raise Conflict(
            _(
                "Nội dung ở trạng thái '%(s)s' không sửa được; hãy tạo phiên bản mới.",
                s=item.status,
            )
        )


def require_author_role(user) -> None:
    """Students do not write content."""
    if user.role not in ("teacher", "curator", "admin"):
        raise Forbidden(_("Bạn không có quyền soạn nội dung."))


def check_transition(user, item, action: str, comment: str | None) -> str:
    """Return the status ``action`` leads to, or raise why it is not allowed."""
    if action not in TRANSITIONS:
        raise Invalid(_("Thao tác không hợp lệ: %(a)s.", a=action))
    sources, target, actor = TRANSITIONS[action]
    if actor == "author" and user.id != item.created_by_id:
        raise Forbidden(_("Chỉ người soạn mới được gửi hoặc rút nội dung này."))
    if actor == "reviewer" and not is_reviewer(user, item):
        raise Forbidden(_("Bạn không phụ trách duyệt môn học của nội dung này."))
    if item.status not in sources:
        raise Conflict(
            _(
                "Không thể '%(a)s' khi nội dung đang ở trạng thái '%(s)s'.",
                a=action,
                s=item.status,
            )
        )
    if action == "return" and not (comment or "").strip():
        raise Invalid(_("Cần ghi nhận xét khi trả lại."), {"comment": [_("Bắt buộc.")]})
    return target


def apply_transition(kind, model, user, item, action, comment, ready_check) -> None:
    """Move ``item`` by ``action``, record the event, and archive superseded versions."""
    target = check_transition(user, item, action, comment)
    for check in TRANSITION_CHECKS:
        check(kind, item, user, action)
    if target == "submitted":
        ready_check(item)
    old = item.status
    item.status = target
    item.updated_at = utcnow()
    if action == "return":
        item.review_comment = comment.strip()
    if target == "published":
        item.published_at = item.updated_at
        _archive_superseded(kind, model, user, item)
    record_event(kind, item, user, action, old, comment=comment)
    logger.info(
        "%s %s v%s: %s → %s by %s", kind, item.id, item.version, old, target, user.email
    )


def _archive_superseded(kind, model, user, item) -> None:
    """Publishing a version archives the versions of the same item published before."""
    older = db.session.scalars(
        select(model).where(
            model.lineage_id == item.lineage_id,
            model.id != item.id,
            model.status == "published",
        )
    )
    for previous in older:
        previous.status = "archived"
        record_event(kind, previous, user, "supersede", "published")


def record_event(kind, item, user, action, from_status, comment=None, changes=()):
    """Append one history entry for ``item`` (flushed with the caller's transaction)."""
    db.session.add(
        ContentEvent(
            content_kind=kind,
            content_id=item.id,
            lineage_id=item.lineage_id,
            version=item.version,
            action=action,
            from_status=from_status,
            to_status=item.status,
            user_id=user.id,
            comment=comment,
            changes=list(changes),
        )
    )
    run_event_hooks(kind, [item], user, action, from_status, comment)


def run_event_hooks(kind, items, user, action, from_status, comment=None) -> None:
    """Tell the hooks of one event of each item (its history row is the caller's).

    A hook with a ``many`` attribute is told of all the items at once through it.
    """
    for hook in EVENT_HOOKS:
        many = getattr(hook, "many", None)
        if many is not None:
            many(kind, items, user, action, from_status, comment)
            continue
        for item in items:
            hook(kind, item, user, action, from_status, comment)


def next_version(model, lineage_id: int) -> int:
    """Return the number the next version of a lineage gets."""
    latest = db.session.scalar(
        select(func.max(model.version)).where(model.lineage_id == lineage_id)
    )
    return (latest or 0) + 1


def history(kind: str, lineage_id: int) -> list[ContentEvent]:
    """Return the events of every version of an item, oldest first."""
    return list(
        db.session.scalars(
            select(ContentEvent)
            .where(
                ContentEvent.content_kind == kind, ContentEvent.lineage_id == lineage_id
            )
            .order_by(ContentEvent.at, ContentEvent.id)
        )
    )
