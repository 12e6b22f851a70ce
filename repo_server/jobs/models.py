"""One row per long-running piece of work and its outcome."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from repo_server.extensions import db
from repo_server.timeutil import utcnow

KINDS = ("export", "import")
STATUSES = ("queued", "running", "done", "failed")


class Job(db.Model):
    """An export or import: who asked, how far it got, what it produced."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "export" or "import".
    kind: Mapped[str] = mapped_column(String(16))
    #: queued → running → done | failed.
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: What was asked (format, filters, file names).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Units of work done so far and in all (items); total 0 while unknown.
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: The outcome: counts for an export, the report of an import.
    result: Mapped[dict | None] = mapped_column(JSON)
    #: Why the job failed, in the user's words.
    error: Mapped[str | None] = mapped_column(Text)
    #: Storage key of the file produced (export) or kept (import originals).
    file_key: Mapped[str | None] = mapped_column(String(255))
    #: Name offered when the file is downloaded.
    filename: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Last sign of life of a running job (progress writes it).
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    owner = relationship("User")
