"""Use cases shared by every kind of content item (questions, materials)."""

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.catalog import outbox
from repo_server.errors import Conflict, Forbidden, Invalid
from repo_server.extensions import db
from repo_server.lifecycle import bulk
from repo_server.lifecycle import service as lifecycle
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)

#: Columns a new version copies from the version it starts from.
SHARED_COLUMNS = ("subject_code", "grade_code", "topic_id", "licence", "tags")


class ContentKind:
    """What the shared use cases need to know of one kind of content."""

    def __init__(self, name, model, apply, copy_columns, on_copy=None, on_delete=None):
        self.name, self.model, self.apply = name, model, apply
        self.copy_columns = SHARED_COLUMNS + copy_columns
        #: What is attached to a version (a material's files) follows it: on_copy
        #: (source, copy) when a new version starts, on_delete(item) before deletion.
        self.on_copy = on_copy or _nothing_attached
        self.on_delete = on_delete or _nothing_attached


def _nothing_attached(*_items) -> None:
    """Content with nothing attached to its versions needs no hook."""


def create(kind: ContentKind, user, data: dict):
    """Create a draft written by ``user``."""
    lifecycle.require_author_role(user)
    item = kind.model(author_id=user.id, created_by_id=user.id, org_id=user.org_id)
    kind.apply(item, {"licence": "CC-BY-4.0", "tags": [], **data})
    db.session.add(item)
    db.session.flush()
    item.lineage_id = item.id
    lifecycle.record_event(kind.name, item, user, "create", None)
    outbox.enqueue(kind.name, item)
    db.session.commit()
    outbox.flush_outbox()
    logger.info("%s %s created by %s", kind.name, item.id, user.email)
    return item


def create_many(kind: ContentKind, user, datas: list[dict]) -> list:
    """Create many drafts in one transaction: all of them or, on any error, none."""
    lifecycle.require_author_role(user)
    now, items = utcnow(), []
    for data in datas:
        item = kind.model(
            author_id=user.id,
            created_by_id=user.id,
            org_id=user.org_id,
            version=1,
            status="draft",
            created_at=now,
            updated_at=now,
        )
        kind.apply(item, {"licence": "CC-BY-4.0", "tags": [], **data})
        items.append(item)
    ids = bulk.insert_items(kind.model, items)
    bulk.set_lineage(kind.model, ids)
    for item in items:
        item.lineage_id = item.id
    bulk.record_creations(kind.name, items, user)
    lifecycle.run_event_hooks(kind.name, items, user, "create", None)
    outbox.enqueue_ids(kind.name, ids)
    db.session.commit()
    bulk.attach(items)
    outbox.flush_after_bulk(len(ids))
    logger.info("%s %s created by %s", len(items), kind.name, user.email)
    return items


def update(kind: ContentKind, user, item_id: int, data: dict):
    """Change a draft or returned version the user wrote."""
    item = lifecycle.get_visible(kind.model, user, item_id)
    lifecycle.require_editable(user, item)
    changed = kind.apply(item, data)
    item.updated_at = utcnow()
    lifecycle.record_event(
        kind.name, item, user, "update", item.status, changes=changed
    )
    outbox.enqueue(kind.name, item)
    db.session.commit()
    outbox.flush_outbox()
    logger.info("%s %s updated by %s: %s", kind.name, item.id, user.email, changed)
    return item


def delete_draft(kind: ContentKind, user, item_id: int) -> None:
    """Delete a draft version that was never submitted; anything else is archived."""
    item = lifecycle.get_visible(kind.model, user, item_id)
    lifecycle.require_editable(user, item)
    if item.status != "draft":
        raise Conflict(_("Chỉ xoá được bản nháp chưa gửi duyệt."))
    kind.on_delete(item)
    db.session.delete(item)
    outbox.enqueue(kind.name, item, action="delete")
    db.session.commit()
    outbox.flush_outbox()
    logger.info("%s %s deleted by %s", kind.name, item_id, user.email)


def transition(kind: ContentKind, user, item_id: int, action: str, comment=None):
    """Submit, withdraw, publish, return or archive an item."""
    item = lifecycle.get_visible(kind.model, user, item_id)
    lifecycle.apply_transition(
        kind.name, kind.model, user, item, action, comment, ready_for_review
    )
    outbox.enqueue_lineage(kind.name, kind.model, item)
    db.session.commit()
    outbox.flush_outbox()
    return item


def ready_for_review(item) -> None:
    """An item needs a subject and a grade before a curator can review it."""
    required = (("subject", item.subject_code), ("grade", item.grade_code))
    missing = {
        key: [_("Bắt buộc trước khi gửi duyệt.")] for key, v in required if not v
    }
    if missing:
        raise Invalid(_("Cần chọn môn học và lớp trước khi gửi duyệt."), missing)


def new_version(kind: ContentKind, user, item_id: int):
    """Start a new draft version of a published or archived item."""
    lifecycle.require_author_role(user)
    source = lifecycle.get_visible(kind.model, user, item_id)
    if source.status not in ("published", "archived"):
        raise Conflict(_("Chỉ tạo phiên bản mới từ nội dung đã xuất bản."))
    if user.id != source.author_id and not lifecycle.is_reviewer(user, source):
        raise Forbidden(
            _("Chỉ tác giả hoặc chuyên viên phụ trách môn được tạo phiên bản.")
        )
    copy = kind.model(
        lineage_id=source.lineage_id,
        version=lifecycle.next_version(kind.model, source.lineage_id),
        author_id=source.author_id,
        created_by_id=user.id,
        org_id=source.org_id,
        **{column: getattr(source, column) for column in kind.copy_columns},
    )
    db.session.add(copy)
    db.session.flush()
    kind.on_copy(source, copy)
    lifecycle.record_event(kind.name, copy, user, "new_version", None)
    outbox.enqueue(kind.name, copy)
    db.session.commit()
    outbox.flush_outbox()
    logger.info(
        "%s %s: version %s started by %s",
        kind.name,
        copy.lineage_id,
        copy.version,
        user.email,
    )
    return copy


def versions_and_history(kind: ContentKind, user, item_id: int):
    """Return the versions of the item ``user`` may see, and its events."""
    item = lifecycle.get_visible(kind.model, user, item_id)
    versions = db.session.scalars(
        select(kind.model)
        .where(kind.model.lineage_id == item.lineage_id)
        .order_by(kind.model.version)
    )
    visible = [v for v in versions if lifecycle.can_view(user, v)]
    return visible, lifecycle.history(kind.name, item.lineage_id)


def apply_taxonomy(item, data: dict, resolve, resolve_topic) -> None:
    """Set subject, grade and topic from codes or names, checked against each other."""
    subject = resolve("subject", data.get("subject", item.subject_code))
    grade = resolve("grade", data.get("grade", item.grade_code))
    current_topic = item.topic.code if item.topic else None
    topic = resolve_topic(data.get("topic", current_topic), subject, grade)
    item.subject_code, item.grade_code = subject, grade
    item.topic_id = topic.id if topic else None
    item.topic = topic
