"""Delivery: no keys, idempotent and ordered saves, two tabs, deadlines, restarts."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from repo_server.extensions import db
from repo_server.quizzes.delivery import sweep
from repo_server.quizzes.models import Answer, Attempt
from repo_server.timeutil import utcnow
from tests.server.quiz_helpers import (
    FileApp,
    publish,
    published_quiz,
    save,
    slots_by_question,
)


def _setup(people, **settings):
    t, c = people["teacher"], people["curator"]
    ids = [publish(t, c), publish(t, c, "true_false_cluster"), publish(t, c, "numeric")]
    org = people["student"].get("/api/v1/me").get_json()["user"]["org_id"]
    quiz = published_quiz(t, ids, org, **settings)
    return quiz, slots_by_question(quiz), ids


def _start(client, quiz):
    response = client.post(f"/api/v1/quizzes/{quiz['id']}/start")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _stored(app, attempt_id):
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id))
        return {a.quiz_question_id: (a.response, a.seq) for a in rows}


def test_started_attempt_carries_no_keys(people):
    quiz, _slots, _ids = _setup(people, time_limit_minutes=20)
    attempt = _start(people["student"], quiz)
    assert attempt["state"] == "in_progress"
    assert 1190 < attempt["remaining_seconds"] <= 1200
    text = str(attempt)
    assert "correct" not in text and "explanation" not in text
    assert "Lời giải" not in text and "numeric" not in str(
        [q["item"].keys() for q in attempt["questions"]]
    )
    assert "score" not in attempt
    again = _start(people["student"], quiz)  # a reload continues the same attempt
    assert again["id"] == attempt["id"]
    assert again["deadline_at"] == attempt["deadline_at"]


def test_duplicate_and_out_of_order_saves(app, people):
    quiz, slots, ids = _setup(people)
    student = people["student"]
    attempt = _start(student, quiz)["id"]
    slot = slots[ids[0]]
    first = save(student, attempt, slot, "A", 5)
    assert first.status_code == 200 and first.get_json()["applied"] is True
    duplicate = save(student, attempt, slot, "A", 5)
    assert duplicate.status_code == 200
    assert duplicate.get_json() | {"saved_at": None} == {
        "applied": False, "seq": 5, "response": "A", "saved_at": None,
    }  # fmt: skip
    late = save(student, attempt, slot, "B", 3)  # an older request arriving last
    assert late.status_code == 200 and late.get_json()["applied"] is False
    assert late.get_json()["response"] == "A"
    assert _stored(app, attempt) == {slot: ("A", 5)}
    newer = save(student, attempt, slot, "B", 6)
    assert newer.get_json()["applied"] is True
    assert _stored(app, attempt) == {slot: ("B", 6)}


def test_bad_saves_are_clear_4xx(people):
    quiz, slots, ids = _setup(people)
    student = people["student"]
    attempt = _start(student, quiz)["id"]
    slot = slots[ids[0]]
    assert save(student, attempt, slot, {"a": "yes"}, 1).status_code == 422
    assert save(student, attempt, slot, "A", 0).status_code == 422
    assert save(student, attempt, 999999, "A", 1).status_code == 404
    other = people["other"]
    assert save(other, attempt, slot, "A", 1).status_code == 404


def test_two_tabs_share_one_attempt(app, people):
    quiz, slots, ids = _setup(people)
    tab1 = people["student"]
    me = tab1.get("/api/v1/me").get_json()["user"]
    from tests.conftest import ApiClient

    tab2 = ApiClient(app.test_client())
    tab2.csrf = tab2.post(
        "/api/v1/session", {"email": me["email"], "password": "mat-khau-1"}
    ).get_json()["csrf_token"]
    a1, a2 = _start(tab1, quiz), _start(tab2, quiz)
    assert a1["id"] == a2["id"]
    s1, s2 = slots[ids[0]], slots[ids[1]]
    assert save(tab1, a1["id"], s1, "A", 10).get_json()["applied"]
    assert save(tab2, a1["id"], s2, {"a": True, "b": False}, 11).get_json()["applied"]
    assert save(tab2, a1["id"], s1, "B", 12).get_json()["applied"]
    stale = save(tab1, a1["id"], s1, "A", 11).get_json()  # tab 1 had not seen tab 2
    assert stale == stale | {"applied": False, "seq": 12, "response": "B"}
    reloaded = tab1.get(f"/api/v1/attempts/{a1['id']}").get_json()
    answers = {
        q["slot"]: q["answer"]["response"] for q in reloaded["questions"] if q["answer"]
    }
    assert answers == {s1: "B", s2: {"a": True, "b": False}}


def _expire(app, attempt_id, seconds=60):
    with app.app_context():
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id)
            .values(deadline_at=utcnow() - timedelta(seconds=seconds))
        )
        db.session.commit()


def test_save_after_the_deadline_is_refused_and_reported(app, people):
    quiz, slots, ids = _setup(people, time_limit_minutes=10)
    student, teacher = people["student"], people["teacher"]
    attempt = _start(student, quiz)["id"]
    assert save(student, attempt, slots[ids[0]], "B", 1).status_code == 200
    _expire(app, attempt)
    late = save(student, attempt, slots[ids[2]], "2,5", 2)
    assert late.status_code == 409
    assert late.get_json()["error"]["code"] == "attempt_closed"
    assert "không được ghi nhận" in late.get_json()["error"]["message"]
    assert _stored(app, attempt) == {slots[ids[0]]: ("B", 1)}
    seen = teacher.get(f"/api/v1/attempts/{attempt}").get_json()
    assert seen["state"] == "submitted" and seen["submitted_by"] == "deadline"
    assert seen["refused_saves"] == 1 and seen["score"] == 1.0
    assert student.post(f"/api/v1/attempts/{attempt}/submit").status_code == 200


def test_sweep_closes_attempts_past_their_deadline(app, people):
    quiz, slots, ids = _setup(people, time_limit_minutes=10)
    attempt = _start(people["student"], quiz)["id"]
    save(people["student"], attempt, slots[ids[2]], "2,5", 1)
    _expire(app, attempt)
    with app.app_context():
        assert sweep() == 1
        row = db.session.get(Attempt, attempt)
        assert (row.state, row.submitted_by, row.score) == (
            "submitted",
            "deadline",
            1.0,
        )
        assert sweep() == 0


def test_attempts_are_limited_and_submit_is_idempotent(people):
    quiz, _slots, _ids = _setup(people, max_attempts=2)
    student = people["student"]
    first = _start(student, quiz)["id"]
    assert student.post(f"/api/v1/attempts/{first}/submit").status_code == 200
    again = student.post(f"/api/v1/attempts/{first}/submit")
    assert again.status_code == 200 and again.get_json()["state"] == "submitted"
    second = _start(student, quiz)
    assert second["id"] != first and second["number"] == 2
    student.post(f"/api/v1/attempts/{second['id']}/submit")
    third = student.post(f"/api/v1/quizzes/{quiz['id']}/start")
    assert third.status_code == 409


def test_quiz_window_is_enforced(people):
    later = (utcnow() + timedelta(hours=1)).isoformat(timespec="seconds")
    quiz, _slots, _ids = _setup(people, opens_at=later)
    response = people["student"].post(f"/api/v1/quizzes/{quiz['id']}/start")
    assert response.status_code == 409
    assert "chưa mở" in response.get_json()["error"]["message"]


def test_acknowledged_answers_survive_a_server_restart(tmp_path, make_test_app_on_file):
    """Saves acknowledged by one server process are read back by a new process."""
    first = make_test_app_on_file()
    ids = first.prepare()
    client = first.client()
    for n, (slot, response) in enumerate(ids["answers"].items(), start=1):
        assert save(client, ids["attempt"], slot, response, n).status_code == 200
    first.stop()  # the process ends: pooled connections are closed, nothing flushed
    second = make_test_app_on_file()
    seen = second.client().get(f"/api/v1/attempts/{ids['attempt']}").get_json()
    got = {q["slot"]: q["answer"]["response"] for q in seen["questions"] if q["answer"]}
    assert got == ids["answers"]


@pytest.fixture
def make_test_app_on_file(tmp_path):
    """``make()`` starts another app "process" on the same file database."""
    made = []

    def make():
        made.append(FileApp(tmp_path))
        return made[-1]

    yield make
    for one in made:
        one.stop()
