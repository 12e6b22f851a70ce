"""Organisations: the department → office → school tree."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db
from repo_server.timeutil import utcnow

ORG_KINDS = ("department", "office", "school")


class Organisation(db.Model):
    """A node of the administrative tree; schools carry the levels they teach."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short unique code, e.g. "THCS-CVA".
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    #: department, office or school.
    kind: Mapped[str] = mapped_column(String(16))
    #: A parent with children cannot be deleted (checked at the end of the statement).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    #: Level codes (MN, TH, THCS, THPT) a school teaches.
    levels: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Organisation | None"] = relationship(remote_side=[id])
