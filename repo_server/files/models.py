"""Stored bytes (content-addressed blobs), the files of materials, and uploads in flight."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, backref, deferred, mapped_column, relationship

from repo_server.extensions import db
from repo_server.materials.models import Material
from repo_server.timeutil import utcnow


class Blob(db.Model):
    """One stored object, named by the SHA-256 of its bytes; shared by every copy."""

    __tablename__ = "blobs"

    #: Lowercase hex SHA-256 of the bytes.
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    #: The type detected from the bytes at the first upload.
    content_type: Mapped[str] = mapped_column(String(127))
    #: Storage key, ``blobs/aa/bb/<sha256>``.
    storage_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MaterialFile(db.Model):
    """A file attached to one material version; versions share blobs, not rows."""

    __tablename__ = "material_files"
    __table_args__ = (Index("ix_material_files_material", "material_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE")
    )
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    #: Display name: NFC, Vietnamese kept, no path or control characters.
    filename: Mapped[str] = mapped_column(String(255))
    #: Detected from the content, never taken from the client.
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(BigInteger)
    #: Text for the search index (deferred: listings do not load it).
    extracted_text: Mapped[str | None] = deferred(mapped_column(Text))
    #: Why extraction failed or stopped early; None when it went well.
    extract_error: Mapped[str | None] = mapped_column(String(500))
    #: Order of the files of a material, from 0.
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blob = relationship(Blob)
    material = relationship(
        Material,
        backref=backref(
            "files",
            order_by="MaterialFile.position, MaterialFile.id",
            lazy="selectin",
            cascade="all, delete-orphan",
            passive_deletes=True,
        ),
    )


#: Columns that reference blobs; features keeping other files (SCORM) add theirs.
BLOB_USERS = [MaterialFile.blob_sha256]


class Upload(db.Model):
    """A resumable upload in progress; its bytes are appended to a file in UPLOAD_DIR."""

    __tablename__ = "uploads"

    #: Random hex id, also the name of the part file.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    #: Total size the client announced.
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Pushed forward by every chunk; after it the upload is discarded.
    expires_at: Mapped[datetime] = mapped_column(index=True)
