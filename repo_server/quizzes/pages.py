"""Web pages of quizzes: list, builder, teacher's detail (results, statistics), taking."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from qti.text import normalize
from repo_server.accounts.service import current_user, require_role
from repo_server.errors import Invalid
from repo_server.quizzes import classes, results, service
from repo_server.quizzes.dumps import dump_attempt, dump_quiz
from repo_server.quizzes.itemstats import compute_quiz_stats
from repo_server.taxonomy.models import CognitiveLevel, Grade, Subject
from repo_server.taxonomy.service import list_entries
from repo_server.web.blueprint import safe_next
from repo_server.web.labels import QUESTION_TYPES

bp = Blueprint("quizzes", __name__)


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, as the other pages do."""
    if g.get("user") is None:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.get("/quizzes")
def quiz_list():
    """Teachers: their quizzes; students: the quizzes open to them."""
    user = current_user()
    quizzes = service.list_quizzes(user)
    return render_template("quizzes/list.html", quizzes=quizzes)


@bp.get("/quizzes/new")
def quiz_new():
    """The builder: parts, fixed questions, the blueprint grid with availability."""
    user = current_user()
    require_role(user, *service.AUTHORS)
    return render_template(
        "quizzes/edit.html",
        subjects=list_entries(Subject),
        grades=list_entries(Grade),
        levels=list_entries(CognitiveLevel),
        types=QUESTION_TYPES,
        classes=classes.list_classes(user),
    )


@bp.get("/quizzes/<int:quiz_id>")
def quiz_detail(quiz_id):
    """Teachers: settings, publish/close, results, statistics; students: start."""
    user = current_user()
    quiz = service.get_quiz(user, quiz_id)
    attempts = results.attempts_of(user, quiz_id)
    context = {"quiz": quiz, "data": dump_quiz(quiz, user.role != "student"),
               "attempts": [results.attempt_summary(a, user) for a in attempts]}  # fmt: skip
    if user.role != "student" and quiz.state != "draft":
        context["results"] = results.quiz_results(user, quiz_id)
        context["stats"] = compute_quiz_stats(quiz)
    return render_template("quizzes/detail.html", **context)


@bp.get("/attempts/<int:attempt_id>")
def attempt_page(attempt_id):
    """The student's page of an attempt (the script loads it from the API)."""
    user = current_user()
    attempt, quiz = results.open_attempt(user, attempt_id)
    data = dump_attempt(attempt, quiz, attempt.student_id != user.id)
    return render_template("quizzes/attempt.html", data=data, quiz=quiz)


@bp.get("/classes")
def class_list():
    """Classes of the school, with a form to add one."""
    user = current_user()
    students = classes.school_students(user) if user.role != "student" else []
    return render_template(
        "quizzes/classes.html", classes=classes.list_classes(user), students=students
    )


@bp.post("/classes")
def class_create():
    """Create a class from the form (name and ticked students)."""
    data = {
        "name": normalize(request.form.get("name", "")).strip(),
        "student_ids": [
            int(i) for i in request.form.getlist("student_ids") if i.isdigit()
        ],
    }
    if not data["name"]:
        raise Invalid(_("Hãy nhập tên lớp."), {"name": [_("Bắt buộc.")]})
    classes.create_class(current_user(), data)
    return redirect(url_for("quizzes.class_list"))
