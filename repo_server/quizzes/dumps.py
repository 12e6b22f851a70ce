"""JSON shapes of quizzes and attempts; keys only for staff or once review is allowed."""

from sqlalchemy import select

from repo_server.extensions import db
from repo_server.questions.schemas import student_item
from repo_server.quizzes.models import Answer, Attempt, Quiz
from repo_server.timeutil import utcnow

#: Students' view of a quiz's slots, built once per process per quiz revision (the
#: publication time is in the key because SQLite may reuse the id of a deleted row).
_STUDENT_SLOTS: dict[tuple, dict[int, dict]] = {}


def iso(value):
    """ISO 8601 UTC with a Z, or None."""
    return value.isoformat() + "Z" if value else None


def dump_quiz(quiz: Quiz, staff: bool) -> dict:
    """A quiz's settings; staff also get the parts and the pinned questions."""
    out = {
        "id": quiz.id,
        "title": quiz.title,
        "state": quiz.state,
        "subject": quiz.subject_code,
        "grade": quiz.grade_code,
        "time_limit_minutes": quiz.time_limit_minutes,
        "opens_at": iso(quiz.opens_at),
        "closes_at": iso(quiz.closes_at),
        "max_attempts": quiz.max_attempts,
        "review": quiz.review,
        # Questions each student gets (a per-student draw pins a larger pool).
        "question_count": sum(
            len(p["question_ids"]) + sum(c["count"] for c in p.get("blueprint") or [])
            for p in quiz.parts
        ),
        "parts": [{"title": p["title"], "points": p["points"]} for p in quiz.parts],
    }
    if staff:
        out.update(
            parts=quiz.parts,
            owner={"id": quiz.owner.id, "name": quiz.owner.name},
            shuffle_questions=quiz.shuffle_questions,
            shuffle_options=quiz.shuffle_options,
            draw_per_student=quiz.draw_per_student,
            show_explanations=quiz.show_explanations,
            class_ids=quiz.class_ids,
            school_ids=quiz.school_ids,
            published_at=iso(quiz.published_at),
            questions=[
                {
                    "slot": qq.id,
                    "position": qq.position,
                    "part": qq.part,
                    "cell": qq.cell,
                    "points": qq.points,
                    "question_id": qq.question_id,
                    "lineage_id": qq.question.lineage_id,
                    "type": qq.question.qtype,
                    "stem_text": qq.question.stem_text,
                }
                for qq in quiz.questions
            ],
        )
    return out


def may_review(quiz: Quiz, attempt: Attempt) -> bool:
    """True once the quiz's review policy lets the student see keys and scores."""
    if attempt.state != "submitted" or quiz.review == "never":
        return False
    if quiz.review == "after_submit":
        return True
    closed = quiz.closes_at is not None and utcnow() >= quiz.closes_at
    return closed or quiz.state == "closed"


def _student_slots(quiz: Quiz) -> dict[int, dict]:
    key = (quiz.id, quiz.revision, quiz.published_at)
    slots = _STUDENT_SLOTS.get(key)
    if slots is None:
        slots = {
            qq.id: {
                "slot": qq.id,
                "part": qq.part,
                "points": qq.points,
                "item": student_item(qq.question.item),
            }
            for qq in quiz.questions
        }
        _STUDENT_SLOTS[key] = slots
    return slots


def dump_attempt(attempt: Attempt, quiz: Quiz, staff: bool, fresh=False) -> dict:
    """The attempt as its student (no keys before review) or a teacher sees it.

    ``fresh``: the attempt was just started, so it has no answers to read.
    """
    reveal = staff or may_review(quiz, attempt)
    answers = {}
    if not fresh:
        query = select(Answer).where(Answer.attempt_id == attempt.id)
        answers = {a.quiz_question_id: a for a in db.session.scalars(query)}
    now = utcnow()
    out = {
        "id": attempt.id,
        "quiz_id": quiz.id,
        "quiz_title": quiz.title,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": iso(attempt.started_at),
        "deadline_at": iso(attempt.deadline_at),
        "submitted_at": iso(attempt.submitted_at),
        "submitted_by": attempt.submitted_by,
        "server_now": iso(now),
        "remaining_seconds": _remaining(attempt, now),
        "parts": [p["title"] for p in quiz.parts],
        "review": reveal,
        "questions": [
            _question(quiz, attempt, slot_id, answers.get(slot_id), reveal)
            for slot_id in attempt.order
        ],
    }
    if reveal:
        out.update(score=attempt.score, max_score=attempt.max_score)
        out["refused_saves"] = attempt.refused_saves
    if staff:
        student = attempt.student
        out["student"] = {
            "id": student.id,
            "name": student.name,
            "email": student.email,
        }
    return out


def _remaining(attempt: Attempt, now) -> float | None:
    if attempt.state != "in_progress" or attempt.deadline_at is None:
        return None
    return max(0.0, (attempt.deadline_at - now).total_seconds())


def _question(quiz, attempt, slot_id, answer, reveal) -> dict:
    base = _student_slots(quiz)[slot_id]
    item = dict(base["item"])
    order = attempt.option_order.get(str(slot_id))
    if order:
        by_id = {c["id"]: c for c in item.get("choices", [])}
        item["choices"] = [by_id[i] for i in order if i in by_id]
    out = {**base, "item": item, "answer": None}
    if answer is not None:
        out["answer"] = {
            "response": answer.response,
            "seq": answer.seq,
            "saved_at": iso(answer.saved_at),
        }
    if reveal:
        _add_review(out, quiz, slot_id, answer)
    return out


def _add_review(out: dict, quiz: Quiz, slot_id: int, answer) -> None:
    """Add the key, the explanation (if shown) and the points of one answer."""
    slot = next(qq for qq in quiz.questions if qq.id == slot_id)
    full = slot.question.item
    for key in ("correct", "numeric"):
        if key in full:
            out["item"][key] = full[key]
    if "statements" in full:
        out["item"]["statements"] = full["statements"]
    if quiz.show_explanations and full.get("explanation"):
        out["item"]["explanation"] = full["explanation"]
    if answer is not None:
        out["answer"].update(
            points=answer.points,
            override_points=answer.override_points,
            override_reason=answer.override_reason,
        )
