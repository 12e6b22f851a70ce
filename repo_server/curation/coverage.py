"""Coverage of the curriculum: lessons with published materials and questions, per year."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.accounts.models import User
from repo_server.curation import sums, targets
from repo_server.errors import Forbidden, Invalid
from repo_server.extensions import db
from repo_server.taxonomy.models import Topic
from repo_server.timeutil import utcnow

LEVELS = ("NB", "TH", "VD", "VDC", "")


@dataclass
class Cell:
    """Figures of one subject × grade (or one lesson)."""

    subject: str
    grade: str
    lessons: int = 0
    covered: int = 0
    questions: dict = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    materials: int = 0
    backlog: int = 0
    oldest_days: int = 0
    target: int = 0

    @property
    def share(self) -> float:
        """Per cent of lessons with at least one material and one question."""
        return round(100 * self.covered / self.lessons, 1) if self.lessons else 0.0

    @property
    def question_total(self) -> int:
        """Published questions of every level."""
        return sum(self.questions.values())

    def as_dict(self) -> dict:
        """The JSON of the cell."""
        return {
            "subject": self.subject,
            "grade": self.grade,
            "lessons": self.lessons,
            "covered": self.covered,
            "share": self.share,
            "target": self.target,
            "meets_target": self.share >= self.target,
            "questions": {k or "none": v for k, v in self.questions.items()},
            "question_total": self.question_total,
            "materials": self.materials,
            "backlog": {"count": self.backlog, "oldest_days": self.oldest_days},
        }


def require_viewer(user) -> None:
    """Curators and admins read the coverage dashboard."""
    if user.role not in ("curator", "admin"):
        raise Forbidden(_("Chỉ chuyên viên và quản trị viên xem được độ phủ."))


def _topic_filter(query, args: dict):
    for key, column in (
        ("subject", Topic.subject_code),
        ("grade", Topic.grade_code),
        ("series", Topic.series_code),
    ):
        if args.get(key):
            query = query.where(column == args[key])
    return query


def dashboard(user, args: dict) -> dict:
    """Cells per subject × grade, totals, top contributors and the year's target."""
    require_viewer(user)
    year = args.get("year") or targets.current_school_year()
    orgs = sums.org_ids(args)
    cells: dict[tuple, Cell] = {}
    for subject, grade, count in sums.lesson_totals(args):
        _cell(cells, subject, grade).lessons = count
    for subject, grade, kind, level, total in sums.level_totals(args, orgs):
        _add(_cell(cells, subject, grade), kind, level, total or 0)
    for subject, grade, count in sums.covered_lessons(args, orgs):
        _cell(cells, subject, grade).covered = count
    now = utcnow()
    for subject, grade, count, oldest in sums.backlog(args):
        cell = _cell(cells, subject or "", grade or "")
        cell.backlog, cell.oldest_days = count, max(0, (now - oldest).days)
    overrides = targets.overrides(year)
    for cell in cells.values():
        cell.target = targets.target_for(year, cell.subject, overrides)
    ordered = [cells[k] for k in sorted(cells)]
    return {
        "year": year,
        "cells": ordered,
        "totals": _totals(ordered),
        "contributors": contributors(args, orgs),
    }


def _cell(cells: dict, subject: str, grade: str) -> Cell:
    key = (subject, grade)
    if key not in cells:
        cells[key] = Cell(subject, grade)
    return cells[key]


def _add(cell: Cell, kind: str, level: str, total: int) -> None:
    """Count published items of a kind (questions by cognitive level) into a cell."""
    if kind == "question":
        cell.questions[level if level in cell.questions else ""] += total
    else:
        cell.materials += total


def _totals(cells: list[Cell]) -> dict:
    lessons_total = sum(c.lessons for c in cells)
    covered = sum(c.covered for c in cells)
    return {
        "lessons": lessons_total,
        "covered": covered,
        "share": round(100 * covered / lessons_total, 1) if lessons_total else 0.0,
        "questions": sum(c.question_total for c in cells),
        "materials": sum(c.materials for c in cells),
        "backlog": sum(c.backlog for c in cells),
        "oldest_days": max((c.oldest_days for c in cells), default=0),
    }


def contributors(args: dict, orgs: list[int] | None = None) -> list[dict]:
    """Authors with the most published items under the filters."""
    rows = sums.top_authors(args, orgs or sums.org_ids(args))
    names = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_([r[0] for r in rows]))
        ).all()
    )
    return [
        {"user_id": a, "name": names.get(a, "?"), "questions": q, "materials": m}
        for a, q, m in rows
    ]


def lesson_rows(user, args: dict) -> list[dict]:
    """Drill-down: every topic of one subject × grade with its published counts."""
    require_viewer(user)
    if not (args.get("subject") and args.get("grade")):
        raise Invalid(_("Cần chọn môn học và lớp."), {"subject": [_("Bắt buộc.")]})
    topics = db.session.scalars(
        _topic_filter(select(Topic), args).order_by(
            Topic.parent_id.is_not(None), Topic.order, Topic.id
        )
    ).all()
    parents = {t.parent_id for t in topics}
    counts: dict[int, Cell] = {}
    for topic_id, kind, level, total in sums.topic_rows(args, sums.org_ids(args)):
        _add(counts.setdefault(topic_id, Cell("", "")), kind, level, total or 0)
    return [
        _lesson_row(t, counts.get(t.id, Cell("", "")), t.id not in parents)
        for t in _tree_order(topics)
    ]


def _lesson_row(topic, cell: Cell, is_lesson: bool) -> dict:
    return {
        "id": topic.id,
        "code": topic.code,
        "name": topic.name_vi,
        "name_en": topic.name_en,
        "series": topic.series_code,
        "lesson": is_lesson,
        "depth": 1 if topic.parent_id else 0,
        "questions": {k or "none": v for k, v in cell.questions.items()},
        "question_total": cell.question_total,
        "materials": cell.materials,
        "covered": bool(cell.question_total and cell.materials),
    }


def _tree_order(topics) -> list:
    """Chapters followed by their lessons."""
    children: dict = {}
    for t in topics:
        children.setdefault(t.parent_id, []).append(t)
    out, ids = [], {t.id for t in topics}
    roots = [t for t in topics if t.parent_id is None or t.parent_id not in ids]
    for root in roots:
        out.append(root)
        out.extend(children.get(root.id, []))
    return out
