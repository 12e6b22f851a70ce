"""Attempts generated before the start: question order and option order per student."""

import random

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
    rows = [_attempt_row(quiz, sid, number) for sid in student_ids if sid not in have]
    if rows:
        db.session.execute(insert(Attempt), rows)
    return len(rows)


def _attempt_row(quiz: Quiz, student_id: int, number: int) -> dict:
    """One student's question order (shuffled within parts) and option orders."""
    rng = random.Random(f"{quiz.seed}:{student_id}:{number}")
    order = []
    for part in range(len(quiz.parts)):
        slots = [qq for qq in quiz.questions if qq.part == part]
        if quiz.shuffle_questions:
            rng.shuffle(slots)
        order += [qq.id for qq in slots]
    options = {}
    for qq in quiz.questions:
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
        "max_score": sum(qq.points for qq in quiz.questions),
        "refused_saves": 0,
    }
