"""Review workflow: queues, approve, return with comments, bulk, two levels, restore."""

import pytest

from repo_server.extensions import db
from tests.conftest import question_payload

MATERIAL = {
    "title": "Bài giảng Tập hợp",
    "kind": "slides",
    "subject": "TOAN",
    "grade": "6",
}


@pytest.fixture
def people(make_user, make_org, api):
    """A teacher, a curator of Toán, a curator of Văn, a student, an admin (clients)."""
    teacher = make_user("teacher")
    return {
        "teacher_user": teacher,
        "teacher": api(teacher),
        "curator": api("curator"),
        "other_curator": api(make_user("curator", subjects=["NV"])),
        "student": api("student"),
        "admin": api("admin"),
    }


def submitted_question(client, **overrides) -> int:
    """A question of the client, submitted for review."""
    qid = client.post("/api/v1/questions", question_payload(**overrides)).get_json()[
        "id"
    ]
    assert client.post(f"/api/v1/questions/{qid}/submit").status_code == 200
    return qid


def queue_ids(client, **args) -> list[int]:
    response = client.get("/api/v1/review/queue", query_string=args)
    assert response.status_code == 200, response.get_json()
    return [row["id"] for row in response.get_json()["items"]]


def test_queue_is_per_subject_oldest_first_and_filterable(people):
    teacher = people["teacher"]
    first = submitted_question(teacher)
    second = submitted_question(teacher, grade="7")
    mat = teacher.post("/api/v1/materials", MATERIAL).get_json()["id"]
    teacher.post(f"/api/v1/materials/{mat}/submit")
    assert queue_ids(people["curator"]) == [first, second, mat]
    assert queue_ids(people["curator"], grade="7") == [second]
    assert queue_ids(people["curator"], kind="material") == [mat]
    assert queue_ids(people["other_curator"]) == []
    for role in ("teacher", "student"):
        assert people[role].get("/api/v1/review/queue").status_code == 403


def test_curator_scope_narrows_the_queue(people, make_user, api):
    scoped = make_user("curator")
    submitted_question(people["teacher"])
    seven = submitted_question(people["teacher"], grade="7")
    url = f"/api/v1/review/scopes/{scoped.id}"
    assert people["curator"]._send("PUT", url, {"grades": ["7"]}).status_code == 403
    response = people["admin"]._send("PUT", url, {"grades": ["7"]})
    assert response.status_code == 200, response.get_json()
    assert queue_ids(api(scoped)) == [seven]


def test_return_with_comment_fix_resubmit_approve(people, app):
    teacher, curator = people["teacher"], people["curator"]
    qid = submitted_question(teacher)
    url = f"/api/v1/review/questions/{qid}"
    assert teacher.post(url + "/approve").status_code == 403
    assert people["student"].post(url + "/approve").status_code == 404
    assert people["other_curator"].post(url + "/approve").status_code == 404
    assert curator.post(url + "/return", {"comment": " "}).status_code == 422
    response = curator.post(url + "/return", {"comment": "Phương án B chưa đúng."})
    assert response.status_code == 200 and response.get_json()["status"] == "returned"
    comments = teacher.get(url + "/comments").get_json()["items"]
    assert [(c["body"], c["version"], c["action"]) for c in comments] == [
        ("Phương án B chưa đúng.", 1, "return")
    ]
    notes = teacher.get("/api/v1/notifications").get_json()
    assert notes["unread"] == 1 and notes["items"][0]["kind"] == "returned"
    assert "Phương án B chưa đúng." in notes["items"][0]["message"]
    assert queue_ids(curator) == []
    assert curator.post(url + "/approve").status_code == 409  # not submitted
    fixed = question_payload(tags=["đã sửa"])
    assert teacher.patch(f"/api/v1/questions/{qid}", fixed).status_code == 200
    assert teacher.post(f"/api/v1/questions/{qid}/submit").status_code == 200
    assert queue_ids(curator) == [qid]
    response = curator.post(url + "/approve", {"comment": "Tốt."})
    assert response.get_json()["result"] == "published"
    status = teacher.get(f"/api/v1/questions/{qid}").get_json()["status"]
    assert status == "published"
    assert queue_ids(curator) == []
    kinds = [
        n["kind"] for n in teacher.get("/api/v1/notifications").get_json()["items"]
    ]
    assert kinds[0] == "published"


def test_plain_comment_only_by_reviewers_and_hidden_from_students(people):
    qid = submitted_question(people["teacher"])
    url = f"/api/v1/review/questions/{qid}/comments"
    assert people["teacher"].post(url, {"body": "Tự nhận xét"}).status_code == 403
    assert people["curator"].post(url, {"body": "Xem lại lời giải"}).status_code == 201
    assert people["curator"].post(url, {"body": ""}).status_code == 422
    assert len(people["teacher"].get(url).get_json()["items"]) == 1
    assert people["student"].get(url).status_code == 404


def test_bulk_approve_reports_each_item(people):
    teacher, curator = people["teacher"], people["curator"]
    good = [submitted_question(teacher) for _ in range(2)]
    draft = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    items = [{"kind": "questions", "id": i} for i in [*good, draft, 999999]]
    response = curator.post("/api/v1/review/approve", {"items": items})
    results = {r["id"]: r for r in response.get_json()["results"]}
    assert [results[i]["result"] for i in good] == ["published", "published"]
    assert results[draft]["status"] == 404  # another teacher's draft is invisible
    assert results[999999]["status"] == 404
    assert curator.post("/api/v1/review/approve", {"items": []}).status_code == 422


def test_two_level_review(people, make_user, make_org, api, app):
    from repo_server.orgs.models import Organisation

    with app.app_context():
        school = db.session.query(Organisation).filter_by(code="THCS-A").one()
        department = db.session.get(Organisation, school.parent_id)
    group = people["curator"]  # a curator of the teacher's own school
    dept = api(make_user("curator", org=department))
    url = f"/api/v1/review/levels/{department.id}"  # the school inherits it
    assert people["curator"]._send("PUT", url, {"levels": 2}).status_code == 403
    assert people["admin"]._send("PUT", url, {"levels": 3}).status_code == 422
    assert people["admin"]._send("PUT", url, {"levels": 2}).status_code == 200
    qid = submitted_question(people["teacher"])
    item = f"/api/v1/review/questions/{qid}"
    assert dept.post(item + "/approve").status_code == 409  # the group comes first
    assert group.post(f"/api/v1/questions/{qid}/publish").status_code == 403
    assert queue_ids(dept, stage="level1") == [qid]
    assert group.post(item + "/approve").get_json()["result"] == "approved_level1"
    assert group.post(item + "/approve").status_code == 409
    assert queue_ids(dept, stage="level2") == [qid]
    notes = dept.get("/api/v1/notifications").get_json()["items"]
    assert notes[0]["kind"] == "approved"
    assert dept.post(item + "/approve").get_json()["result"] == "published"
    office_teacher = api(make_user("teacher", org=department))
    own = submitted_question(office_teacher)  # no subject group above the department
    assert dept.post(f"/api/v1/review/questions/{own}/approve").get_json() == {
        "kind": "questions",
        "id": own,
        "result": "published",
    }


def test_restore_an_earlier_version_keeps_the_author(people):
    teacher, curator = people["teacher"], people["curator"]
    v1 = submitted_question(teacher)
    curator.post(f"/api/v1/review/questions/{v1}/approve")
    v2 = teacher.post(f"/api/v1/questions/{v1}/versions").get_json()["id"]
    teacher.patch(f"/api/v1/questions/{v2}", question_payload(difficulty=5))
    teacher.post(f"/api/v1/questions/{v2}/submit")
    curator.post(f"/api/v1/review/questions/{v2}/approve")
    assert teacher.get(f"/api/v1/questions/{v1}").get_json()["status"] == "archived"
    assert (
        people["student"].post(f"/api/v1/review/questions/{v1}/restore").status_code
        == 404
    )
    response = curator.post(f"/api/v1/review/questions/{v1}/restore")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["version"] == 3 and body["author_id"] == people["teacher_user"].id
    restored = curator.get(f"/api/v1/questions/{body['id']}").get_json()
    assert restored["difficulty"] == 2 and restored["status"] == "draft"
    history = teacher.get(f"/api/v1/review/questions/{v1}/history").get_json()
    actions = [e["action"] for e in history["events"]]
    assert actions.count("publish") == 2 and "supersede" in actions
    assert [v["version"] for v in history["versions"]] == [1, 2, 3]
    assert "restore" in [e["action"] for e in history_audit(people["admin"])]


def history_audit(admin) -> list[dict]:
    """Audit entries about one question, with their actions shortened."""
    rows = admin.get("/api/v1/audit", query_string={"kind": "question"}).get_json()
    return [
        {**r, "action": r["action"].split(".")[1]}
        for r in rows["items"]
        if r["action"].startswith("question.")
    ]
