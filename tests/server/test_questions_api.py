"""Question journeys through the API: write, submit, publish, read as a student."""

import unicodedata

import pytest

from tests.conftest import question_payload

TYPES = (
    "single_choice",
    "multiple_response",
    "true_false",
    "true_false_cluster",
    "numeric",
)


@pytest.mark.parametrize("qtype", TYPES)
def test_teacher_writes_curator_publishes_student_reads_without_key(api, qtype):
    teacher, curator, student = api("teacher"), api("curator"), api("student")
    created = teacher.post("/api/v1/questions", question_payload(qtype))
    assert created.status_code == 201, created.get_json()
    qid = created.get_json()["id"]
    assert created.get_json()["status"] == "draft"
    assert student.get(f"/api/v1/questions/{qid}").status_code == 404

    assert teacher.post(f"/api/v1/questions/{qid}/submit").get_json()["status"] == (
        "submitted"
    )
    published = curator.post(f"/api/v1/questions/{qid}/publish")
    assert (
        published.status_code == 200 and published.get_json()["status"] == "published"
    )

    seen = student.get(f"/api/v1/questions/{qid}").get_json()
    assert seen["status"] == "published"
    for secret in ("correct", "explanation", "numeric"):
        assert secret not in seen["item"]
    assert all("correct" not in s for s in seen["item"].get("statements", []))
    listed = student.get("/api/v1/questions").get_json()
    assert [q["id"] for q in listed["items"]] == [qid]
    assert "correct" not in repr(listed) and "explanation" not in repr(listed)


def test_listing_filters_sorts_and_pages(api):
    teacher = api("teacher")
    for i in range(5):
        payload = question_payload(
            "numeric" if i % 2 else "single_choice", difficulty=i + 1
        )
        assert teacher.post("/api/v1/questions", payload).status_code == 201
    page = teacher.get("/api/v1/questions?per_page=2&page=2&sort=difficulty").get_json()
    assert page["total"] == 5 and page["pages"] == 3
    assert [q["difficulty"] for q in page["items"]] == [3, 4]
    numeric = teacher.get("/api/v1/questions?type=numeric&subject=Toán&grade=6")
    assert numeric.get_json()["total"] == 2
    assert (
        teacher.get("/api/v1/questions?cognitive_level=Nhan biet").get_json()["total"]
        == 5
    )
    assert teacher.get("/api/v1/questions?status=published").get_json()["total"] == 0


def test_vietnamese_text_is_stored_nfc_with_one_tone_placement(api):
    teacher = api("teacher")
    stem = unicodedata.normalize("NFD", "Phản ứng hòa hợp của thủy ngân")
    payload = question_payload()
    payload["item"] = {**payload["item"], "stem": stem}
    body = teacher.post("/api/v1/questions", payload).get_json()
    assert body["item"]["stem"] == "Phản ứng hoà hợp của thuỷ ngân"
    assert unicodedata.is_normalized("NFC", body["item"]["stem"])


def test_returned_question_is_fixed_and_resubmitted(api):
    teacher, curator = api("teacher"), api("curator")
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    teacher.post(f"/api/v1/questions/{qid}/submit")
    no_comment = curator.post(f"/api/v1/questions/{qid}/return", {})
    assert no_comment.status_code == 422
    returned = curator.post(
        f"/api/v1/questions/{qid}/return", {"comment": "Thiếu lời giải"}
    ).get_json()
    assert returned["status"] == "returned" and returned["review_comment"] == (
        "Thiếu lời giải"
    )
    fixed = teacher.patch(f"/api/v1/questions/{qid}", {"difficulty": 4})
    assert fixed.status_code == 200 and fixed.get_json()["difficulty"] == 4
    assert teacher.post(f"/api/v1/questions/{qid}/submit").status_code == 200


def test_published_question_changes_only_through_a_new_version(api):
    teacher, curator = api("teacher"), api("curator")
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    teacher.post(f"/api/v1/questions/{qid}/submit")
    curator.post(f"/api/v1/questions/{qid}/publish")
    assert (
        teacher.patch(f"/api/v1/questions/{qid}", {"difficulty": 5}).status_code == 409
    )
    v2 = teacher.post(f"/api/v1/questions/{qid}/versions").get_json()
    assert (v2["version"], v2["lineage_id"], v2["status"]) == (2, qid, "draft")
    teacher.patch(f"/api/v1/questions/{v2['id']}", {"difficulty": 5})
    teacher.post(f"/api/v1/questions/{v2['id']}/submit")
    curator.post(f"/api/v1/questions/{v2['id']}/publish")
    assert teacher.get(f"/api/v1/questions/{qid}").get_json()["status"] == "archived"
    history = teacher.get(f"/api/v1/questions/{v2['id']}/history").get_json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    actions = [e["action"] for e in history["events"]]
    assert actions == [
        "create",
        "submit",
        "publish",
        "new_version",
        "update",
        "submit",
        "supersede",
        "publish",
    ]
    assert history["events"][4]["changes"] == ["difficulty"]


def test_topic_must_belong_to_subject_and_grade(api):
    teacher = api("teacher")
    ok = teacher.post("/api/v1/questions", question_payload(topic="TOAN-6-KNTT-C1-B1"))
    assert ok.status_code == 201 and ok.get_json()["topic_name"].startswith("Bài 1")
    wrong = teacher.post(
        "/api/v1/questions", question_payload(grade="7", topic="TOAN-6-KNTT-C1-B1")
    )
    assert wrong.status_code == 422 and "topic" in wrong.get_json()["error"]["fields"]
