"""Questions: one version of a question item, stored as the format-neutral JSON."""

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from repo_server.extensions import db
from repo_server.lifecycle.models import ContentMixin


class Question(ContentMixin, db.Model):
    """A question version: ``item`` holds the qti.Item JSON, columns hold what we filter."""

    __tablename__ = "questions"
    __table_args__ = (
        *ContentMixin.listing_indexes("questions"),
        Index(
            "ix_questions_subject_level",
            "subject_code",
            "cognitive_level",
            "created_at",
        ),
    )

    #: The qti.Item type (single_choice, …, numeric).
    qtype: Mapped[str] = mapped_column(String(32), index=True)
    cognitive_level: Mapped[str | None] = mapped_column(
        ForeignKey("cognitive_levels.code"), index=True
    )
    #: 1 (easiest) to 5 (hardest), as the author judged it.
    difficulty: Mapped[int | None]
    #: Plain-text start of the stem, for listings.
    stem_text: Mapped[str] = mapped_column(String(300), default="")
    item: Mapped[dict] = mapped_column(JSON)
