"""Buttons shared by questions and materials: lifecycle moves, new version, delete."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from repo_server.accounts.service import current_user
from repo_server.questions.schemas import TransitionIn
from repo_server.web import labels
from repo_server.web.blueprint import bp, safe_next
from repo_server.web.content import KINDS
from repo_server.web.forms import FormErrors, or_none

KIND_URL = "/<any(questions,materials):kind>/<int:item_id>"


@bp.post(KIND_URL + "/<any(submit,withdraw,publish,return,archive):action>")
def transition(kind, item_id, action):
    """Submit, withdraw, publish, return (with a comment) or archive an item."""
    ops = KINDS[kind]
    with (errors := FormErrors()):
        data = TransitionIn().load({"comment": or_none(request.form.get("comment"))})
        ops.transition(current_user(), item_id, action, data["comment"])
        flash(str(labels.DONE[action]), "success")
    errors.flash()
    back = url_for(ops.detail, **{ops.id_arg: item_id})
    return redirect(safe_next(request.form.get("next") or back))


@bp.post(KIND_URL + "/versions")
def start_version(kind, item_id):
    """Start a new draft version of published content and open it in the editor."""
    ops = KINDS[kind]
    copy = ops.new_version(current_user(), item_id)
    flash(_("Đã tạo phiên bản %(v)s (bản nháp).", v=copy.version), "success")
    return redirect(url_for(ops.edit, **{ops.id_arg: copy.id}))


@bp.post(KIND_URL + "/delete")
def delete(kind, item_id):
    """Delete a draft that was never submitted."""
    ops = KINDS[kind]
    with (errors := FormErrors()):
        ops.delete(current_user(), item_id)
        flash(_("Đã xoá bản nháp."), "success")
        return redirect(url_for(ops.listing))
    errors.flash()
    return redirect(url_for(ops.detail, **{ops.id_arg: item_id}))
