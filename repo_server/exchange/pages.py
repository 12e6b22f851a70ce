"""Web page of the exchange: export (choose, start, follow, download)."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from repo_server.exchange.formats import FORMATS
from repo_server.lifecycle.models import STATUSES
from repo_server.taxonomy.models import Grade, Subject
from repo_server.taxonomy.service import list_entries
from repo_server.web.blueprint import safe_next

bp = Blueprint("exchange", __name__)


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, as the other pages do."""
    if g.get("user") is None:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.get("/exports")
def export_page():
    """Choose a format and a selection; the page starts the job and follows it."""
    return render_template(
        "exchange/export.html",
        subjects=list_entries(Subject),
        grades=list_entries(Grade),
        statuses=STATUSES,
        formats=FORMATS,
    )
