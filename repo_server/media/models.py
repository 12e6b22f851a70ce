"""Blobs that question text shows (``<img src="/api/v1/media/<sha256>">``)."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db
from repo_server.files.models import Blob
from repo_server.timeutil import utcnow


class QuestionMedia(db.Model):
    """A blob usable in question text; the row keeps it from ``storage gc``."""

    __tablename__ = "question_media"

    blob_sha256: Mapped[str] = mapped_column(
        ForeignKey("blobs.sha256"), primary_key=True
    )
    #: Who first uploaded (or imported) it; kept when the user is deleted.
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blob = relationship(Blob)
