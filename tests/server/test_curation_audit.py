"""The audit log records every transition and permission-relevant request; append-only."""

import pytest
from sqlalchemy import text

from repo_server.curation.models import AppendOnly, AuditEntry
from repo_server.extensions import db
from tests.conftest import question_payload
from tests.server import test_migrations

#: The migrations' fixture: an app on an empty database (SQLite file or a PostgreSQL schema).
empty_app = test_migrations.empty_app


def entries(admin, **filters) -> list[dict]:
    response = admin.get("/api/v1/audit", query_string={"per_page": 500, **filters})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_every_transition_is_recorded_with_who_and_where(api, make_user):
    teacher_user = make_user("teacher")
    teacher, curator, admin = api(teacher_user), api("curator"), api("admin")
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    teacher.patch(f"/api/v1/questions/{qid}", {"tags": ["mới"]})
    teacher.post(f"/api/v1/questions/{qid}/submit")
    teacher.post(f"/api/v1/questions/{qid}/withdraw")
    teacher.post(f"/api/v1/questions/{qid}/submit")
    curator.post(f"/api/v1/review/questions/{qid}/return", {"comment": "Sửa"})
    teacher.post(f"/api/v1/questions/{qid}/submit")
    curator.post(f"/api/v1/questions/{qid}/publish")
    curator.post(f"/api/v1/questions/{qid}/archive")
    rows = entries(admin, kind="question", object_id=str(qid))
    actions = [r["action"] for r in reversed(rows)]
    assert actions == [
        "question.create",
        "question.update",
        "question.submit",
        "question.withdraw",
        "question.submit",
        "question.return",
        "question.submit",
        "question.publish",
        "question.archive",
    ]
    publish = next(r for r in rows if r["action"] == "question.publish")
    assert publish["detail"]["from_status"] == "submitted"
    assert publish["detail"]["to_status"] == "published"
    assert publish["ip"] == "127.0.0.1" and publish["user"]["email"].startswith(
        "curator"
    )
    assert [r["action"] for r in entries(admin, action="question.return")] == [
        "question.return"
    ]
    assert entries(admin, user=teacher_user.id, action="question.publish") == []


def test_logins_refusals_and_settings_are_recorded(api, app, make_user):
    admin = api("admin")
    anonymous = api()
    bad = {"email": "khong-co@truong.edu.vn", "password": "sai-mat-khau"}
    assert anonymous.post("/api/v1/session", bad).status_code == 401
    teacher = api("teacher")
    assert teacher.get("/api/v1/users").status_code == 403  # reads are not audited
    levels = f"/api/v1/review/levels/{make_user('teacher').org_id}"
    assert teacher._send("PUT", levels, {"levels": 2}).status_code == 403
    failed = entries(admin, action="login.failed")
    assert failed[0]["detail"]["email"] == "khong-co@truong.edu.vn"
    assert "sai-mat-khau" not in str(failed)
    denied = entries(admin, action="denied")
    assert [d["object"]["id"] for d in denied] == ["api.set_review_levels"]
    assert len(entries(admin, action="login")) >= 2
    curator = make_user("curator")
    admin._send("PUT", f"/api/v1/review/scopes/{curator.id}", {"grades": ["6"]})
    scope = entries(admin, action="user.review_scope")[0]
    assert scope["detail"]["grades"] == ["6"]
    assert api("teacher").get("/api/v1/audit").status_code == 403


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_no_endpoint_edits_the_log(api, method):
    admin = api("admin")
    admin.post("/api/v1/questions", question_payload())
    entry = entries(admin)[0]
    for url in ("/api/v1/audit", f"/api/v1/audit/{entry['id']}"):
        response = admin._send(method, url, {"action": "x"})
        assert response.status_code in (404, 405)
    assert entries(admin)[-1] == entries(admin)[-1] and any(
        e == entry for e in entries(admin)
    )


def test_the_orm_refuses_updates_and_deletes(app, api):
    api("admin").post("/api/v1/questions", question_payload())
    with app.app_context():
        entry = db.session.query(AuditEntry).first()
        entry.action = "rewritten"
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()
        entry = db.session.query(AuditEntry).first()
        db.session.delete(entry)
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()


def test_the_migrated_database_refuses_them_too(empty_app):
    """On the migrated schema a trigger stops even raw SQL (SQLite and PostgreSQL)."""
    from repo_server.migrate import upgrade_database

    with empty_app.app_context():
        upgrade_database()
        db.session.execute(
            text(
                "INSERT INTO audit_log (at, user_email, action, object_kind, object_id,"
                " ip, detail) VALUES ('2026-01-01', '', 'x', '', '', '', '{}')"
            )
        )
        db.session.commit()
        for statement in ("UPDATE audit_log SET action = 'y'", "DELETE FROM audit_log"):
            with pytest.raises(Exception, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(text("SELECT action FROM audit_log")) == "x"
