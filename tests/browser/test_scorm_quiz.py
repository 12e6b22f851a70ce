"""The exported quiz SCO in Chromium: it scores exactly like ``qti.scoring`` and, run in
our player (scorm-again), reports the right score, pass/fail and completion."""

import io

import pytest

from qti import score
from scorm.quiz import write_quiz_sco
from tests.browser.conftest import USERS, login
from tests.qti.factories import make_items

pytestmark = pytest.mark.browser

ITEMS = make_items()
RIGHT = {
    "single_choice": "A",
    "multiple_response": ["A", "C"],
    "true_false": "true",
    "true_false_cluster": {"a": True, "b": False, "c": False, "d": True},
    "numeric": "3,14",
    "numeric_integer": "3",
}
WRONG = {
    "single_choice": "B",
    "multiple_response": ["A", "B"],
    "true_false": "false",
    "true_false_cluster": {"a": True, "b": True, "c": False, "d": False},
    "numeric": "3.2",
    "numeric_integer": "4",
}
#: Responses whose scores the page and qti.scoring must agree on.
PROBES = {
    "single_choice": ["A", "B", "", None],
    "multiple_response": [["A", "C"], ["C", "A"], ["A"], ["A", "C", "D"], []],
    "true_false": ["true", "false"],
    "true_false_cluster": [
        {"a": True, "b": False, "c": False, "d": True},
        {"a": True},
        {"a": True, "b": False},
        {"a": True, "b": False, "c": False},
        {"a": False, "b": True, "c": True, "d": False},
    ],
    "numeric": [
        "3,14",
        "3.144",
        "3.146",
        "3,1",
        " 3 . 14 ",
        "0x10",
        "abc",
        "1e400",
        "",
    ],
    "numeric_integer": ["3", "3.0", "+3", "4", "3,0000000001"],
}


@pytest.fixture
def page(chromium, live_server):
    """A teacher's tab in which script errors fail the test."""
    context = chromium.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    # The factory items show images the quiz SCO does not carry (their 404 is expected).
    tab.on(
        "console",
        lambda m: m.type == "error" and "404" not in m.text and problems.append(m.text),
    )
    login(tab, live_server.url, USERS["teacher"])
    yield tab
    context.close()
    assert not problems, problems


def _import_quiz(tab, base: str, version: str) -> int:
    buffer = io.BytesIO()
    write_quiz_sco(ITEMS.values(), buffer, version, "Kiểm tra 15 phút")
    csrf = tab.locator('meta[name="csrf-token"]').get_attribute("content")
    response = tab.request.post(
        base + "/api/v1/scorm/imports",
        multipart={"file": {"name": "quiz.zip", "mimeType": "application/zip",
                            "buffer": buffer.getvalue()}},
        headers={"X-CSRFToken": csrf},
    )  # fmt: skip
    assert response.status == 201, response.text()
    return response.json()["material"]["id"]


def _answer(frame, item, response) -> None:
    box = frame.locator(f'fieldset[data-id="{item.identifier}"]')
    if item.type == "numeric":
        box.locator("input").fill(response)
    elif item.type == "true_false_cluster":
        for statement, value in response.items():
            name_part = f'-{statement}"][value="{str(value).lower()}"]'
            box.locator(f'input[name$="{name_part}').check()
    else:
        for value in [response] if isinstance(response, str) else response:
            box.locator(f'input[value="{value}"]').check()


def _run(tab, base: str, material_id: int, answers: dict) -> dict:
    tab.goto(f"{base}/materials/{material_id}/play")
    tab.evaluate(
        """() => { window.finalCommit = null;
          document.getElementById("scorm-player").addEventListener("scorm:saved",
            (e) => { if (e.detail.finished) window.finalCommit = e.detail; }); }"""
    )
    frame = tab.frame_locator("#scorm-frame")
    frame.locator("#submit").wait_for()
    for kind, item in ITEMS.items():
        _answer(frame, item, answers[kind])
    frame.locator("#submit").click()
    tab.wait_for_function("() => window.finalCommit !== null")
    return tab.evaluate("() => window.finalCommit")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_quiz_reports_full_and_partial_scores(page, live_server, version):
    material_id = _import_quiz(page, live_server.url, version)
    right = _run(page, live_server.url, material_id, RIGHT)
    assert right["completion_status"] == "completed"
    assert right["success_status"] == "passed"
    assert right["score_scaled"] == 1.0
    assert right["score_raw"] == (100 if version == "1.2" else len(ITEMS))

    changed = ("single_choice", "numeric", "true_false_cluster")
    answers = {**RIGHT, **{kind: WRONG[kind] for kind in changed}}
    expected = sum(score(ITEMS[k], answers[k]).points for k in ITEMS)
    lower = _run(page, live_server.url, material_id, answers)
    assert lower["number"] == right["number"] + 1  # a finished quiz starts anew
    assert lower["score_scaled"] == pytest.approx(expected / len(ITEMS), abs=1e-4)
    assert lower["success_status"] == "passed" and expected < len(ITEMS)

    wrong = _run(page, live_server.url, material_id, WRONG)
    expected = sum(score(ITEMS[k], WRONG[k]).points for k in ITEMS)
    assert wrong["score_scaled"] == pytest.approx(expected / len(ITEMS), abs=1e-4)
    assert wrong["success_status"] == "failed"


def test_page_scores_exactly_like_qti_scoring(page, live_server):
    material_id = _import_quiz(page, live_server.url, "2004")
    page.goto(f"{live_server.url}/materials/{material_id}/play")
    page.frame_locator("#scorm-frame").locator("#submit").wait_for()
    frame = next(f for f in page.frames if "/scorm/content/" in f.url)
    frame.wait_for_function("() => typeof window.quizScore === 'function'")
    questions = frame.evaluate(
        "() => JSON.parse(document.getElementById('quiz-data').textContent).questions"
    )
    by_id = {q["id"]: q for q in questions}
    for kind, responses in PROBES.items():
        item = ITEMS[kind]
        for response in responses:
            for points in (1.0, 2.5):
                expected = score(item, response, points).points
                got = frame.evaluate(
                    "([q, r, p]) => window.quizScore(q, r, p)",
                    [by_id[item.identifier], response, points],
                )
                assert got == pytest.approx(expected, abs=1e-9), (kind, response)
