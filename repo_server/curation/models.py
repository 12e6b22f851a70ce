"""Curation tables: review tasks and comments, notifications, settings, counts, audit."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db
from repo_server.timeutil import utcnow


class ReviewTask(db.Model):
    """A version waiting for review: one row while it is submitted (the queue)."""

    __tablename__ = "review_tasks"
    __table_args__ = (
        UniqueConstraint("content_kind", "content_id"),
        Index("ix_review_tasks_queue", "subject_code", "grade_code", "submitted_at"),
        Index("ix_review_tasks_submitted", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "question" or "material".
    content_kind: Mapped[str] = mapped_column(String(16))
    content_id: Mapped[int]
    subject_code: Mapped[str | None] = mapped_column(String(64))
    grade_code: Mapped[str | None] = mapped_column(String(64))
    org_id: Mapped[int] = mapped_column(index=True)
    author_id: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: First-level approval (school group) when the organisation asks for two levels.
    level1_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    level1_at: Mapped[datetime | None]
    #: When reviewers were last reminded of this item.
    reminded_at: Mapped[datetime | None]


class ReviewComment(db.Model):
    """A reviewer's comment on one version of an item, shown to its author."""

    __tablename__ = "review_comments"
    __table_args__ = (Index("ix_review_comments_item", "content_kind", "lineage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_kind: Mapped[str] = mapped_column(String(16))
    #: The version the comment is about.
    content_id: Mapped[int]
    lineage_id: Mapped[int]
    version: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    #: The move the comment came with ("return"), or None for a plain remark.
    action: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", lazy="joined")


class Notification(db.Model):
    """An in-app message to one user (also e-mailed when SMTP is configured)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: submitted, returned, published, approved, comment, reminder.
    kind: Mapped[str] = mapped_column(String(24))
    message: Mapped[str] = mapped_column(Text)
    #: Path of the page the message is about.
    link: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class ReviewSetting(db.Model):
    """How many review levels an organisation's submissions go through (1 or 2)."""

    __tablename__ = "review_settings"

    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    #: 2: a curator of the school (subject group) approves before the department.
    levels: Mapped[int] = mapped_column(default=1)


class CuratorScope(db.Model):
    """Narrows a curator's queue to some grades or organisations (none: all)."""

    __tablename__ = "curator_scopes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: "grade" or "org".
    scope: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(64))


class CoverageTarget(db.Model):
    """The share of lessons to cover in a school year ('' subject: every subject)."""

    __tablename__ = "coverage_targets"
    __table_args__ = (UniqueConstraint("school_year", "subject_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "2025-2026".
    school_year: Mapped[str] = mapped_column(String(9))
    subject_code: Mapped[str] = mapped_column(String(64), default="")
    percent: Mapped[int]


#: ``org_id`` of the rows that count every organisation together.
ALL_ORGS = 0


class CoverageCount(db.Model):
    """Published versions per organisation × topic × kind × cognitive level.

    Kept up to date by every lifecycle event, once for the item's organisation and
    once under ALL_ORGS, so the department's dashboard reads a few thousand index
    entries instead of every item.
    """

    __tablename__ = "coverage_counts"
    __table_args__ = (
        UniqueConstraint(
            "org_id",
            "subject_code",
            "grade_code",
            "topic_id",
            "content_kind",
            "cognitive_level",
            name="uq_coverage_counts_key",
        ),
        # Covering: the dashboard's sums are read from the index alone.
        Index(
            "ix_coverage_counts_sums",
            "org_id",
            "subject_code",
            "grade_code",
            "content_kind",
            "cognitive_level",
            "topic_id",
            "published",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The item's organisation, or ALL_ORGS.
    org_id: Mapped[int]
    subject_code: Mapped[str] = mapped_column(String(64))
    grade_code: Mapped[str] = mapped_column(String(64))
    #: 0 when the item has no topic.
    topic_id: Mapped[int]
    content_kind: Mapped[str] = mapped_column(String(16))
    #: "" for materials and questions without a level.
    cognitive_level: Mapped[str] = mapped_column(String(16))
    published: Mapped[int] = mapped_column(default=0)


class ContributorCount(db.Model):
    """Published versions per organisation (and ALL_ORGS) × subject × grade × author."""

    __tablename__ = "contributor_counts"
    __table_args__ = (
        UniqueConstraint(
            "org_id",
            "subject_code",
            "grade_code",
            "author_id",
            "content_kind",
            name="uq_contributor_counts_key",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int]
    subject_code: Mapped[str] = mapped_column(String(64))
    grade_code: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int]
    content_kind: Mapped[str] = mapped_column(String(16))
    published: Mapped[int] = mapped_column(default=0)


class AuditEntry(db.Model):
    """One line of the audit log; rows are only ever added."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_user", "user_id", "at"),
        Index("ix_audit_log_object", "object_kind", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None for anonymous requests (failed logins) and the command line.
    user_id: Mapped[int | None]
    user_email: Mapped[str] = mapped_column(String(254), default="")
    #: e.g. "question.publish", "login.failed", "request".
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_kind: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    #: Address of the client, or "cli".
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class AppendOnly(Exception):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper, _connection, _target):
    """The audit log is append-only: the ORM refuses updates and deletes."""
    raise AppendOnly("audit_log is append-only")
