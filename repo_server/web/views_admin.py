"""Administration pages: users and the organisation tree (admins only)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts import service as accounts
from repo_server.accounts.schemas import UserIn, UserListArgs
from repo_server.orgs import service as orgs
from repo_server.orgs.schemas import OrganisationIn
from repo_server.web import admin_forms as f
from repo_server.web.blueprint import bp, safe_next
from repo_server.web.choices import organisation_tree, taxonomy
from repo_server.web.forms import FormErrors, filled


def current_admin():
    """The logged-in user, who must be an admin (else the 403 page)."""
    user = accounts.current_user()
    accounts.require_role(user, "admin")
    return user


@bp.get("/admin/users")
def admin_users():
    """Users, filtered by role and organisation, a page at a time."""
    actor = current_admin()
    args = UserListArgs().load(filled(request.args))
    per_page = min(args["per_page"] or 20, 100)
    rows, total = accounts.list_users(
        actor, args["page"], per_page, args.get("role"), args.get("org")
    )
    return render_template(
        "admin/users.html",
        rows=rows,
        total=total,
        page=args["page"],
        per_page=per_page,
        args=args,
        orgs=organisation_tree(),
    )


@bp.route("/admin/users/new", methods=["GET", "POST"])
def admin_user_new():
    """Create a user."""
    actor = current_admin()
    posted = request.method == "POST"
    state = f.user_state_from_form(request.form) if posted else f.blank_user()
    with (errors := FormErrors()):
        if posted:
            data = UserIn().load(f.user_input(request.form, new=True))
            user = accounts.create_user(actor, data)
            flash(_("Đã tạo người dùng %(e)s.", e=user.email), "success")
            return redirect(url_for("web.admin_users"))
    return user_form(state, errors, None)


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
def admin_user_edit(user_id):
    """Change a user's name, role, organisation, class, subjects or password."""
    actor = current_admin()
    user = accounts.get_user(user_id)
    posted = request.method == "POST"
    state = f.user_state_from_form(request.form) if posted else f.user_state(user)
    with (errors := FormErrors()):
        if posted:
            data = UserIn(partial=True).load(f.user_input(request.form, new=False))
            accounts.update_user(actor, user_id, data)
            flash(_("Đã lưu người dùng %(e)s.", e=user.email), "success")
            return redirect(url_for("web.admin_users"))
    return user_form(state | {"email": user.email}, errors, user)


@bp.post("/admin/users/<int:user_id>/active")
def admin_user_active(user_id):
    """Activate or deactivate a user."""
    active = request.form.get("active") == "1"
    with (errors := FormErrors()):
        accounts.update_user(current_admin(), user_id, {"active": active})
        flash(_("Đã kích hoạt.") if active else _("Đã khoá tài khoản."), "success")
    errors.flash()
    return redirect(safe_next(request.form.get("next"), "web.admin_users"))


def user_form(state: dict, errors: FormErrors, user):
    """The user form page (422 when it shows errors)."""
    page = render_template(
        "admin/user_form.html",
        state=state,
        errors=errors,
        user=user,
        orgs=organisation_tree(),
        tax=taxonomy(),
    )
    return page, errors.status


@bp.get("/admin/organisations")
def admin_organisations():
    """The organisation tree."""
    current_admin()
    return render_template("admin/organisations.html", tree=organisation_tree())


@bp.route("/admin/organisations/new", methods=["GET", "POST"])
def admin_organisation_new():
    """Create an organisation."""
    actor = current_admin()
    posted = request.method == "POST"
    state = f.organisation_state_from_form(request.form) if posted else None
    with (errors := FormErrors()):
        if posted:
            data = OrganisationIn().load(f.organisation_input(state))
            org = orgs.create_organisation(actor, data)
            flash(_("Đã lưu đơn vị %(c)s.", c=org.code), "success")
            return redirect(url_for("web.admin_organisations"))
    return organisation_form(state or f.blank_organisation(), errors, None)


@bp.route("/admin/organisations/<int:org_id>/edit", methods=["GET", "POST"])
def admin_organisation_edit(org_id):
    """Change an organisation's name, code, kind, parent or levels."""
    actor = current_admin()
    org = orgs.get_organisation(org_id)
    posted = request.method == "POST"
    state = f.organisation_state_from_form(request.form) if posted else None
    with (errors := FormErrors()):
        if posted:
            data = OrganisationIn().load(f.organisation_input(state))
            orgs.update_organisation(actor, org_id, data)
            flash(_("Đã lưu đơn vị %(c)s.", c=data["code"]), "success")
            return redirect(url_for("web.admin_organisations"))
    return organisation_form(state or f.organisation_state(org), errors, org)


def organisation_form(state: dict, errors: FormErrors, org):
    """The organisation form page (422 when it shows errors)."""
    page = render_template(
        "admin/organisation_form.html",
        state=state,
        errors=errors,
        org=org,
        tree=organisation_tree(),
    )
    return page, errors.status
