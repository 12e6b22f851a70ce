"""Bad input gets a clear 4xx in the JSON envelope, never a 500 or a half-written row."""

import pytest

from tests.conftest import question_payload


@pytest.fixture
def teacher(api):
    return api("teacher")


def _error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["message"]
    return body["error"]


def test_malformed_json_and_wrong_content_type(teacher):
    raw = teacher.client.post(
        "/api/v1/questions",
        data="{not json",
        headers={"X-CSRFToken": teacher.csrf, "Content-Type": "application/json"},
    )
    _error(raw, 422)
    form = teacher.client.post(
        "/api/v1/questions", data={"a": "b"}, headers={"X-CSRFToken": teacher.csrf}
    )
    _error(form, 422)
    _error(teacher.post("/api/v1/questions", [1, 2]), 422)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"difficulty": "khó"}, "difficulty"),
        ({"difficulty": 9}, "difficulty"),
        ({"tags": "không phải danh sách"}, "tags"),
        ({"tags": ["x" * 51]}, "tags"),
        ({"subject": "KHONG-CO"}, "subject"),
        ({"grade": "13"}, "grade"),
        ({"cognitive_level": "XYZ"}, "cognitive_level"),
        ({"topic": "KHONG-CO-CHU-DE"}, "topic"),
        ({"item": "chuỗi"}, "item"),
        ({"item": {"type": "essay", "stem": "Viết bài"}}, "type"),
        ({"item": {"type": "single_choice", "stem": ""}}, "stem"),
        (
            {
                "item": {
                    "type": "single_choice",
                    "stem": "Câu?",
                    "choices": [{"id": "A", "text": "1"}, {"id": "B", "text": "2"}],
                    "correct": ["A", "B"],
                }
            },
            "correct",
        ),
        (
            {
                "item": {
                    "type": "single_choice",
                    "stem": "Câu?",
                    "choices": [{"id": "A", "text": "1"}],
                    "correct": ["A"],
                }
            },
            "choices",
        ),
        (
            {
                "item": {
                    "type": "numeric",
                    "stem": "Bao nhiêu?",
                    "numeric": {"value": "x"},
                }
            },
            "numeric",
        ),
        (
            {"item": {"type": "true_false_cluster", "stem": "Cho", "statements": []}},
            "statements",
        ),
        ({"item": {"type": "single_choice", "stem": "Câu?", "bogus": 1}}, "item"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_field_errors(teacher, change, field):
    error = _error(teacher.post("/api/v1/questions", question_payload(**change)), 422)
    assert field in error["fields"], error
    assert teacher.get("/api/v1/questions").get_json()["total"] == 0


def test_oversize_text_field(app, teacher):
    payload = question_payload()
    payload["item"] = {**payload["item"], "explanation": "dài " * 10_000}
    error = _error(
        teacher.post(
            "/api/v1/materials",
            {"title": "T", "kind": "document", "description": "x" * 20_001},
        ),
        422,
    )
    assert "description" in error["fields"]
    error = _error(teacher.post("/api/v1/questions", payload), 422)
    assert "item" in error["fields"]
    tags = [f"thẻ {i}" for i in range(21)]
    _error(teacher.post("/api/v1/questions", {**question_payload(), "tags": tags}), 422)


def test_oversize_request_body(app, teacher):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        _error(
            teacher.post("/api/v1/questions", question_payload(tags=["x" * 40] * 20)),
            413,
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024


@pytest.mark.parametrize(
    ("action", "status"),
    [("publish", 403), ("archive", 403), ("withdraw", 409), ("return", 403)],
)
def test_illegal_lifecycle_moves_on_a_draft(teacher, action, status):
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    _error(teacher.post(f"/api/v1/questions/{qid}/{action}", {"comment": "x"}), status)
    assert teacher.get(f"/api/v1/questions/{qid}").get_json()["status"] == "draft"


def test_moves_from_the_wrong_state_conflict(api, teacher):
    curator = api("curator")
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    teacher.post(f"/api/v1/questions/{qid}/submit")
    _error(teacher.post(f"/api/v1/questions/{qid}/submit"), 409)
    _error(curator.post(f"/api/v1/questions/{qid}/archive"), 409)
    curator.post(f"/api/v1/questions/{qid}/publish")
    _error(curator.post(f"/api/v1/questions/{qid}/publish"), 409)
    _error(teacher.delete(f"/api/v1/questions/{qid}"), 409)


def test_submit_needs_subject_and_grade(teacher):
    qid = teacher.post(
        "/api/v1/questions", question_payload(subject=None, grade=None)
    ).get_json()["id"]
    error = _error(teacher.post(f"/api/v1/questions/{qid}/submit"), 422)
    assert set(error["fields"]) == {"subject", "grade"}


def test_curator_of_another_subject_cannot_publish(api, make_user, teacher):
    other = api(make_user("curator", subjects=["NV"]))
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    teacher.post(f"/api/v1/questions/{qid}/submit")
    _error(other.post(f"/api/v1/questions/{qid}/publish"), 404)


def test_unknown_routes_and_methods_use_the_envelope(teacher):
    assert _error(teacher.get("/api/v1/khong-co"), 404)["code"] == "not_found"
    assert _error(teacher._send("PUT", "/api/v1/questions"), 405)
    _error(teacher.get("/api/v1/questions?page=0"), 422)
    _error(teacher.get("/api/v1/questions?sort=bogus"), 422)
    _error(teacher.get("/api/v1/questions?type=essay"), 422)


def test_bad_bearer_token_is_401(app):
    response = app.test_client().get(
        "/api/v1/me", headers={"Authorization": "Bearer khls_sai"}
    )
    assert _error(response, 401)["code"] == "unauthorized"


def test_script_write_without_login_is_401_not_csrf(app):
    response = app.test_client().post("/api/v1/questions", json=question_payload())
    assert _error(response, 401)["code"] == "unauthorized"


def test_session_write_without_csrf_token_is_refused(teacher):
    response = teacher.client.post("/api/v1/questions", json=question_payload())
    assert _error(response, 400)["message"].startswith("Phiên làm việc")
