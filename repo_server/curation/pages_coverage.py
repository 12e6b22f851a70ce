"""Pages of the coverage dashboard, its drill-down, topic import and the audit log."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts.service import current_user, require_role
from repo_server.curation import (
    audit,
    charts,
    coverage,
    schemas,
    service,
    settings,
    targets,
    topics,
)
from repo_server.curation.pages import bp
from repo_server.curation.views_coverage import coverage_args
from repo_server.web.choices import organisation_tree, taxonomy
from repo_server.web.forms import FormErrors, filled


@bp.get("/coverage")
def coverage_page():
    """Department, school or subject view: coverage per subject × grade, charts."""
    user = current_user()
    args = coverage_args(filled(request.args))
    report = coverage.dashboard(user, args)
    return render_template(
        "curation/coverage.html",
        report=report,
        args=args,
        tax=taxonomy(),
        orgs=organisation_tree(),
        bars=charts.bars(report["cells"]),
        heat=charts.heat_map(report["cells"]),
    )


@bp.get("/coverage/<subject>/<grade>")
def coverage_lessons_page(subject, grade):
    """Drill-down: the lessons of one subject × grade and their published items."""
    user = current_user()
    query = {**filled(request.args), "subject": subject, "grade": grade}
    args = coverage_args(query)
    rows = coverage.lesson_rows(user, args)
    return render_template("curation/lessons.html", rows=rows, args=args)


@bp.route("/curation/topics", methods=["GET", "POST"])
def topics_page():
    """Curators import the lessons of a subject × grade (× series)."""
    user = current_user()
    topics.require_topic_editor(user, None)
    result = None
    with (errors := FormErrors()):
        if request.method == "POST":
            result = topics.import_upload(user, request.form, request.files.get("file"))
            flash(_("Đã nhập %(n)s chủ đề/bài học.", n=result["rows"]), "success")
            return redirect(url_for("curation.topics_page"))
    page = render_template("curation/topics.html", errors=errors, tax=taxonomy())
    return page, errors.status


@bp.get("/admin/audit")
def audit_page():
    """The audit log with filters (admins); there is nothing to edit."""
    user = current_user()
    require_role(user, "admin")
    args = schemas.AuditArgs().load(filled(request.args))
    rows, more = audit.list_entries(user, args)
    return render_template("curation/audit.html", rows=rows, more=more, args=args)


@bp.get("/curation/settings")
def settings_page():
    """Review levels per organisation, curators' scopes, yearly targets."""
    user = current_user()
    require_role(user, "admin", "curator")
    year = request.args.get("year") or targets.current_school_year()
    return render_template(
        "curation/settings.html",
        orgs=organisation_tree(),
        levels=settings.review_levels() if user.role == "admin" else {},
        scopes=settings.curator_scopes() if user.role == "admin" else [],
        year=year,
        stored=sorted(targets.overrides(year).items()),
        plan=targets.target_for(year, "", {}),
        tax=taxonomy(),
    )


@bp.post("/curation/settings/<any(levels,scope,target):what>")
def save_setting(what):
    """Save one setting from the settings page, then show the page again."""
    user, data = current_user(), request.form
    with (errors := FormErrors()):
        if what == "levels":
            body = schemas.ReviewLevelsIn().load({"levels": data.get("levels")})
            service.set_review_levels(user, int(data.get("org_id", 0)), body["levels"])
        elif what == "scope":
            grades = [g.strip() for g in data.get("grades", "").split(",") if g.strip()]
            orgs = [o for o in data.getlist("orgs") if o]
            body = schemas.ScopeIn().load({"grades": grades, "orgs": orgs})
            service.set_scope(user, int(data.get("user_id", 0)), **body)
        else:
            body = schemas.TargetIn().load(filled(data))
            targets.set_target(
                user, body["school_year"], body["subject"], body["percent"]
            )
        flash(_("Đã lưu cài đặt."), "success")
    errors.flash()
    return redirect(url_for("curation.settings_page", year=data.get("school_year")))
