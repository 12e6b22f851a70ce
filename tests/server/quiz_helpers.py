"""Helpers of the quiz tests: published questions, a class, a quiz and its attempts."""

from tests.conftest import question_payload

TOPIC = "TOAN-6-KNTT-C1-B1"


def publish(teacher, curator, qtype="single_choice", **fields) -> int:
    """Create, submit and publish a question; return its id."""
    payload = question_payload(qtype, topic=TOPIC, **fields)
    qid = teacher.post("/api/v1/questions", payload).get_json()["id"]
    assert teacher.post(f"/api/v1/questions/{qid}/submit").status_code == 200
    assert curator.post(f"/api/v1/questions/{qid}/publish").status_code == 200
    return qid


def quiz_body(parts, **settings) -> dict:
    """A quiz in Toán 6 given to the school of the teacher (school_ids filled by caller)."""
    return {
        "title": "Kiểm tra 15 phút",
        "subject": "TOAN",
        "grade": "6",
        "parts": parts,
        "review": "after_submit",
        **settings,
    }


def published_quiz(teacher, question_ids, school_id, points=1.0, **settings) -> dict:
    """Create and publish a quiz of fixed questions for a school; return its JSON."""
    body = quiz_body(
        [{"title": "Phần I", "points": points, "question_ids": question_ids}],
        school_ids=[school_id],
        **settings,
    )
    response = teacher.post("/api/v1/quizzes", body)
    assert response.status_code == 201, response.get_json()
    quiz_id = response.get_json()["id"]
    response = teacher.post(f"/api/v1/quizzes/{quiz_id}/publish")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slots_by_question(quiz: dict) -> dict[int, int]:
    """Question id → slot id of a published quiz's JSON."""
    return {q["question_id"]: q["slot"] for q in quiz["questions"]}


def save(client, attempt_id, slot, response, seq):
    """PUT one answer."""
    return client.client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{slot}",
        json={"response": response, "seq": seq},
        headers={"X-CSRFToken": client.csrf},
    )


class FileApp:
    """An app process on a file SQLite database shared with the next "process"."""

    def __init__(self, path, **overrides):
        from repo_server import create_app

        self.app = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(path),
                "DATABASE_URL": f"sqlite:///{path}/restart.sqlite3",
                "SECRET_KEY": "restart",
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "SEARCH_URL": "sqlite://",
                "JOBS_INLINE": True,
                **overrides,
            }
        )

    def prepare(self) -> dict:
        """Schema, users, three published questions, a quiz; the student starts it."""
        import repo_server.models  # noqa: F401
        from repo_server.accounts.service import create_user
        from repo_server.extensions import db
        from repo_server.orgs.service import create_organisation
        from repo_server.taxonomy.service import load_taxonomy

        with self.app.app_context():
            db.create_all()
            load_taxonomy()
            dept = create_organisation(
                None, {"code": "S", "name": "Sở", "kind": "department"}
            )
            school = create_organisation(
                None,
                {"code": "T", "name": "Trường", "kind": "school", "parent_id": dept.id},
            )
            school_id = school.id
            for role in ("teacher", "curator", "student"):
                create_user(None, {
                    "email": f"{role}@r.vn", "name": role, "role": role,
                    "org_id": school_id, "password": "mat-khau-1",
                    "subjects": ["TOAN"] if role == "curator" else [],
                })  # fmt: skip
        teacher, curator = self.client("teacher"), self.client("curator")
        ids = [publish(teacher, curator, t) for t in ("single_choice", "numeric")]
        quiz = published_quiz(teacher, ids, school_id, time_limit_minutes=30)
        student = self.client()
        attempt = student.post(f"/api/v1/quizzes/{quiz['id']}/start").get_json()["id"]
        slots = slots_by_question(quiz)
        answers = {slots[ids[0]]: "B", slots[ids[1]]: "2,5"}
        return {"quiz": quiz["id"], "attempt": attempt, "answers": answers}

    def client(self, role: str = "student"):
        """A client of this process logged in as ``role``."""
        from tests.conftest import ApiClient, Record

        return ApiClient(self.app.test_client(), Record(email=f"{role}@r.vn"))

    def stop(self) -> None:
        """End the "process": close every pooled connection."""
        from repo_server.extensions import db

        with self.app.app_context():
            db.engine.dispose()
