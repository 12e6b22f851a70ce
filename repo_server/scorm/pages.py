"""Web pages of SCORM lectures: import, player, learners' results; package content."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts.service import current_user
from repo_server.scorm import attempts, content, importing, service
from repo_server.scorm.schemas import LectureForm
from repo_server.taxonomy.models import Grade, Subject
from repo_server.taxonomy.service import list_entries
from repo_server.web.blueprint import safe_next
from repo_server.web.forms import FormErrors
from scorm import TocItem, walk

bp = Blueprint("scorm", __name__)
#: The content route works with signed links only, no cookies.
PUBLIC = {"scorm.package_content"}


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form (package content excepted)."""
    if g.get("user") is None and request.endpoint not in PUBLIC:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.route("/materials/scorm/import", methods=["GET", "POST"])
def import_page():
    """Upload a SCORM zip; on success go to the new lecture's player."""
    with (errors := FormErrors()):
        if request.method == "POST":
            form = LectureForm().load(request.form)
            upload = request.files.get("file")
            material = importing.import_upload(current_user(), upload, form)
            flash(_("Đã nhập bài giảng #%(id)s.", id=material.id), "success")
            return redirect(url_for("scorm.player", material_id=material.id))
    page = render_template(
        "scorm/import.html",
        subjects=list_entries(Subject),
        grades=list_entries(Grade),
        errors=errors,
    )
    return page, errors.status


@bp.get("/materials/<int:material_id>/play")
def player(material_id):
    """The player: table of contents, the sandboxed SCO frame, the runtime API."""
    package = service.get_package(current_user(), material_id)
    toc = [TocItem.from_dict(item) for item in package.toc]
    return render_template(
        "scorm/player.html",
        package=package,
        material=package.material,
        toc=toc,
        edition=attempts.edition(package),
    )


@bp.get("/materials/<int:material_id>/scorm/results")
def results_page(material_id):
    """Learners' results at a lecture, for its author and curators."""
    package, rows = attempts.results(current_user(), material_id)
    titles = {i.identifier: i.title for i in _items(package.toc)}
    return render_template(
        "scorm/results.html", package=package, rows=rows, titles=titles
    )


def _items(toc: list):
    return walk(tuple(TocItem.from_dict(item) for item in toc))


@bp.get("/scorm/content/<token>/<path:path>")
def package_content(token, path):
    """One file of a package, for the attempt a signed link names."""
    return content.send_content(token, path)
