"""The server closes attempts at their deadline by itself (no cron, no CLI)."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from repo_server.extensions import db
from repo_server.quizzes import sweeper
from repo_server.quizzes.models import Attempt
from repo_server.timeutil import utcnow
from tests.server.quiz_helpers import FileApp, save


@pytest.fixture
def served(tmp_path):
    """A prepared quiz on a file database, and a second "server process" over it."""
    first = FileApp(tmp_path)
    ids = first.prepare()
    client = first.client()
    for n, (slot, response) in enumerate(ids["answers"].items(), start=1):
        assert save(client, ids["attempt"], slot, response, n).status_code == 200
    with first.app.app_context():
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == ids["attempt"])
            .values(deadline_at=utcnow() - timedelta(seconds=30))
        )
        db.session.commit()
    first.stop()
    server = FileApp(tmp_path, TESTING=False, QUIZ_SWEEP_SECONDS=0.05)
    yield server, ids
    sweeper.stop()
    server.stop()


def _attempt(server, attempt_id):
    with server.app.app_context():
        row = db.session.get(Attempt, attempt_id)
        return row.state, row.submitted_by, row.score, row.submitted_at, row.deadline_at


def test_the_server_submits_an_attempt_past_its_deadline(served):
    server, ids = served
    assert _attempt(server, ids["attempt"])[0] == "in_progress"
    # Any request starts the process's sweep; nobody touches the attempt itself.
    assert server.app.test_client().get("/api/v1/health").status_code == 200
    for _ in range(100):
        state, by, score, submitted_at, deadline = _attempt(server, ids["attempt"])
        if state == "submitted":
            break
        time.sleep(0.05)
    assert (state, by) == ("submitted", "deadline")
    assert submitted_at == deadline  # closed as of its deadline, not of the sweep
    assert score == 2.0  # both saved answers (B, 2,5) count


def test_one_sweep_thread_per_process_and_none_in_tests(served, app):
    server, _ids = served
    first = sweeper.start(server.app, 60)
    assert sweeper.start(server.app, 60) is first
    assert not any(
        f.__name__ == "start_quiz_sweeper"
        for f in app.before_request_funcs.get(None, [])
    )  # the test app (TESTING) sweeps only when a test asks


def test_two_processes_closing_one_attempt_have_one_winner(served, tmp_path):
    from repo_server.quizzes.delivery import finish
    from repo_server.quizzes.models import Quiz

    server, ids = served
    other = FileApp(tmp_path)
    try:
        with server.app.app_context():
            mine = db.session.get(Attempt, ids["attempt"])
            with other.app.app_context():  # both saw it open
                theirs = db.session.get(Attempt, ids["attempt"])
                assert theirs.state == mine.state == "in_progress"
                finish(theirs, db.session.get(Quiz, ids["quiz"]), "deadline")
            finish(mine, db.session.get(Quiz, ids["quiz"]), "student")
    finally:
        other.stop()
    assert _attempt(server, ids["attempt"])[:3] == ("submitted", "deadline", 2.0)
    assert sweeper.sweep_once(server.app) == 0
