"""The quiz builder in a real browser: shortages shown, a draft saved and published."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def published_id(live_server):
    """One published single-choice question of Toán 6."""
    from repo_server.accounts.service import find_user
    from repo_server.questions.service import create_question, transition_question
    from tests.browser.conftest import USERS
    from tests.conftest import question_payload

    app = live_server.app
    with app.app_context(), app.test_request_context():
        teacher, curator = find_user(USERS["teacher"]), find_user(USERS["curator"])
        question = create_question(teacher, question_payload(cognitive_level="VD"))
        transition_question(teacher, question.id, "submit", None)
        transition_question(curator, question.id, "publish", None)
        return question.id


@pytest.fixture
def teacher_page(lenient_page):
    """The teacher's tab (refused requests expected, script errors not): the shared one."""
    return lenient_page


def test_builder_names_shortages_then_saves_and_publishes(
    teacher_page, live_server, published_id
):
    page = teacher_page
    page.goto(live_server.url + "/quizzes/new")
    page.fill('input[name="title"]', "Kiểm tra 15 phút")
    page.select_option('select[name="subject"]', "TOAN")
    page.select_option('select[name="grade"]', "6")
    page.check('input[name="my_school"]')
    cell = page.locator(".cell").first
    cell.locator('select[name="level"]').select_option("VDC")
    cell.locator('input[name="count"]').fill("3")
    cell.locator('input[name="count"]').dispatch_event("change")
    page.wait_for_function(
        "() => document.querySelector('.cell .available').textContent === '0'"
    )
    page.click("#quiz-form button[type=submit]")
    message = page.locator("#builder-message")
    message.wait_for()
    assert "Vận dụng cao" in message.inner_text() and "thiếu 3" in message.inner_text()
    page.click(".remove-cell")
    page.fill('input[name="question_ids"]', str(published_id))
    page.click("#quiz-form button[type=submit]")
    page.wait_for_url("**/quizzes/*")
    page.click("button[data-action=publish]")
    page.locator("button[data-action=close]").wait_for()
    assert "Tải kết quả" in page.content()
