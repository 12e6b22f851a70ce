"""Per-student draws: each attempt gets its own seeded questions from the blueprint's
pools, pinned at publication; scoring, results and item statistics follow each set."""

import pytest

from tests.server.quiz_helpers import publish, quiz_body, save

POOL = 8
COUNT = 2


@pytest.fixture
def drawn(people, make_user, api):
    """A quiz: one fixed question and a cell of 2 drawn per student from 8; 5 students."""
    t, c = people["teacher"], people["curator"]
    fixed = publish(t, c, "numeric", cognitive_level="VD")
    pool = [publish(t, c) for _ in range(POOL)]  # NB single choice, key B
    org = people["student"].get("/api/v1/me").get_json()["user"]["org_id"]
    students = [people["student"], *(api(make_user("student")) for _ in range(4))]
    body = quiz_body(
        [{"title": "Phần I", "total_points": 3, "question_ids": [fixed],
          "blueprint": [{"level": "NB", "count": COUNT}]}],
        school_ids=[org], draw_per_student=True, shuffle_questions=True,
    )  # fmt: skip
    quiz_id = t.post("/api/v1/quizzes", body).get_json()["id"]
    quiz = t.post(f"/api/v1/quizzes/{quiz_id}/publish").get_json()
    return quiz, fixed, set(pool), students


def test_each_student_gets_their_own_seeded_set(people, drawn):
    quiz, fixed, pool, students = drawn
    assert quiz["draw_per_student"] is True and quiz["question_count"] == 1 + COUNT
    pinned = {q["question_id"]: q for q in quiz["questions"]}
    assert set(pinned) == pool | {fixed}  # the whole pool is pinned at publication
    assert pinned[fixed]["cell"] is None and {pinned[i]["cell"] for i in pool} == {0}
    assert {q["points"] for q in quiz["questions"]} == {1.0}  # 3 points / 3 questions
    by_slot = {q["slot"]: q["question_id"] for q in quiz["questions"]}
    sets = []
    for student in students:
        attempt = student.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()
        got = [by_slot[q["slot"]] for q in attempt["questions"]]
        assert len(got) == 1 + COUNT and fixed in got and set(got) - {fixed} <= pool
        again = student.get(f"/api/v1/attempts/{attempt['id']}").get_json()
        assert [q["slot"] for q in again["questions"]] == [
            q["slot"] for q in attempt["questions"]
        ]  # generated once, before the start
        sets.append(frozenset(got))
    assert len(set(sets)) > 1  # 28 pairs for 5 students: not all the same


def test_scores_results_and_statistics_follow_each_set(people, drawn):
    quiz, fixed, _pool, students = drawn
    t = people["teacher"]
    by_slot = {q["slot"]: q["question_id"] for q in quiz["questions"]}
    held = {}
    for n, student in enumerate(students):
        attempt = student.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()
        slots = [q["slot"] for q in attempt["questions"]]
        held[attempt["id"]] = slots
        for seq, slot in enumerate(slots, start=1):
            answer = "2,5" if by_slot[slot] == fixed else ("B" if n % 2 else "A")
            assert save(student, attempt["id"], slot, answer, seq).status_code == 200
        done = student.post(f"/api/v1/attempts/{attempt['id']}/submit").get_json()
        assert done["max_score"] == 3.0
        assert done["score"] == (3.0 if n % 2 else 1.0)
    foreign = next(s for s in by_slot if s not in held[min(held)])
    override = f"/api/v1/attempts/{min(held)}/answers/{foreign}/override"
    assert (
        t.post(override, {"points": 1, "reason": "không có câu này"}).status_code == 404
    )
    results = t.get(f"/api/v1/quizzes/{quiz['id']}/results").get_json()
    for row in results["students"]:
        mine = set(held[row["attempt_id"]])
        answered = {a["slot"] for a in row["answers"] if a["points"] is not None}
        assert answered == mine  # slots the student did not draw have no points
    stats = t.get(f"/api/v1/quizzes/{quiz['id']}/stats").get_json()
    counts = {i["slot"]: i["n"] for i in stats["items"]}
    assert sum(counts.values()) == len(students) * (1 + COUNT)
    assert counts[next(s for s, q in by_slot.items() if q == fixed)] == len(students)
    assert stats["cronbach_alpha"] is None  # students did not answer the same items
    for item in stats["items"]:
        if item["n"] == 0:
            assert item["flags"] == [] and item["facility"] is None
    xlsx = t.get(f"/api/v1/quizzes/{quiz['id']}/results.xlsx")
    assert xlsx.status_code == 200


def test_shared_draw_stays_the_default(people, make_user):
    t, c = people["teacher"], people["curator"]
    for _ in range(4):
        publish(t, c)
    org = people["student"].get("/api/v1/me").get_json()["user"]["org_id"]
    make_user("student")
    body = quiz_body([{"blueprint": [{"level": "NB", "count": 2}]}], school_ids=[org])
    quiz_id = t.post("/api/v1/quizzes", body).get_json()["id"]
    quiz = t.post(f"/api/v1/quizzes/{quiz_id}/publish").get_json()
    assert quiz["draw_per_student"] is False and len(quiz["questions"]) == 2
    assert {q["cell"] for q in quiz["questions"]} == {None}


def test_teacher_page_names_the_pool(app, people, drawn):
    from tests.server.test_quiz_pages import _record
    from tests.server.test_web_pages import Browser

    quiz, _fixed, _pool, _students = drawn
    page = Browser(app, _record(app, people["teacher"])).get(f"/quizzes/{quiz['id']}")
    assert page.status_code == 200
    assert (
        f"Số câu: {1 + COUNT}" in page.text and f"{1 + POOL} câu đã ghim" in page.text
    )


def test_a_drawn_quiz_exports_its_pool_as_qti_only(people, drawn):
    quiz, _fixed, _pool, _students = drawn
    t = people["teacher"]
    scorm = t.post("/api/v1/exports", {"format": "scorm12", "quiz": quiz["id"]})
    assert scorm.status_code == 409 and "QTI" in scorm.get_json()["error"]["message"]
    job = t.post("/api/v1/exports", {"format": "qti21", "quiz": quiz["id"]}).get_json()
    done = t.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert done["status"] == "done" and done["result"]["count"] == 1 + POOL


def test_a_save_to_a_question_the_student_did_not_draw_is_refused(drawn):
    quiz, _fixed, _pool, students = drawn
    attempt = students[0].post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()
    mine = {q["slot"] for q in attempt["questions"]}
    other = next(q["slot"] for q in quiz["questions"] if q["slot"] not in mine)
    refused = save(students[0], attempt["id"], other, "B", 1)
    assert refused.status_code == 404
    assert "không thuộc bài làm" in refused.get_json()["error"]["message"]
    assert save(students[0], attempt["id"], min(mine), "B", 1).status_code == 200
