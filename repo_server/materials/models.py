"""Materials and lessons: e-learning lectures, slides, documents, video and more."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from repo_server.extensions import db
from repo_server.lifecycle.models import ContentMixin

MATERIAL_KINDS = (
    "lecture",
    "slides",
    "document",
    "video",
    "audio",
    "simulation",
    "interactive",
    "other",
)


class Material(ContentMixin, db.Model):
    """A material version; its files are attached by the storage feature."""

    __tablename__ = "materials"
    __table_args__ = ContentMixin.listing_indexes("materials")

    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    #: One of MATERIAL_KINDS.
    kind: Mapped[str] = mapped_column(String(16), index=True)
    series_code: Mapped[str | None] = mapped_column(ForeignKey("textbook_series.code"))
    #: ISO 639-1 language of the material's content.
    language: Mapped[str] = mapped_column(String(8), default="vi")
