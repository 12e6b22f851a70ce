"""Results: attempts of a quiz, per student, per class and per school; the score matrix."""

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from sqlalchemy import select

from repo_server.extensions import db
from repo_server.orgs.models import Organisation
from repo_server.quizzes.delivery import close_if_due, own_attempt, sweep
from repo_server.quizzes.dumps import iso, may_review
from repo_server.quizzes.grading import effective
from repo_server.quizzes.models import (
    Answer,
    Attempt,
    Quiz,
    QuizQuestion,
    SchoolClass,
    class_members,
)
from repo_server.quizzes.service import get_quiz, owned_quiz


@dataclass
class Row:
    """One student's scored attempt: effective points and responses per slot."""

    attempt: Attempt
    points: list[float]
    responses: list


def quiz_of(attempt: Attempt) -> Quiz:
    """The quiz of an attempt."""
    return db.session.get(Quiz, attempt.quiz_id)


def open_attempt(user, attempt_id: int) -> tuple[Attempt, Quiz]:
    """An attempt the user may see, closed first if its deadline has passed."""
    attempt = own_attempt(user, attempt_id)
    quiz = quiz_of(attempt)
    close_if_due(attempt, quiz)
    return attempt, quiz


def attempts_of(user, quiz_id: int) -> list[Attempt]:
    """Every attempt of the quiz (its teacher) or the student's own attempts."""
    quiz = get_quiz(user, quiz_id)
    query = select(Attempt).where(Attempt.quiz_id == quiz.id)
    if user.role != "student":
        sweep(quiz.id)
        return list(db.session.scalars(query.order_by(Attempt.id)))
    mine = list(db.session.scalars(query.where(Attempt.student_id == user.id)))
    for attempt in mine:
        close_if_due(attempt, quiz)
    return sorted(mine, key=lambda a: a.id)


def attempt_summary(attempt: Attempt, user) -> dict:
    """An attempt in a listing; the score only for staff or once review is allowed."""
    staff = attempt.student_id != user.id
    out = {
        "id": attempt.id,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": iso(attempt.started_at),
        "deadline_at": iso(attempt.deadline_at),
        "submitted_at": iso(attempt.submitted_at),
        "submitted_by": attempt.submitted_by,
    }
    if staff or may_review(quiz_of(attempt), attempt):
        out.update(score=attempt.score, max_score=attempt.max_score)
    if staff:
        student = attempt.student
        out.update(
            student={"id": student.id, "name": student.name, "email": student.email},
            refused_saves=attempt.refused_saves,
        )
    return out


def latest_submitted(quiz: Quiz) -> list[Attempt]:
    """Each student's latest submitted attempt, by student id."""
    rows = db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == "submitted")
        .order_by(Attempt.student_id, Attempt.number)
    )
    latest = {a.student_id: a for a in rows}
    return [latest[k] for k in sorted(latest)]


def score_matrix(quiz: Quiz, attempts: list[Attempt]) -> list[Row]:
    """Effective points (overrides win) and responses, in the quiz's slot order; None
    for a slot the student's attempt does not hold (a per-student draw)."""
    slots = [qq.id for qq in quiz.questions]
    cells = defaultdict(dict)
    ids = [a.id for a in attempts]
    for answer in db.session.scalars(select(Answer).where(Answer.attempt_id.in_(ids))):
        cells[answer.attempt_id][answer.quiz_question_id] = answer
    rows = []
    for attempt in attempts:
        mine, held = cells[attempt.id], set(attempt.order)
        rows.append(
            Row(
                attempt,
                [effective(mine.get(s)) if s in held else None for s in slots],
                [mine[s].response if s in mine and s in held else None for s in slots],
            )
        )
    return rows


def student_classes(student_ids: list[int]) -> dict[int, list[str]]:
    """Names of the classes of each student."""
    rows = db.session.execute(
        select(class_members.c.user_id, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == class_members.c.class_id)
        .where(class_members.c.user_id.in_(student_ids))
        .order_by(SchoolClass.name)
    )
    out = defaultdict(list)
    for user_id, name in rows:
        out[user_id].append(name)
    return out


def quiz_results(user, quiz_id: int) -> dict:
    """Scores per student (with answers), per class and per school."""
    quiz = owned_quiz(user, quiz_id)
    sweep(quiz.id)
    rows = score_matrix(quiz, latest_submitted(quiz))
    students = student_rows(quiz, rows)
    return {
        "quiz": {"id": quiz.id, "title": quiz.title, "state": quiz.state},
        "slots": [
            {"slot": qq.id, "position": qq.position, "points": qq.points}
            for qq in quiz.questions
        ],
        "counts": _state_counts(quiz),
        "students": students,
        "by_class": _groups(students, "classes"),
        "by_school": _groups(students, "school"),
    }


def student_rows(quiz: Quiz, rows: list[Row]) -> list[dict]:
    """One dict per student: who, where, score and each answer."""
    classes = student_classes([r.attempt.student_id for r in rows])
    schools = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    out = []
    for row in rows:
        student = row.attempt.student
        out.append(
            {
                "student": {
                    "id": student.id,
                    "name": student.name,
                    "email": student.email,
                },
                "school": schools.get(student.org_id),
                "classes": classes.get(student.id, []),
                "attempt_id": row.attempt.id,
                "number": row.attempt.number,
                "score": row.attempt.score,
                "max_score": row.attempt.max_score,
                "submitted_by": row.attempt.submitted_by,
                "refused_saves": row.attempt.refused_saves,
                "answers": [
                    {"slot": qq.id, "response": resp, "points": pts}
                    for qq, resp, pts in zip(
                        quiz.questions, row.responses, row.points, strict=True
                    )
                ],
            }
        )
    return out


def _groups(students: list[dict], key: str) -> list[dict]:
    """Count, mean, lowest and highest score per class or per school."""
    scores = defaultdict(list)
    for s in students:
        names = s[key] if isinstance(s[key], list) else [s[key]]
        for name in names or ["—"]:
            scores[name].append(s["score"] or 0.0)
    return [
        {
            "name": name,
            "students": len(values),
            "mean": round(fmean(values), 4),
            "min": min(values),
            "max": max(values),
        }
        for name, values in sorted(scores.items(), key=lambda kv: str(kv[0]))
    ]


def _state_counts(quiz: Quiz) -> dict[str, int]:
    counts = dict.fromkeys(("ready", "in_progress", "submitted"), 0)
    for (state,) in db.session.execute(
        select(Attempt.state).where(Attempt.quiz_id == quiz.id)
    ):
        counts[state] += 1
    return counts


def slot_label(quiz: Quiz, slot: QuizQuestion) -> str:
    """ "Câu 3" (or "II.2" style when the quiz has several parts)."""
    if len(quiz.parts) < 2:
        return f"Câu {slot.position}"
    same_part = [qq for qq in quiz.questions if qq.part == slot.part]
    before = sum(1 for qq in same_part if qq.position <= slot.position)
    return f"{_roman(slot.part + 1)}.{before}"


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1]


def results_workbook(user, quiz_id: int):
    """The results and statistics as .xlsx bytes (BytesIO) and a file name."""
    from repo_server.quizzes.workbook import build_workbook

    quiz = owned_quiz(user, quiz_id)
    return build_workbook(
        quiz, quiz_results(user, quiz_id)
    ), f"ket-qua-de-{quiz.id}.xlsx"
