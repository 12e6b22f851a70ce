"""Published counts per topic, kept by every lifecycle event (and rebuilt on demand)."""

import logging

from sqlalchemy import delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repo_server.curation.models import CoverageCount, ReviewTask
from repo_server.extensions import db

logger = logging.getLogger(__name__)
KEY = (
    "subject_code",
    "grade_code",
    "topic_id",
    "org_id",
    "author_id",
    "content_kind",
    "cognitive_level",
)


def _insert():
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    name = db.session.get_bind().dialect.name
    return pg_insert if name == "postgresql" else sqlite_insert


def key_of(kind: str, item) -> dict:
    """The counter key of a content version."""
    return {
        "subject_code": item.subject_code or "",
        "grade_code": item.grade_code or "",
        "topic_id": item.topic_id or 0,
        "org_id": item.org_id,
        "author_id": item.author_id,
        "content_kind": kind,
        "cognitive_level": getattr(item, "cognitive_level", None) or "",
    }


def bump(kind: str, item, delta: int) -> None:
    """Add ``delta`` to the published count of the item's key (in the transaction)."""
    statement = _insert()(CoverageCount).values(**key_of(kind, item), published=delta)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={"published": CoverageCount.published + delta},
    )
    db.session.execute(statement)


def follow_event(kind: str, item, from_status: str | None) -> None:
    """Count a version in when it becomes published, out when it stops being so."""
    was, now = from_status == "published", item.status == "published"
    if was != now:
        bump(kind, item, 1 if now else -1)


def follow_queue(kind: str, item, from_status: str | None) -> None:
    """Open a review task when a version is submitted; close it when it moves on."""
    if item.status == "submitted" and from_status != "submitted":
        db.session.add(
            ReviewTask(
                content_kind=kind,
                content_id=item.id,
                subject_code=item.subject_code,
                grade_code=item.grade_code,
                org_id=item.org_id,
                author_id=item.author_id,
            )
        )
    elif from_status == "submitted" and item.status != "submitted":
        db.session.execute(
            delete(ReviewTask).where(
                ReviewTask.content_kind == kind, ReviewTask.content_id == item.id
            )
        )


def rebuild_counts() -> dict:
    """Recompute the counters and the queue from the content tables (after bulk SQL)."""
    from repo_server.materials.models import Material
    from repo_server.questions.models import Question

    db.session.execute(delete(CoverageCount))
    db.session.execute(delete(ReviewTask))
    for kind, model in (("question", Question), ("material", Material)):
        _rebuild_kind(kind, model)
    db.session.commit()
    result = {
        "counters": db.session.scalar(select(func.count(CoverageCount.id))),
        "queue": db.session.scalar(select(func.count(ReviewTask.id))),
    }
    logger.info("coverage counters rebuilt: %s", result)
    return result


def _rebuild_kind(kind: str, model) -> None:
    level = getattr(model, "cognitive_level", None)
    grouping = [
        func.coalesce(model.subject_code, ""),
        func.coalesce(model.grade_code, ""),
        func.coalesce(model.topic_id, 0),
        model.org_id,
        model.author_id,
    ]
    if level is not None:
        grouping.append(func.coalesce(level, ""))
    columns = [
        *grouping[:5],
        literal(kind),
        grouping[5] if level is not None else literal(""),
    ]
    grouped = (
        select(*columns, func.count())
        .where(model.status == "published")
        .group_by(*grouping)
    )
    db.session.execute(
        CoverageCount.__table__.insert().from_select([*KEY, "published"], grouped)
    )
    queued = select(
        literal(kind),
        model.id,
        model.subject_code,
        model.grade_code,
        model.org_id,
        model.author_id,
        model.updated_at,
    ).where(model.status == "submitted")
    db.session.execute(
        ReviewTask.__table__.insert().from_select(
            [
                "content_kind",
                "content_id",
                "subject_code",
                "grade_code",
                "org_id",
                "author_id",
                "submitted_at",
            ],
            queued,
        )
    )
