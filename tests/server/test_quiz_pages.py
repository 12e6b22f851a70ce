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
