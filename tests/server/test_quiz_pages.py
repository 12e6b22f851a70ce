"""Quiz web pages through the test client: teachers and students, no keys leak."""

import re

from tests.server.quiz_helpers import publish, published_quiz, save, slots_by_question
from tests.server.test_web_pages import Browser


def test_teacher_and_student_pages(app, people, make_user):
    t, c = people["teacher"], people["curator"]
    ids = [publish(t, c), publish(t, c, "true_false_cluster")]
    student_user = make_user("student")
    quiz = published_quiz(t, ids, student_user.org_id, review="after_close")
    teacher_user = make_user("teacher")
    teacher = Browser(app, teacher_user)
    assert teacher.get("/quizzes").status_code == 200
    page = teacher.get("/quizzes/new")
    assert page.status_code == 200 and "ma trận" in page.text.lower()
    assert teacher.get(f"/quizzes/{quiz['id']}").status_code == 404  # not theirs

    student = Browser(app, student_user)
    listing = student.get("/quizzes")
    assert quiz["title"] in listing.text
    assert "Làm bài" in student.get(f"/quizzes/{quiz['id']}").text
    from tests.conftest import ApiClient

    api = ApiClient(app.test_client(), student_user)
    attempt = api.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()["id"]
    slots = slots_by_question(quiz)
    save(api, attempt, slots[ids[0]], "A", 1)
    page = student.get(f"/attempts/{attempt}")
    assert page.status_code == 200
    assert re.search(r'value="A"\s+checked', page.text)  # the saved answer is shown
    assert not re.search(r'value="B"\s+checked', page.text)
    assert "Lời giải" not in page.text and 'class="key"' not in page.text
    api.post(f"/api/v1/attempts/{attempt}/submit")
    owner = Browser(app, _record(app, t))
    detail = owner.get(f"/quizzes/{quiz['id']}")
    assert detail.status_code == 200 and "Cronbach" in detail.text
    review = owner.get(f"/attempts/{attempt}")
    assert 'class="key"' in review.text  # the teacher sees the key


def _record(app, client):
    from tests.conftest import Record

    return Record(email=client.get("/api/v1/me").get_json()["user"]["email"])


def test_class_form_creates_a_class(app, people, make_user):
    teacher_user = make_user("teacher")
    pupil = make_user("student")
    page = Browser(app, teacher_user)
    assert pupil.email in page.get("/classes").text
    made = page.post("/classes", {"name": "6A3", "student_ids": str(pupil.id)})
    assert made.status_code == 302
    assert "6A3" in page.get("/classes").text
    empty = page.post("/classes", {"name": " "})
    assert empty.status_code == 422
    assert page.post("/classes", {"name": "6A4"}, csrf=False).status_code == 400


def _submitted(app, people, make_user, answer="A"):
    """A published one-question quiz (key B) that a student took and submitted."""
    from tests.conftest import ApiClient

    t, c = people["teacher"], people["curator"]
    qid = publish(t, c)
    student_user = make_user("student")
    quiz = published_quiz(t, [qid], student_user.org_id)
    api = ApiClient(app.test_client(), student_user)
    attempt = api.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()["id"]
    slot = slots_by_question(quiz)[qid]
    save(api, attempt, slot, answer, 1)
    api.post(f"/api/v1/attempts/{attempt}/submit")
    return quiz, qid, attempt, slot, student_user


def test_override_form_with_reason_and_history(app, people, make_user):
    quiz, _qid, attempt, slot, student_user = _submitted(app, people, make_user)
    owner = Browser(app, _record(app, people["teacher"]))
    page = owner.get(f"/attempts/{attempt}").text
    url = f"/attempts/{attempt}/answers/{slot}/override"
    assert f'action="{url}"' in page and "Chưa có thay đổi điểm nào" in page
    assert owner.post(url, {"points": "0,5", "reason": "Ý đúng một phần"}, csrf=False)
    refused = owner.post(url, {"points": "5", "reason": "Quá điểm tối đa"})
    assert refused.status_code == 302  # shown as a message on the attempt page
    assert "Điểm tối đa của câu này là 1.0" in owner.get(f"/attempts/{attempt}").text
    done = owner.post(url, {"points": "0,5", "reason": "Ý đúng một phần"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"#q{slot}")
    page = owner.get(f"/attempts/{attempt}").text
    assert "Đã lưu điểm chấm tay. Điểm bài: 0.5 / 1.0" in page
    assert "0.0 → 0.5" in page and "Ý đúng một phần" in page
    assert owner.post(url, {"points": "", "reason": "Bỏ chấm tay"}).status_code == 302
    history = owner.get(f"/attempts/{attempt}").text
    assert history.count('class="score-event"') == 2 and "0.5 → 0.0" in history
    student = Browser(app, student_user)
    mine = student.get(f"/attempts/{attempt}").text
    assert "override-form" not in mine and "score-history" not in mine
    assert student.post(url, {"points": "1", "reason": "tự chấm"}).status_code == 404
    stranger = Browser(app, make_user("teacher"))
    assert (
        stranger.post(
            url, {"points": "1", "reason": "không phải đề của tôi"}
        ).status_code
        == 404
    )


def test_regrade_form_pins_the_correction_and_shows_changed_scores(
    app, people, make_user
):
    t, c = people["teacher"], people["curator"]
    quiz, qid, attempt, _slot, student_user = _submitted(app, people, make_user)
    owner = Browser(app, _record(app, t))
    detail = owner.get(f"/quizzes/{quiz['id']}").text
    assert "Không câu hỏi nào của đề có phiên bản sửa mới hơn" in detail
    fixed = t.post(f"/api/v1/questions/{qid}/versions").get_json()["id"]
    item = t.get(f"/api/v1/questions/{fixed}").get_json()["item"]
    t.patch(f"/api/v1/questions/{fixed}", {"item": {**item, "correct": ["A"]}})
    t.post(f"/api/v1/questions/{fixed}/submit")
    c.post(f"/api/v1/questions/{fixed}/publish")
    detail = owner.get(f"/quizzes/{quiz['id']}").text
    assert f'name="new_question_id" value="{fixed}"' in detail
    url = f"/quizzes/{quiz['id']}/regrade"
    bad = owner.post(url, {"question_id": str(qid), "new_question_id": "999999"})
    assert bad.status_code == 302 and bad.headers["Location"].endswith("#regrade")
    summary = owner.post(url, {"question_id": str(qid), "new_question_id": str(fixed)})
    assert summary.status_code == 200
    assert "Đã chấm lại 1 bài; 1 bài thay đổi điểm." in summary.text
    assert f'href="/attempts/{attempt}"' in summary.text
    assert "<td>0.0</td><td>1.0</td>" in summary.text
    again = owner.post(url, {})
    assert "Đã chấm lại 1 bài; 0 bài thay đổi điểm." in again.text
    history = owner.get(f"/attempts/{attempt}").text
    assert f"Chấm lại sau khi sửa câu hỏi #{qid} → #{fixed}" in history
    assert Browser(app, make_user("teacher")).post(url, {}).status_code == 404
    assert Browser(app, student_user).post(url, {}).status_code == 403
