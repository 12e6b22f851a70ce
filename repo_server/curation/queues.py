"""Review queues: submitted versions a curator may review, oldest first, filtered."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from repo_server.accounts.models import User, curator_subjects
from repo_server.curation import levels
from repo_server.curation.models import CuratorScope, ReviewTask
from repo_server.extensions import db
from repo_server.materials.models import Material
from repo_server.questions.models import Question
from repo_server.timeutil import utcnow

MODELS = {"question": Question, "material": Material}


@dataclass
class QueueEntry:
    """One line of a queue: the task, the version, and how long it has waited."""

    task: ReviewTask
    item: object
    waiting_days: int

    @property
    def kind(self) -> str:
        """question or material."""
        return self.task.content_kind


def scope_of(user) -> tuple[set[str], set[int]]:
    """Grades and organisations a curator's queue is narrowed to (empty: all)."""
    grades, orgs = set(), set()
    for row in db.session.scalars(
        select(CuratorScope).where(CuratorScope.user_id == user.id)
    ):
        (grades if row.scope == "grade" else orgs).add(row.value)
    org_ids = set()
    for org in orgs:
        org_ids |= levels.descendants(int(org))
    return grades, org_ids


def in_scope(user, item) -> bool:
    """Whether the item falls in the curator's grades and organisations."""
    grades, org_ids = scope_of(user)
    return (not grades or item.grade_code in grades) and (
        not org_ids or item.org_id in org_ids
    )


def reviewers_of(item) -> list[User]:
    """Active curators of the item's subject whose scope covers it."""
    query = (
        select(User)
        .join(curator_subjects, curator_subjects.c.user_id == User.id)
        .where(
            curator_subjects.c.subject_code == item.subject_code,
            User.role == "curator",
            User.active.is_(True),
        )
    )
    return [u for u in db.session.scalars(query).unique() if in_scope(u, item)]


def queue_query(user, args: dict):
    """The SELECT of the user's queue with the filters of ``args``, oldest first."""
    query = select(ReviewTask)
    if user.role != "admin":
        query = query.where(ReviewTask.subject_code.in_(user.subject_codes or [""]))
        grades, org_ids = scope_of(user)
        if grades:
            query = query.where(ReviewTask.grade_code.in_(grades))
        if org_ids:
            query = query.where(ReviewTask.org_id.in_(org_ids))
    for key, column in (
        ("kind", ReviewTask.content_kind),
        ("subject", ReviewTask.subject_code),
        ("grade", ReviewTask.grade_code),
        ("author", ReviewTask.author_id),
    ):
        if args.get(key):
            query = query.where(column == args[key])
    if args.get("org"):
        query = query.where(ReviewTask.org_id.in_(levels.descendants(args["org"])))
    if args.get("stage") == "level1":
        query = query.where(ReviewTask.level1_at.is_(None))
    elif args.get("stage") == "level2":
        query = query.where(ReviewTask.level1_at.is_not(None))
    return query.order_by(ReviewTask.submitted_at, ReviewTask.id)


def list_queue(user, args: dict) -> tuple[list[QueueEntry], bool]:
    """Return one page of the queue and whether another page follows."""
    per_page = min(args.get("per_page") or 50, 200)
    offset = (args.get("page", 1) - 1) * per_page
    query = queue_query(user, args).limit(per_page + 1).offset(offset)
    tasks = list(db.session.scalars(query))
    more = len(tasks) > per_page
    return load_entries(tasks[:per_page]), more


def load_entries(tasks: list[ReviewTask]) -> list[QueueEntry]:
    """Attach the versions to the tasks (one query per kind)."""
    items = {}
    for kind, model in MODELS.items():
        ids = [t.content_id for t in tasks if t.content_kind == kind]
        if ids:
            for row in db.session.scalars(select(model).where(model.id.in_(ids))):
                items[(kind, row.id)] = row
    now = utcnow()
    return [
        QueueEntry(t, items[(t.content_kind, t.content_id)], _days(now, t.submitted_at))
        for t in tasks
        if (t.content_kind, t.content_id) in items
    ]


def _days(now: datetime, then: datetime) -> int:
    return max(0, (now - then).days)
