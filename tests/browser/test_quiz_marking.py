"""A teacher marks in a real browser: override with a reason and its history, regrade
after a question correction with the changed scores, and the quiz's export."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted(live_server):
    """A published quiz (key B) the student answered A and submitted; its question id."""
    from repo_server.accounts.service import find_user
    from repo_server.questions.service import create_question, transition_question
    from repo_server.quizzes import delivery
    from repo_server.quizzes.service import create_quiz, publish_quiz
    from tests.browser.conftest import USERS
    from tests.conftest import question_payload

    app = live_server.app
    with app.app_context(), app.test_request_context():
        teacher, curator = find_user(USERS["teacher"]), find_user(USERS["curator"])
        student = find_user(USERS["student"])
        question = create_question(teacher, question_payload())
        transition_question(teacher, question.id, "submit", None)
        transition_question(curator, question.id, "publish", None)
        quiz = create_quiz(teacher, {
            "title": "Kiểm tra chấm tay", "subject": "TOAN", "grade": "6",
            "parts": [{"title": "Phần I", "points": 1.0,
                       "question_ids": [question.id], "blueprint": []}],
            "time_limit_minutes": None, "opens_at": None, "closes_at": None,
            "max_attempts": 1, "shuffle_questions": False, "shuffle_options": False,
            "review": "after_submit", "show_explanations": True, "class_ids": [],
            "school_ids": [teacher.org_id],
        })  # fmt: skip
        quiz = publish_quiz(teacher, quiz.id)
        attempt, _quiz, _fresh = delivery.start(student, quiz.id)
        delivery.save(student.id, attempt.id, attempt.order[0], "A", 1)
        delivery.submit(student, attempt.id)
        return {"quiz": quiz.id, "attempt": attempt.id, "question": question.id}


def _publish_correction(live_server, question_id) -> int:
    """A new version of the question with the key corrected to A, published."""
    from repo_server.accounts.service import find_user
    from repo_server.questions.service import (
        new_version,
        transition_question,
        update_question,
    )
    from tests.browser.conftest import USERS

    app = live_server.app
    with app.app_context(), app.test_request_context():
        teacher, curator = find_user(USERS["teacher"]), find_user(USERS["curator"])
        fixed = new_version(teacher, question_id)
        update_question(teacher, fixed.id, {"item": {**fixed.item, "correct": ["A"]}})
        transition_question(teacher, fixed.id, "submit", None)
        transition_question(curator, fixed.id, "publish", None)
        return fixed.id


def test_regrade_then_override_then_export(open_page, live_server, submitted):
    fixed = _publish_correction(live_server, submitted["question"])
    page = open_page("teacher")
    page.goto(f"{live_server.url}/quizzes/{submitted['quiz']}")
    page.click("form.regrade-correction button[type=submit]")
    summary = page.locator("#regrade-summary")
    summary.wait_for()
    assert f"#{fixed}" in summary.inner_text()
    assert "Đã chấm lại 1 bài; 1 bài thay đổi điểm." in summary.inner_text()
    assert "0.0" in summary.inner_text() and "1.0" in summary.inner_text()

    page.click(f"#regrade-summary a[href='/attempts/{submitted['attempt']}']")
    marking = page.locator("details.override").first
    marking.locator("summary").click()
    marking.locator("input[name=points]").fill("0,5")
    marking.locator("textarea[name=reason]").fill("Lập luận đúng một nửa")
    marking.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Điểm bài: 0.5 / 1.0" in page.locator(".flash").inner_text()
    rows = page.locator("#score-history .score-event")
    assert rows.count() == 2
    assert f"#{submitted['question']} → #{fixed}" in rows.nth(0).inner_text()
    assert "Lập luận đúng một nửa" in rows.nth(1).inner_text()
    assert "1.0 → 0.5" in rows.nth(1).inner_text()
    assert "Lập luận đúng một nửa" in page.locator("details.override").inner_text()

    page.goto(f"{live_server.url}/quizzes/{submitted['quiz']}")
    page.click("#quiz-export")
    page.select_option("select[name=format]", "qti21")
    page.click("#export-form button[type=submit]")
    link = page.locator("#export-download")
    link.wait_for(state="visible")
    assert "1" in page.locator("#export-status").inner_text()
    assert link.get_attribute("href").startswith("/api/v1/jobs/")
