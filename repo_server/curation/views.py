"""JSON endpoints of curation: queues, review, comments, history, settings, notifications."""

from flask import request

from repo_server.accounts.service import current_user, require_role
from repo_server.api import bp, json_body
from repo_server.curation import notify, queues, schemas, service
from repo_server.lifecycle.schemas import dump_event

ITEM = "/review/<any(questions,materials):kind>/<int:item_id>"


@bp.get("/review/queue")
def review_queue():
    """Submitted versions the user reviews, oldest first, filtered."""
    user = current_user()
    require_role(user, "curator", "admin")
    entries, more = queues.list_queue(user, schemas.QueueArgs().load(request.args))
    return {"items": [schemas.dump_entry(e) for e in entries], "more": more}


@bp.get(ITEM)
def review_item(kind, item_id):
    """A version against the published one: fields, files, comments, moves."""
    return schemas.dump_review(service.review(current_user(), kind, item_id))


@bp.post(ITEM + "/approve")
def review_approve(kind, item_id):
    """Approve: publish, or the school group's first-level approval."""
    data = schemas.ApproveIn().load(json_body() if request.data else {})
    result = service.approve(current_user(), kind, item_id, data["comment"])
    return {"kind": kind, "id": item_id, "result": result}


@bp.post(ITEM + "/return")
def review_return(kind, item_id):
    """Return to the author with a comment attached to this version."""
    data = schemas.ReturnIn().load(json_body())
    item = service.return_item(current_user(), kind, item_id, data["comment"])
    return {"kind": kind, "id": item.id, "status": item.status}


@bp.post("/review/approve")
def review_bulk_approve():
    """Approve many items; each result says what happened to it."""
    data = schemas.BulkApproveIn().load(json_body())
    return {"results": service.bulk_approve(current_user(), data["items"])}


@bp.get(ITEM + "/comments")
def review_comments(kind, item_id):
    """Comments on every version of the item."""
    rows = service.comments(current_user(), kind, item_id)
    return {"items": [schemas.dump_comment(c) for c in rows]}


@bp.post(ITEM + "/comments")
def add_review_comment(kind, item_id):
    """A reviewer's remark on this version (the author is told)."""
    data = schemas.CommentIn().load(json_body())
    row = service.add_comment(current_user(), kind, item_id, data["body"])
    return schemas.dump_comment(row), 201


@bp.get(ITEM + "/history")
def review_history(kind, item_id):
    """Versions, events and comments of the item: who did what, when."""
    _item, versions, events, notes = service.history(current_user(), kind, item_id)
    return {
        "versions": [
            {
                "id": v.id,
                "version": v.version,
                "status": v.status,
                "created_by": v.created_by_id,
                "author": v.author_id,
            }
            for v in versions
        ],
        "events": [dump_event(e) for e in events],
        "comments": [schemas.dump_comment(c) for c in notes],
    }


@bp.post(ITEM + "/restore")
def review_restore(kind, item_id):
    """Start a new draft from this earlier version (the author stays the author)."""
    copy = service.restore(current_user(), kind, item_id)
    return {
        "kind": kind,
        "id": copy.id,
        "version": copy.version,
        "author_id": copy.author_id,
    }, 201


@bp.put("/review/levels/<int:org_id>")
def set_review_levels(org_id):
    """One or two review levels for an organisation (admins)."""
    data = schemas.ReviewLevelsIn().load(json_body())
    setting = service.set_review_levels(current_user(), org_id, data["levels"])
    return {"org_id": setting.org_id, "levels": setting.levels}


@bp.put("/review/scopes/<int:user_id>")
def set_review_scope(user_id):
    """The grades and organisations a curator's queue covers (admins)."""
    data = schemas.ScopeIn().load(json_body())
    return service.set_scope(current_user(), user_id, data["grades"], data["orgs"])


@bp.get("/notifications")
def list_notifications():
    """The user's newest notifications and the unread count."""
    user = current_user()
    unread = request.args.get("unread") in ("1", "true")
    rows = notify.list_notifications(user, unread)
    return {
        "items": [notify.dump_notification(n) for n in rows],
        "unread": notify.unread_count(user),
    }


@bp.post("/notifications/<int:notification_id>/read")
def read_notification(notification_id):
    """Mark one notification read."""
    return {"changed": notify.mark_read(current_user(), notification_id)}


@bp.post("/notifications/read")
def read_all_notifications():
    """Mark every notification read."""
    return {"changed": notify.mark_read(current_user())}
