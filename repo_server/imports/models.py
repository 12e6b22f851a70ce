"""An import: the uploaded originals, the preview of every question, what was committed."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db
from repo_server.timeutil import utcnow

#: preview → committed | discarded.
STATUSES = ("preview", "committed", "discarded")


class QuestionImport(db.Model):
    """One upload of question files and its preview, kept after the commit."""

    __tablename__ = "question_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="preview", index=True)
    #: The subject and grade chosen for questions whose file does not say.
    subject_code: Mapped[str | None] = mapped_column(String(64))
    grade_code: Mapped[str | None] = mapped_column(String(64))
    #: The originals: [{name, key, size, format}], kept in storage under imports/.
    files: Mapped[list] = mapped_column(JSON, default=list)
    #: One entry per question read: data, problems, duplicates, selected. Deferred:
    #: thousands of entries are parsed only when read, not on every reload of the row.
    entries: Mapped[list] = mapped_column(JSON, default=list, deferred=True)
    #: What could not be read at all: [{file, item, reason}].
    skipped: Mapped[list] = mapped_column(JSON, default=list)
    #: Ids of the questions the commit created.
    question_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    committed_at: Mapped[datetime | None]

    owner = relationship("User")
