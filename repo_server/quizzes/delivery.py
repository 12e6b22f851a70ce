"""Taking a quiz: pre-generated attempts, start, idempotent saves, submit, deadlines."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    and_,
    bindparam,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import lazyload

from repo_server.accounts.models import User
from repo_server.accounts.service import current_user, require_role
from repo_server.errors import Conflict, NotFound
from repo_server.extensions import commit_keeping_loaded, db
from repo_server.quizzes import grading
from repo_server.quizzes.generation import generate_attempts
from repo_server.quizzes.models import Answer, Attempt, Quiz, QuizQuestion
from repo_server.quizzes.service import eligible, get_quiz
from repo_server.timeutil import utcnow


class AttemptClosed(Conflict):
    """A save or submit reached the server after the attempt was closed."""

    code = "attempt_closed"


def grace() -> timedelta:
    """How late a save may arrive and still count (network latency)."""
    return timedelta(seconds=current_app.config.get("QUIZ_SAVE_GRACE_SECONDS", 2))


def start(user, quiz_id: int) -> tuple[Attempt, Quiz, bool]:
    """Start (or continue) the student's attempt; its deadline is set by the server.

    Returns the attempt, its quiz and whether this request started it.
    """
    require_role(user, "student")
    quiz = get_quiz(user, quiz_id)
    now = utcnow()
    attempt = _current_attempt(quiz, user)
    if attempt is not None and attempt.state == "in_progress":
        close_if_due(attempt, quiz)
        if attempt.state == "in_progress":
            return attempt, quiz, False
    _check_window(quiz, now)
    if attempt is None or attempt.state == "submitted":
        attempt = _next_attempt(quiz, user, attempt)
    deadline = quiz.closes_at
    if quiz.time_limit_minutes:
        limit = now + timedelta(minutes=quiz.time_limit_minutes)
        deadline = min(limit, deadline) if deadline else limit
    # Conditional: of two tabs pressing start at once, one sets the clock.
    started = db.session.scalars(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == "ready")
        .values(state="in_progress", started_at=now, deadline_at=deadline)
        .returning(Attempt)
    ).first()
    if started is None:
        db.session.refresh(attempt)  # the other tab's clock
    commit_keeping_loaded()
    return attempt, quiz, started is not None  # a "ready" attempt has no answers yet


def _current_attempt(quiz: Quiz, user) -> Attempt | None:
    return db.session.scalar(
        select(Attempt)
        .options(lazyload(Attempt.student))  # the student is the user: no join
        .where(Attempt.quiz_id == quiz.id, Attempt.student_id == user.id)
        .order_by(Attempt.number.desc())
        .limit(1)
    )


def _check_window(quiz: Quiz, now) -> None:
    if quiz.state != "published":
        raise Conflict(_("Đề kiểm tra đã đóng."))
    if quiz.opens_at and now < quiz.opens_at:
        raise Conflict(_("Đề kiểm tra chưa mở."))
    if quiz.closes_at and now >= quiz.closes_at:
        raise Conflict(_("Đề kiểm tra đã đóng."))


def _next_attempt(quiz: Quiz, user, last: Attempt | None) -> Attempt:
    """Generate the next attempt when the student has attempts left."""
    number = last.number + 1 if last else 1
    if number > quiz.max_attempts:
        raise Conflict(_("Bạn đã dùng hết số lần làm bài."))
    if not eligible(quiz, user):
        raise NotFound(_("Không tìm thấy đề kiểm tra #%(id)s.", id=quiz.id))
    generate_attempts(quiz, [user.id], number)
    db.session.flush()
    return _current_attempt(quiz, user)


def own_attempt(user, attempt_id: int) -> Attempt:
    """The attempt of this student, or of a quiz this teacher manages."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound(_("Không tìm thấy bài làm #%(id)s.", id=attempt_id))
    if attempt.student_id == user.id:
        return attempt
    quiz = db.session.get(Quiz, attempt.quiz_id)
    if user.role != "admin" and quiz.owner_id != user.id:
        raise NotFound(_("Không tìm thấy bài làm #%(id)s.", id=attempt_id))
    return attempt


#: The save statement per dialect, built once per process (it runs in every save).
_SAVE_STATEMENTS: dict = {}


#: The slot is one of the attempt's own (its "order" lists them), per dialect.
_IN_ORDER = {
    "sqlite": 'EXISTS (SELECT 1 FROM json_each(quiz_attempts."order")'
    " WHERE json_each.value = :slot_in_order)",
    "postgresql": """CAST(quiz_attempts."order" AS jsonb)"""
    " @> to_jsonb(CAST(:slot_in_order AS integer))",
}


def _save_statement(dialect: str):
    """INSERT … SELECT (own open attempt, slot of its quiz) ON CONFLICT newer seq wins."""
    if dialect in _SAVE_STATEMENTS:
        return _SAVE_STATEMENTS[dialect]
    table = Answer.__table__
    source = (
        select(
            Attempt.id,
            QuizQuestion.id,
            bindparam("response", type_=JSON),
            bindparam("seq", type_=BigInteger),
            bindparam("now", type_=DateTime),
        )
        .join(QuizQuestion, QuizQuestion.quiz_id == Attempt.quiz_id)
        .join(User, User.id == Attempt.student_id)  # the session's user is active
        .where(
            User.active.is_(True),
            Attempt.id == bindparam("attempt_id"),
            QuizQuestion.id == bindparam("slot_id"),
            Attempt.student_id == bindparam("user_id"),
            Attempt.state == "in_progress",
            or_(
                Attempt.deadline_at.is_(None),
                Attempt.deadline_at >= bindparam("earliest", type_=DateTime),
            ),
            text(_IN_ORDER[dialect]),  # a per-student draw: only the student's slots
        )
    )
    insert_ = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    statement = insert_.from_select(
        ["attempt_id", "quiz_question_id", "response", "seq", "saved_at"], source
    )
    statement = statement.on_conflict_do_update(
        index_elements=["attempt_id", "quiz_question_id"],
        set_={k: statement.excluded[k] for k in ("response", "seq", "saved_at")},
        where=table.c.seq < statement.excluded.seq,
    ).returning(table.c.seq)
    _SAVE_STATEMENTS[dialect] = statement
    return statement


def save(user_id: int, attempt_id: int, slot_id: int, response, seq: int) -> dict:
    """Save one answer with one statement; stale, duplicate or late saves are told so.

    The statement itself checks that ``user_id`` (from the session, row not loaded) is
    active and owns the open attempt; only a save that changed nothing loads more.
    """
    now = utcnow()
    params = {
        "attempt_id": attempt_id,
        "slot_id": slot_id,
        "slot_in_order": slot_id,
        "user_id": user_id,
        "response": response,
        "seq": seq,
        "now": now,
        "earliest": now - grace(),
    }
    statement = _save_statement(db.engine.dialect.name)
    applied = db.session.execute(statement, params).scalar()
    db.session.commit()
    if applied is not None:
        return {"applied": True, "seq": seq, "saved_at": _iso(now)}
    return _not_applied(current_user(), attempt_id, slot_id)


def _not_applied(user, attempt_id: int, slot_id: int) -> dict:
    """Why a save changed nothing: not found, closed, or the server has newer."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.student_id != user.id:
        raise NotFound(_("Không tìm thấy bài làm #%(id)s.", id=attempt_id))
    if slot_id not in attempt.order:
        raise NotFound(_("Câu hỏi #%(id)s không thuộc bài làm.", id=slot_id))
    if attempt.state != "in_progress" or _past_deadline(attempt):
        refuse_late(attempt)
    current = db.session.get(Answer, (attempt_id, slot_id))
    return {
        "applied": False,
        "seq": current.seq,
        "response": current.response,
        "saved_at": _iso(current.saved_at),
    }


def refuse_late(attempt: Attempt) -> None:
    """Count the refused save, close the attempt if due, and raise AttemptClosed."""
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(refused_saves=Attempt.refused_saves + 1)
    )
    db.session.commit()
    close_if_due(attempt, db.session.get(Quiz, attempt.quiz_id))
    deadline = attempt.deadline_at.strftime("%H:%M:%S") if attempt.deadline_at else ""
    raise AttemptClosed(
        _(
            "Bài làm đã được nộp hoặc đã hết giờ (%(t)s UTC); câu trả lời này không được ghi nhận.",
            t=deadline,
        ),
        {"deadline_at": _iso(attempt.deadline_at)},
    )


def _past_deadline(attempt: Attempt) -> bool:
    deadline = attempt.deadline_at
    return deadline is not None and utcnow() > deadline + grace()


def close_if_due(attempt: Attempt, quiz: Quiz) -> None:
    """Submit an open attempt past its deadline with what was saved (lazy close)."""
    if attempt.state == "in_progress" and _past_deadline(attempt):
        finish(attempt, quiz, "deadline", at=attempt.deadline_at)


def finish(attempt: Attempt, quiz: Quiz, by: str, at=None) -> None:
    """Score and submit an attempt (once: a second submit changes nothing)."""
    done = db.session.scalars(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == "in_progress")
        .values(state="submitted", submitted_at=at or utcnow(), submitted_by=by)
        .returning(Attempt)  # refreshes ``attempt``
    ).first()
    if done is None:
        db.session.commit()  # submitted meanwhile: reload what the other request wrote
        return
    grading.grade_attempt(attempt, quiz, cached=True)
    commit_keeping_loaded()


def submit(user, attempt_id: int) -> tuple[Attempt, Quiz]:
    """The student submits; after the deadline the attempt was already closed."""
    attempt = own_attempt(user, attempt_id)
    if attempt.student_id != user.id:
        raise NotFound(_("Không tìm thấy bài làm #%(id)s.", id=attempt_id))
    quiz = db.session.get(Quiz, attempt.quiz_id)
    close_if_due(attempt, quiz)
    if attempt.state == "ready":
        raise Conflict(_("Bài làm chưa bắt đầu."))
    finish(attempt, quiz, "student")
    return attempt, quiz


def sweep(quiz_id: int | None = None) -> int:
    """Close every attempt past its deadline (cron: ``repo-server quiz sweep``)."""
    due = select(Attempt).where(
        and_(Attempt.state == "in_progress", Attempt.deadline_at < utcnow() - grace())
    )
    if quiz_id is not None:
        due = due.where(Attempt.quiz_id == quiz_id)
    closed = 0
    for attempt in list(db.session.scalars(due)):
        close_if_due(attempt, db.session.get(Quiz, attempt.quiz_id))
        closed += attempt.state == "submitted"
    return closed


def _iso(value):
    return value.isoformat() + "Z" if value else None
