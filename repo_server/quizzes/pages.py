"""Web pages of quizzes: list, builder, teacher's detail (results, statistics), taking."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from qti.text import normalize
from repo_server.accounts.service import current_user, require_role
from repo_server.errors import Invalid
from repo_server.quizzes import classes, grading, marking, results, service
from repo_server.quizzes.dumps import dump_attempt, dump_quiz
from repo_server.quizzes.itemstats import compute_quiz_stats
from repo_server.quizzes.schemas import OverrideIn, RegradeIn
from repo_server.taxonomy.models import CognitiveLevel, Grade, Subject
from repo_server.taxonomy.service import list_entries
from repo_server.web.blueprint import safe_next
from repo_server.web.forms import FormErrors
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
        context["corrections"] = marking.corrections(user, quiz_id)
    return render_template("quizzes/detail.html", **context)


@bp.post("/quizzes/<int:quiz_id>/regrade")
def regrade_form(quiz_id):
    """Regrade (after pinning a corrected version, if one is chosen); show the summary."""
    user = current_user()
    with (errors := FormErrors()):
        ids = {
            k: request.form.get(k) or None for k in ("question_id", "new_question_id")
        }
        data = RegradeIn().load(ids)
        summary = grading.regrade(
            user, quiz_id, data["question_id"], data["new_question_id"]
        )
        quiz = service.get_quiz(user, quiz_id)
        return render_template("quizzes/regrade.html", quiz=quiz, summary=summary)
    errors.flash()
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz_id) + "#regrade")


@bp.get("/attempts/<int:attempt_id>")
def attempt_page(attempt_id):
    """An attempt: the student takes it; its teacher reviews, marks and sees history."""
    user = current_user()
    attempt, quiz = results.open_attempt(user, attempt_id)
    staff = attempt.student_id != user.id
    data = dump_attempt(attempt, quiz, staff)
    history = marking.attempt_history(user, attempt_id) if staff else []
    numbers = {slot: n for n, slot in enumerate(attempt.order, start=1)}
    return render_template(
        "quizzes/attempt.html", data=data, quiz=quiz, staff=staff,
        history=history, numbers=numbers,
    )  # fmt: skip


@bp.post("/attempts/<int:attempt_id>/answers/<int:slot_id>/override")
def override_form(attempt_id, slot_id):
    """Set (or clear, with empty points) one answer's points with a reason."""
    with (errors := FormErrors()):
        points = request.form.get("points", "").strip().replace(",", ".")
        reason = request.form.get("reason", "")
        data = OverrideIn().load({"points": points or None, "reason": reason})
        attempt = grading.override(
            current_user(), attempt_id, slot_id, data["points"], data["reason"]
        )
        flash(
            _("Đã lưu điểm chấm tay. Điểm bài: %(s)s / %(m)s.",
              s=attempt.score, m=attempt.max_score),
            "success",
        )  # fmt: skip
    errors.flash()
    back = url_for("quizzes.attempt_page", attempt_id=attempt_id)
    return redirect(f"{back}#q{slot_id}")


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
