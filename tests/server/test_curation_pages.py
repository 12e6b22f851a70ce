"""Curation pages: queue, side-by-side review, history and restore, coverage, audit."""

import io

from tests.conftest import question_payload
from tests.server.test_curation_coverage import drop_imported_topics

HTML = {"Accept": "text/html"}


def page(client, url, status=200) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def form(client, url, data=None):
    """Post a form the way the pages do (CSRF in the header is accepted too)."""
    return client.post(url, json=None, data=data or {}, headers=HTML)


def test_review_pages_journey(api):
    teacher, curator = api("teacher"), api("curator")
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    teacher.post(f"/api/v1/questions/{qid}/submit")
    queue = page(curator, "/curation/queue")
    assert f'value="questions:{qid}"' in queue and "Tập hợp nào sau đây rỗng?" in queue
    review = page(curator, f"/curation/questions/{qid}")
    assert "nội dung mới, chưa có phiên bản đã xuất bản" in review
    assert 'data-action="return"' in review
    response = form(curator, f"/curation/questions/{qid}/return", {"comment": ""})
    assert response.status_code == 302  # refused with a message, nothing changed
    assert teacher.get(f"/api/v1/questions/{qid}").get_json()["status"] == "submitted"
    form(curator, f"/curation/questions/{qid}/return", {"comment": "Bổ sung lời giải"})
    assert teacher.get(f"/api/v1/questions/{qid}").get_json()["status"] == "returned"
    history = page(teacher, f"/curation/questions/{qid}/history")
    assert "Bổ sung lời giải" in history
    notes = page(teacher, "/notifications")
    assert "bị trả lại" in notes and "Bổ sung lời giải" in notes
    teacher.post(f"/api/v1/questions/{qid}/submit")
    form(curator, "/curation/queue/approve", {"item": [f"questions:{qid}"]})
    assert teacher.get(f"/api/v1/questions/{qid}").get_json()["status"] == "published"
    assert f'value="questions:{qid}"' not in page(curator, "/curation/queue")
    page(api("student"), "/curation/queue", 403)


def test_history_restore_page(api):
    teacher, curator = api("teacher"), api("curator")
    v1 = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    teacher.post(f"/api/v1/questions/{v1}/submit")
    curator.post(f"/api/v1/questions/{v1}/publish")
    v2 = teacher.post(f"/api/v1/questions/{v1}/versions").get_json()["id"]
    teacher.post(f"/api/v1/questions/{v2}/submit")
    form(curator, f"/curation/questions/{v2}/approve", {"comment": ""})
    history = page(teacher, f"/curation/questions/{v1}/history")
    assert "Khôi phục thành bản nháp" in history
    response = form(teacher, f"/curation/questions/{v1}/restore")
    assert response.status_code == 302 and "/edit" in response.headers["Location"]


def test_coverage_topics_and_audit_pages(api, app):
    curator, admin = api("curator"), api("admin")
    csv = "code,name_vi,parent\nPG-C1,Chương thử,\nPG-C1-B1,Bài thử,PG-C1\n"
    response = curator.post(
        "/curation/topics",
        data={
            "subject": "TOAN",
            "grade": "12",
            "file": (io.BytesIO(csv.encode()), "a.csv"),
        },
        content_type="multipart/form-data",
        headers=HTML,
    )
    assert response.status_code == 302
    dashboard = page(curator, "/coverage?subject=TOAN")
    assert "<svg" in dashboard and 'data-cell="TOAN-12"' in dashboard
    lessons = page(curator, "/coverage/TOAN/12")
    assert "Bài thử" in lessons and "PG-C1-B1" in lessons
    page(api("teacher"), "/coverage", 403)
    audit = page(admin, "/admin/audit?action=topics.import")
    assert "topics.import" in audit and "TOAN/12" in audit
    page(curator, "/admin/audit", 403)
    bad = curator.post(
        "/curation/topics",
        data={"subject": "TOAN", "grade": "12", "file": (io.BytesIO(b"x"), "a.csv")},
        content_type="multipart/form-data",
        headers=HTML,
    )
    assert bad.status_code == 422 and "code" in bad.get_data(as_text=True)
    drop_imported_topics(app, "PG-")


def test_settings_page(api, make_user, app):
    admin, curator = api("admin"), api("curator")
    other = make_user("curator")
    assert "Số cấp duyệt theo đơn vị" in page(admin, "/curation/settings")
    assert "Số cấp duyệt theo đơn vị" not in page(curator, "/curation/settings")
    page(api("teacher"), "/curation/settings", 403)
    target = {"school_year": "2026-2027", "subject": "TOAN", "percent": "65"}
    assert form(curator, "/curation/settings/target", target).status_code == 302
    assert "65%" in page(curator, "/curation/settings?year=2026-2027")
    form(admin, "/curation/settings/levels", {"org_id": other.org_id, "levels": "2"})
    scope = {"user_id": other.id, "grades": "6, 7", "orgs": [str(other.org_id)]}
    form(admin, "/curation/settings/scope", scope)
    from repo_server.curation.settings import curator_scopes, review_levels

    with app.app_context():
        assert review_levels() == {other.org_id: 2}
        rows = {u.id: (g, o) for u, g, o in curator_scopes()}
    assert rows[other.id] == (["6", "7"], [str(other.org_id)])
    form(curator, "/curation/settings/levels", {"org_id": other.org_id, "levels": "1"})
    with app.app_context():
        assert review_levels() == {other.org_id: 2}  # curators may not change it
