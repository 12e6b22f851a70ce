"""The dashboard's aggregate queries: each returns a few rows per subject × grade."""

import time

from flask import current_app
from sqlalchemy import case, func, select

from repo_server.curation import levels
from repo_server.curation.models import (
    ALL_ORGS,
    ContributorCount,
    CoverageCount,
    ReviewTask,
)
from repo_server.extensions import db
from repo_server.orgs.models import Organisation
from repo_server.taxonomy.models import Topic


def org_ids(args: dict) -> list[int]:
    """Counter keys to sum: ALL_ORGS, or the chosen organisation and those under it."""
    if not args.get("org"):
        return [ALL_ORGS]
    ids = levels.descendants(args["org"])
    if len(ids) >= db.session.scalar(select(func.count(Organisation.id))):
        return [ALL_ORGS]  # the root of the only tree: the precomputed total
    return sorted(ids)


#: ``app.extensions`` key of the lesson map, and how long a process keeps it (seconds).
LESSONS = "curation_lessons"
LESSONS_TTL = 60


def lesson_map() -> dict[int, tuple]:
    """Lessons (topics without children): id → (subject, grade, series).

    Kept per process for LESSONS_TTL seconds, and dropped sooner when the number or
    the newest id of the topics changes (imports also drop it): the curriculum
    changes rarely, and the dashboard reads it on every request.
    """
    mark = tuple(
        db.session.execute(select(func.count(Topic.id), func.max(Topic.id))).one()
    )
    cached = current_app.extensions.get(LESSONS)
    if cached and cached[1] == mark and time.monotonic() - cached[0] < LESSONS_TTL:
        return cached[2]
    rows = db.session.execute(
        select(
            Topic.id,
            Topic.subject_code,
            Topic.grade_code,
            Topic.series_code,
            Topic.parent_id,
        )
    ).all()
    parents = {r.parent_id for r in rows}
    lessons = {
        r.id: (r.subject_code, r.grade_code, r.series_code)
        for r in rows
        if r.id not in parents
    }
    current_app.extensions[LESSONS] = (time.monotonic(), mark, lessons)
    return lessons


def forget_lessons() -> None:
    """Drop this process's lesson map (after the topics changed)."""
    current_app.extensions.pop(LESSONS, None)


def _in_scope(lesson: tuple, args: dict) -> bool:
    """Whether a lesson (subject, grade, series) matches the filters."""
    subject, grade, series = lesson
    return (
        (not args.get("subject") or subject == args["subject"])
        and (not args.get("grade") or grade == args["grade"])
        and (not args.get("series") or series == args["series"])
    )


def _where(query, model, args: dict, orgs: list[int]):
    """Filters of the counters: organisation key, subject, grade."""
    query = query.where(model.org_id.in_(orgs))
    for key in ("subject", "grade"):
        if args.get(key):
            query = query.where(getattr(model, f"{key}_code") == args[key])
    return query


def lesson_totals(args: dict) -> list:
    """(subject, grade, lessons) under the filters."""
    totals: dict[tuple, int] = {}
    for lesson in lesson_map().values():
        if _in_scope(lesson, args):
            totals[lesson[:2]] = totals.get(lesson[:2], 0) + 1
    return [(s, g, n) for (s, g), n in totals.items()]


def level_totals(args: dict, orgs: list[int]) -> list:
    """(subject, grade, kind, level, published) summed over topics."""
    c = CoverageCount
    query = select(
        c.subject_code,
        c.grade_code,
        c.content_kind,
        c.cognitive_level,
        func.sum(c.published),
    )
    if args.get("series"):
        in_series = select(Topic.id).where(Topic.series_code == args["series"])
        query = query.where(c.topic_id.in_(in_series))
    query = _where(query, c, args, orgs).group_by(
        c.subject_code, c.grade_code, c.content_kind, c.cognitive_level
    )
    return db.session.execute(query).all()


def covered_lessons(args: dict, orgs: list[int]) -> list:
    """(subject, grade, lessons with a published question and a published material)."""
    c = CoverageCount
    query = (
        _where(select(c.topic_id), c, args, orgs)
        .where(c.published > 0, c.topic_id != 0)
        .group_by(c.topic_id)
        # Two kinds exist: both are present when the smallest and largest differ
        # (cheaper than COUNT(DISTINCT), which sorts every group on PostgreSQL).
        .having(func.min(c.content_kind) != func.max(c.content_kind))
    )
    lessons = lesson_map()
    totals: dict[tuple, int] = {}
    for topic_id in db.session.scalars(query):
        lesson = lessons.get(topic_id)
        if lesson is not None and _in_scope(lesson, args):
            totals[lesson[:2]] = totals.get(lesson[:2], 0) + 1
    return [(s, g, n) for (s, g), n in totals.items()]


def backlog(args: dict) -> list:
    """(subject, grade, waiting, oldest submission) of the review queue."""
    t = ReviewTask
    query = select(t.subject_code, t.grade_code, func.count(), func.min(t.submitted_at))
    for key in ("subject", "grade"):
        if args.get(key):
            query = query.where(getattr(t, f"{key}_code") == args[key])
    if args.get("org"):
        query = query.where(t.org_id.in_(levels.descendants(args["org"])))
    query = query.group_by(t.subject_code, t.grade_code)
    return db.session.execute(query).all()


def top_authors(args: dict, orgs: list[int], limit: int = 10) -> list:
    """(author, questions, materials) with the most published items."""
    c = ContributorCount
    questions = func.sum(case((c.content_kind == "question", c.published), else_=0))
    materials = func.sum(case((c.content_kind == "material", c.published), else_=0))
    total = func.sum(c.published)
    query = _where(select(c.author_id, questions, materials), c, args, orgs)
    query = query.group_by(c.author_id).having(total > 0)
    return db.session.execute(query.order_by(total.desc()).limit(limit)).all()


def topic_rows(args: dict, orgs: list[int]) -> list:
    """(topic, kind, level, published) of one subject × grade (the drill-down)."""
    c = CoverageCount
    query = select(c.topic_id, c.content_kind, c.cognitive_level, func.sum(c.published))
    query = _where(query, c, args, orgs).group_by(
        c.topic_id, c.content_kind, c.cognitive_level
    )
    return db.session.execute(query).all()
