"""Scoring: the 2025 parts and cluster partial credit, overrides, regrades, review."""

import pytest

from tests.server.quiz_helpers import publish, published_quiz, save, slots_by_question

#: Statements a–d of the fixture cluster: a and c are true (tests/conftest.py).
CLUSTER_ANSWERS = [
    ({"a": False, "b": True, "c": False, "d": True}, 0.0),
    ({"a": True, "b": True, "c": False, "d": True}, 0.1),
    ({"a": True, "b": False, "c": False, "d": True}, 0.25),
    ({"a": True, "b": False, "c": True, "d": True}, 0.5),
    ({"a": True, "b": False, "c": True, "d": False}, 1.0),
]


def _students(make_user, api, n):
    return [api(make_user("student")) for _ in range(n)]


def _org(client):
    return client.get("/api/v1/me").get_json()["user"]["org_id"]


def _take(client, quiz, answers: dict, submit=True) -> dict:
    attempt = client.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()["id"]
    for seq, (slot, response) in enumerate(answers.items(), start=1):
        assert save(client, attempt, slot, response, seq).status_code == 200
    if submit:
        return client.post(f"/api/v1/attempts/{attempt}/submit").get_json()
    return {"id": attempt}


@pytest.mark.parametrize(("answer", "points"), CLUSTER_ANSWERS)
def test_cluster_partial_credit_of_the_2025_format(people, answer, points):
    t, c = people["teacher"], people["curator"]
    cluster = publish(t, c, "true_false_cluster")
    quiz = published_quiz(t, [cluster], _org(people["student"]), points=1.0)
    result = _take(people["student"], quiz, {slots_by_question(quiz)[cluster]: answer})
    assert result["score"] == pytest.approx(points)
    assert result["max_score"] == 1.0


def test_parts_carry_their_own_points(people):
    t, c = people["teacher"], people["curator"]
    single, cluster = publish(t, c), publish(t, c, "true_false_cluster")
    numbers = [publish(t, c, "numeric") for _ in range(2)]
    body = {
        "title": "Đề theo cấu trúc 2025", "subject": "TOAN", "grade": "6",
        "review": "after_submit", "school_ids": [_org(people["student"])],
        "parts": [
            {"title": "Phần I", "points": 0.25, "question_ids": [single]},
            {"title": "Phần II", "points": 1.0, "question_ids": [cluster]},
            # Points per part: 1.5 shared by the part's two questions.
            {"title": "Phần III", "total_points": 1.5, "question_ids": numbers},
        ],
    }  # fmt: skip
    quiz_id = t.post("/api/v1/quizzes", body).get_json()["id"]
    quiz = t.post(f"/api/v1/quizzes/{quiz_id}/publish").get_json()
    slots = slots_by_question(quiz)
    result = _take(people["student"], quiz, {
        slots[single]: "B", slots[cluster]: CLUSTER_ANSWERS[3][0],
        slots[numbers[0]]: "2,5", slots[numbers[1]]: "3",
    })  # fmt: skip
    assert result["score"] == pytest.approx(0.25 + 0.5 + 0.75)
    assert result["max_score"] == pytest.approx(0.25 + 1 + 1.5)
    points = [q["answer"]["points"] for q in result["questions"]]
    assert points == [0.25, 0.5, 0.75, 0.0]


def test_teacher_overrides_with_a_reason(people):
    t, c = people["teacher"], people["curator"]
    number = publish(t, c, "numeric")
    quiz = published_quiz(t, [number], _org(people["student"]))
    slot = slots_by_question(quiz)[number]
    attempt = _take(people["student"], quiz, {slot: "5/2"})  # right value, odd notation
    assert attempt["score"] == 0.0
    url = f"/api/v1/attempts/{attempt['id']}/answers/{slot}/override"
    assert t.post(url, {"points": 1}).status_code == 422  # the reason is required
    assert t.post(url, {"points": 2, "reason": "Quá điểm"}).status_code == 422
    assert (
        people["other"].post(url, {"points": 1, "reason": "x" * 5}).status_code == 404
    )
    assert (
        people["student"].post(url, {"points": 1, "reason": "tự chấm"}).status_code
        == 404
    )
    done = t.post(url, {"points": 1, "reason": "Viết 5/2 cũng đúng"})
    assert done.status_code == 200 and done.get_json()["score"] == 1.0
    seen = people["student"].get(f"/api/v1/attempts/{attempt['id']}").get_json()
    assert seen["questions"][0]["answer"]["override_reason"] == "Viết 5/2 cũng đúng"
    t.post(f"/api/v1/quizzes/{quiz['id']}/regrade")  # overrides survive a regrade
    again = t.get(f"/api/v1/attempts/{attempt['id']}").get_json()
    assert again["score"] == 1.0
    cleared = t.post(url, {"points": None, "reason": "Đề yêu cầu phân số tối giản"})
    assert cleared.status_code == 200 and cleared.get_json()["score"] == 0.0
    history_url = f"/api/v1/attempts/{attempt['id']}/history"
    history = t.get(history_url).get_json()["items"]
    assert [
        (h["kind"], h["slot"], h["points_before"], h["points_after"], h["reason"])
        for h in history
    ] == [
        ("override", slot, 0.0, 1.0, "Viết 5/2 cũng đúng"),
        ("override", slot, 1.0, 0.0, "Đề yêu cầu phân số tối giản"),
    ]
    assert [(h["score_before"], h["score_after"]) for h in history] == [
        (0.0, 1.0), (1.0, 0.0),
    ]  # fmt: skip
    assert people["student"].get(history_url).status_code == 404
    assert people["other"].get(history_url).status_code == 404


def test_regrade_after_a_question_correction(people):
    t, c = people["teacher"], people["curator"]
    wrong_key = publish(t, c)  # key B; the author meant A
    quiz = published_quiz(t, [wrong_key], _org(people["student"]))
    slot = slots_by_question(quiz)[wrong_key]
    attempt = _take(people["student"], quiz, {slot: "A"})
    assert attempt["score"] == 0.0
    fixed = t.post(f"/api/v1/questions/{wrong_key}/versions").get_json()["id"]
    item = t.get(f"/api/v1/questions/{fixed}").get_json()["item"]
    t.patch(f"/api/v1/questions/{fixed}", {"item": {**item, "correct": ["A"]}})
    url = f"/api/v1/quizzes/{quiz['id']}/regrade"
    body = {"question_id": wrong_key, "new_question_id": fixed}
    assert t.post(url, body).status_code == 422  # the correction is not published yet
    t.post(f"/api/v1/questions/{fixed}/submit")
    c.post(f"/api/v1/questions/{fixed}/publish")
    other = publish(t, c)
    assert t.post(url, {**body, "new_question_id": other}).status_code == 422
    corrections = t.get(f"/api/v1/quizzes/{quiz['id']}/corrections").get_json()
    assert [(c["question_id"], c["new_question_id"]) for c in corrections["items"]] == [
        (wrong_key, fixed)
    ]
    response = t.post(url, body)
    assert response.status_code == 200
    summary = response.get_json()
    assert summary["regraded"] == 1 and summary["new_question_id"] == fixed
    assert [(c["attempt_id"], c["score_before"], c["score_after"]) for c in summary[
        "changed"]] == [(attempt["id"], 0.0, 1.0)]  # fmt: skip
    seen = t.get(f"/api/v1/attempts/{attempt['id']}").get_json()
    assert seen["score"] == 1.0
    pinned = t.get(f"/api/v1/quizzes/{quiz['id']}").get_json()["questions"]
    assert pinned[0]["question_id"] == fixed
    assert t.get(f"/api/v1/quizzes/{quiz['id']}/corrections").get_json() == {
        "items": []
    }
    again = t.post(url).get_json()  # nothing changes any more
    assert again["regraded"] == 1 and again["changed"] == []
    history = t.get(f"/api/v1/attempts/{attempt['id']}/history").get_json()["items"]
    assert [(h["kind"], h["question_id"], h["new_question_id"]) for h in history] == [
        ("regrade", wrong_key, fixed)
    ]


def test_no_keys_or_score_before_the_review_policy(people, make_user, api):
    t, c = people["teacher"], people["curator"]
    single = publish(t, c)
    quiz = published_quiz(t, [single], _org(people["student"]), review="after_close")
    slot = slots_by_question(quiz)[single]
    student = people["student"]
    attempt = _take(student, quiz, {slot: "B"})
    assert "score" not in attempt and attempt["review"] is False
    assert "correct" not in str(attempt) and "Lời giải" not in str(attempt)
    listed = student.get(f"/api/v1/quizzes/{quiz['id']}/attempts").get_json()["items"]
    assert len(listed) == 1 and "score" not in listed[0]
    classmate = api(make_user("student"))
    assert classmate.get(f"/api/v1/attempts/{attempt['id']}").status_code == 404
    assert (
        classmate.get(f"/api/v1/quizzes/{quiz['id']}/attempts").get_json()["items"]
        == []
    )
    assert student.get(f"/api/v1/quizzes/{quiz['id']}/results").status_code == 403
    t.post(f"/api/v1/quizzes/{quiz['id']}/close")
    after = student.get(f"/api/v1/attempts/{attempt['id']}").get_json()
    assert after["score"] == 1.0
    assert after["questions"][0]["item"]["correct"] == ["B"]
    assert "Lời giải" in after["questions"][0]["item"]["explanation"]


def test_shuffled_options_are_seeded_per_student(people, make_user, api):
    t, c = people["teacher"], people["curator"]
    ids = [publish(t, c, "multiple_response") for _ in range(6)]
    quiz = published_quiz(
        t, ids, _org(people["student"]), shuffle_questions=True, shuffle_options=True
    )
    orders = []
    for client in [people["student"], *_students(make_user, api, 3)]:
        got = client.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()
        again = client.get(f"/api/v1/attempts/{got['id']}").get_json()
        order = [(q["slot"], tuple(ch["id"] for ch in q["item"]["choices"]))
                 for q in got["questions"]]  # fmt: skip
        assert order == [(q["slot"], tuple(ch["id"] for ch in q["item"]["choices"]))
                         for q in again["questions"]]  # fmt: skip
        orders.append(order)
    assert len(set(map(tuple, orders))) > 1
