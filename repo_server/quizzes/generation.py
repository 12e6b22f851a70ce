"""Attempts generated before the start: question order and option order per student."""

import random
from collections import defaultdict

from sqlalchemy import insert, select

from repo_server.extensions import db
from repo_server.quizzes.models import Attempt, Quiz


def generate_attempts(quiz: Quiz, student_ids: list[int], number: int) -> int:
    """Insert the attempts (order, option order) of these students in one statement."""
    have = set(
        db.session.scalars(
            select(Attempt.student_id).where(
                Attempt.quiz_id == quiz.id, Attempt.number == number
            )
        )
    )
    groups = _slot_groups(quiz)
    rows = [
        _attempt_row(quiz, groups, sid, number)
        for sid in student_ids
        if sid not in have
    ]
    if rows:
        db.session.execute(insert(Attempt), rows)
    return len(rows)


def _slot_groups(quiz: Quiz) -> dict[tuple, list]:
    """The slots by (part, cell): cell None holds the questions every student gets."""
    groups = defaultdict(list)
    for qq in quiz.questions:
        groups[qq.part, qq.cell].append(qq)
    return groups


def _drawn(quiz: Quiz, groups: dict, part: int, rng: random.Random) -> list:
    """A part's slots for one student: the shared ones, then each cell's own draw."""
    slots = list(groups[part, None])
    for cell, spec in enumerate(quiz.parts[part].get("blueprint") or []):
        if (part, cell) in groups:
            slots += rng.sample(groups[part, cell], spec["count"])
    return sorted(slots, key=lambda qq: qq.position)


def _attempt_row(quiz: Quiz, groups: dict, student_id: int, number: int) -> dict:
    """One student's questions (drawn, if the quiz draws per student), their order
    (shuffled within parts) and option orders, all seeded by quiz × student × number."""
    rng = random.Random(f"{quiz.seed}:{student_id}:{number}")
    order = []
    for part in range(len(quiz.parts)):
        slots = _drawn(quiz, groups, part, rng)
        if quiz.shuffle_questions:
            rng.shuffle(slots)
        order += [qq.id for qq in slots]
    chosen = set(order)
    options = {}
    for qq in quiz.questions:
        if qq.id not in chosen:
            continue
        ids = [c["id"] for c in qq.question.item.get("choices", [])]
        if quiz.shuffle_options and len(ids) > 1:
            rng.shuffle(ids)
            options[str(qq.id)] = ids
    return {
        "quiz_id": quiz.id,
        "student_id": student_id,
        "number": number,
        "state": "ready",
        "order": order,
        "option_order": options,
        "max_score": sum(qq.points for qq in quiz.questions if qq.id in chosen),
        "refused_saves": 0,
    }
