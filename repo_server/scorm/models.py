"""A material's SCORM package (its files by package path) and learners' attempts."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from repo_server.extensions import db
from repo_server.files.models import Blob
from repo_server.materials.models import Material
from repo_server.timeutil import utcnow


class ScormPackage(db.Model):
    """The SCORM structure of one material version (an imported lecture)."""

    __tablename__ = "scorm_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), unique=True
    )
    #: "1.2", "2004 2nd", "2004 3rd" or "2004 4th".
    version: Mapped[str] = mapped_column(String(16))
    #: The manifest's identifier (kept for a faithful re-export).
    identifier: Mapped[str] = mapped_column(String(255))
    #: The default organisation: ``scorm.TocItem.to_dict`` of each top item.
    toc: Mapped[list] = mapped_column(JSON)
    #: Import warnings shown with the lecture (Vietnamese).
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    file_count: Mapped[int] = mapped_column(default=0)
    total_size: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    material = relationship(
        Material,
        backref=backref(
            "scorm", uselist=False, cascade="all, delete-orphan", passive_deletes=True
        ),
    )


class ScormFile(db.Model):
    """One file of a package at its package path; bytes shared through ``Blob``."""

    __tablename__ = "scorm_files"
    __table_args__ = (UniqueConstraint("package_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("scorm_packages.id", ondelete="CASCADE")
    )
    #: Path inside the package, exactly as in the zip ("shared/launchpage.html").
    path: Mapped[str] = mapped_column(String(1024))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    #: From the extension: packages are served as the web pages they are.
    content_type: Mapped[str] = mapped_column(String(127))

    blob = relationship(Blob)


class ScormAttempt(db.Model):
    """A learner's attempt at one SCO: the CMI data the runtime last committed."""

    __tablename__ = "scorm_attempts"
    __table_args__ = (
        Index("ix_scorm_attempts_learner", "package_id", "user_id", "sco", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("scorm_packages.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: Identifier of the organisation item (the SCO) attempted.
    sco: Mapped[str] = mapped_column(String(255))
    #: 1 for the first attempt; a new one starts after a finished attempt.
    number: Mapped[int] = mapped_column(default=1)
    #: The whole CMI tree as the runtime sent it (interactions included).
    cmi: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Copied out of ``cmi`` for reports (normalised across 1.2 and 2004).
    completion_status: Mapped[str] = mapped_column(String(16), default="not attempted")
    success_status: Mapped[str] = mapped_column(String(16), default="unknown")
    score_raw: Mapped[float | None] = mapped_column(Float)
    score_max: Mapped[float | None] = mapped_column(Float)
    score_scaled: Mapped[float | None] = mapped_column(Float)
    location: Mapped[str] = mapped_column(Text, default="")
    suspend_data: Mapped[str] = mapped_column(Text, default="")
    #: Accumulated time in seconds (session times added at each finish).
    total_seconds: Mapped[float] = mapped_column(Float, default=0)
    #: Problems the runtime data showed (e.g. SCORM 1.2 suspend_data over 4096).
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    finished: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    package = relationship(ScormPackage)
    user = relationship("User")
