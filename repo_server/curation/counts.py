"""Published counts per topic, kept by every lifecycle event (and rebuilt on demand)."""

import logging

from sqlalchemy import delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repo_server.curation.models import (
    ALL_ORGS,
    ContributorCount,
    CoverageCount,
    ReviewTask,
)
from repo_server.extensions import db

logger = logging.getLogger(__name__)
#: The unique keys the upserts conflict on.
KEYS = {
    CoverageCount: (
        "org_id",
        "subject_code",
        "grade_code",
        "topic_id",
        "content_kind",
        "cognitive_level",
    ),
    ContributorCount: (
        "org_id",
        "subject_code",
        "grade_code",
        "author_id",
        "content_kind",
    ),
}


def _insert():
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    name = db.session.get_bind().dialect.name
    return pg_insert if name == "postgresql" else sqlite_insert


def keys_of(kind: str, item, org_id: int) -> dict:
    """The counter keys of a content version under one organisation (or ALL_ORGS)."""
    common = {
        "org_id": org_id,
        "subject_code": item.subject_code or "",
        "grade_code": item.grade_code or "",
        "content_kind": kind,
    }
    level = getattr(item, "cognitive_level", None) or ""
    return {
        CoverageCount: {
            **common,
            "topic_id": item.topic_id or 0,
            "cognitive_level": level,
        },
        ContributorCount: {**common, "author_id": item.author_id},
    }


def bump(kind: str, item, delta: int) -> None:
    """Add ``delta`` to the item's counters, for its organisation and for all."""
    for org_id in (item.org_id, ALL_ORGS):
        for model, key in keys_of(kind, item, org_id).items():
            statement = _insert()(model).values(**key, published=delta)
            statement = statement.on_conflict_do_update(
                index_elements=list(KEYS[model]),
                set_={"published": model.published + delta},
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

    for model in (CoverageCount, ContributorCount, ReviewTask):
        db.session.execute(delete(model))
    for kind, model in (("question", Question), ("material", Material)):
        for per_org in (True, False):
            _recount(CoverageCount, kind, model, per_org)
            _recount(ContributorCount, kind, model, per_org)
        _requeue(kind, model)
    db.session.commit()
    result = {
        "counters": db.session.scalar(select(func.count(CoverageCount.id))),
        "queue": db.session.scalar(select(func.count(ReviewTask.id))),
    }
    logger.info("coverage counters rebuilt: %s", result)
    return result


def _recount(counter, kind: str, model, per_org: bool) -> None:
    """INSERT … SELECT the published counts of one kind, per organisation or for all."""
    # Constants are written into the SQL, not bound: PostgreSQL must see the SELECT's
    # expressions and the GROUP BY's as the same text.
    empty, zero = literal_column("''"), literal_column("0")
    level = getattr(model, "cognitive_level", None)
    grouped = {
        "subject_code": func.coalesce(model.subject_code, empty),
        "grade_code": func.coalesce(model.grade_code, empty),
        "topic_id": func.coalesce(model.topic_id, zero),
        "author_id": model.author_id,
    }
    if level is not None:
        grouped["cognitive_level"] = func.coalesce(level, empty)
    if per_org:
        grouped["org_id"] = model.org_id
    constant = {
        "org_id": literal_column(str(ALL_ORGS)),
        "content_kind": literal_column(f"'{kind}'"),
        "cognitive_level": empty,
    }
    names = KEYS[counter]
    query = (
        select(*(grouped.get(n, constant.get(n)) for n in names), func.count())
        .where(model.status == "published")
        .group_by(*(grouped[n] for n in names if n in grouped))
    )
    db.session.execute(
        counter.__table__.insert().from_select([*names, "published"], query)
    )


def _requeue(kind: str, model) -> None:
    """Open a review task for every submitted version."""
    queued = select(
        literal_column(f"'{kind}'"),
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
