"""The search outbox: index updates written with the change, applied after commit."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from repo_server.extensions import db
from repo_server.timeutil import utcnow

ACTIONS = ("index", "delete")


class SearchOutbox(db.Model):
    """One content item whose search document must be (re)built or removed."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "question" or "material".
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int]
    #: What the change asked for; a flush decides from the row's existence anyway.
    action: Mapped[str] = mapped_column(String(8), default="index")
    #: Failed attempts so far, and why the last one failed.
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the last failed attempt was made; rows wait SEARCH_RETRY_SECONDS after it.
    tried_at: Mapped[datetime | None]
