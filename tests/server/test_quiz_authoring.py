"""Quiz authoring: blueprint availability, shortages named, publication pins versions."""

from tests.server.quiz_helpers import TOPIC, publish, quiz_body


def _bank(people):
    """Three NB single-choice, one TH single-choice, one VD numeric question."""
    t, c = people["teacher"], people["curator"]
    nb = [publish(t, c) for _ in range(3)]
    th = publish(t, c, cognitive_level="TH")
    vd = publish(t, c, "numeric", cognitive_level="VD")
    return nb, th, vd


def test_availability_grid_counts_published_questions_per_cell(people):
    _bank(people)
    people["teacher"].post("/api/v1/questions", {"subject": "TOAN"})  # not published
    response = people["teacher"].get(
        "/api/v1/quiz-blueprints/availability?subject=TOAN&grade=6"
    )
    assert response.status_code == 200
    cells = {
        (c["level"], c["type"]): c["available"] for c in response.get_json()["items"]
    }
    assert cells == {("NB", "single_choice"): 3, ("TH", "single_choice"): 1,
                     ("VD", "numeric"): 1}  # fmt: skip
    assert {c["topic"] for c in response.get_json()["items"]} == {TOPIC}


def test_check_reports_available_per_cell(people):
    _bank(people)
    cells = [
        {"topic": "TOAN-6-KNTT-C1", "level": "NB", "type": "single_choice", "count": 2},
        {"level": "VDC", "count": 1},
    ]
    response = people["teacher"].post(
        "/api/v1/quiz-blueprints/check",
        {"subject": "TOAN", "grade": "6", "cells": cells},
    )
    assert [c["available"] for c in response.get_json()["items"]] == [3, 0]


def test_impossible_blueprint_is_refused_with_the_shortage_named(people):
    _bank(people)
    body = quiz_body(
        [{"title": "Phần I", "points": 0.25, "blueprint": [
            {"topic": TOPIC, "level": "NB", "type": "single_choice", "count": 5},
            {"level": "VDC", "count": 1},
            {"level": "TH", "count": 1},
        ]}]
    )  # fmt: skip
    response = people["teacher"].post("/api/v1/quizzes", body)
    assert response.status_code == 422
    shortages = response.get_json()["error"]["fields"]["blueprint"]
    assert len(shortages) == 2
    assert (
        "Nhận biết" in shortages[0] and "cần 5 câu, chỉ có 3 (thiếu 2)" in shortages[0]
    )
    assert "Vận dụng cao" in shortages[1]
    assert TOPIC in shortages[0]
    assert people["teacher"].get("/api/v1/quizzes").get_json()["items"] == []


def test_fixed_questions_count_against_the_blueprint(people):
    nb, _th, _vd = _bank(people)
    body = quiz_body(
        [{"question_ids": nb[:2]}, {"blueprint": [{"level": "NB", "count": 2}]}]
    )
    response = people["teacher"].post("/api/v1/quizzes", body)
    assert response.status_code == 422  # only one NB question is left to draw
    assert "thiếu 1" in response.get_json()["error"]["fields"]["blueprint"][0]


def test_only_published_questions_may_be_pinned(people):
    draft = people["teacher"].post("/api/v1/questions", _draft_payload()).get_json()
    response = people["teacher"].post(
        "/api/v1/quizzes", quiz_body([{"question_ids": [draft["id"]]}])
    )
    assert response.status_code == 422
    assert str(draft["id"]) in response.get_json()["error"]["message"]


def _draft_payload():
    from tests.conftest import question_payload

    return question_payload()


def test_publish_draws_pins_versions_and_generates_attempts(people, make_user, api):
    nb, th, vd = _bank(people)
    school = people["student"]
    student_org = school.get("/api/v1/me").get_json()["user"]["org_id"]
    make_user("student")  # a second student of the same school
    body = quiz_body(
        [
            {"title": "Phần I", "points": 0.25, "question_ids": [th],
             "blueprint": [{"level": "NB", "type": "single_choice", "count": 2}]},
            {"title": "Phần III", "points": 0.5, "blueprint": [{"level": "VD", "count": 1}]},
        ],
        school_ids=[student_org], shuffle_questions=True, shuffle_options=True,
    )  # fmt: skip
    quiz = people["teacher"].post("/api/v1/quizzes", body).get_json()
    assert quiz["state"] == "draft" and quiz["questions"] == []
    published = (
        people["teacher"].post(f"/api/v1/quizzes/{quiz['id']}/publish").get_json()
    )
    pinned = [q["question_id"] for q in published["questions"]]
    assert pinned[0] == th and set(pinned[1:3]) <= set(nb) and pinned[3] == vd
    assert [q["points"] for q in published["questions"]] == [0.25, 0.25, 0.25, 0.5]
    attempts = (
        people["teacher"].get(f"/api/v1/quizzes/{quiz['id']}/attempts").get_json()
    )
    assert len(attempts["items"]) == 2
    assert {a["state"] for a in attempts["items"]} == {"ready"}
    again = people["teacher"].patch(f"/api/v1/quizzes/{quiz['id']}", {"title": "Mới"})
    assert again.status_code == 409


def test_draft_quiz_can_be_changed_partially_and_deleted(people):
    nb, _th, _vd = _bank(people)
    quiz = (
        people["teacher"]
        .post(
            "/api/v1/quizzes", quiz_body([{"question_ids": nb}], time_limit_minutes=15)
        )
        .get_json()
    )
    changed = people["teacher"].patch(
        f"/api/v1/quizzes/{quiz['id']}", {"title": "Đề 2"}
    )
    assert changed.status_code == 200
    assert changed.get_json()["title"] == "Đề 2"
    assert changed.get_json()["time_limit_minutes"] == 15
    bad = people["teacher"].patch(
        f"/api/v1/quizzes/{quiz['id']}",
        {"opens_at": "2026-01-02T00:00:00", "closes_at": "2026-01-01T00:00:00"},
    )
    assert bad.status_code == 422
    assert people["other"].delete(f"/api/v1/quizzes/{quiz['id']}").status_code == 404
    assert people["teacher"].delete(f"/api/v1/quizzes/{quiz['id']}").status_code == 204


def test_classes_hold_students_of_the_school_only(people, make_user, make_org):
    student = people["student"].get("/api/v1/me").get_json()["user"]
    other_school = make_org("THCS-B")
    outsider = make_user("student", org=other_school)
    teacher = people["teacher"]
    bad = teacher.post("/api/v1/classes", {"name": "6A1", "student_ids": [outsider.id]})
    assert bad.status_code == 422
    made = teacher.post(
        "/api/v1/classes", {"name": "6A1", "student_ids": [student["id"]]}
    )
    assert made.status_code == 201
    assert [s["id"] for s in made.get_json()["students"]] == [student["id"]]
    assert teacher.post("/api/v1/classes", {"name": "6A1"}).status_code == 409
    mine = people["student"].get("/api/v1/classes").get_json()["items"]
    assert [c["name"] for c in mine] == ["6A1"]
