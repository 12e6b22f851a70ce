"""Material pages: browse, read, and the form to describe a material."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts.service import current_user
from repo_server.lifecycle.service import require_author_role, require_editable
from repo_server.materials import service
from repo_server.materials.schemas import MaterialIn, MaterialListArgs
from repo_server.web.blueprint import bp
from repo_server.web.choices import taxonomy, topic_options
from repo_server.web.content import controls
from repo_server.web.forms import FormErrors, filled
from repo_server.web.material_form import (
    blank_state,
    material_input,
    state_from_form,
    state_from_material,
)


@bp.get("/materials")
def materials():
    """Browse the materials the user may see, with filters and pages."""
    user = current_user()
    args = MaterialListArgs().load(filled(request.args))
    rows, total, page, per_page = service.list_materials(user, args)
    return render_template(
        "materials/list.html",
        rows=rows,
        total=total,
        page=page,
        per_page=per_page,
        args=args,
        tax=taxonomy(),
        topics=topic_options(args.get("subject"), args.get("grade")),
    )


@bp.get("/materials/<int:material_id>")
def material_detail(material_id):
    """One material with its lifecycle buttons and history."""
    user = current_user()
    material = service.get_material(user, material_id)
    staff = user.role != "student"
    versions, events = service.material_history(user, material_id)
    return render_template(
        "materials/detail.html",
        material=material,
        staff=staff,
        versions=versions,
        events=events if staff else [],
        **controls(user, material),
    )


@bp.route("/materials/new", methods=["GET", "POST"])
def material_new():
    """The form for a new material."""
    user = current_user()
    require_author_role(user)
    posted = request.method == "POST"
    state = state_from_form(request.form) if posted else blank_state()
    with (errors := FormErrors()):
        if posted:
            data = MaterialIn().load(material_input(state))
            material = service.create_material(user, data)
            flash(_("Đã lưu học liệu #%(id)s.", id=material.id), "success")
            return redirect(url_for("web.material_detail", material_id=material.id))
    return form_page(state, errors, None)


@bp.route("/materials/<int:material_id>/edit", methods=["GET", "POST"])
def material_edit(material_id):
    """The form for a draft or returned material."""
    user = current_user()
    material = service.get_material(user, material_id)
    require_editable(user, material)
    posted = request.method == "POST"
    state = state_from_form(request.form) if posted else state_from_material(material)
    with (errors := FormErrors()):
        if posted:
            data = MaterialIn().load(material_input(state))
            service.update_material(user, material_id, data)
            flash(_("Đã lưu học liệu #%(id)s.", id=material_id), "success")
            return redirect(url_for("web.material_detail", material_id=material_id))
    return form_page(state, errors, material)


def form_page(state: dict, errors: FormErrors, material):
    """The material form with its select options (422 when it shows errors)."""
    page = render_template(
        "materials/edit.html",
        state=state,
        errors=errors,
        material=material,
        tax=taxonomy(),
        topics=topic_options(state["subject"], state["grade"]),
    )
    return page, errors.status
