"""Web page of the exchange: export (choose, start, follow, download)."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from repo_server.accounts.service import current_user
from repo_server.exchange.formats import FORMATS
from repo_server.lifecycle.models import STATUSES
from repo_server.quizzes.service import owned_quiz
from repo_server.taxonomy.models import Grade, Subject
from repo_server.taxonomy.service import list_entries
from repo_server.web.blueprint import safe_next

bp = Blueprint("exchange", __name__)
#: What a quiz is exported as: QTI (an assessmentTest) or one SCORM quiz SCO.
QUIZ_FORMATS = ("qti21", "qti30", "scorm12", "scorm2004")


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, as the other pages do."""
    if g.get("user") is None:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.get("/exports")
def export_page():
    """Choose a format and a selection (or one quiz, ``?quiz=ID``); the page starts the
    job and follows it."""
    quiz, formats = None, FORMATS
    quiz_id = request.args.get("quiz", type=int)
    if quiz_id is not None:
        quiz = owned_quiz(current_user(), quiz_id)
        formats = {k: v for k, v in FORMATS.items() if k in QUIZ_FORMATS}
    return render_template(
        "exchange/export.html",
        subjects=list_entries(Subject),
        grades=list_entries(Grade),
        statuses=STATUSES,
        formats=formats,
        quiz=quiz,
    )
