"""JSON endpoints for questions."""

from flask import request

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.common import page_envelope
from repo_server.lifecycle.schemas import dump_history
from repo_server.questions import service
from repo_server.questions.schemas import (
    QuestionIn,
    QuestionListArgs,
    TransitionIn,
    dump_question,
)


@bp.get("/questions")
def list_questions():
    """List the questions visible to the user, filtered and paginated."""
    user = current_user()
    args = QuestionListArgs().load(request.args)
    rows, total, page, per_page = service.list_questions(user, args)
    reveal = service.reveals_key(user)
    return page_envelope(
        [dump_question(q, reveal) for q in rows], total, page, per_page
    )


@bp.post("/questions")
def create_question():
    """Create a draft question."""
    user = current_user()
    question = service.create_question(user, QuestionIn().load(json_body()))
    return dump_question(question, True), 201


@bp.get("/questions/<int:question_id>")
def get_question(question_id):
    """Read one question (students get no answer key)."""
    user = current_user()
    question = service.get_question(user, question_id)
    return dump_question(question, service.reveals_key(user))


@bp.patch("/questions/<int:question_id>")
def update_question(question_id):
    """Change a draft question."""
    data = QuestionIn(partial=True).load(json_body())
    question = service.update_question(current_user(), question_id, data)
    return dump_question(question, True)


@bp.delete("/questions/<int:question_id>")
def delete_question(question_id):
    """Delete a never-submitted draft."""
    service.delete_question(current_user(), question_id)
    return "", 204


@bp.post(
    "/questions/<int:question_id>/<any(submit,withdraw,publish,return,archive):action>"
)
def transition_question(question_id, action):
    """Move a question through its lifecycle."""
    data = TransitionIn().load(json_body() if request.data else {})
    user = current_user()
    question = service.transition_question(user, question_id, action, data["comment"])
    return dump_question(question, service.reveals_key(user))


@bp.post("/questions/<int:question_id>/versions")
def new_question_version(question_id):
    """Start a new draft version of a published question."""
    question = service.new_version(current_user(), question_id)
    return dump_question(question, True), 201


@bp.get("/questions/<int:question_id>/history")
def question_history(question_id):
    """The versions and events of a question."""
    user = current_user()
    versions, events = service.question_history(user, question_id)
    reveal = service.reveals_key(user)
    return dump_history([dump_question(v, reveal) for v in versions], events)
