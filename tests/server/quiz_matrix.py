"""The quiz endpoints' rows of the permission matrix, and the objects they act on."""

from tests.server.quiz_helpers import quiz_body


def _expect(default, **by_role):
    roles = ("student", "teacher", "other_teacher", "curator", "admin")
    return {"anonymous": 401, **dict.fromkeys(roles, default), **by_role}


OWNER = _expect(404, teacher=200, admin=200)
MANAGER = {**OWNER, "student": 403}


def _quiz_payload(ids):
    return quiz_body([{"question_ids": [ids["published_questions"]]}])


QUIZ_CASES = [
    ("GET", "/api/v1/classes", None, _expect(200)),
    ("POST", "/api/v1/classes", {"name": "6A2"}, _expect(201, student=403)),
    ("GET", "/api/v1/classes/{class_id}", None, _expect(200)),
    ("PATCH", "/api/v1/classes/{class_id}", {"name": "6A9"}, _expect(200, student=403)),
    ("DELETE", "/api/v1/classes/{class_id}", None, _expect(204, student=403)),
    (
        "GET",
        "/api/v1/quiz-blueprints/availability?subject=TOAN&grade=6",
        None,
        _expect(200, student=403),
    ),
    (
        "POST",
        "/api/v1/quiz-blueprints/check",
        {"cells": [{"count": 1}]},
        _expect(200, student=403),
    ),
    ("GET", "/api/v1/quizzes", None, _expect(200)),
    ("POST", "/api/v1/quizzes", _quiz_payload, _expect(201, student=403)),
    ("GET", "/api/v1/quizzes/{draft_quiz}", None, OWNER),
    ("PATCH", "/api/v1/quizzes/{draft_quiz}", {"title": "Đề mới"}, OWNER),
    (
        "DELETE",
        "/api/v1/quizzes/{draft_quiz}",
        None,
        {**OWNER, "teacher": 204, "admin": 204},
    ),
    ("POST", "/api/v1/quizzes/{draft_quiz}/publish", None, OWNER),
    ("POST", "/api/v1/quizzes/{quiz}/close", None, MANAGER),
    ("POST", "/api/v1/quizzes/{quiz}/start", None, _expect(403, student=200)),
    ("GET", "/api/v1/quizzes/{quiz}/attempts", None, {**OWNER, "student": 200}),
    ("GET", "/api/v1/attempts/{attempt}", None, {**OWNER, "student": 200}),
    (
        "PUT",
        "/api/v1/attempts/{attempt}/answers/{slot}",
        {"response": "A", "seq": 1},
        _expect(404, student=200),
    ),
    ("POST", "/api/v1/attempts/{attempt}/submit", None, _expect(404, student=200)),
    (
        "POST",
        "/api/v1/attempts/{attempt}/answers/{slot}/override",
        {"points": 0.5, "reason": "Chấm tay"},
        _expect(404, teacher=409, admin=409),  # permitted, but the attempt is open
    ),
    ("GET", "/api/v1/attempts/{attempt}/history", None, OWNER),
    ("GET", "/api/v1/quizzes/{quiz}/corrections", None, MANAGER),
    ("POST", "/api/v1/quizzes/{quiz}/regrade", None, MANAGER),
    (
        "POST",
        "/api/v1/exports",
        lambda ids: {"format": "qti21", "quiz": ids["quiz"]},
        {**MANAGER, "teacher": 202, "admin": 202},
    ),
    ("GET", "/api/v1/quizzes/{quiz}/results", None, MANAGER),
    ("GET", "/api/v1/quizzes/{quiz}/results.xlsx", None, MANAGER),
    ("GET", "/api/v1/quizzes/{quiz}/stats", None, MANAGER),
    (
        "GET",
        "/api/v1/questions/{published_questions}/quiz-stats",
        None,
        _expect(200, student=403),
    ),
]
PLACEHOLDERS = {"class_id": 1, "draft_quiz": 1, "quiz": 1, "attempt": 1, "slot": 1}


def quiz_world(teacher, student, ids: dict) -> dict:
    """A class with the student, a draft quiz, a published quiz the student started."""
    me = student.get("/api/v1/me").get_json()["user"]
    made = teacher.post("/api/v1/classes", {"name": "6A1", "student_ids": [me["id"]]})
    body = quiz_body(
        [{"question_ids": [ids["published_questions"]]}],
        class_ids=[made.get_json()["id"]],
    )
    draft = teacher.post("/api/v1/quizzes", body).get_json()["id"]
    quiz = teacher.post("/api/v1/quizzes", body).get_json()["id"]
    slot = teacher.post(f"/api/v1/quizzes/{quiz}/publish").get_json()["questions"][0]
    attempt = student.post(f"/api/v1/quizzes/{quiz}/start").get_json()["id"]
    return {
        "class_id": made.get_json()["id"],
        "draft_quiz": draft,
        "quiz": quiz,
        "attempt": attempt,
        "slot": slot["slot"],
    }
