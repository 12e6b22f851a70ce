"""How curation follows the lifecycle: one hook per history event, one check per move."""

from flask_babel import gettext as _

from repo_server.accounts.models import User
from repo_server.curation import audit, counts, levels
from repo_server.curation.models import ReviewComment
from repo_server.curation.notify import notify
from repo_server.curation.queues import reviewers_of
from repo_server.extensions import db
from repo_server.lifecycle import service as lifecycle

#: Page of an item by kind (the links notifications carry).
PAGES = {"question": "/questions/{id}", "material": "/materials/{id}"}


def on_event(kind, item, user, action, from_status, comment) -> None:
    """Audit the event, keep counts and the queue, keep comments, tell the people."""
    detail = _detail(item, from_status, comment)
    audit.record(f"{kind}.{action}", user, kind, item.id, **detail)
    _follow(kind, item, user, action, from_status, comment)


def on_events(kind, items, user, action, from_status, comment) -> None:
    """``on_event`` for one event of many items (a bulk creation): one audit INSERT."""
    details = [(item.id, _detail(item, from_status, comment)) for item in items]
    audit.record_many(f"{kind}.{action}", user, kind, details)
    for item in items:
        _follow(kind, item, user, action, from_status, comment)


on_event.many = on_events


def _detail(item, from_status, comment) -> dict:
    return {
        "lineage": item.lineage_id,
        "version": item.version,
        "from_status": from_status,
        "to_status": item.status,
        "comment": comment,
    }


def _follow(kind, item, user, action, from_status, comment) -> None:
    """Counts, the review queue, comments and notifications of one event."""
    counts.follow_event(kind, item, from_status)
    counts.follow_queue(kind, item, from_status)
    if action == "return" and comment:
        add_comment(kind, item, user, comment.strip(), "return")
    _notify(kind, item, user, action, comment)


def add_comment(kind, item, user, body: str, action: str | None) -> ReviewComment:
    """Attach a reviewer's comment to this version (in the caller's transaction)."""
    row = ReviewComment(
        content_kind=kind,
        content_id=item.id,
        lineage_id=item.lineage_id,
        version=item.version,
        user_id=user.id,
        body=body,
        action=action,
    )
    db.session.add(row)
    return row


def item_link(kind: str, item) -> str:
    """Path of the item's page."""
    return PAGES[kind].format(id=item.id)


def writers(item) -> list:
    """The original author and the writer of this version."""
    ids = {item.author_id, item.created_by_id}
    return [db.session.get(User, i) for i in sorted(ids)]


def _notify(kind, item, user, action, comment) -> None:
    """Authors hear of returns and publications; reviewers of submissions."""
    link = item_link(kind, item)
    if action == "submit":
        people = [u for u in reviewers_of(item) if u.id != user.id]
        notify(
            people,
            "submitted",
            lambda: _("Có nội dung chờ duyệt: %(n)s.", n=label(kind, item)),
            link,
        )
    elif action == "return":
        notify(
            _others(item, user),
            "returned",
            lambda: _("%(n)s bị trả lại: %(c)s", n=label(kind, item), c=comment or ""),
            link,
        )
    elif action == "publish":
        notify(
            _others(item, user),
            "published",
            lambda: _("%(n)s đã được xuất bản.", n=label(kind, item)),
            link,
        )


def _others(item, user) -> list:
    return [u for u in writers(item) if u.id != user.id]


def label(kind: str, item) -> str:
    """A short name of the item for messages."""
    if kind == "question":
        text = item.stem_text or ""
        return _("Câu hỏi #%(id)s «%(t)s»", id=item.id, t=text[:60])
    return _("Học liệu #%(id)s «%(t)s»", id=item.id, t=(item.title or "")[:60])


def check_move(kind, item, user, action) -> None:
    """Two-level organisations: the school group approves before anyone publishes."""
    if action == "publish":
        levels.require_publishable(kind, item, user)


def install() -> None:
    """Register the hooks once per process."""
    if on_event not in lifecycle.EVENT_HOOKS:
        lifecycle.EVENT_HOOKS.append(on_event)
    if check_move not in lifecycle.TRANSITION_CHECKS:
        lifecycle.TRANSITION_CHECKS.append(check_move)
