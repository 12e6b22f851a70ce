"""Helpers of the quiz tests: published questions, a class, a quiz and its attempts."""

from tests.conftest import question_payload

TOPIC = "TOAN-6-KNTT-C1-B1"


def publish(teacher, curator, qtype="single_choice", **fields) -> int:
    """Create, submit and publish a question; return its id."""
    payload = question_payload(qtype, topic=TOPIC, **fields)
    qid = teacher.post("/api/v1/questions", payload).get_json()["id"]
    assert teacher.post(f"/api/v1/questions/{qid}/submit").status_code == 200
    assert curator.post(f"/api/v1/questions/{qid}/publish").status_code == 200
    return qid


def quiz_body(parts, **settings) -> dict:
    """A quiz in Toán 6 given to the school of the teacher (school_ids filled by caller)."""
    return {
        "title": "Kiểm tra 15 phút",
        "subject": "TOAN",
        "grade": "6",
        "parts": parts,
        "review": "after_submit",
        **settings,
    }


def published_quiz(teacher, question_ids, school_id, points=1.0, **settings) -> dict:
    """Create and publish a quiz of fixed questions for a school; return its JSON."""
    body = quiz_body(
        [{"title": "Phần I", "points": points, "question_ids": question_ids}],
        school_ids=[school_id],
        **settings,
    )
    response = teacher.post("/api/v1/quizzes", body)
    assert response.status_code == 201, response.get_json()
    quiz_id = response.get_json()["id"]
    response = teacher.post(f"/api/v1/quizzes/{quiz_id}/publish")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slots_by_question(quiz: dict) -> dict[int, int]:
    """Question id → slot id of a published quiz's JSON."""
    return {q["question_id"]: q["slot"] for q in quiz["questions"]}


def save(client, attempt_id, slot, response, seq):
    """PUT one answer."""
    return client.client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{slot}",
        json={"response": response, "seq": seq},
        headers={"X-CSRFToken": client.csrf},
    )
