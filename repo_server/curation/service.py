"""Curation use cases: review (approve, return, comment, bulk), history, restore, settings."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select

from repo_server.accounts.service import get_user, require_role
from repo_server.curation import audit, diff, hooks, levels
from repo_server.curation.models import CuratorScope, ReviewComment, ReviewTask
from repo_server.curation.notify import notify
from repo_server.curation.queues import load_entries, reviewers_of
from repo_server.errors import Conflict, Forbidden, Invalid, NotFound, RepoError
from repo_server.extensions import db
from repo_server.lifecycle import content
from repo_server.lifecycle import service as lifecycle
from repo_server.materials import service as materials
from repo_server.orgs.service import get_organisation
from repo_server.questions import service as questions
from repo_server.taxonomy.service import resolve
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)
#: URL segment → (kind name, ContentKind, fields compared by the diff).
KINDS = {
    "questions": ("question", questions.KIND, diff.question_fields),
    "materials": ("material", materials.KIND, diff.material_fields),
}


@dataclass
class Review:
    """What the review page shows: the version, the one it replaces, and the diff."""

    kind: str
    item: object
    base: object
    fields: list
    files: list
    comments: list
    task: ReviewTask | None
    actions: list = field(default_factory=list)


def _kind(segment: str):
    if segment not in KINDS:
        raise NotFound(_("Không có loại nội dung %(k)s.", k=segment))
    return KINDS[segment]


def _visible(user, segment: str, item_id: int):
    name, kind, _fields = _kind(segment)
    return name, kind, lifecycle.get_visible(kind.model, user, item_id)


def may_review(user, item) -> bool:
    """Reviewers of the subject, including the school group of a two-level school."""
    return lifecycle.is_reviewer(user, item)


def review(user, segment: str, item_id: int) -> Review:
    """The version against the published one, its comments and the moves allowed."""
    name, kind, item = _visible(user, segment, item_id)
    if user.role == "student":
        raise Forbidden(_("Học sinh không xem được phần duyệt nội dung."))
    base = diff.base_version(kind.model, item)
    fields_of = KINDS[segment][2]
    files = diff.file_changes(base, item) if name == "material" else []
    task = levels.task_of(name, item)
    return Review(
        name,
        item,
        base,
        diff.compare(fields_of, base, item),
        files,
        comments(user, segment, item_id),
        task,
        _actions(user, name, item, task),
    )


def _actions(user, name, item, task) -> list[str]:
    if item.status != "submitted" or not may_review(user, item):
        return []
    return ["approve", "return", "comment"]


def approve(user, segment: str, item_id: int, comment: str | None = None) -> str:
    """Approve a submitted version: publish it, or record the school group's approval."""
    name, kind, item = _visible(user, segment, item_id)
    if not may_review(user, item):
        raise Forbidden(_("Bạn không phụ trách duyệt môn học của nội dung này."))
    if item.status != "submitted":
        raise Conflict(_("Chỉ duyệt được nội dung đang chờ duyệt."))
    if comment:
        hooks.add_comment(name, item, user, comment, "approve")
    two_levels = user.role != "admin" and levels.needs_group_review(item)
    task = levels.task_of(name, item)
    if two_levels and levels.is_group_reviewer(user, item) and task is not None:
        return _approve_level1(user, name, item, task)
    content.transition(kind, user, item_id, "publish")
    return "published"


def _approve_level1(user, name: str, item, task: ReviewTask) -> str:
    if task.level1_at is not None:
        raise Conflict(_("Tổ chuyên môn đã duyệt nội dung này."))
    task.level1_by_id, task.level1_at = user.id, utcnow()
    audit.record(f"{name}.approve_level1", user, name, item.id, version=item.version)
    department = [u for u in reviewers_of(item) if u.org_id != item.org_id]
    notify(
        department,
        "approved",
        lambda: _(
            "Tổ chuyên môn đã duyệt %(n)s; chờ cấp Sở/Phòng.", n=hooks.label(name, item)
        ),
        hooks.item_link(name, item),
    )
    db.session.commit()
    return "approved_level1"


def return_item(user, segment: str, item_id: int, comment: str | None):
    """Return a submitted version to its author with a comment attached to it."""
    _name, kind, _item = _visible(user, segment, item_id)
    return content.transition(kind, user, item_id, "return", comment)


def bulk_approve(user, entries: list[dict]) -> list[dict]:
    """Approve many versions; each succeeds or fails on its own, with the reason."""
    require_role(user, "curator", "admin")
    results = []
    for entry in entries:
        segment, item_id = entry["kind"], entry["id"]
        try:
            outcome = approve(user, segment, item_id)
            results.append({"kind": segment, "id": item_id, "result": outcome})
        except RepoError as exc:
            db.session.rollback()
            results.append(
                {
                    "kind": segment,
                    "id": item_id,
                    "result": "error",
                    "status": exc.status,
                    "message": exc.message,
                }
            )
    return results


def add_comment(user, segment: str, item_id: int, body: str) -> ReviewComment:
    """A reviewer's remark on a version, shown to its author (who is told)."""
    name, _kind_obj, item = _visible(user, segment, item_id)
    if not may_review(user, item):
        raise Forbidden(_("Chỉ người duyệt mới ghi nhận xét."))
    row = hooks.add_comment(name, item, user, body, None)
    audit.record(f"{name}.comment", user, name, item.id, version=item.version)
    people = [u for u in hooks.writers(item) if u.id != user.id]
    notify(
        people,
        "comment",
        lambda: _("Nhận xét mới về %(n)s: %(c)s", n=hooks.label(name, item), c=body),
        hooks.item_link(name, item),
    )
    db.session.commit()
    return row


def comments(user, segment: str, item_id: int) -> list[ReviewComment]:
    """Comments on every version of the item, for its writers and reviewers."""
    name, _kind_obj, item = _visible(user, segment, item_id)
    if user.role == "student":
        raise Forbidden(_("Học sinh không xem được nhận xét duyệt."))
    query = select(ReviewComment).where(
        ReviewComment.content_kind == name,
        ReviewComment.lineage_id == item.lineage_id,
    )
    return list(db.session.scalars(query.order_by(ReviewComment.id)))


def history(user, segment: str, item_id: int):
    """Versions the user may see, every event, and the comments."""
    name, kind, item = _visible(user, segment, item_id)
    versions, events = content.versions_and_history(kind, user, item_id)
    notes = comments(user, segment, item_id)
    return item, versions, events, notes


def restore(user, segment: str, item_id: int):
    """Start a new draft from an earlier version; the original author is kept."""
    name, kind, item = _visible(user, segment, item_id)
    copy = content.new_version(kind, user, item_id)
    audit.record(
        f"{name}.restore",
        user,
        name,
        copy.id,
        from_version=item.version,
        version=copy.version,
    )
    db.session.commit()
    logger.info(
        "%s %s: version %s restored by %s",
        name,
        copy.lineage_id,
        item.version,
        user.email,
    )
    return copy


def set_review_levels(user, org_id: int, value: int):
    """Choose one or two review levels for an organisation (admins)."""
    require_role(user, "admin")
    org = get_organisation(org_id)
    if value not in (1, 2):
        raise Invalid(_("Số cấp duyệt là 1 hoặc 2."), {"levels": [_("1 hoặc 2.")]})
    setting = levels.set_levels(org.id, value)
    audit.record("org.review_levels", user, "organisation", org.id, levels=value)
    db.session.commit()
    return setting


def set_scope(user, curator_id: int, grades: list, orgs: list) -> dict:
    """Narrow a curator's queue to grades and organisations (admins)."""
    require_role(user, "admin")
    curator = get_user(curator_id)
    if curator.role != "curator":
        raise Conflict(_("Chỉ chuyên viên duyệt mới có phạm vi duyệt."))
    grade_codes = [resolve("grade", g, "grades") for g in grades]
    org_ids = [get_organisation(int(o)).id for o in orgs]
    db.session.query(CuratorScope).filter_by(user_id=curator.id).delete()
    for scope, values in (("grade", grade_codes), ("org", org_ids)):
        for value in dict.fromkeys(values):
            db.session.add(
                CuratorScope(user_id=curator.id, scope=scope, value=str(value))
            )
    audit.record(
        "user.review_scope", user, "user", curator.id, grades=grade_codes, orgs=org_ids
    )
    db.session.commit()
    return {"grades": grade_codes, "orgs": org_ids}


def due_tasks(days: int) -> list[ReviewTask]:
    """Tasks waiting longer than ``days`` whose reviewers were not reminded since."""
    limit = utcnow() - timedelta(days=days)
    query = select(ReviewTask).where(
        ReviewTask.submitted_at <= limit,
        or_(ReviewTask.reminded_at.is_(None), ReviewTask.reminded_at <= limit),
    )
    return list(db.session.scalars(query.order_by(ReviewTask.submitted_at)))


def _reminder_text(entry):
    """The reminder of one waiting item, composed in the recipient's language."""
    return lambda: _(
        "%(n)s đã chờ duyệt %(d)s ngày.",
        n=hooks.label(entry.kind, entry.item),
        d=entry.waiting_days,
    )


def send_reminders(days: int | None = None) -> int:
    """Remind reviewers of items waiting too long; return how many items."""
    days = days if days is not None else current_app.config["REVIEW_REMINDER_DAYS"]
    entries = load_entries(due_tasks(days))
    for entry in entries:
        link = hooks.item_link(entry.kind, entry.item)
        notify(reviewers_of(entry.item), "reminder", _reminder_text(entry), link)
        entry.task.reminded_at = utcnow()
    audit.record("review.reminders", None, "review", "", items=len(entries), days=days)
    db.session.commit()
    logger.info("reminders sent for %s items waiting > %s days", len(entries), days)
    return len(entries)
