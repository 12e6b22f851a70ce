"""Curation pages: the review queue, the side-by-side review, history, notifications."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts.service import current_user, require_role
from repo_server.curation import notify, queues, schemas, service
from repo_server.web.blueprint import safe_next
from repo_server.web.choices import taxonomy
from repo_server.web.forms import FormErrors, filled, or_none

bp = Blueprint("curation", __name__)
ITEM = "/curation/<any(questions,materials):kind>/<int:item_id>"
SEGMENT = {"question": "questions", "material": "materials"}


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, as the other pages do."""
    if g.get("user") is None:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.app_template_global()
def unread_notifications() -> int:
    """The unread count shown in the navigation bar."""
    user = g.get("user")
    return notify.unread_count(user) if user is not None else 0


@bp.get("/curation/queue")
def queue():
    """Submitted items in the curator's subjects, oldest first, with filters."""
    user = current_user()
    require_role(user, "curator", "admin")
    args = schemas.QueueArgs().load(filled(request.args))
    entries, more = queues.list_queue(user, args)
    return render_template(
        "curation/queue.html",
        entries=entries,
        more=more,
        args=args,
        tax=taxonomy(),
        segment=SEGMENT,
    )


@bp.post("/curation/queue/approve")
def bulk_approve():
    """Approve the ticked items of the queue."""
    user = current_user()
    picked = []
    for value in request.form.getlist("item"):
        kind, _sep, item_id = value.partition(":")
        if kind in SEGMENT.values() and item_id.isdigit():
            picked.append({"kind": kind, "id": int(item_id)})
    results = service.bulk_approve(user, picked)
    done = sum(1 for r in results if r["result"] != "error")
    flash(_("Đã duyệt %(n)s nội dung.", n=done), "success")
    for failed in (r for r in results if r["result"] == "error"):
        flash(f"#{failed['id']}: {failed['message']}", "error")
    return redirect(url_for("curation.queue"))


@bp.get(ITEM)
def review_page(kind, item_id):
    """The version beside the published one, comments, and the reviewer's buttons."""
    review = service.review(current_user(), kind, item_id)
    return render_template("curation/review.html", review=review, kind=kind)


@bp.post(ITEM + "/<any(approve,return,comment):action>")
def review_action(kind, item_id, action):
    """Approve, return with a comment, or leave a comment, then come back."""
    user = current_user()
    text = or_none(request.form.get("comment"))
    with (errors := FormErrors()):
        if action == "approve":
            data = schemas.ApproveIn().load({"comment": text})
            result = service.approve(user, kind, item_id, data["comment"])
            flash(
                _("Đã xuất bản.")
                if result == "published"
                else _("Đã duyệt cấp tổ chuyên môn."),
                "success",
            )
        elif action == "return":
            data = schemas.ReturnIn().load({"comment": text})
            service.return_item(user, kind, item_id, data["comment"])
            flash(_("Đã trả lại cho tác giả."), "success")
        else:
            data = schemas.CommentIn().load({"body": text})
            service.add_comment(user, kind, item_id, data["body"])
            flash(_("Đã ghi nhận xét."), "success")
    errors.flash()
    back = url_for("curation.review_page", kind=kind, item_id=item_id)
    return redirect(safe_next(request.form.get("next") or back))


@bp.get(ITEM + "/history")
def history_page(kind, item_id):
    """Who did what and when, every version, the comments; restore an earlier one."""
    user = current_user()
    item, versions, events, notes = service.history(user, kind, item_id)
    return render_template(
        "curation/history.html",
        item=item,
        versions=versions,
        events=events,
        comments=notes,
        kind=kind,
        can_restore=_can_restore(user, item),
    )


def _can_restore(user, item) -> bool:
    from repo_server.web.content import can_start_version

    return can_start_version(user, item)


@bp.post(ITEM + "/restore")
def restore(kind, item_id):
    """Start a new draft from an earlier version and open it in the editor."""
    copy = service.restore(current_user(), kind, item_id)
    flash(_("Đã khôi phục thành bản nháp phiên bản %(v)s.", v=copy.version), "success")
    edit = "web.question_edit" if kind == "questions" else "web.material_edit"
    arg = "question_id" if kind == "questions" else "material_id"
    return redirect(url_for(edit, **{arg: copy.id}))


@bp.get("/notifications")
def notifications():
    """The user's notifications, newest first."""
    rows = notify.list_notifications(current_user(), limit=100)
    return render_template("curation/notifications.html", rows=rows)


@bp.post("/notifications/read")
def read_notifications():
    """Mark every notification read."""
    notify.mark_read(current_user())
    return redirect(url_for("curation.notifications"))


from repo_server.curation import pages_coverage  # noqa: E402,F401  (routes on bp)
