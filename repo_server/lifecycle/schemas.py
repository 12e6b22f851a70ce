"""Output shape of an item's history."""


def dump_event(event) -> dict:
    """Return the JSON of one history event."""
    return {
        "id": event.id,
        "content_id": event.content_id,
        "version": event.version,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "user": {"id": event.user.id, "name": event.user.name},
        "comment": event.comment,
        "changes": event.changes,
        "at": event.at.isoformat() + "Z",
    }


def dump_history(versions: list[dict], events) -> dict:
    """Return versions and events together."""
    return {"versions": versions, "events": [dump_event(e) for e in events]}
