"""Columns shared by questions and materials, and their history of events."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from repo_server.extensions import db
from repo_server.timeutil import utcnow

STATUSES = ("draft", "submitted", "returned", "published", "archived")


class ContentMixin:
    """One version of a content item; versions of one item share a ``lineage_id``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Id of the first version; every later version of the item carries it too.
    lineage_id: Mapped[int | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    subject_code: Mapped[str | None] = mapped_column(ForeignKey("subjects.code"))
    grade_code: Mapped[str | None] = mapped_column(ForeignKey("grades.code"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"), index=True)
    #: The item's original author (kept across versions).
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Who wrote this version; only they may edit it while it is a draft.
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    licence: Mapped[str] = mapped_column(String(64), default="CC-BY-4.0")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    #: The curator's comment when the version was returned.
    review_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    @declared_attr
    def author(cls):
        return relationship("User", foreign_keys=[cls.author_id], lazy="joined")

    @declared_attr
    def topic(cls):
        return relationship("Topic", lazy="joined")

    @classmethod
    def listing_indexes(cls, name: str) -> tuple[Index, ...]:
        """Indexes that let filtered, newest-first listings stop after one page."""
        return (
            Index(
                f"ix_{name}_listing",
                "status",
                "subject_code",
                "grade_code",
                "created_at",
            ),
            Index(
                f"ix_{name}_subject_grade", "subject_code", "grade_code", "created_at"
            ),
            Index(f"ix_{name}_created", "created_at", "id"),
            Index(f"ix_{name}_updated", "updated_at", "id"),
        )


class ContentEvent(db.Model):
    """One entry of an item's history: who did what to which version, and when."""

    __tablename__ = "content_events"
    __table_args__ = (Index("ix_content_events_item", "content_kind", "lineage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "question" or "material".
    content_kind: Mapped[str] = mapped_column(String(16))
    content_id: Mapped[int]
    lineage_id: Mapped[int]
    version: Mapped[int]
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    #: Names of the fields this event changed.
    changes: Mapped[list] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", lazy="joined")
