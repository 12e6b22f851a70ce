"""Set-up and verification of the quiz load benchmark (in-process, through the services)."""

import time

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from repo_server import create_app
from repo_server.extensions import db

#: The 40 questions: (type, count, points) per part.
PARTS = (
    ("Phần I", "single_choice", 24, 0.25),
    ("Phần II", "true_false_cluster", 8, 1.0),
    ("Phần III", "numeric", 8, 0.5),
)
_APP = {}


def app_for(args):
    """One app (and engine) on the bench database for set-up and checks."""
    if "app" not in _APP:
        _APP["app"] = create_app(
            {
                "DATABASE_URL": args.database_url,
                "INSTANCE_PATH": args.instance,
                "SECRET_KEY": "bench",
                "TESTING": True,
                "SEARCH_URL": "sqlite://",
            }
        )
    return _APP["app"]


def prepare_world(args, students: int, password: str) -> list[str]:
    """Empty schema, curriculum, a school, its staff, 40 questions and the students."""
    from repo_server.migrate import upgrade_database
    from repo_server.taxonomy.service import load_taxonomy

    with app_for(args).app_context():
        db.session.execute(db.text("DROP SCHEMA public CASCADE"))
        db.session.execute(db.text("CREATE SCHEMA public"))
        db.session.commit()
        upgrade_database()
        load_taxonomy()
        school, staff = _school_and_staff()
        _questions(*staff)
        return _students(school, students, password)


def _school_and_staff():
    from repo_server.accounts.service import create_user
    from repo_server.orgs.service import create_organisation

    dept = create_organisation(
        None, {"code": "SGD", "name": "Sở", "kind": "department"}
    )
    school = create_organisation(
        None, {"code": "THPT-B", "name": "THPT Bench", "kind": "school",
               "parent_id": dept.id, "levels": ["THPT"]},
    )  # fmt: skip
    staff = [
        create_user(None, {"email": f"{role}@bench.vn", "name": role, "role": role,
                           "org_id": school.id, "password": "mat-khau-bench",
                           "subjects": ["TOAN"] if role == "curator" else []})
        for role in ("teacher", "curator")
    ]  # fmt: skip
    return school.id, staff


def _questions(teacher, curator) -> None:
    from repo_server.questions.service import create_question, transition_question

    items = {
        "single_choice": {"type": "single_choice", "stem": "Chọn đáp án đúng.",
                          "choices": [{"id": k, "text": k} for k in "ABCD"],
                          "correct": ["B"], "explanation": "Vì B."},
        "true_false_cluster": {"type": "true_false_cluster", "stem": "Xét các mệnh đề.",
                               "statements": [{"id": k, "text": k, "correct": k in "ac"}
                                              for k in "abcd"]},
        "numeric": {"type": "numeric", "stem": "Tính 2 + 3.",
                    "numeric": {"value": 5, "tolerance": 0}},
    }  # fmt: skip
    for _title, qtype, count, _points in PARTS:
        for _ in range(count):
            data = {"subject": "TOAN", "grade": "10", "cognitive_level": "TH",
                    "item": items[qtype]}  # fmt: skip
            question = create_question(teacher, data)
            transition_question(teacher, question.id, "submit", None)
            transition_question(curator, question.id, "publish", None)


def _students(school_id: int, count: int, password: str) -> list[str]:
    """Insert the students in bulk (one cheap hash shared: the bench is not about login)."""
    from repo_server.accounts.models import User
    from repo_server.timeutil import utcnow

    hashed = generate_password_hash(password, method="pbkdf2:sha256:1000")
    rows = [
        {"email": f"hs{i:05d}@bench.vn", "name": f"Học sinh {i}", "password_hash": hashed,
         "role": "student", "org_id": school_id, "grade_code": "10", "locale": "vi",
         "active": True, "created_at": utcnow()}
        for i in range(count)
    ]  # fmt: skip
    db.session.execute(insert(User), rows)
    db.session.commit()
    return [r["email"] for r in rows]


def prepare_quiz(args, emails: list[str]) -> tuple[int, int]:
    """A class of these students and a published 40-question quiz for it."""
    from repo_server.accounts.models import User
    from repo_server.accounts.service import find_user
    from repo_server.questions.models import Question
    from repo_server.quizzes import classes, service
    from repo_server.quizzes.models import Attempt

    with app_for(args).app_context():
        teacher = find_user("teacher@bench.vn")
        ids = db.session.scalars(select(User.id).where(User.email.in_(emails))).all()
        name = f"Lớp {len(emails)}-{time.time_ns() % 10**6}"
        group = classes.create_class(teacher, {"name": name, "student_ids": ids})
        parts = []
        for title, qtype, count, points in PARTS:
            chosen = db.session.scalars(
                select(Question.id).where(Question.qtype == qtype).limit(count)
            ).all()
            parts.append({"title": title, "points": points, "question_ids": chosen,
                          "blueprint": []})  # fmt: skip
        quiz = service.create_quiz(teacher, _settings(parts, group.id))
        began = time.perf_counter()
        service.publish_quiz(teacher, quiz.id)
        took = time.perf_counter() - began
        count = len(
            db.session.scalars(
                select(Attempt.id).where(Attempt.quiz_id == quiz.id)
            ).all()
        )
        print(f"  publication generated {count} attempts in {took:.1f} s", flush=True)
        return quiz.id, count


def _settings(parts, class_id) -> dict:
    return {
        "title": "Kiểm tra giữa kỳ (bench)", "parts": parts, "time_limit_minutes": 45,
        "opens_at": None, "closes_at": None, "max_attempts": 1,
        "shuffle_questions": True, "shuffle_options": True, "review": "after_close",
        "show_explanations": True, "class_ids": [class_id], "school_ids": [],
        "subject": "TOAN", "grade": "10",
    }  # fmt: skip


def verify(args, acked: dict, submitted: set) -> tuple[int, int]:
    """Acknowledged saves missing (or older) in the database; submits not recorded."""
    from repo_server.quizzes.models import Answer, Attempt

    with app_for(args).app_context():
        attempts = {a for a, _slot in acked} | submitted
        stored = {}
        ids = sorted(attempts)
        for start in range(0, len(ids), 1000):
            rows = db.session.execute(
                select(Answer.attempt_id, Answer.quiz_question_id, Answer.seq).where(
                    Answer.attempt_id.in_(ids[start : start + 1000])
                )
            )
            stored.update({(a, s): seq for a, s, seq in rows})
        lost = sum(1 for key, seq in acked.items() if stored.get(key, -1) < seq)
        states = dict(
            db.session.execute(
                select(Attempt.id, Attempt.state).where(Attempt.id.in_(list(submitted)))
            ).all()
        )
        unscored = sum(1 for a in submitted if states.get(a) != "submitted")
        return lost, unscored
