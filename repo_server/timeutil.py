"""Time helpers: naive UTC datetimes everywhere in the database."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current UTC time without tzinfo (portable across databases)."""
    return datetime.now(UTC).replace(tzinfo=None)
