"""Web pages of imports: upload (drag and drop, progress) and the preview to fix and commit."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from repo_server.imports import service
from repo_server.taxonomy.models import Grade, Subject
from repo_server.taxonomy.service import list_entries
from repo_server.web.blueprint import safe_next

bp = Blueprint("imports", __name__)


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, as the other pages do."""
    if g.get("user") is None:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.get("/imports")
def upload_page():
    """Upload question files; the page shows the upload's progress, then the preview."""
    return render_template(
        "imports/upload.html",
        subjects=list_entries(Subject),
        grades=list_entries(Grade),
        recent=service.list_imports(g.user),
    )


@bp.get("/imports/<int:import_id>")
def preview_page(import_id):
    """The preview of an import: fix, deselect, commit."""
    record = service.get_import(g.user, import_id)
    return render_template("imports/preview.html", record=record)
