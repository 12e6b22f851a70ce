"""Users, their roles and personal API tokens."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db
from repo_server.timeutil import utcnow

ROLES = ("admin", "curator", "teacher", "student")

#: Subjects a curator reviews and publishes.
curator_subjects = Table(
    "curator_subjects",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("subject_code", ForeignKey("subjects.code"), primary_key=True),
)


class User(db.Model):
    """A person who logs in, with exactly one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased login e-mail.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: Students only: their class ("6A1") and grade code ("6").
    class_name: Mapped[str | None] = mapped_column(String(32))
    grade_code: Mapped[str | None] = mapped_column(ForeignKey("grades.code"))
    #: Interface language chosen by the user (vi or en).
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    org = relationship("Organisation")
    subjects = relationship(
        "Subject", secondary=curator_subjects, order_by="Subject.code"
    )

    @property
    def subject_codes(self) -> list[str]:
        """Codes of the subjects a curator curates (others have none: no query)."""
        if self.role != "curator":
            return []
        return [s.code for s in self.subjects]


class ApiToken(db.Model):
    """A personal Bearer token for scripts; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: First characters of the token, shown so the user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user = relationship("User")


class LoginFailure(db.Model):
    """One wrong password, kept for the throttling window (then deleted)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The e-mail typed (lower-cased), whether or not such a user exists.
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (
        db.Index("ix_login_failures_email_at", "email", "at"),
        db.Index("ix_login_failures_ip_at", "ip", "at"),
    )
