"""Taking a quiz in a real browser: answers made offline survive, are sent, and reload."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz_id(live_server):
    """A published quiz of three questions for the browser tests' school."""
    from repo_server.accounts.service import find_user
    from repo_server.questions.service import create_question, transition_question
    from repo_server.quizzes.service import create_quiz, publish_quiz
    from tests.browser.conftest import USERS
    from tests.conftest import question_payload

    app = live_server.app
    with app.app_context(), app.test_request_context():
        teacher, curator = find_user(USERS["teacher"]), find_user(USERS["curator"])
        ids = []
        for qtype in ("single_choice", "true_false_cluster", "numeric"):
            question = create_question(teacher, question_payload(qtype))
            transition_question(teacher, question.id, "submit", None)
            transition_question(curator, question.id, "publish", None)
            ids.append(question.id)
        quiz = create_quiz(teacher, {
            "title": "Kiểm tra mất mạng", "subject": "TOAN", "grade": "6",
            "parts": [{"title": "Phần I", "points": 1.0, "question_ids": ids,
                       "blueprint": []}],
            "time_limit_minutes": 30, "opens_at": None, "closes_at": None,
            "max_attempts": 1, "shuffle_questions": False, "shuffle_options": False,
            "review": "after_close", "show_explanations": True, "class_ids": [],
            "school_ids": [teacher.org_id],
        })  # fmt: skip
        return publish_quiz(teacher, quiz.id).id


@pytest.fixture
def student_page(chromium, live_server):
    """The student's tab; dropped requests are expected (offline), script errors not."""
    from tests.browser.conftest import USERS, login

    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    login(page, live_server.url, USERS["student"])
    yield page
    context.close()
    assert not errors


def _states(page):
    return page.eval_on_selector_all(
        ".save-state", "els => els.map(e => e.dataset.state)"
    )


def _answer_all(page):
    boxes = page.locator(".quiz-q")
    boxes.nth(0).locator('input[value="B"]').check()
    cluster = boxes.nth(1)
    for statement, value in (
        ("a", "true"),
        ("b", "false"),
        ("c", "true"),
        ("d", "true"),
    ):
        cluster.locator(f'input[data-statement="{statement}"][value="{value}"]').check()
    boxes.nth(2).locator("input").fill("2,5")


def _assert_answers_shown(page):
    boxes = page.locator(".quiz-q")
    assert boxes.nth(0).locator('input[value="B"]').is_checked()
    cluster = boxes.nth(1)
    assert cluster.locator('input[data-statement="b"][value="false"]').is_checked()
    assert cluster.locator('input[data-statement="d"][value="true"]').is_checked()
    assert boxes.nth(2).locator("input").input_value() == "2,5"


def _stored(live_server, quiz_id):
    from sqlalchemy import select

    from repo_server.extensions import db
    from repo_server.quizzes.models import Answer, Attempt

    with live_server.app.app_context():
        rows = db.session.scalars(
            select(Answer)
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .where(Attempt.quiz_id == quiz_id)
        )
        return [a.response for a in rows]


def test_offline_answers_are_kept_sent_and_present_after_reload(
    student_page, live_server, quiz_id
):
    page = student_page
    page.goto(f"{live_server.url}/quizzes/{quiz_id}")
    page.click("button[data-action=start]")
    page.wait_for_url("**/attempts/*")
    assert page.locator("#timer").inner_text().startswith(("29:", "30:"))
    page.context.set_offline(True)
    _answer_all(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.save-state')]"
        ".every(e => e.dataset.state === 'offline')"
    )
    assert _stored(live_server, quiz_id) == []
    page.context.set_offline(False)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.save-state')]"
        ".every(e => e.dataset.state === 'saved')",
        timeout=15_000,
    )
    page.reload()
    _assert_answers_shown(page)
    assert _states(page) == ["saved", "saved", "saved"]
    stored = _stored(live_server, quiz_id)
    assert "B" in stored and "2,5" in stored
    assert {"a": True, "b": False, "c": True, "d": True} in stored


def test_reload_before_the_network_returns_keeps_unsent_answers(
    student_page, live_server, quiz_id
):
    page = student_page
    page.goto(f"{live_server.url}/quizzes/{quiz_id}")
    page.click("button[data-action=start]")
    page.wait_for_url("**/attempts/*")
    url = page.url
    page.context.set_offline(True)
    _answer_all(page)
    page.wait_for_function(
        "() => document.querySelector('.save-state').dataset.state === 'offline'"
    )
    # Back online, the tab is reloaded at once (before the retry timer fires):
    # the page shows the unsent answers from the browser's storage and sends them.
    page.route(
        "**/answers/*", lambda route: route.abort()
    )  # still failing for a moment
    page.context.set_offline(False)
    page.goto(url)
    _assert_answers_shown(page)
    page.unroute("**/answers/*")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.save-state')]"
        ".every(e => e.dataset.state === 'saved')",
        timeout=15_000,
    )
    page.reload()
    _assert_answers_shown(page)
