"""JSON endpoints of classes, quizzes, attempts, results and statistics."""

from flask import request, send_file

from repo_server.accounts.service import current_user, require_role
from repo_server.api import bp, json_body
from repo_server.auth import request_user_id
from repo_server.quizzes import (
    classes,
    delivery,
    grading,
    itemstats,
    marking,
    results,
    service,
)
from repo_server.quizzes.blueprint import availability, check_cells
from repo_server.quizzes.dumps import dump_attempt, dump_quiz
from repo_server.quizzes.schemas import (
    AvailabilityArgs,
    CheckIn,
    ClassIn,
    OverrideIn,
    QuizIn,
    RegradeIn,
    SaveIn,
)
from repo_server.taxonomy.service import resolve

#: One schema instance for every save (loading keeps no state; building one costs).
SAVE_IN = SaveIn()


@bp.get("/classes")
def list_classes():
    """Classes the user may see."""
    user = current_user()
    return {"items": [classes.dump_class(c) for c in classes.list_classes(user)]}


@bp.post("/classes")
def create_class():
    """Create a class of a school with its students."""
    cls = classes.create_class(current_user(), ClassIn().load(json_body()))
    return classes.dump_class(cls), 201


@bp.get("/classes/<int:class_id>")
def get_class(class_id):
    """One class and its students."""
    return classes.dump_class(classes.get_class(current_user(), class_id))


@bp.patch("/classes/<int:class_id>")
def update_class(class_id):
    """Rename a class or set its students."""
    body = json_body()
    data = ClassIn(partial=True).load(body)
    data = {k: v for k, v in data.items() if k in body}
    return classes.dump_class(classes.update_class(current_user(), class_id, data))


@bp.delete("/classes/<int:class_id>")
def delete_class(class_id):
    """Delete a class."""
    classes.delete_class(current_user(), class_id)
    return "", 204


@bp.get("/quiz-blueprints/availability")
def blueprint_availability():
    """Published questions available per topic × cognitive level × type."""
    require_role(current_user(), *service.AUTHORS)
    args = AvailabilityArgs().load(request.args)
    cells = availability(
        resolve("subject", args["subject"]), resolve("grade", args["grade"])
    )
    return {"items": cells}


@bp.post("/quiz-blueprints/check")
def blueprint_check():
    """How many questions each blueprint cell may draw."""
    require_role(current_user(), *service.AUTHORS)
    data = CheckIn().load(json_body())
    subject, grade = (
        resolve("subject", data["subject"]),
        resolve("grade", data["grade"]),
    )
    return {"items": check_cells(subject, grade, data["cells"])}


@bp.get("/quizzes")
def list_quizzes():
    """Quizzes of the user (authors) or open to them (students)."""
    user = current_user()
    staff = user.role != "student"
    return {"items": [dump_quiz(q, staff) for q in service.list_quizzes(user)]}


@bp.post("/quizzes")
def create_quiz():
    """Create a draft quiz from fixed questions and/or a blueprint."""
    quiz = service.create_quiz(current_user(), QuizIn().load(json_body()))
    return dump_quiz(quiz, True), 201


@bp.get("/quizzes/<int:quiz_id>")
def get_quiz(quiz_id):
    """One quiz (students: settings only)."""
    user = current_user()
    return dump_quiz(service.get_quiz(user, quiz_id), user.role != "student")


@bp.patch("/quizzes/<int:quiz_id>")
def update_quiz(quiz_id):
    """Change a draft quiz."""
    body = json_body()
    data = QuizIn(partial=True).load(body)
    data = {k: v for k, v in data.items() if k in body}
    return dump_quiz(service.update_quiz(current_user(), quiz_id, data), True)


@bp.delete("/quizzes/<int:quiz_id>")
def delete_quiz(quiz_id):
    """Delete a draft quiz."""
    service.delete_quiz(current_user(), quiz_id)
    return "", 204


@bp.post("/quizzes/<int:quiz_id>/publish")
def publish_quiz(quiz_id):
    """Draw the blueprint, pin the questions and generate every attempt."""
    return dump_quiz(service.publish_quiz(current_user(), quiz_id), True)


@bp.post("/quizzes/<int:quiz_id>/close")
def close_quiz(quiz_id):
    """Close a quiz: open attempts are submitted with what was saved."""
    return dump_quiz(service.close_quiz(current_user(), quiz_id), True)


@bp.post("/quizzes/<int:quiz_id>/start")
def start_attempt(quiz_id):
    """Start or continue the student's attempt."""
    user = current_user()
    attempt, quiz, fresh = delivery.start(user, quiz_id)
    return dump_attempt(attempt, quiz, False, fresh)


@bp.get("/quizzes/<int:quiz_id>/attempts")
def list_attempts(quiz_id):
    """Attempts of a quiz: all (its teacher) or the student's own."""
    user = current_user()
    rows = results.attempts_of(user, quiz_id)
    return {"items": [results.attempt_summary(a, user) for a in rows]}


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id):
    """An attempt with its saved answers (keys only once review is allowed)."""
    user = current_user()
    attempt, quiz = results.open_attempt(user, attempt_id)
    return dump_attempt(attempt, quiz, attempt.student_id != user.id)


@bp.put("/attempts/<int:attempt_id>/answers/<int:slot_id>")
def save_answer(attempt_id, slot_id):
    """Save one answer (idempotent, sequence-numbered)."""
    data = SAVE_IN.load(json_body())
    return delivery.save(
        request_user_id(), attempt_id, slot_id, data["response"], data["seq"]
    )


@bp.post("/attempts/<int:attempt_id>/submit")
def submit_attempt(attempt_id):
    """Submit the attempt; it is scored at once."""
    user = current_user()
    attempt, quiz = delivery.submit(user, attempt_id)
    return dump_attempt(attempt, quiz, False)


@bp.post("/attempts/<int:attempt_id>/answers/<int:slot_id>/override")
def override_answer(attempt_id, slot_id):
    """Set one answer's points by hand, with a reason."""
    data = OverrideIn().load(json_body())
    user = current_user()
    attempt = grading.override(
        user, attempt_id, slot_id, data["points"], data["reason"]
    )
    return dump_attempt(attempt, results.quiz_of(attempt), True)


@bp.get("/attempts/<int:attempt_id>/history")
def attempt_history(attempt_id):
    """Every override and regrade that changed the attempt's score."""
    return {"items": marking.attempt_history(current_user(), attempt_id)}


@bp.get("/quizzes/<int:quiz_id>/corrections")
def quiz_corrections(quiz_id):
    """Pinned questions that have a newer published version to regrade with."""
    return {"items": marking.corrections(current_user(), quiz_id)}


@bp.post("/quizzes/<int:quiz_id>/regrade")
def regrade_quiz(quiz_id):
    """Pin a corrected question version (optional) and rescore every attempt."""
    data = RegradeIn().load(json_body() if request.data else {})
    return grading.regrade(
        current_user(), quiz_id, data["question_id"], data["new_question_id"]
    )


@bp.get("/quizzes/<int:quiz_id>/results")
def quiz_results(quiz_id):
    """Scores per student, per class and per school."""
    return results.quiz_results(current_user(), quiz_id)


@bp.get("/quizzes/<int:quiz_id>/results.xlsx")
def quiz_results_xlsx(quiz_id):
    """The results and item statistics as an Excel workbook."""
    data, name = results.results_workbook(current_user(), quiz_id)
    return send_file(
        data,
        as_attachment=True,
        download_name=name,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/quizzes/<int:quiz_id>/stats")
def quiz_stats(quiz_id):
    """Item statistics of a quiz and its Cronbach's alpha."""
    return itemstats.quiz_stats(current_user(), quiz_id)


@bp.get("/questions/<int:question_id>/quiz-stats")
def question_quiz_stats(question_id):
    """A question's statistics accumulated over every quiz that used it."""
    return itemstats.question_stats(current_user(), question_id)
