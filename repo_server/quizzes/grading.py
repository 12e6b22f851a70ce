"""Scoring attempts with qti.scoring, teachers' overrides, and regrades after corrections."""

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from qti import Item, QtiError, score
from repo_server.errors import Conflict, Invalid, NotFound
from repo_server.extensions import db
from repo_server.questions.models import Question
from repo_server.quizzes.models import (
    Answer,
    Attempt,
    Quiz,
    QuizQuestion,
    ScoreEvent,
)
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)
#: Parsed items of pinned (published, hence immutable) question versions, by id and
#: publication time (SQLite may reuse the id of a deleted row).
_ITEMS: dict[tuple, Item] = {}
#: Points and parsed item per slot, per quiz revision (see ``scoring_slots``).
_SLOTS: dict[tuple, dict[int, tuple[float, Item]]] = {}


def item_of(question: Question) -> Item:
    """The parsed item of a question version (cached: published versions never change)."""
    key = (question.id, question.published_at)
    item = _ITEMS.get(key)
    if item is None:
        item = Item.from_dict(question.item)
        if question.published_at is not None:
            _ITEMS[key] = item
    return item


def points_for(points: float, item: Item, response) -> float:
    """Points of a response to an item; a malformed response earns nothing."""
    try:
        return score(item, response, points).points
    except QtiError:
        return 0.0


def scoring_slots(quiz: Quiz, cached: bool = False) -> dict[int, tuple[float, Item]]:
    """Each slot's points and parsed item.

    ``cached``: kept per process per quiz revision, for scoring at submission; not
    for a regrade, whose re-pinned slots are not committed yet.
    """
    key = (quiz.id, quiz.revision, quiz.published_at)
    slots = _SLOTS.get(key) if cached else None
    if slots is None:
        slots = {qq.id: (qq.points, item_of(qq.question)) for qq in quiz.questions}
        if cached:
            _SLOTS[key] = slots
    return slots


def grade_attempt(attempt: Attempt, quiz: Quiz, cached: bool = False) -> None:
    """Score every saved answer and the attempt's total (overrides win)."""
    # Only the attempt's own slots count (a per-student draw gives each a subset).
    mine = set(attempt.order)
    slots = {k: v for k, v in scoring_slots(quiz, cached).items() if k in mine}
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    total = 0.0
    for answer in answers:
        slot = slots.get(answer.quiz_question_id)
        if slot is None:
            continue
        answer.points = points_for(*slot, answer.response)
        total += effective(answer)
    attempt.score = round(total, 6)
    attempt.max_score = sum(points for points, _item in slots.values())


def override(user, attempt_id: int, slot_id: int, points, reason: str):
    """A teacher sets (or, with None, clears) one answer's points, with the reason."""
    from repo_server.quizzes.delivery import own_attempt

    attempt = own_attempt(user, attempt_id)
    if attempt.student_id == user.id:
        raise NotFound(_("Không tìm thấy bài làm #%(id)s.", id=attempt_id))
    if attempt.state != "submitted":
        raise Conflict(_("Chỉ chấm lại được bài đã nộp."))
    slot = db.session.get(QuizQuestion, slot_id)
    if slot is None or slot.quiz_id != attempt.quiz_id or slot_id not in attempt.order:
        raise NotFound(_("Câu hỏi #%(id)s không thuộc bài làm.", id=slot_id))
    if points is not None and points > slot.points:
        message = _("Điểm tối đa của câu này là %(p)s.", p=slot.points)
        raise Invalid(message, {"points": [message]})
    answer = _answer_row(attempt.id, slot_id)
    before, score_before = effective(answer), attempt.score
    answer.override_points, answer.override_reason = points, reason
    answer.override_by_id = user.id
    grade_attempt(attempt, db.session.get(Quiz, attempt.quiz_id))
    db.session.add(
        ScoreEvent(
            quiz_id=attempt.quiz_id, attempt_id=attempt.id, quiz_question_id=slot_id,
            kind="override", points_before=before, points_after=effective(answer),
            score_before=score_before, score_after=attempt.score, reason=reason,
            by_id=user.id,
        )
    )  # fmt: skip
    db.session.commit()
    logger.info("attempt %s slot %s overridden by %s", attempt.id, slot_id, user.email)
    return attempt


def effective(answer: Answer | None) -> float:
    """The points that count for an answer: the teacher's override, else the computed."""
    if answer is None:
        return 0.0
    if answer.override_points is not None:
        return answer.override_points
    return answer.points or 0.0


def _answer_row(attempt_id: int, slot_id: int) -> Answer:
    """The answer row of a slot, created empty for an unanswered question."""
    answer = db.session.get(Answer, (attempt_id, slot_id))
    if answer is None:
        answer = Answer(
            attempt_id=attempt_id,
            quiz_question_id=slot_id,
            response=None,
            seq=0,
            saved_at=utcnow(),
        )
        db.session.add(answer)
        db.session.flush()
    return answer


def regrade(user, quiz_id: int, old_id: int | None, new_id: int | None) -> dict:
    """Pin the corrected version of a question (optional), rescore every attempt and
    return the summary: how many were rescored and whose score changed."""
    from repo_server.quizzes.service import owned_quiz

    quiz = owned_quiz(user, quiz_id)
    if quiz.state == "draft":
        raise Conflict(_("Đề chưa phát hành thì chưa có bài để chấm lại."))
    if old_id is not None or new_id is not None:
        _replace_version(quiz, old_id, new_id)
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == "submitted")
        .order_by(Attempt.id)
    ).all()
    changed = []
    for attempt in attempts:
        before = attempt.score
        grade_attempt(attempt, quiz)
        if before != attempt.score:
            changed.append(_regrade_event(user, attempt, before, old_id, new_id))
    db.session.commit()
    logger.info("quiz %s regraded: %s attempts", quiz.id, len(attempts))
    return {
        "regraded": len(attempts),
        "question_id": old_id,
        "new_question_id": new_id,
        "changed": [_change(event) for event in changed],
    }


def _regrade_event(user, attempt: Attempt, before, old_id, new_id) -> ScoreEvent:
    event = ScoreEvent(
        quiz_id=attempt.quiz_id, attempt=attempt, kind="regrade",
        score_before=before, score_after=attempt.score, question_before=old_id,
        question_after=new_id, by_id=user.id,
    )  # fmt: skip
    db.session.add(event)
    return event


def _change(event: ScoreEvent) -> dict:
    student = event.attempt.student
    return {
        "attempt_id": event.attempt_id,
        "student": {"id": student.id, "name": student.name, "email": student.email},
        "score_before": event.score_before,
        "score_after": event.score_after,
    }


def _replace_version(quiz: Quiz, old_id, new_id) -> None:
    """Swap a pinned version for a newer published version of the same question."""
    slot = next((qq for qq in quiz.questions if qq.question_id == old_id), None)
    new = db.session.get(Question, new_id) if new_id else None
    if slot is None:
        message = _("Câu hỏi #%(id)s không có trong đề.", id=old_id)
        raise Invalid(message, {"question_id": [message]})
    if new is None or new.status != "published":
        message = _("Phiên bản sửa phải là câu hỏi đã xuất bản.")
        raise Invalid(message, {"new_question_id": [message]})
    if (new.lineage_id or new.id) != (slot.question.lineage_id or slot.question.id):
        message = _("Phiên bản mới phải là phiên bản của cùng câu hỏi.")
        raise Invalid(message, {"new_question_id": [message]})
    slot.question_id, slot.question = new.id, new
    quiz.revision += 1
    db.session.flush()
