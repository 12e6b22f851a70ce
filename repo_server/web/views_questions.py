"""Question pages: browse, read, and the editor for the five question types."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts.service import current_user
from repo_server.lifecycle.service import require_author_role, require_editable
from repo_server.questions import service
from repo_server.questions.schemas import QuestionIn, QuestionListArgs, student_item
from repo_server.web.blueprint import bp
from repo_server.web.choices import taxonomy, topic_options
from repo_server.web.content import controls
from repo_server.web.forms import FormErrors, filled
from repo_server.web.question_form import (
    blank_state,
    question_input,
    state_from_form,
    state_from_question,
)


@bp.get("/questions")
def questions():
    """Browse the questions the user may see, with filters and pages."""
    user = current_user()
    args = QuestionListArgs().load(filled(request.args))
    rows, total, page, per_page = service.list_questions(user, args)
    return render_template(
        "questions/list.html",
        rows=rows,
        total=total,
        page=page,
        per_page=per_page,
        args=args,
        tax=taxonomy(),
        topics=topic_options(args.get("subject"), args.get("grade")),
    )


@bp.get("/questions/<int:question_id>")
def question_detail(question_id):
    """One question; the answer key and explanation only for those who may see them."""
    user = current_user()
    question = service.get_question(user, question_id)
    reveal = service.reveals_key(user)
    versions, events = service.question_history(user, question_id)
    return render_template(
        "questions/detail.html",
        question=question,
        item=question.item if reveal else student_item(question.item),
        reveal=reveal,
        versions=versions,
        events=events if reveal else [],
        **controls(user, question),
    )


@bp.route("/questions/new", methods=["GET", "POST"])
def question_new():
    """The editor for a new question."""
    user = current_user()
    require_author_role(user)
    posted = request.method == "POST"
    state = state_from_form(request.form) if posted else blank_state()
    with (errors := FormErrors()):
        if posted:
            data = QuestionIn().load(question_input(state))
            question = service.create_question(user, data)
            flash(_("Đã lưu câu hỏi #%(id)s.", id=question.id), "success")
            return redirect(url_for("web.question_detail", question_id=question.id))
    return editor_page(state, errors, None)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
def question_edit(question_id):
    """The editor for a draft or returned question."""
    user = current_user()
    question = service.get_question(user, question_id)
    require_editable(user, question)
    posted = request.method == "POST"
    state = state_from_form(request.form) if posted else state_from_question(question)
    with (errors := FormErrors()):
        if posted:
            data = QuestionIn().load(question_input(state, question.item))
            service.update_question(user, question_id, data)
            flash(_("Đã lưu câu hỏi #%(id)s.", id=question_id), "success")
            return redirect(url_for("web.question_detail", question_id=question_id))
    return editor_page(state, errors, question)


def editor_page(state: dict, errors: FormErrors, question):
    """The editor page with its select options (422 when it shows errors)."""
    page = render_template(
        "questions/edit.html",
        state=state,
        errors=errors,
        question=question,
        tax=taxonomy(),
        topics=topic_options(state["subject"], state["grade"]),
    )
    return page, errors.status
