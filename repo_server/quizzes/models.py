"""Quizzes: classes, quizzes with pinned question versions, attempts and saved answers."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db
from repo_server.timeutil import utcnow

QUIZ_STATES = ("draft", "published", "closed")
#: When students may see scores, keys and explanations.
REVIEW_POLICIES = ("never", "after_submit", "after_close")
ATTEMPT_STATES = ("ready", "in_progress", "submitted")

#: Students of a class.
class_members = Table(
    "class_members",
    db.metadata,
    Column(
        "class_id",
        ForeignKey("school_classes.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_class_members_user_id", "user_id"),
)


class SchoolClass(db.Model):
    """A class of a school ("6A1") and its students."""

    __tablename__ = "school_classes"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    school_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school = relationship("Organisation")
    members = relationship("User", secondary=class_members, order_by="User.name")


class Quiz(db.Model):
    """A quiz: its parts (fixed questions and blueprint rows) and its settings."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    subject_code: Mapped[str | None] = mapped_column(ForeignKey("subjects.code"))
    grade_code: Mapped[str | None] = mapped_column(ForeignKey("grades.code"))
    #: [{"title", "points", "cluster_points", "question_ids", "blueprint": [cells]}].
    parts: Mapped[list] = mapped_column(JSON, default=list)
    time_limit_minutes: Mapped[int | None]
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    max_attempts: Mapped[int] = mapped_column(default=1)
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_options: Mapped[bool] = mapped_column(default=False)
    #: Each student's attempt draws its own questions from the blueprint cells' pools
    #: (pinned at publication) instead of every student getting the quiz's one draw.
    draw_per_student: Mapped[bool] = mapped_column(default=False)
    review: Mapped[str] = mapped_column(String(16), default="after_close")
    show_explanations: Mapped[bool] = mapped_column(default=True)
    class_ids: Mapped[list] = mapped_column(JSON, default=list)
    school_ids: Mapped[list] = mapped_column(JSON, default=list)
    #: Seed of the blueprint draw and of every student's shuffle.
    seed: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Bumped when a pinned question changes, so cached student views are rebuilt.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    owner = relationship("User", lazy="joined")
    questions = relationship(
        "QuizQuestion", order_by="QuizQuestion.position", cascade="all, delete-orphan"
    )


class QuizQuestion(db.Model):
    """One slot of a published quiz: the exact question version and its points."""

    __tablename__ = "quiz_questions"
    __table_args__ = (UniqueConstraint("quiz_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quizzes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    part: Mapped[int] = mapped_column(default=0)
    #: Per-student draws: the index of the part's blueprint cell whose pool holds this
    #: slot (None: a fixed question, or a quiz whose students share one draw).
    cell: Mapped[int | None]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    points: Mapped[float] = mapped_column(Float, default=1.0)

    question = relationship("Question", lazy="joined")


class Attempt(db.Model):
    """A student's attempt: generated before the start, then taken and scored."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("quiz_id", "student_id", "number"),
        # The deadline sweep finds open attempts past their deadline.
        Index("ix_quiz_attempts_open", "state", "deadline_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quizzes.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(String(16), default="ready")
    #: Quiz-question ids in the order this student sees them.
    order: Mapped[list] = mapped_column(JSON, default=list)
    #: {quiz-question id: [option ids in display order]}.
    option_order: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None]
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    #: "student", "deadline" (closed by the server) or "teacher".
    submitted_by: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    #: Saves refused because they came after the deadline (reported to the teacher).
    refused_saves: Mapped[int] = mapped_column(default=0)

    student = relationship("User", lazy="joined")


class Answer(db.Model):
    """The latest saved response of one attempt to one slot (one row, upserted)."""

    __tablename__ = "quiz_answers"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    quiz_question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"), primary_key=True
    )
    response: Mapped[dict | list | str | None] = mapped_column(JSON)
    #: The client's sequence number; a save with a lower one is stale and ignored.
    seq: Mapped[int] = mapped_column(BigInteger)
    saved_at: Mapped[datetime]
    points: Mapped[float | None] = mapped_column(Float)
    override_points: Mapped[float | None] = mapped_column(Float)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ScoreEvent(db.Model):
    """A change of a submitted attempt's points: a teacher's override or a regrade."""

    __tablename__ = "quiz_score_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quizzes.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    #: The slot overridden (None for a regrade, which rescores the whole attempt).
    quiz_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE")
    )
    #: "override" (set or cleared by hand) or "regrade".
    kind: Mapped[str] = mapped_column(String(16))
    points_before: Mapped[float | None] = mapped_column(Float)
    points_after: Mapped[float | None] = mapped_column(Float)
    score_before: Mapped[float | None] = mapped_column(Float)
    score_after: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    #: A regrade after a correction: the version replaced and its correction.
    question_before: Mapped[int | None]
    question_after: Mapped[int | None]
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attempt = relationship("Attempt")
    by = relationship("User", lazy="joined")
