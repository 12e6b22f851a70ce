"""The "ma trận đề": available published questions per cell, and the seeded draw."""

import random
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.errors import Invalid
from repo_server.extensions import db
from repo_server.questions.models import Question
from repo_server.taxonomy.models import CognitiveLevel, Topic
from repo_server.web.labels import QUESTION_TYPES


@dataclass(frozen=True)
class Candidate:
    """A published question version that a blueprint cell may draw."""

    id: int
    lineage_id: int
    topic_id: int | None
    level: str | None
    qtype: str


def candidates(subject: str | None, grade: str | None) -> list[Candidate]:
    """Published questions of a subject × grade, newest version of each lineage only."""
    query = select(
        Question.id,
        Question.lineage_id,
        Question.topic_id,
        Question.cognitive_level,
        Question.qtype,
    ).where(Question.status == "published")
    if subject:
        query = query.where(Question.subject_code == subject)
    if grade:
        query = query.where(Question.grade_code == grade)
    newest: dict[int, Candidate] = {}
    for row in db.session.execute(query.order_by(Question.id)):
        newest[row.lineage_id or row.id] = Candidate(*row)
    return list(newest.values())


def topic_scope(code: str | None) -> set[int] | None:
    """Ids of a topic and its lessons (None: any topic)."""
    if not code:
        return None
    topic = db.session.scalar(select(Topic).where(Topic.code == code))
    if topic is None:
        message = _("Chủ đề/bài học không tồn tại: %(v)s.", v=code)
        raise Invalid(message, {"blueprint": [message]})
    children = db.session.scalars(select(Topic.id).where(Topic.parent_id == topic.id))
    return {topic.id, *children}


def matches(candidate: Candidate, cell: dict, scope: set[int] | None) -> bool:
    """True when a candidate fits a cell (empty criteria match anything)."""
    return (
        (scope is None or candidate.topic_id in scope)
        and (not cell.get("level") or candidate.level == cell["level"])
        and (not cell.get("type") or candidate.qtype == cell["type"])
    )


def availability(subject: str | None, grade: str | None) -> list[dict]:
    """Counts of available questions per topic × level × type (the builder's grid)."""
    counts = Counter((c.topic_id, c.level, c.qtype) for c in candidates(subject, grade))
    topics = _topic_codes({key[0] for key in counts})
    return [
        {"topic": topics.get(t), "level": lv, "type": qt, "available": n}
        for (t, lv, qt), n in sorted(counts.items(), key=lambda kv: str(kv[0]))
    ]


def _topic_codes(ids: set) -> dict[int, str]:
    rows = db.session.execute(select(Topic.id, Topic.code).where(Topic.id.in_(ids)))
    return dict(rows.all())


def check_cells(subject, grade, cells: list[dict]) -> list[dict]:
    """Each cell with what is available for it (before other cells draw)."""
    pool = candidates(subject, grade)
    out = []
    for cell in cells:
        scope = topic_scope(cell.get("topic"))
        available = sum(1 for c in pool if matches(c, cell, scope))
        out.append({**cell, "available": available})
    return out


def draw(
    subject, grade, parts: list[dict], seed: int, exclude: set[int]
) -> list[list[int]]:
    """Draw every part's blueprint cells; raise Invalid naming every shortage."""
    rng = random.Random(seed)
    pool = candidates(subject, grade)
    taken = set(exclude)
    drawn, shortages = [], []
    for part in parts:
        chosen = []
        for cell in part.get("blueprint") or []:
            scope = topic_scope(cell.get("topic"))
            fits = [c for c in pool if c.lineage_id not in taken]
            fits = [c for c in fits if matches(c, cell, scope)]
            if len(fits) < cell["count"]:
                shortages.append(shortage_text(cell, len(fits)))
                continue
            picked = rng.sample(fits, cell["count"])
            taken.update(c.lineage_id for c in picked)
            chosen += [c.id for c in picked]
        drawn.append(chosen)
    if shortages:
        raise Invalid(
            _(
                "Ngân hàng không đủ câu hỏi cho ma trận đề: %(s)s",
                s="; ".join(shortages),
            ),
            {"blueprint": shortages},
        )
    return drawn


def shortage_text(cell: dict, available: int) -> str:
    """One shortage in words: the cell, how many are asked and how many exist."""
    level = db.session.get(CognitiveLevel, cell["level"]) if cell.get("level") else None
    parts = [
        _("chủ đề %(t)s", t=cell["topic"]) if cell.get("topic") else _("mọi chủ đề"),
        level.name_vi if level else _("mọi mức độ"),
        str(QUESTION_TYPES.get(cell.get("type"), _("mọi loại câu hỏi"))),
    ]
    return _(
        "%(cell)s: cần %(need)s câu, chỉ có %(have)s (thiếu %(miss)s)",
        cell=" × ".join(parts),
        need=cell["count"],
        have=available,
        miss=cell["count"] - available,
    )


def pools(subject, grade, parts: list[dict], seed: int, exclude: set[int]):
    """Per part, per cell: every question version a student's draw may take from it.

    The quiz's own seeded draw comes first (so every cell can give its count, as the
    shortage check promised), then the other fitting questions no earlier cell claimed:
    a question belongs to one cell only, so two cells never give a student one question.
    """
    drawn = draw(subject, grade, parts, seed, exclude)
    pool = candidates(subject, grade)
    lineage = {c.id: c.lineage_id for c in pool}
    claimed = set(exclude) | {lineage[i] for ids in drawn for i in ids}
    out = []
    for part, picks in zip(parts, drawn, strict=True):
        cells, start = [], 0
        for cell in part.get("blueprint") or []:
            scope = topic_scope(cell.get("topic"))
            extra = [
                c
                for c in pool
                if c.lineage_id not in claimed and matches(c, cell, scope)
            ]
            claimed.update(c.lineage_id for c in extra)
            cells.append(picks[start : start + cell["count"]] + [c.id for c in extra])
            start += cell["count"]
        out.append(cells)
    return out
