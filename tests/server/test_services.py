"""Service functions called directly, as the CLI and importers call them."""

import pytest

from qti import QtiError
from repo_server.accounts.models import User
from repo_server.extensions import db
from repo_server.questions import service as questions
from repo_server.questions.models import Question
from tests.conftest import question_payload


def test_create_many_is_all_or_nothing(app, make_user):
    teacher = make_user("teacher")
    good = [question_payload(t) for t in ("single_choice", "numeric")]
    bad = question_payload(item={"type": "single_choice", "stem": "Thiếu đáp án"})
    with app.app_context():
        user = db.session.get(User, teacher.id)
        with pytest.raises(QtiError):
            questions.create_questions(user, [*good, bad])
        db.session.rollback()
        assert db.session.query(Question).count() == 0
        created = questions.create_questions(user, good)
        assert [q.lineage_id for q in created] == [q.id for q in created]
        assert db.session.query(Question).count() == 2
