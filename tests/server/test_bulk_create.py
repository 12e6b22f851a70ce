"""Bulk creation (imports): rows, history and audit in one transaction; indexing after it."""

import time

import pytest
from sqlalchemy import func, select

from repo_server.accounts.models import User
from repo_server.backends import SEARCH, get_search
from repo_server.catalog import outbox
from repo_server.catalog.models import SearchOutbox
from repo_server.curation.models import AuditEntry
from repo_server.extensions import db
from repo_server.lifecycle.models import ContentEvent
from repo_server.questions import service as questions
from repo_server.questions.models import Question
from search import Query, Visibility, from_url
from tests.conftest import question_payload


def _payloads(count: int, word: str) -> list[dict]:
    datas = []
    for n in range(count):
        data = question_payload()
        data["item"] = {**data["item"], "stem": f"Câu {word} số {n}"}
        datas.append(data)
    return datas


def _found(user_id: int, text: str) -> int:
    query = Query(text=text, visibility=Visibility(own_author_id=user_id))
    return get_search().search(query).total


def test_an_empty_batch_creates_nothing(app, make_user):
    teacher = make_user("teacher")
    with app.test_request_context():
        user = db.session.get(User, teacher.id)
        before = db.session.scalar(select(func.count(Question.id)))
        assert questions.create_questions(user, []) == []
        assert db.session.scalar(select(func.count(Question.id))) == before


@pytest.fixture
def handed_off(app, monkeypatch):
    """Large batches go to a background thread, captured here instead of started."""
    threads = []

    class Captured:
        def __init__(self, target, args, name):
            self.run = lambda: target(*args)

        def start(self):
            threads.append(self)

    monkeypatch.setitem(app.config, "SEARCH_BACKGROUND_ITEMS", 3)
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setattr(outbox.threading, "Thread", Captured)
    return threads


def test_each_created_question_has_its_lineage_history_audit_and_document(
    app, make_user
):
    teacher = make_user("teacher")
    with app.test_request_context():
        user = db.session.get(User, teacher.id)
        created = questions.create_questions(user, _payloads(3, "hình thoi"))
        ids = [q.id for q in created]
        rows = db.session.scalars(select(Question).where(Question.id.in_(ids))).all()
        assert {(q.id, q.lineage_id, q.version, q.status) for q in rows} == {
            (i, i, 1, "draft") for i in ids
        }
        assert [q.item["stem"] for q in sorted(rows, key=lambda q: q.id)] == [
            f"Câu hình thoi số {n}" for n in range(3)
        ]
        events = db.session.scalars(
            select(ContentEvent).where(ContentEvent.content_id.in_(ids))
        ).all()
        assert {
            (e.content_id, e.lineage_id, e.action, e.to_status) for e in events
        } == {(i, i, "create", "draft") for i in ids}
        audit = db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_id.in_([str(i) for i in ids]))
        ).all()
        assert {(a.action, a.user_id, a.detail["lineage"]) for a in audit} == {
            ("question.create", teacher.id, i) for i in ids
        }
        assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0
        assert _found(teacher.id, "hình thoi") == 3


def test_a_large_batch_is_indexed_after_the_commit_by_a_background_flush(
    app, make_user, handed_off
):
    teacher = make_user("teacher")
    with app.test_request_context():
        user = db.session.get(User, teacher.id)
        questions.create_questions(user, _payloads(4, "ngũ giác"))
        assert len(handed_off) == 1 and _found(teacher.id, "ngũ giác") == 0
        rows = db.session.scalars(select(SearchOutbox)).all()
        assert len(rows) == 4 and all(row.tried_at for row in rows)
        assert outbox.flush_outbox().applied == 0  # left to the background flush
        handed_off[0].run()
        db.session.rollback()
        assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0
        assert _found(teacher.id, "ngũ giác") == 4


def test_a_failed_background_flush_keeps_the_rows_for_a_retry(
    app, make_user, handed_off, monkeypatch
):
    teacher = make_user("teacher")
    working = app.extensions[SEARCH]
    with app.test_request_context():
        user = db.session.get(User, teacher.id)
        questions.create_questions(user, _payloads(3, "lục giác"))
        monkeypatch.setitem(app.extensions, SEARCH, from_url("http://127.0.0.1:9/x"))
        handed_off[0].run()
        db.session.rollback()
        rows = db.session.scalars(select(SearchOutbox)).all()
        assert len(rows) == 3 and all(r.attempts == 1 and r.last_error for r in rows)
        monkeypatch.setitem(app.extensions, SEARCH, working)
        monkeypatch.setitem(app.config, "SEARCH_RETRY_SECONDS", 0)
        assert outbox.flush_outbox().applied == 3
        assert _found(teacher.id, "lục giác") == 3


def test_a_background_thread_indexes_a_large_batch(app_factory, tmp_path):
    from tests.server.test_exchange_jobs import _user

    app = app_factory(
        DATABASE_URL=f"sqlite:///{tmp_path}/bulk.sqlite3", SEARCH_BACKGROUND_ITEMS=5
    )
    user_id = _user(app)
    with app.test_request_context():
        user = db.session.get(User, user_id)
        questions.create_questions(user, _payloads(6, "bát giác"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with app.app_context():
            if not db.session.scalar(select(func.count(SearchOutbox.id))):
                assert _found(user_id, "bát giác") == 6
                return
        time.sleep(0.05)
    pytest.fail("the background flush did not empty the outbox")
