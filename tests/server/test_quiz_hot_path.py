"""The quiz's hot path under load: one-statement saves that still check the user,
no audit line or cookie per answer, and a lost database connection answered 503."""

from sqlalchemy import event, select, update
from sqlalchemy.exc import OperationalError

from repo_server.accounts.models import User
from repo_server.curation.models import AuditEntry
from repo_server.extensions import db
from repo_server.quizzes import delivery
from repo_server.quizzes.models import Answer
from tests.server.quiz_helpers import publish, published_quiz, save, slots_by_question


def _started(people):
    teacher, curator = people["teacher"], people["curator"]
    ids = [publish(teacher, curator), publish(teacher, curator, "numeric")]
    org = people["student"].get("/api/v1/me").get_json()["user"]["org_id"]
    quiz = published_quiz(teacher, ids, org, time_limit_minutes=30)
    response = people["student"].post(f"/api/v1/quizzes/{quiz['id']}/start")
    assert response.status_code == 200, response.get_json()
    return response.get_json(), slots_by_question(quiz), ids


class Statements:
    """Counts the SQL statements the app sends while active."""

    def __init__(self, app):
        self.engine, self.sql = None, []
        with app.app_context():
            self.engine = db.engine

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args):
        self.sql.append(statement)


def test_a_save_is_one_statement_and_writes_no_audit_line(app, people):
    attempt, slots, ids = _started(people)
    with Statements(app) as seen:
        response = save(people["student"], attempt["id"], slots[ids[0]], "B", 5)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["applied"] is True
    assert len(seen.sql) == 1 and seen.sql[0].lstrip().upper().startswith("INSERT")
    assert "set-cookie" not in {k.lower() for k in response.headers.keys()}
    submitted = people["student"].post(f"/api/v1/attempts/{attempt['id']}/submit")
    assert submitted.get_json()["state"] == "submitted"
    assert submitted.get_json()["score"] == 1.0  # after_submit review: scored at once
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry.object_id)).all()
    assert not {"api.save_answer", "api.start_attempt", "api.submit_attempt"} & set(
        rows
    )


def test_a_deactivated_student_cannot_save_with_a_live_session(app, people):
    attempt, slots, ids = _started(people)
    student = people["student"]
    email = student.get("/api/v1/me").get_json()["user"]["email"]
    with app.app_context():
        db.session.execute(update(User).where(User.email == email).values(active=False))
        db.session.commit()
    response = save(student, attempt["id"], slots[ids[0]], "B", 5)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    with app.app_context():
        assert db.session.scalars(select(Answer)).all() == []
        refused = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_id == "api.save_answer")
        ).all()
    assert refused == ["denied"]  # a refusal is still audited


def test_someone_elses_attempt_is_not_found_and_a_stale_save_is_told(api, people):
    attempt, slots, ids = _started(people)
    intruder = api("student")
    response = save(intruder, attempt["id"], slots[ids[0]], "B", 5)
    assert response.status_code == 404
    student = people["student"]
    assert save(student, attempt["id"], slots[ids[1]], "5", 9).status_code == 200
    stale = save(student, attempt["id"], slots[ids[1]], "4", 8).get_json()
    assert stale == {**stale, "applied": False, "seq": 9, "response": "5"}


def test_a_save_without_session_or_csrf_is_refused(api, people):
    attempt, slots, ids = _started(people)
    anonymous = api()
    assert save(anonymous, attempt["id"], slots[ids[0]], "B", 5).status_code == 401
    student = people["student"]
    student.csrf = "forged"
    response = save(student, attempt["id"], slots[ids[0]], "B", 5)
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]["message"]


def test_a_lost_database_connection_is_a_503_to_retry(app, people, monkeypatch):
    attempt, slots, ids = _started(people)

    def dropped(*_args):
        raise OperationalError(
            "INSERT",
            {},
            Exception("server closed the connection"),
            connection_invalidated=True,
        )

    app.testing = False  # unexpected errors become responses, as in production
    monkeypatch.setattr(delivery, "save", dropped)
    response = save(people["student"], attempt["id"], slots[ids[0]], "B", 5)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    monkeypatch.undo()
    app.testing = True
    assert (
        save(people["student"], attempt["id"], slots[ids[0]], "B", 6).status_code == 200
    )


def test_the_session_cookie_is_not_resent_on_every_request(api):
    student = api("student")
    response = student.get("/api/v1/me")
    assert response.status_code == 200
    assert response.get_json()["user"]["role"] == "student"
    assert "set-cookie" not in {k.lower() for k in response.headers.keys()}
