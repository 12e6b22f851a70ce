"""Second-level review: organisations where the school group approves first."""

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.curation.models import ReviewSetting, ReviewTask
from repo_server.errors import Conflict, Forbidden
from repo_server.extensions import db
from repo_server.orgs.models import Organisation


def ancestors(org_id: int) -> list[int]:
    """The organisation and its parents up to the root (the tree is shallow)."""
    chain, seen = [], set()
    while org_id is not None and org_id not in seen:
        seen.add(org_id)
        chain.append(org_id)
        org_id = db.session.scalar(
            select(Organisation.parent_id).where(Organisation.id == org_id)
        )
    return chain


def descendants(org_id: int) -> set[int]:
    """The organisation and everything under it."""
    children: dict[int, list[int]] = {}
    for child, parent in db.session.execute(
        select(Organisation.id, Organisation.parent_id)
    ):
        children.setdefault(parent, []).append(child)
    found, todo = set(), [org_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def levels_for(org_id: int) -> int:
    """Review levels of an organisation: its own setting, else its nearest parent's."""
    for org in ancestors(org_id):
        setting = db.session.get(ReviewSetting, org)
        if setting is not None:
            return setting.levels
    return 1


def needs_group_review(item) -> bool:
    """Items of a school whose organisation (or a parent) asks for two levels."""
    org = db.session.get(Organisation, item.org_id)
    return org is not None and org.kind == "school" and levels_for(org.id) >= 2


def is_group_reviewer(user, item) -> bool:
    """A curator of the subject in the item's own school (first level).

    Only schools have subject groups: a curator of an office or the department
    reviews at the second level even for items written there.
    """
    return (
        user.role == "curator"
        and item.subject_code in user.subject_codes
        and user.org_id == item.org_id
        and user.org is not None
        and user.org.kind == "school"
    )


def task_of(kind: str, item) -> ReviewTask | None:
    """The open review task of a submitted version."""
    return db.session.scalar(
        select(ReviewTask).where(
            ReviewTask.content_kind == kind, ReviewTask.content_id == item.id
        )
    )


def require_publishable(kind: str, item, user) -> None:
    """In a two-level organisation only the department publishes, after the group."""
    if user.role == "admin" or not needs_group_review(item):
        return
    if is_group_reviewer(user, item):
        raise Forbidden(
            _("Tổ chuyên môn duyệt cấp 1; việc xuất bản do cấp Sở/Phòng thực hiện.")
        )
    task = task_of(kind, item)
    if task is None or task.level1_at is None:
        raise Conflict(_("Cần tổ chuyên môn duyệt (cấp 1) trước khi xuất bản."))


def set_levels(org_id: int, levels: int) -> ReviewSetting:
    """Store an organisation's review levels (the caller checks and commits)."""
    setting = db.session.get(ReviewSetting, org_id) or ReviewSetting(org_id=org_id)
    setting.levels = levels
    db.session.add(setting)
    return setting
