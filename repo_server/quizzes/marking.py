"""What a teacher marks with: the history of an attempt's score changes, and the pinned
questions that have a corrected (newer published) version to regrade with."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from repo_server.errors import NotFound
from repo_server.extensions import db
from repo_server.questions.models import Question
from repo_server.quizzes.dumps import iso
from repo_server.quizzes.models import Attempt, ScoreEvent
from repo_server.quizzes.service import owned_quiz


def staff_attempt(user, attempt_id: int) -> Attempt:
    """An attempt of a quiz the user manages (its own student gets 404 here)."""
    from repo_server.quizzes.delivery import own_attempt

    attempt = own_attempt(user, attempt_id)
    if attempt.student_id == user.id:
        raise NotFound(_("Không tìm thấy bài làm #%(id)s.", id=attempt_id))
    return attempt


def attempt_history(user, attempt_id: int) -> list[dict]:
    """Every override and regrade that changed the attempt, oldest first."""
    attempt = staff_attempt(user, attempt_id)
    events = db.session.scalars(
        select(ScoreEvent)
        .where(ScoreEvent.attempt_id == attempt.id)
        .order_by(ScoreEvent.id)
    )
    return [dump_event(event) for event in events]


def dump_event(event: ScoreEvent) -> dict:
    """One score change as JSON."""
    return {
        "id": event.id,
        "kind": event.kind,
        "slot": event.quiz_question_id,
        "points_before": event.points_before,
        "points_after": event.points_after,
        "score_before": event.score_before,
        "score_after": event.score_after,
        "reason": event.reason,
        "question_id": event.question_before,
        "new_question_id": event.question_after,
        "by": {"id": event.by.id, "name": event.by.name},
        "at": iso(event.created_at),
    }


def corrections(user, quiz_id: int) -> list[dict]:
    """Pinned questions with a newer published version of the same lineage."""
    quiz = owned_quiz(user, quiz_id)
    out = []
    for slot in quiz.questions:
        pinned = slot.question
        newest = _newest_published(pinned.lineage_id or pinned.id)
        if newest is not None and newest.id > pinned.id:
            out.append(
                {
                    "slot": slot.id,
                    "position": slot.position,
                    "question_id": pinned.id,
                    "version": pinned.version,
                    "new_question_id": newest.id,
                    "new_version": newest.version,
                    "stem_text": newest.stem_text,
                }
            )
    return out


def _newest_published(lineage: int) -> Question | None:
    newest = (
        select(func.max(Question.id))
        .where(Question.lineage_id == lineage, Question.status == "published")
        .scalar_subquery()
    )
    return db.session.scalar(select(Question).where(Question.id == newest))
